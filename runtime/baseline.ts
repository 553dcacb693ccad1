/**
 * `migrate baseline`: records migrations as applied without running them, for a database
 * that already holds their schema (one another tool built). Under the run's lock, like a
 * migrate up; the caller's drift check runs on the locked database first, and any drift
 * records nothing. Ledger rows it writes are marked `baselined`: `migrate down` stops at them.
 */
import { CORE } from '../compiler/ir.ts';
import { type Driver, type Queryable, toDbError } from './driver.ts';
import type { MigrationFile } from './files.ts';
import { LEDGER_TABLE } from './introspect.ts';
import { acquireLock, ensureLockTable, type LockHolder, releaseLock } from './lock.ts';
import { defaultLockWait, ensureLedger, openSessions, readLedger } from './migrator.ts';
import type { MigrationError } from './run-types.ts';

/** BaselineOptions configure one `migrate baseline`. */
export interface BaselineOptions {
  readonly driver: Driver;
  /** Every migration file, in order (`readMigrations`). */
  readonly files: readonly MigrationFile[];
  /** Record the files up to and including NAME (default: all). */
  readonly to?: string;
  /** The drift check: how the database differs from the schema the recorded files make; [] when it matches. */
  readonly check: (q: Queryable, files: readonly MigrationFile[]) => Promise<string[]>;
  readonly lockWaitMs?: number;
  readonly onLockWait?: (holder: LockHolder) => void;
}

/** A BaselineRun is what a baseline recorded (names, in order), or why it recorded nothing. */
export type BaselineRun = { readonly recorded: string[]; readonly already: string[] } | { readonly error: MigrationError };

/** The files a baseline covers: up to and including `to` (by name, `.sql` optional), core's first; undefined for an unknown name. */
export function baselineFiles(files: readonly MigrationFile[], to?: string): MigrationFile[] | undefined {
  const strip = (n: string) => n.replace(/\.sql$/, '');
  const end = to === undefined ? files.length - 1 : files.findIndex((f) => strip(f.name) === strip(to));
  if (end < 0 && to !== undefined) return undefined;
  const chosen = files.slice(0, end + 1);
  return [...chosen.filter((f) => f.owner === CORE), ...chosen.filter((f) => f.owner !== CORE)];
}

/** Records the files up to `to` as applied (baselined) after the drift check passes; never throws for database errors. */
export async function baselineMigrations(opts: BaselineOptions): Promise<BaselineRun> {
  const files = baselineFiles(opts.files, opts.to);
  if (files === undefined) return { error: { kind: 'unknown-target', message: `--to ${opts.to}: no migration file has that name` } };
  const sessions = await openSessions(opts.driver);
  if ('error' in sessions) return sessions;
  const { holder, work } = sessions;
  try {
    if (holder) {
      const lockError = (await ensureLockTable(work)) ??
        (await acquireLock(holder, { waitMs: opts.lockWaitMs ?? defaultLockWait(), description: opts.driver.description, onWait: opts.onLockWait }));
      if (lockError) return { error: lockError };
    }
    const ledgerError = await ensureLedger(work);
    if (ledgerError) return { error: ledgerError };
    const applied = new Map((await readLedger(work)).map((r) => [r.name, r]));
    const changed = files.filter((f) => applied.has(f.name) && applied.get(f.name)!.checksum !== f.checksum);
    if (changed.length > 0) {
      return { error: { kind: 'checksum', file: changed[0].name, message: `${changed.map((f) => f.name).join(', ')} differ from what the ledger recorded; nothing was recorded` } };
    }
    const drift = await opts.check(work, files);
    if (drift.length > 0) {
      return { error: { kind: 'drift', drift, message: `the database differs from the schema of the migrations to baseline; nothing was recorded` } };
    }
    const todo = files.filter((f) => !applied.has(f.name));
    if (todo.length > 0) await work.exec(`alter table public.${LEDGER_TABLE} add column if not exists baselined boolean not null default false`);
    await record(work, todo);
    return { recorded: todo.map((f) => f.name), already: files.filter((f) => applied.has(f.name)).map((f) => f.name) };
  } catch (e) {
    const err = toDbError(e);
    return { error: { kind: 'database', message: `database error on ${opts.driver.description}: ${err.message}`, code: err.code } };
  } finally {
    if (holder) await releaseLock(holder);
    await work.close();
    await holder?.close();
  }
}

/** One transaction: every row or none. */
async function record(work: Queryable, files: readonly MigrationFile[]): Promise<void> {
  await work.exec('begin');
  try {
    for (const f of files) {
      await work.query(
        `insert into public.${LEDGER_TABLE} (name, owner, checksum, applied_at, execution_ms, status, baselined)
         values ($1, $2, $3, clock_timestamp(), 0, 'done', true)`,
        [f.name, f.owner, f.checksum],
      );
    }
    await work.exec('commit');
  } catch (e) {
    await work.exec('rollback');
    throw e;
  }
}
