/**
 * Runs one migration file and records it in the ledger, so that each file applies exactly
 * once even where a session is not the runner's own (a transaction-pooling PgBouncer hands
 * each transaction whichever server connection is free):
 *
 * - a transactional file runs in one transaction that sets the pinned settings locally,
 *   checks the ledger again (another run may have recorded the file: then it is left alone),
 *   runs the statements, records the file, and ends with `RESET ALL` before `COMMIT`, so no
 *   `SET` of the file stays on the server connection;
 * - a `-- schemac:no-transaction` file is claimed by a ledger row with status `running`
 *   before its statements run, and marked `done` after. A `running` row is an interrupted
 *   run: `up` runs the file again (its statements are written to be rerun). Each statement
 *   runs in a transaction of its own with the pinned settings and the file's earlier `SET`s
 *   local to it, except those PostgreSQL refuses inside a transaction (CREATE INDEX
 *   CONCURRENTLY, a DO block that commits): they run on the session with those settings set
 *   just before and reset just after. Behind a transaction pooler those few statements may
 *   run on a server connection without the settings, and the settings may stay on one until
 *   the reset reaches it: see the README, "What is guaranteed where".
 */
import { PINNED_SETTINGS, quoteLiteral } from '../compiler/shared/index.ts';
import { type Queryable, toDbError } from './driver.ts';
import { hasSql, type MigrationFile } from './files.ts';
import { LEDGER_TABLE } from './introspect.ts';
import { excerpt, splitStatements } from './statements.ts';

const LEDGER = `public.${LEDGER_TABLE}`;

/** A RunSession is what running files needs: the work session and the settings every statement runs with. */
export interface RunSession {
  readonly work: Queryable;
  /** `name → value` pairs every statement runs with: the pinned settings, and the server's check for a vanished client. */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  readonly onStatement?: (file: MigrationFile, index: number, direction: 'up' | 'down', total: number) => void;
  /** Run a transactional file's section as one query (see `MigrateOptions.batch`); not with `onStatement`. */
  readonly batch?: boolean;
}

/** The settings of a run on `work`: the pinned ones, and (PostgreSQL 14+) a check every second that the client is still there. */
export async function runSettings(work: Queryable): Promise<Array<readonly [string, string]>> {
  const settings: Array<readonly [string, string]> = [...PINNED_SETTINGS];
  if (work.kind !== 'pg') return settings;
  const [row] = await work.query<{ ok: boolean }>("select exists (select 1 from pg_settings where name = 'client_connection_check_interval') as ok");
  // Lets the server notice a killed client during a long statement, so its transaction ends promptly.
  if (row?.ok) settings.push(['client_connection_check_interval', '1000']);
  return settings;
}

/** `select set_config(…), …` for the settings, local to the transaction or for the session. */
function setConfig(settings: RunSession['settings'], local: boolean): string {
  return `select ${settings.map(([n, v]) => `set_config(${quoteLiteral(n)}, ${quoteLiteral(v)}, ${local})`).join(', ')}`;
}

/** A FileError says where and why a file failed (one of the runner's `MigrationError`s). */
export interface FileError {
  readonly kind: 'failed';
  readonly message: string;
  readonly file: string;
  readonly statement: string;
  readonly line?: number;
  readonly code?: string;
}

/** A FileOutcome: ran (ms), left alone because the ledger says another run did it, or failed. */
export type FileOutcome = { ms: number; skipped?: true } | { ms: number; error: FileError };

/**
 * Runs one file's section, statement by statement, and records it (see the module comment).
 * With `batch`, a transactional section first runs as one query; only when that fails is it
 * split and run again statement by statement.
 */
export async function runFile(run: RunSession, file: MigrationFile, direction: 'up' | 'down'): Promise<FileOutcome> {
  const section = direction === 'up' ? file.up : file.down;
  const started = performance.now();
  const clock = () => Math.round(performance.now() - started);
  const step = (statements: Step['statements']): Step => ({ run, file, direction, statements, firstLine: direction === 'up' ? file.upLine : file.downLine, clock });
  if (!file.noTransaction && run.batch === true && run.onStatement === undefined && hasSql(section)) {
    const whole = await runInTransaction(step([{ sql: section, line: 1 }]));
    // A failure was rolled back: the statements run again one by one, to name the one that fails.
    if (!('error' in whole)) return whole;
  }
  const statements = hasSql(section) ? ((await splitStatements(section)) ?? [{ sql: section, line: 1 }]) : [];
  return file.noTransaction ? runLoose(step(statements)) : runInTransaction(step(statements));
}

interface Step {
  readonly run: RunSession;
  readonly file: MigrationFile;
  readonly direction: 'up' | 'down';
  readonly statements: ReadonlyArray<{ sql: string; line: number }>;
  readonly firstLine: number;
  readonly clock: () => number;
}

async function runInTransaction(step: Step): Promise<FileOutcome> {
  const { run: { work }, file, direction, clock } = step;
  const rollback = () => work.exec('rollback').catch(() => {});
  try {
    await work.exec(`begin; ${setConfig(step.run.settings, true)}`);
    const [row] = await work.query<{ status: string }>(`select status from ${LEDGER} where name = $1 for update`, [file.name]);
    if (direction === 'up' ? row?.status === 'done' : row === undefined) return await rollback(), { ms: clock(), skipped: true };
  } catch (e) {
    await rollback();
    return { ms: clock(), error: statementError(file, direction, 'begin', undefined, e) };
  }
  for (const [i, s] of step.statements.entries()) {
    try {
      await work.exec(s.sql);
    } catch (e) {
      await rollback();
      return { ms: clock(), error: statementError(file, direction, s.sql, step.firstLine + s.line - 1, e) };
    }
    step.run.onStatement?.(file, i, direction, step.statements.length);
  }
  try {
    if (!(await record(work, file, direction, clock()))) return await rollback(), { ms: clock(), skipped: true };
    await work.exec('reset all; commit');
  } catch (e) {
    await rollback();
    return { ms: clock(), error: statementError(file, direction, 'commit', undefined, e) };
  }
  return { ms: clock() };
}

/**
 * Records a transactional file in its transaction; false when the ledger already has it
 * done (up) or no longer has it (down): another run got there first.
 */
async function record(work: Queryable, file: MigrationFile, direction: 'up' | 'down', ms: number): Promise<boolean> {
  if (direction === 'down') return (await work.query(`delete from ${LEDGER} where name = $1 returning name`, [file.name])).length > 0;
  const rows = await work.query(
    `insert into ${LEDGER} as l (name, owner, checksum, applied_at, execution_ms, status) values ($1, $2, $3, clock_timestamp(), $4, 'done')
     on conflict (name) do update set owner = excluded.owner, checksum = excluded.checksum, applied_at = excluded.applied_at,
       execution_ms = excluded.execution_ms, status = 'done' where l.status <> 'done'
     returning name`,
    [file.name, file.owner, file.checksum, ms],
  );
  return rows.length > 0;
}

async function runLoose(step: Step): Promise<FileOutcome> {
  const { run: { work }, file, direction, clock } = step;
  try {
    if (!(await claim(work, file, direction))) return { ms: clock(), skipped: true };
  } catch (e) {
    return { ms: clock(), error: statementError(file, direction, `claim ${file.name} in ${LEDGER_TABLE}`, undefined, e) };
  }
  const sets: string[] = [];
  try {
    for (const [i, s] of step.statements.entries()) {
      try {
        await runStatement(step.run, sets, s.sql);
      } catch (e) {
        return { ms: clock(), error: statementError(file, direction, s.sql, step.firstLine + s.line - 1, e) };
      }
      if (isSessionSet(s.sql)) sets.push(s.sql);
      step.run.onStatement?.(file, i, direction, step.statements.length);
    }
    try {
      if (direction === 'down') await work.query(`delete from ${LEDGER} where name = $1`, [file.name]);
      else await work.query(`update ${LEDGER} set status = 'done', applied_at = clock_timestamp(), execution_ms = $2 where name = $1`, [file.name, clock()]);
    } catch (e) {
      return { ms: clock(), error: statementError(file, direction, `record ${file.name} in ${LEDGER_TABLE}`, undefined, e) };
    }
    return { ms: clock() };
  } finally {
    await work.exec('reset all').catch(() => {});
  }
}

/**
 * Claims a no-transaction file before its statements run: up marks it `running` (a new
 * row, or the row of an interrupted run), down marks its row `running`. False when the
 * ledger says there is nothing to do: done already (up), or gone (down).
 */
async function claim(work: Queryable, file: MigrationFile, direction: 'up' | 'down'): Promise<boolean> {
  if (direction === 'down') {
    return (await work.query(`update ${LEDGER} set status = 'running' where name = $1 returning name`, [file.name])).length > 0;
  }
  const rows = await work.query(
    `insert into ${LEDGER} as l (name, owner, checksum, applied_at, execution_ms, status) values ($1, $2, $3, clock_timestamp(), 0, 'running')
     on conflict (name) do update set owner = excluded.owner, checksum = excluded.checksum, applied_at = excluded.applied_at,
       execution_ms = 0, status = 'running' where l.status <> 'done'
     returning name`,
    [file.name, file.owner, file.checksum],
  );
  return rows.length > 0;
}

/**
 * One statement of a no-transaction file: in a transaction of its own with the settings and
 * the file's earlier SETs local to it; alone on the session (settings set just before, reset
 * just after) when PostgreSQL refuses it inside a transaction block.
 */
async function runStatement(run: RunSession, sets: readonly string[], sql: string): Promise<void> {
  const { work } = run;
  if (!mustRunAlone(sql)) {
    await work.exec([`begin; ${setConfig(run.settings, true)}`, ...sets].join('; '));
    try {
      await work.exec(sql);
    } catch (e) {
      await work.exec('rollback').catch(() => {});
      const code = toDbError(e).code;
      // 25001: "cannot run inside a transaction block"; 2D000: a COMMIT inside a DO block or procedure.
      if (code !== '25001' && code !== '2D000') throw e;
      return runAlone(run, sets, sql);
    }
    await work.exec('reset all; commit');
    return;
  }
  await runAlone(run, sets, sql);
}

async function runAlone(run: RunSession, sets: readonly string[], sql: string): Promise<void> {
  await run.work.exec([setConfig(run.settings, false), ...sets].join('; '));
  try {
    await run.work.exec(sql);
  } finally {
    await run.work.exec('reset all').catch(() => {});
  }
}

/** The statement without the comments and blank lines before it. */
function bare(sql: string): string {
  return sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[^]*?\*\/)*/, '');
}

/** A session-level SET or RESET (not SET LOCAL, SET TRANSACTION, SET CONSTRAINTS): the rest of the file runs with it. */
function isSessionSet(sql: string): boolean {
  return /^(?:set|reset)\s+(?!local\b|transaction\b|constraints?\b|session\s+characteristics\b)/i.test(bare(sql));
}

/** Statements PostgreSQL runs only outside a transaction block: CONCURRENTLY, VACUUM, and DO or CALL that commit. */
function mustRunAlone(sql: string): boolean {
  const text = bare(sql);
  if (/^(?:create|drop|reindex|alter)\b[^;]*?\bconcurrently\b/is.test(text) || /^vacuum\b/i.test(text)) return true;
  return /^(?:do|call)\b/i.test(text) && /\b(?:commit|rollback)\b/i.test(text);
}

function statementError(file: MigrationFile, direction: string, sql: string, line: number | undefined, e: unknown): FileError {
  const err = toDbError(e);
  const where = line === undefined ? '' : `:${line}`;
  const denied = err.code === '42501' && 'the role running migrations needs CREATE on schema public (or to own the objects it alters)';
  const extra = [err.detail && `detail: ${err.detail}`, err.hint && `hint: ${err.hint}`, denied && `hint: ${denied}`]
    .filter(Boolean).map((x) => `\n  ${x}`).join('');
  const partial = file.noTransaction
    ? `\n  this file runs without a transaction (-- schemac:no-transaction): statements before this one stay applied; ` +
      `${LEDGER_TABLE} marks it running, and migrate up runs it again`
    : `\n  the file was rolled back; the database is as it was before ${file.name}`;
  return {
    kind: 'failed', file: file.name, statement: sql, line, code: err.code,
    message: `${file.name}${where} (${direction}) failed: ${err.message}\n  statement: ${excerpt(sql)}${extra}${partial}`,
  };
}
