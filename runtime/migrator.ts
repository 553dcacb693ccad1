/**
 * The migration runner (SPEC §7). On PostgreSQL one lock, a table lock held by a transaction
 * on a session of its own (`lock.ts`), guards a whole run, so replicas starting at once, also
 * through a transaction-pooling PgBouncer, apply each file exactly once; each file is claimed
 * and recorded in the ledger `schemac_migrations` by its own transaction, or (a
 * `-- schemac:no-transaction` file) by a `running` row before its statements (`apply-file.ts`).
 * Each owner is its own chain: core runs first, and a core failure stops the run; an org's
 * failed or refused file stops that org's chain only, and every other org's pending files
 * still apply. A run returns its results as data, with one outcome per owner; callers print them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CORE, type Owner } from '../compiler/ir.ts';
import { type RunSession, runFile, runSettings } from './apply-file.ts';
import { describeConnectError, type Driver, type Queryable, toDbError } from './driver.ts';
import { hasSql, type MigrationFile } from './files.ts';
import { LEDGER_TABLE } from './introspect.ts';
import { acquireLock, ensureLockTable, holdsLock, keepLock, type LockHolder, releaseLock } from './lock.ts';
import { BASE, planRunOn, type RunPlan } from './run-plan.ts';
import type { MigrationError, MigrationResult, MigrationRun, MigrationStatus, OwnerOutcome, OwnerStatus } from './run-types.ts';

export type { LockHolder } from './lock.ts';

export { BASE, type PlanOptions, planRun, planRunOn, type RunPlan } from './run-plan.ts';
export type {
  DataDrop, MigrationError, MigrationErrorKind, MigrationResult, MigrationRun, MigrationStatus, OwnerOutcome, OwnerStatus,
} from './run-types.ts';

/** MigrateOptions configure one `up` or `down` run. */
export interface MigrateOptions {
  readonly driver: Driver;
  /** Every migration file, in order (`readMigrations`). */
  readonly files: readonly MigrationFile[];
  readonly direction: 'up' | 'down';
  /** down: only this owner's migrations (the last one, or those after `to`); core's only while no other owner's were applied after them. */
  readonly org?: Owner;
  /** down: drop tables and columns that hold rows (without it such a down is refused before anything runs). */
  readonly allowDestructive?: boolean;
  /** up: apply up to and including NAME; down: revert everything applied after NAME (`base`: all). Default: up all, down one. */
  readonly to?: string;
  readonly allowOutOfOrder?: boolean;
  /** How long to wait for another run's lock before giving up (default SCHEMAC_LOCK_WAIT_MS, else 60 s). */
  readonly lockWaitMs?: number;
  /** Called every few seconds while the run waits for the lock, with who holds it. */
  readonly onLockWait?: (holder: LockHolder) => void;
  /** Called as each file finishes (progress output). */
  readonly onResult?: (r: MigrationResult) => void;
  /** Called after each statement of a file completes (index from 0, of `total`): progress output, fault injection in tests. */
  readonly onStatement?: (file: MigrationFile, index: number, direction: 'up' | 'down', total: number) => void;
  /**
   * Runs each transactional file's section as one query instead of statement by statement; a
   * file that fails is rolled back and run again statement by statement, to name the statement
   * that fails. For a database no other session changes (`verify`'s): elsewhere the second
   * attempt could meet another database. Not with `onStatement`.
   */
  readonly batch?: boolean;
  /**
   * A pre-flight check, called before anything runs with each file the run would apply (up)
   * or revert (down); a reason refuses the file. Up: an org's refused file refuses that org's
   * whole chain, which is then not run at all; a refused core file refuses the run. Down: any
   * refused file refuses the run.
   */
  readonly refuse?: (file: MigrationFile) => string | undefined;
  /** Owners refused before the run (say, for a malformed file), with the reason; core here refuses the run. */
  readonly refusedOwners?: ReadonlyMap<Owner, string>;
}

/** A LedgerRow is one row of `schemac_migrations`. */
export interface LedgerRow {
  readonly name: string;
  readonly owner: Owner;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly ms: number;
  /** `running`: a no-transaction file whose run did not finish (up runs it again); `done`: applied. */
  readonly status: 'running' | 'done';
  /** Recorded by `migrate baseline` (the database already held its schema; never run, never reverted). */
  readonly baselined: boolean;
}

/** Applies or reverts migrations under the run's lock; never throws for database errors. */
export async function runMigrations(opts: MigrateOptions): Promise<MigrationRun> {
  const stopped = (error: MigrationError): MigrationRun => ({ results: [], owners: [], error });
  const sessions = await openSessions(opts.driver);
  if ('error' in sessions) return stopped(sessions.error);
  const { holder, work } = sessions;
  let heartbeat: { stop(): void } | undefined;
  try {
    if (holder) {
      const lockError = (await ensureLockTable(work)) ??
        (await acquireLock(holder, { waitMs: opts.lockWaitMs ?? defaultLockWait(), description: opts.driver.description, onWait: opts.onLockWait }));
      if (lockError) return stopped(lockError);
      heartbeat = keepLock(holder);
    }
    const ledgerError = await ensureLedger(work);
    if (ledgerError) return stopped(ledgerError);
    const applied = await readLedger(work);
    // A `running` row is a no-transaction file an earlier run did not finish: up runs it again; down reverts it with its migration.
    const plan = await planRunOn(work, opts, opts.direction === 'up' ? applied.filter((a) => a.status === 'done') : applied);
    if ('error' in plan) return stopped(plan.error);
    const run: RunSession = { work, settings: await runSettings(work), onStatement: opts.onStatement, batch: opts.batch };
    return await execute(run, holder, plan, opts);
  } catch (e) {
    const err = toDbError(e);
    return stopped({ kind: 'database', message: `database error on ${opts.driver.description}: ${err.message}`, code: err.code });
  } finally {
    heartbeat?.stop();
    if (holder) await releaseLock(holder);
    await work.close();
    await holder?.close();
  }
}

/** How long a run waits for the lock by default: SCHEMAC_LOCK_WAIT_MS, else 60 s. */
export function defaultLockWait(): number {
  const text = process.env.SCHEMAC_LOCK_WAIT_MS?.trim();
  const env = text ? Number(text) : Number.NaN;
  return Number.isFinite(env) && env >= 0 ? env : 60_000;
}

/**
 * The run's sessions: on PostgreSQL, one that holds the lock and one that runs the files;
 * PGlite is one process's single session, so it takes no lock.
 */
export async function openSessions(driver: Driver): Promise<{ holder?: Queryable; work: Queryable } | { error: MigrationError }> {
  let holder: Queryable | undefined;
  try {
    if (driver.kind === 'pg') holder = await driver.connect();
    const work = await driver.connect();
    return { holder, work };
  } catch (e) {
    await holder?.close();
    return { error: { kind: 'connect', message: describeConnectError(e, driver.description), code: toDbError(e).code } };
  }
}

/**
 * Creates the ledger when missing; adds its `status` column to a ledger an older schemac made.
 * Its `baselined` column is added by `migrate baseline` only (runtime/baseline.ts), the one
 * writer of it, so a role that does not own an older ledger can still run up and down.
 */
export async function ensureLedger(work: Queryable): Promise<MigrationError | undefined> {
  try {
    const [row] = await work.query<{ exists: boolean; status: boolean }>(
      `select to_regclass('public.${LEDGER_TABLE}') is not null as exists,
              exists (select 1 from pg_attribute where attrelid = to_regclass('public.${LEDGER_TABLE}') and attname = 'status' and not attisdropped) as status`,
    );
    if (!row.exists) {
      await work.exec(
        `create table if not exists public.${LEDGER_TABLE} (name text primary key, owner text not null, checksum text not null,
           applied_at timestamptz not null default now(), execution_ms integer not null,
           status text not null default 'done' check (status in ('running', 'done')),
           baselined boolean not null default false)`,
      );
    } else if (!row.status) {
      await work.exec(`alter table public.${LEDGER_TABLE} add column if not exists status text not null default 'done' check (status in ('running', 'done'))`);
    }
    return undefined;
  } catch (e) {
    const err = toDbError(e);
    const hint = err.code === '42501' ? ' (the role needs CREATE on schema public, and to own the ledger)' : '';
    return { kind: 'ledger', message: `cannot create or update the ledger table ${LEDGER_TABLE}: ${err.message}${hint}`, code: err.code };
  }
}

/** Every row of the ledger in the order the files were applied (a ledger without `status`: every row done). */
export async function readLedger(q: Queryable): Promise<LedgerRow[]> {
  const [row] = await q.query<{ exists: boolean }>(`select to_regclass('public.${LEDGER_TABLE}') is not null as exists`);
  if (!row.exists) return [];
  const rows = await q.query<{ name: string; owner: string; checksum: string; applied_at: Date | string; execution_ms: number; status: string; baselined: string | null }>(
    `select name, owner, checksum, applied_at, execution_ms, coalesce(to_jsonb(m) ->> 'status', 'done') as status,
            to_jsonb(m) ->> 'baselined' as baselined
       from public.${LEDGER_TABLE} m order by applied_at, name`,
  );
  return rows.map((r) => ({
    name: r.name, owner: r.owner, checksum: r.checksum, appliedAt: new Date(r.applied_at), ms: r.execution_ms,
    status: r.status === 'running' ? 'running' : 'done', baselined: r.baselined === 'true',
  }));
}

/**
 * Runs the planned files in order. A failed file stops its owner's chain (its later files
 * are skipped); a failed core file, or any failed revert, stops the whole run. Before each
 * file the lock is checked: a run that lost it (its holding session gone) runs nothing more.
 * A file another run recorded meanwhile is left out of the results.
 */
async function execute(run: RunSession, holder: Queryable | undefined, plan: RunPlan, opts: MigrateOptions): Promise<MigrationRun> {
  const { direction, onResult } = opts;
  const results: MigrationResult[] = [];
  const push = (r: MigrationResult) => void (results.push(r), onResult?.(r));
  const stopped = new Map<Owner, MigrationError>(plan.refused);
  let halted = false;
  for (const file of plan.files) {
    if (!halted && !stopped.has(file.owner) && holder && !(await holdsLock(holder))) {
      stopped.set(file.owner, lockLost(file, opts.driver.description));
      halted = true;
    }
    if (halted || stopped.has(file.owner)) {
      push({ name: file.name, owner: file.owner, status: 'skipped', ms: 0 });
      continue;
    }
    const outcome = await runFile(run, file, direction);
    if ('error' in outcome) {
      push({ name: file.name, owner: file.owner, status: 'failed', ms: outcome.ms });
      stopped.set(file.owner, outcome.error);
      halted = direction === 'down' || file.owner === CORE || !(await cleanAfterFailure(run.work));
      continue;
    }
    if (!outcome.skipped) push({ name: file.name, owner: file.owner, status: direction === 'up' ? 'applied' : 'reverted', ms: outcome.ms });
  }
  const owners = ownerOutcomes(plan, results, stopped);
  const error = runError(owners);
  return error ? { results, owners, error } : { results, owners };
}

function lockLost(file: MigrationFile, description: string): MigrationError {
  return {
    kind: 'lock-lost', file: file.name,
    message: `lost the migration lock on ${description} (its session ended: the connection closed, or a pooler or the server ended it) ` +
      `before ${file.name}; nothing more was run. Run migrate again`,
  };
}

/** Leaves no transaction or setting of a failed file behind for the next owner's files; false when the session is gone. */
async function cleanAfterFailure(work: Queryable): Promise<boolean> {
  try {
    await work.exec('rollback');
    await work.exec('reset all');
    return true;
  } catch {
    return false;
  }
}

/** Each owner's part of the run: core first, then the orgs by name (refused owners without planned files too). */
function ownerOutcomes(plan: RunPlan, results: readonly MigrationResult[], stopped: ReadonlyMap<Owner, MigrationError>): OwnerOutcome[] {
  const owners = [...new Set([...plan.files.map((f) => f.owner), ...plan.refused.keys()])]
    .sort((a, b) => Number(b === CORE) - Number(a === CORE) || (a < b ? -1 : a > b ? 1 : 0));
  return owners.map((owner) => {
    const mine = results.filter((r) => r.owner === owner);
    const names = (...statuses: MigrationStatus[]) => mine.filter((r) => statuses.includes(r.status)).map((r) => r.name);
    const failed = names('failed')[0];
    const skipped = names('skipped');
    const error = stopped.get(owner);
    const status: OwnerStatus = plan.refused.has(owner) ? 'refused' : failed ? 'failed' : skipped.length ? 'blocked' : 'done';
    return { owner, status, done: names('applied', 'reverted'), ...(failed ? { failed } : {}), skipped, ...(error ? { error } : {}) };
  });
}

/** The run's error: the first stopped owner's (core's, when core stopped), naming the other owners that did not finish. */
function runError(owners: readonly OwnerOutcome[]): MigrationError | undefined {
  const stopped = owners.filter((o) => o.error !== undefined);
  if (stopped.length === 0) return undefined;
  const first = stopped[0].error!;
  const blocked = owners.filter((o) => o.status === 'blocked').map((o) => o.owner);
  const others = stopped.slice(1).map((o) => o.owner);
  const notes = [
    others.length ? `\n  ${others.length} more owner(s) stopped too: ${others.join(', ')}` : '',
    blocked.length ? `\n  not run because of it: ${blocked.join(', ')}` : '',
  ];
  return { ...first, message: first.message + notes.join('') };
}

/**
 * A StatusRow is one migration's state: applied, pending, changed since applied, applied
 * with its file gone, or interrupted (a no-transaction file whose run did not finish).
 */
export interface StatusRow {
  readonly name: string;
  readonly owner: Owner;
  readonly state: 'applied' | 'pending' | 'changed' | 'missing' | 'interrupted';
  readonly appliedAt: Date | null;
  readonly ms: number | null;
  /** Recorded by `migrate baseline`, not run. */
  readonly baselined?: true;
}

/** The state of every migration file and every ledger row (no lock needed: it only reads). */
export async function migrationStatus(driver: Driver, files: readonly MigrationFile[]): Promise<{ rows: StatusRow[]; error?: MigrationError }> {
  const ledger = await readWithSession(driver, readLedger);
  if ('error' in ledger) return { rows: [], error: ledger.error };
  const applied = new Map(ledger.value.map((a) => [a.name, a]));
  const rows: StatusRow[] = files.map((f) => {
    const a = applied.get(f.name);
    const state = !a ? 'pending' : a.status === 'running' ? 'interrupted' : a.checksum === f.checksum ? 'applied' : 'changed';
    return { name: f.name, owner: f.owner, state, appliedAt: a?.appliedAt ?? null, ms: a?.ms ?? null, ...(a?.baselined ? { baselined: true as const } : {}) };
  });
  const known = new Set(files.map((f) => f.name));
  for (const a of ledger.value) {
    if (!known.has(a.name)) rows.push({ name: a.name, owner: a.owner, state: 'missing', appliedAt: a.appliedAt, ms: a.ms });
  }
  return { rows };
}

/** Every ledger row in the order applied. */
export async function migrationHistory(driver: Driver): Promise<{ rows: LedgerRow[]; error?: MigrationError }> {
  const ledger = await readWithSession(driver, readLedger);
  return 'error' in ledger ? { rows: [], error: ledger.error } : { rows: ledger.value };
}

async function readWithSession<T>(driver: Driver, fn: (q: Queryable) => Promise<T>): Promise<{ value: T } | { error: MigrationError }> {
  let q: Queryable;
  try {
    q = await driver.connect();
  } catch (e) {
    return { error: { kind: 'connect', message: describeConnectError(e, driver.description), code: toDbError(e).code } };
  }
  try {
    return { value: await fn(q) };
  } catch (e) {
    const err = toDbError(e);
    return { error: { kind: 'ledger', message: `cannot read ${LEDGER_TABLE}: ${err.message}`, code: err.code } };
  } finally {
    await q.close();
  }
}

/** The malformed files of a run, sorted: those one org answers for, and those that stop the run. */
export interface MalformedFiles {
  /** Org → why its chain is refused (its malformed files, named). */
  readonly refusedOwners: Map<Owner, string>;
  /** The messages of malformed files no org answers for (a core file, or a name and header that disagree). */
  readonly fatal: string[];
}

const MALFORMED_ORG_HEADER = /^--\s*schemac:.*?(?:^|\s)owner=([a-z][a-z0-9_]{0,30})(?:\s|$)/;

/**
 * Sorts the errors of `readMigrations(dir)` (`<name>: <why>`): a file whose header names an
 * org and whose name is that org's (`…_custom_<org>_…`) refuses that org's chain only, so one
 * org's broken file never stops another's; any other malformed file stops the whole run.
 */
export function sortMalformed(dir: string, errors: readonly string[]): MalformedFiles {
  const refusedOwners = new Map<Owner, string>();
  const fatal: string[] = [];
  for (const message of errors) {
    const name = message.slice(0, message.indexOf(': '));
    const org = malformedFileOrg(dir, name);
    if (org === undefined) fatal.push(message);
    else refusedOwners.set(org, refusedOwners.has(org) ? `${refusedOwners.get(org)}; ${message}` : `malformed migration ${message}`);
  }
  return { refusedOwners, fatal };
}

function malformedFileOrg(dir: string, name: string): Owner | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  const org = MALFORMED_ORG_HEADER.exec(first)?.[1];
  if (org === undefined || org === CORE) return undefined;
  return new RegExp(`^\\d{8}_\\d{6}_custom_${org}_[a-z0-9_]+\\.sql$`).test(name) ? org : undefined;
}
