/**
 * The migration runner (SPEC §7). One session-level advisory lock, held on its own
 * connection, guards a whole run so replicas starting at once apply each file exactly once;
 * each file runs in its own transaction unless marked `-- schemac:no-transaction`; the
 * ledger is `schemac_migrations`. Each owner is its own chain: core runs first, and a core
 * failure stops the run; an org's failed or refused file stops that org's chain only, and
 * every other org's pending files still apply. A run returns its results as data, with one
 * outcome per owner; callers print them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CORE, type Owner } from '../compiler/ir.ts';
import { PINNED_SETTINGS, suggest } from '../compiler/shared/index.ts';
import { describeConnectError, type Driver, type Queryable, toDbError } from './driver.ts';
import { hasSql, type MigrationFile } from './files.ts';
import { LEDGER_TABLE } from './introspect.ts';
import { excerpt, splitStatements } from './statements.ts';

/** A MigrationStatus is what happened to one file in a run. */
export type MigrationStatus = 'applied' | 'reverted' | 'failed' | 'skipped';

/** A MigrationResult is one file's outcome; `skipped` files were planned but not reached. */
export interface MigrationResult {
  readonly name: string;
  readonly owner: Owner;
  readonly status: MigrationStatus;
  readonly ms: number;
}

/** A MigrationErrorKind says why a run stopped. */
export type MigrationErrorKind =
  | 'connect' | 'lock-timeout' | 'ledger' | 'checksum' | 'out-of-order'
  | 'unknown-target' | 'irreversible' | 'missing-file' | 'failed' | 'database' | 'malformed' | 'refused';

/** A MigrationError is why a run stopped: a message naming the file, statement and PostgreSQL's words. */
export interface MigrationError {
  readonly kind: MigrationErrorKind;
  readonly message: string;
  readonly file?: string;
  readonly statement?: string;
  readonly line?: number;
  /** PostgreSQL's SQLSTATE, when the database said no. */
  readonly code?: string;
}

/**
 * An OwnerStatus says how one owner's chain ended: `done` (every planned file ran),
 * `failed` (a file failed; the chain's later files were skipped), `refused` (refused before
 * anything of it ran), `blocked` (not run because the run stopped elsewhere: core failed,
 * or a revert failed).
 */
export type OwnerStatus = 'done' | 'failed' | 'refused' | 'blocked';

/** An OwnerOutcome is one owner's part of a run: what ran, what failed and why, what was skipped. */
export interface OwnerOutcome {
  readonly owner: Owner;
  readonly status: OwnerStatus;
  /** The files applied (or reverted), in order. */
  readonly done: readonly string[];
  /** The file that failed, when one did. */
  readonly failed?: string;
  /** The planned files that did not run. */
  readonly skipped: readonly string[];
  /** Why the chain stopped (failed or refused). */
  readonly error?: MigrationError;
}

/**
 * A MigrationRun is the data a run returns: every planned file's result, one outcome per
 * owner with planned files (core first, then the orgs by name), and the error of the run
 * when any chain did not finish (core's, else the first org's, naming the others).
 */
export interface MigrationRun {
  readonly results: MigrationResult[];
  readonly owners: OwnerOutcome[];
  readonly error?: MigrationError;
}

/** The `--to` value that means "before the first migration" (down only). */
export const BASE = 'base';

/** MigrateOptions configure one `up` or `down` run. */
export interface MigrateOptions {
  readonly driver: Driver;
  /** Every migration file, in order (`readMigrations`). */
  readonly files: readonly MigrationFile[];
  readonly direction: 'up' | 'down';
  /** up: apply up to and including NAME; down: revert everything applied after NAME (`base`: all). Default: up all, down one. */
  readonly to?: string;
  readonly allowOutOfOrder?: boolean;
  /** How long to wait for another run's lock before giving up (default 120 s, env SCHEMAC_LOCK_WAIT_MS). */
  readonly lockWaitMs?: number;
  /** Called as each file finishes (progress output). */
  readonly onResult?: (r: MigrationResult) => void;
  /**
   * A pre-flight check, called before anything runs with each file the run would apply (up)
   * or revert (down); a reason refuses the file. Up: an org's refused file refuses that org's
   * whole chain, which is then not run at all; a refused core file refuses the run. Down: any
   * refused file refuses the run.
   */
  readonly refuse?: (file: MigrationFile) => string | undefined;
  /** Owners refused before the run (say, for a malformed file), with the reason; core here refuses the run. */
  readonly refusedOwners?: ReadonlyMap<Owner, string>;
  /** Called after each statement of a file completes (index from 0; fault-injection tests stop the process here). */
  readonly onStatement?: (file: MigrationFile, index: number, direction: 'up' | 'down') => void;
}

/** A LedgerRow is one row of `schemac_migrations`. */
export interface LedgerRow {
  readonly name: string;
  readonly owner: Owner;
  readonly checksum: string;
  readonly appliedAt: Date;
  readonly ms: number;
}

/** Applies or reverts migrations under the advisory lock; never throws for database errors. */
export async function runMigrations(opts: MigrateOptions): Promise<MigrationRun> {
  const stopped = (error: MigrationError): MigrationRun => ({ results: [], owners: [], error });
  const sessions = await openSessions(opts.driver);
  if ('error' in sessions) return stopped(sessions.error);
  const { lock, work } = sessions;
  try {
    const lockError = await acquireLock(lock, opts.lockWaitMs ?? defaultLockWait(), opts.driver.description);
    if (lockError) return stopped(lockError);
    await keepAliveChecks(work);
    await pinSettings(work);
    const ledgerError = await ensureLedger(work);
    if (ledgerError) return stopped(ledgerError);
    const applied = await readLedger(work);
    const plan = planRun(opts, applied);
    if ('error' in plan) return stopped(plan.error);
    return await execute(work, plan, opts.direction, opts.onResult, opts.onStatement);
  } catch (e) {
    const err = toDbError(e);
    return stopped({ kind: 'database', message: `database error on ${opts.driver.description}: ${err.message}`, code: err.code });
  } finally {
    await lock.query('select pg_advisory_unlock($1::bigint)', [LOCK_KEY]).catch(() => {});
    await work.close();
    await lock.close();
  }
}

/** Lock key: "schemac" in ASCII, as a bigint. */
const LOCK_KEY = '32478922351141219';

function defaultLockWait(): number {
  const env = Number(process.env.SCHEMAC_LOCK_WAIT_MS);
  return Number.isFinite(env) && env > 0 ? env : 120_000;
}

async function openSessions(driver: Driver): Promise<{ lock: Queryable; work: Queryable } | { error: MigrationError }> {
  let lock: Queryable | undefined;
  try {
    lock = await driver.connect();
    const work = await driver.connect();
    return { lock, work };
  } catch (e) {
    await lock?.close();
    return { error: { kind: 'connect', message: describeConnectError(e, driver.description), code: toDbError(e).code } };
  }
}

/** Polls `pg_try_advisory_lock` (a blocked `pg_advisory_lock` would stall CREATE INDEX CONCURRENTLY elsewhere). */
async function acquireLock(lock: Queryable, waitMs: number, description: string): Promise<MigrationError | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [row] = await lock.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [LOCK_KEY]);
    if (row.ok) return undefined;
    if (Date.now() >= deadline) return lockTimeout(lock, waitMs, description);
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
  }
}

async function lockTimeout(lock: Queryable, waitMs: number, description: string): Promise<MigrationError> {
  const holders = await lock
    .query<{ pid: number }>(
      `select pid from pg_locks where locktype = 'advisory' and granted
         and ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
      [LOCK_KEY],
    )
    .catch(() => []);
  const who = holders.length ? ` (held by server process ${holders.map((h) => h.pid).join(', ')})` : '';
  return {
    kind: 'lock-timeout',
    message: `gave up after ${Math.round(waitMs / 1000)} s waiting for the migration lock on ${description}${who}: another schemac migrate is running`,
  };
}

/** Lets the server notice a killed client during a long statement, so its transaction ends promptly. */
async function keepAliveChecks(work: Queryable): Promise<void> {
  if (work.kind !== 'pg') return;
  await work.query("select set_config('client_connection_check_interval', '1000', false)").catch(() => {});
}

/**
 * The settings migration text is written for (`PINNED_SETTINGS`: standard-conforming
 * strings, UTF-8, function bodies checked, `public` first), whatever the database's or the
 * role's defaults are; every file also sets them itself, for `psql -f`.
 */
async function pinSettings(work: Queryable): Promise<void> {
  const calls = PINNED_SETTINGS.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, false)`).join(', ');
  await work.query(`select ${calls}`, PINNED_SETTINGS.flat());
}

/** A file's `SET lock_timeout` (or any SET) must not leak into the next file; the pinned settings are set again. */
async function resetSession(work: Queryable): Promise<void> {
  await work.exec('reset all');
  await keepAliveChecks(work);
  await pinSettings(work);
}

async function ensureLedger(work: Queryable): Promise<MigrationError | undefined> {
  const [row] = await work.query<{ exists: boolean }>(`select to_regclass('public.${LEDGER_TABLE}') is not null as exists`);
  if (row.exists) return undefined;
  try {
    await work.exec(
      `create table if not exists public.${LEDGER_TABLE} (name text primary key, owner text not null, checksum text not null,
         applied_at timestamptz not null default now(), execution_ms integer not null)`,
    );
    return undefined;
  } catch (e) {
    const err = toDbError(e);
    const hint = err.code === '42501' ? ' (the role needs CREATE on schema public)' : '';
    return { kind: 'ledger', message: `cannot create the ledger table ${LEDGER_TABLE}: ${err.message}${hint}`, code: err.code };
  }
}

/** Every row of the ledger in the order the files were applied. */
export async function readLedger(q: Queryable): Promise<LedgerRow[]> {
  const [row] = await q.query<{ exists: boolean }>(`select to_regclass('public.${LEDGER_TABLE}') is not null as exists`);
  if (!row.exists) return [];
  const rows = await q.query<{ name: string; owner: string; checksum: string; applied_at: Date | string; execution_ms: number }>(
    `select name, owner, checksum, applied_at, execution_ms from public.${LEDGER_TABLE} order by applied_at, name`,
  );
  return rows.map((r) => ({ name: r.name, owner: r.owner, checksum: r.checksum, appliedAt: new Date(r.applied_at), ms: r.execution_ms }));
}

/** A RunPlan is the files a run touches, in order, and the owners refused before it starts (their files are skipped). */
export interface RunPlan {
  readonly files: readonly MigrationFile[];
  readonly refused: ReadonlyMap<Owner, MigrationError>;
}

type Plan = RunPlan | { error: MigrationError };

/** The options `planRun` reads. */
export type PlanOptions = Pick<MigrateOptions, 'files' | 'direction' | 'to' | 'allowOutOfOrder' | 'refuse' | 'refusedOwners'>;

/**
 * Decides which files a run touches; every refusal happens here, before anything is applied.
 * Up: a refusal of an org (an edited applied file, a file out of order, a refused file)
 * refuses that org's chain; a refusal of core refuses the run. Down: any refusal refuses the run.
 */
export function planRun(opts: PlanOptions, applied: readonly LedgerRow[]): Plan {
  return opts.direction === 'up' ? planUp(opts, applied) : planDown(opts, applied);
}

/** An OwnerRefusal is why an owner's chain may not run. */
interface OwnerRefusal {
  readonly owner: Owner;
  readonly error: MigrationError;
}

function changedFiles(files: readonly MigrationFile[], applied: readonly LedgerRow[]): OwnerRefusal[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const changed = applied.filter((a) => byName.has(a.name) && byName.get(a.name)!.checksum !== a.checksum);
  return [...new Set(changed.map((c) => c.owner))].map((owner) => {
    const names = changed.filter((c) => c.owner === owner).map((c) => c.name);
    const stopped = owner === CORE ? 'nothing was applied' : `none of ${owner}'s pending migrations were applied`;
    return {
      owner,
      error: {
        kind: 'checksum',
        file: names[0],
        message:
          `${names.join(', ')} ${names.length > 1 ? 'were' : 'was'} edited after being applied (checksum differs from schemac_migrations); ` +
          `${stopped}. Restore the file, or put the change in a new migration`,
      },
    };
  });
}

const stripSql = (name: string) => name.replace(/\.sql$/, '');

function findTarget(files: readonly MigrationFile[], to: string): number {
  return files.findIndex((f) => f.name === to || stripSql(f.name) === stripSql(to));
}

function unknownTarget(to: string, files: readonly MigrationFile[]): MigrationError {
  const hint = files.length ? suggest(to, files.map((f) => f.name)) : ' (there are no migration files)';
  return { kind: 'unknown-target', message: `--to ${to}: no migration file has that name${hint}` };
}

function planUp(opts: PlanOptions, applied: readonly LedgerRow[]): Plan {
  const done = new Set(applied.map((a) => a.name));
  let candidates = opts.files;
  if (opts.to !== undefined) {
    const i = findTarget(opts.files, opts.to);
    if (i < 0) return { error: unknownTarget(opts.to, opts.files) };
    candidates = opts.files.slice(0, i + 1);
  }
  const pending = candidates.filter((f) => !done.has(f.name));
  const refusals = [
    ...[...(opts.refusedOwners ?? [])].map(([owner, message]) => ({ owner, error: { kind: 'refused', message } as MigrationError })),
    ...changedFiles(opts.files, applied),
    ...(opts.allowOutOfOrder ? [] : outOfOrder(pending, applied)),
    ...refusedFiles(pending, opts.refuse),
  ];
  const core = refusals.find((r) => r.owner === CORE);
  if (core) return { error: core.error };
  const refused = new Map<Owner, MigrationError>();
  for (const r of refusals) if (!refused.has(r.owner)) refused.set(r.owner, r.error);
  return { files: pending, refused };
}

function outOfOrder(pending: readonly MigrationFile[], applied: readonly LedgerRow[]): OwnerRefusal[] {
  const out: OwnerRefusal[] = [];
  for (const p of pending) {
    const later = applied.find((a) => a.owner === p.owner && a.name > p.name);
    if (!later || out.some((r) => r.owner === p.owner)) continue;
    out.push({
      owner: p.owner,
      error: {
        kind: 'out-of-order', file: p.name,
        message: `${p.name} is not applied but sorts before ${later.name}, which is (owner ${p.owner}); rename it to a later timestamp, or pass --allow-out-of-order`,
      },
    });
  }
  return out;
}

function refusedFiles(files: readonly MigrationFile[], refuse: MigrateOptions['refuse']): OwnerRefusal[] {
  if (!refuse) return [];
  const out: OwnerRefusal[] = [];
  for (const f of files) {
    const why = refuse(f);
    if (why !== undefined) out.push({ owner: f.owner, error: { kind: 'refused', file: f.name, message: `${f.name} was refused: ${why}` } });
  }
  return out;
}

function planDown(opts: PlanOptions, applied: readonly LedgerRow[]): Plan {
  const [changed] = changedFiles(opts.files, applied);
  if (changed) return { error: changed.error };
  let revert: LedgerRow[];
  if (opts.to === undefined) revert = applied.slice(-1);
  else if (opts.to === BASE || opts.to === '0') revert = [...applied];
  else {
    if (findTarget(opts.files, opts.to) < 0 && !applied.some((a) => stripSql(a.name) === stripSql(opts.to!))) {
      return { error: unknownTarget(opts.to, opts.files) };
    }
    const at = applied.findIndex((a) => stripSql(a.name) === stripSql(opts.to!));
    if (at < 0) return { error: { kind: 'unknown-target', message: `--to ${opts.to}: that migration is not applied, so there is nothing to revert to` } };
    revert = applied.slice(at + 1);
  }
  const byName = new Map(opts.files.map((f) => [f.name, f]));
  const files: MigrationFile[] = [];
  for (const row of revert.reverse()) {
    const f = byName.get(row.name);
    if (!f) return { error: { kind: 'missing-file', file: row.name, message: `${row.name} is applied but its file is gone; cannot revert it` } };
    if (hasSql(f.up) && !hasSql(f.down)) {
      return { error: { kind: 'irreversible', file: f.name, message: `${f.name} has no SQL under -- migrate:down; it cannot be reverted` } };
    }
    const refusal = (opts.refusedOwners?.has(f.owner) ? opts.refusedOwners.get(f.owner) : undefined) ?? opts.refuse?.(f);
    if (refusal !== undefined) return { error: { kind: 'refused', file: f.name, message: `${f.name} was refused: ${refusal}` } };
    files.push(f);
  }
  return { files, refused: new Map() };
}

/**
 * Runs the planned files in order. A failed file stops its owner's chain (its later files
 * are skipped); a failed core file, or any failed revert, stops the whole run.
 */
async function execute(
  work: Queryable, plan: RunPlan, direction: 'up' | 'down', onResult?: (r: MigrationResult) => void,
  onStatement?: MigrateOptions['onStatement'],
): Promise<MigrationRun> {
  const results: MigrationResult[] = [];
  const push = (r: MigrationResult) => void (results.push(r), onResult?.(r));
  const stopped = new Map<Owner, MigrationError>(plan.refused);
  let halted = false;
  for (const file of plan.files) {
    if (halted || stopped.has(file.owner)) {
      push({ name: file.name, owner: file.owner, status: 'skipped', ms: 0 });
      continue;
    }
    const outcome = await runFile(work, file, direction, onStatement);
    if ('error' in outcome) {
      push({ name: file.name, owner: file.owner, status: 'failed', ms: outcome.ms });
      stopped.set(file.owner, outcome.error);
      halted = direction === 'down' || file.owner === CORE || !(await cleanAfterFailure(work));
      continue;
    }
    push({ name: file.name, owner: file.owner, status: direction === 'up' ? 'applied' : 'reverted', ms: outcome.ms });
    await resetSession(work);
  }
  const owners = ownerOutcomes(plan, results, stopped);
  const error = runError(owners);
  return error ? { results, owners, error } : { results, owners };
}

/** Leaves no transaction or setting of a failed file behind for the next owner's files; false when the session is gone. */
async function cleanAfterFailure(work: Queryable): Promise<boolean> {
  try {
    await work.exec('rollback');
    await resetSession(work);
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

type FileOutcome = { ms: number } | { ms: number; error: MigrationError };

/** Runs one file's section statement by statement, and records it, in one transaction unless marked. */
async function runFile(work: Queryable, file: MigrationFile, direction: 'up' | 'down', onStatement?: MigrateOptions['onStatement']): Promise<FileOutcome> {
  const section = direction === 'up' ? file.up : file.down;
  const firstLine = direction === 'up' ? file.upLine : file.downLine;
  const statements = hasSql(section) ? ((await splitStatements(section)) ?? [{ sql: section, line: 1 }]) : [];
  const tx = !file.noTransaction;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (tx) await work.exec('begin');
  for (const [i, s] of statements.entries()) {
    try {
      await work.exec(s.sql);
    } catch (e) {
      if (tx) await work.exec('rollback').catch(() => {});
      return { ms: elapsed(), error: statementError(file, direction, s.sql, firstLine + s.line - 1, e) };
    }
    onStatement?.(file, i, direction);
  }
  try {
    await record(work, file, direction, elapsed());
    if (tx) await work.exec('commit');
  } catch (e) {
    if (tx) await work.exec('rollback').catch(() => {});
    return { ms: elapsed(), error: statementError(file, direction, 'commit', undefined, e) };
  }
  return { ms: elapsed() };
}

async function record(work: Queryable, file: MigrationFile, direction: 'up' | 'down', ms: number): Promise<void> {
  if (direction === 'down') {
    await work.query(`delete from public.${LEDGER_TABLE} where name = $1`, [file.name]);
    return;
  }
  await work.query(
    `insert into public.${LEDGER_TABLE} (name, owner, checksum, applied_at, execution_ms) values ($1, $2, $3, clock_timestamp(), $4)`,
    [file.name, file.owner, file.checksum, ms],
  );
}

function statementError(file: MigrationFile, direction: string, sql: string, line: number | undefined, e: unknown): MigrationError {
  const err = toDbError(e);
  const where = line === undefined ? '' : `:${line}`;
  const denied = err.code === '42501' && 'the role running migrations needs CREATE on schema public (or to own the objects it alters)';
  const extra = [err.detail && `detail: ${err.detail}`, err.hint && `hint: ${err.hint}`, denied && `hint: ${denied}`]
    .filter(Boolean).map((x) => `\n  ${x}`).join('');
  const partial = file.noTransaction
    ? '\n  this file runs without a transaction (-- schemac:no-transaction): statements before this one stay applied'
    : `\n  the file was rolled back; the database is as it was before ${file.name}`;
  return {
    kind: 'failed', file: file.name, statement: sql, line, code: err.code,
    message: `${file.name}${where} (${direction}) failed: ${err.message}\n  statement: ${excerpt(sql)}${extra}${partial}`,
  };
}

/** A StatusRow is one migration's state: applied, pending, changed since applied, or applied with its file gone. */
export interface StatusRow {
  readonly name: string;
  readonly owner: Owner;
  readonly state: 'applied' | 'pending' | 'changed' | 'missing';
  readonly appliedAt: Date | null;
  readonly ms: number | null;
}

/** The state of every migration file and every ledger row (no lock needed: it only reads). */
export async function migrationStatus(driver: Driver, files: readonly MigrationFile[]): Promise<{ rows: StatusRow[]; error?: MigrationError }> {
  const ledger = await readWithSession(driver, readLedger);
  if ('error' in ledger) return { rows: [], error: ledger.error };
  const applied = new Map(ledger.value.map((a) => [a.name, a]));
  const rows: StatusRow[] = files.map((f) => {
    const a = applied.get(f.name);
    const state = !a ? 'pending' : a.checksum === f.checksum ? 'applied' : 'changed';
    return { name: f.name, owner: f.owner, state, appliedAt: a?.appliedAt ?? null, ms: a?.ms ?? null };
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
