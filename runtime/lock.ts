/**
 * The lock of a migration run on PostgreSQL: `LOCK TABLE public.schemac_lock IN EXCLUSIVE
 * MODE`, taken by a transaction that stays open on its own connection for the whole run.
 * Not a session-level advisory lock, so:
 *
 * - it is exclusive behind a transaction-pooling PgBouncer too: an open transaction pins its
 *   server connection, and the lock is the transaction's;
 * - it goes when the runner dies: the server (or the pooler, which closes a server
 *   connection whose client left mid-transaction) ends the transaction, and no lock stays
 *   behind on a pooled connection;
 * - only roles that may write `schemac_lock` can take it (it is created with no privileges
 *   for anyone but its owner), so an arbitrary role cannot block deploys.
 *
 * Taking it polls `NOWAIT`, each attempt its own transaction: a waiting runner never queues
 * a lock request others queue behind, and holds no snapshot, so it cannot stall a CREATE
 * INDEX CONCURRENTLY elsewhere. The holding transaction holds no snapshot either (it runs
 * only SET LOCAL, LOCK and savepoints, at read committed), so no concurrent index build, the
 * run's own or anyone's, waits for it. While files run it shows activity every few seconds (a pooler's
 * idle-transaction timeout would end it), and the runner checks it before every file.
 */
import { formatDuration } from '../compiler/shared/index.ts';
import { type Queryable, toDbError } from './driver.ts';

/** A LockError is why a run could not take the lock (one of the runner's `MigrationError`s). */
export interface LockError {
  readonly kind: 'lock-timeout' | 'ledger' | 'database';
  readonly message: string;
  readonly code?: string;
}

/** The table whose EXCLUSIVE lock is the run's lock; never part of a compared schema. */
export const LOCK_TABLE = 'schemac_lock';

/** A LockHolder is the session holding the run's lock, as pg_stat_activity shows it (null: hidden from this role, or none). */
export interface LockHolder {
  readonly pid: number;
  readonly applicationName: string | null;
  /** The client's address (behind a pooler: the pooler's); null for a Unix socket or when hidden. */
  readonly clientAddress: string | null;
  readonly user: string | null;
  /** When the holder's transaction began: since when it has held the lock. */
  readonly since: Date | null;
  /** How long this run has waited so far. */
  readonly waitedMs: number;
}

/** How often a waiting run says who holds the lock. */
export const REPORT_EVERY_MS = 5000;

const QUALIFIED = `public.${LOCK_TABLE}`;

/**
 * Creates `schemac_lock` when it is missing: owned by the migrating role, with no privilege
 * for PUBLIC nor for any role default privileges would grant it. Runs at once from many
 * first runs safely: a concurrent creator's table is as good as ours.
 */
export async function ensureLockTable(q: Queryable): Promise<LockError | undefined> {
  const [row] = await q.query<{ exists: boolean }>(`select to_regclass('${QUALIFIED}') is not null as exists`);
  if (row.exists) return undefined;
  try {
    await q.exec(CREATE_LOCK_TABLE);
    return undefined;
  } catch (e) {
    const err = toDbError(e);
    // duplicate table, duplicate key in pg_class/pg_type, or duplicate type: another run won the race
    if (err.code === '42P07' || err.code === '23505' || err.code === '42710') return undefined;
    const hint = err.code === '42501' ? ' (the role needs CREATE on schema public)' : '';
    return { kind: 'ledger', message: `cannot create the lock table ${LOCK_TABLE}: ${err.message}${hint}`, code: err.code };
  }
}

const CREATE_LOCK_TABLE = `DO $schemac$
DECLARE grantee regrole;
BEGIN
  IF to_regclass('${QUALIFIED}') IS NULL THEN
    CREATE TABLE ${QUALIFIED} (note text);
    COMMENT ON TABLE ${QUALIFIED} IS 'schemac migrate holds this table locked (EXCLUSIVE) while it runs; only its owner may lock it';
    REVOKE ALL ON ${QUALIFIED} FROM PUBLIC;
    FOR grantee IN
      SELECT DISTINCT a.grantee::regrole FROM pg_class c, aclexplode(c.relacl) a
      WHERE c.oid = '${QUALIFIED}'::regclass AND a.grantee <> 0 AND a.grantee <> c.relowner
    LOOP
      EXECUTE format('REVOKE ALL ON ${QUALIFIED} FROM %s', grantee);
    END LOOP;
  END IF;
END $schemac$`;

/**
 * One attempt: its own read-committed transaction, which on success stays open and holds the
 * lock. No SELECT in it (a SELECT's snapshot could make a CREATE INDEX CONCURRENTLY anywhere
 * wait for the whole run); the server's idle-in-transaction (and, 17+, transaction) timeouts off for it.
 */
function takeSql(serverVersion: number): string {
  return [
    'begin isolation level read committed read write',
    'set local idle_in_transaction_session_timeout = 0',
    ...(serverVersion >= 170000 ? ['set local transaction_timeout = 0'] : []),
    `lock table ${QUALIFIED} in exclusive mode nowait`,
  ].join('; ');
}

/** What `acquireLock` needs besides the holder's session. */
export interface LockWait {
  readonly waitMs: number;
  /** The database, for messages. */
  readonly description: string;
  /** Called every REPORT_EVERY_MS while waiting, with who holds the lock. */
  readonly onWait?: (holder: LockHolder) => void;
}

/**
 * Takes the run's lock on `holder`, a session of its own that must stay open (and run
 * nothing else) until `releaseLock`; retries with jittered sleeps until `waitMs` has passed.
 */
export async function acquireLock(holder: Queryable, wait: LockWait): Promise<LockError | undefined> {
  const [{ version }] = await holder.query<{ version: number }>("select current_setting('server_version_num')::int as version");
  const take = takeSql(version);
  const started = Date.now();
  let report = started + REPORT_EVERY_MS;
  for (;;) {
    try {
      await holder.exec(take);
      return undefined;
    } catch (e) {
      await holder.exec('rollback').catch(() => {});
      const err = toDbError(e);
      if (err.code !== '55P03') return cannotLock(err, wait.description);
    }
    const waited = Date.now() - started;
    if (waited >= wait.waitMs) return lockTimeout(await lockHolder(holder, waited), waited, wait.description);
    if (wait.onWait && Date.now() >= report) {
      const who = await lockHolder(holder, waited);
      if (who) wait.onWait(who);
      report = Date.now() + REPORT_EVERY_MS;
    }
    const pause = Math.min(50 + Math.random() * 200, Math.max(10, wait.waitMs - waited));
    await new Promise((r) => setTimeout(r, pause));
  }
}

function cannotLock(err: { code?: string; message: string }, description: string): LockError {
  const hint = err.code === '42501'
    ? `; the role running migrations needs UPDATE on ${QUALIFIED} (it is the owner's; GRANT UPDATE ON ${QUALIFIED} TO <role>)`
    : '';
  return { kind: 'database', message: `cannot take the migration lock on ${description}: ${err.message}${hint}`, code: err.code };
}

function lockTimeout(holder: LockHolder | undefined, waited: number, description: string): LockError {
  const who = holder ? `: it is held by ${describeHolder(holder)}` : '';
  return { kind: 'lock-timeout', message: `gave up after ${formatDuration(waited)} waiting for the migration lock on ${description}${who}` };
}

/** `server process 123 (application_name 'schemac migrate', user app, client 10.0.0.7, since 2026-01-01T10:00:00.000Z)`. */
export function describeHolder(h: LockHolder): string {
  const parts = [
    `application_name ${h.applicationName === null ? 'hidden' : `'${h.applicationName}'`}`,
    h.user !== null && `user ${h.user}`,
    `client ${h.clientAddress ?? 'local socket or hidden'}`,
    `since ${h.since ? `${h.since.toISOString()}, ${formatDuration(Date.now() - h.since.getTime())} ago` : 'an unknown time'}`,
  ];
  return `server process ${h.pid} (${parts.filter(Boolean).join(', ')})`;
}

/** The session holding `schemac_lock` in a mode that blocks the run's, or undefined (released meanwhile, or none). */
export async function lockHolder(q: Queryable, waitedMs: number): Promise<LockHolder | undefined> {
  const rows = await q
    .query<{ pid: number; application_name: string | null; client_addr: string | null; usename: string | null; xact_start: Date | string | null }>(
      `select l.pid, a.application_name, host(a.client_addr) as client_addr, a.usename::text as usename, a.xact_start
         from pg_locks l left join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'relation' and l.relation = to_regclass('${QUALIFIED}') and l.granted
          and l.mode <> 'AccessShareLock' and l.pid is not null and l.pid <> pg_backend_pid()
          and l.database = (select oid from pg_database where datname = current_database())
        order by a.xact_start nulls last limit 1`,
    )
    .catch(() => []);
  const r = rows[0];
  if (!r) return undefined;
  return {
    pid: r.pid, applicationName: r.application_name, clientAddress: r.client_addr, user: r.usename,
    since: r.xact_start === null ? null : new Date(r.xact_start), waitedMs,
  };
}

/**
 * A savepoint, released at once: succeeds only inside the holding transaction (outside one,
 * SAVEPOINT is an error), and, unlike a SELECT, takes no snapshot even for a moment, so a
 * CREATE INDEX CONCURRENTLY anywhere never waits for the run to end.
 */
const ALIVE = 'savepoint schemac_alive; release savepoint schemac_alive';

/** Whether `holder` still holds the lock: its connection alive and its transaction (which holds the lock until it ends) open. */
export async function holdsLock(holder: Queryable): Promise<boolean> {
  try {
    await holder.exec(ALIVE);
    return true;
  } catch {
    return false;
  }
}

/** How often the holding session shows activity while files run. */
export const HEARTBEAT_MS = 5000;

/**
 * Keeps the holding session busy every HEARTBEAT_MS while files run, so a pooler's
 * `idle_transaction_timeout` or `client_idle_timeout` longer than that does not end the lock's
 * transaction; `stop()` before releasing the lock.
 */
export function keepLock(holder: Queryable): { stop(): void } {
  const timer = setInterval(() => void holdsLock(holder), HEARTBEAT_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Ends the holding transaction, and with it the lock. */
export async function releaseLock(holder: Queryable): Promise<void> {
  await holder.exec('rollback').catch(() => {});
}
