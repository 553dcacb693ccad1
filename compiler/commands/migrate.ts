/**
 * `schemac migrate up|down|status|history [--to NAME] [--db URL] [--allow-out-of-order]
 * [--org ORG] [--allow-destructive] [--lock-timeout DURATION]`: applies or reverts the
 * migration files on `--db`, `DATABASE_URL`, or (with neither) an embedded PGlite database in
 * `.schemac/pglite` beside the config file, which one process at a time may open
 * (runtime/data-dir-lock.ts); status, history and down never create it. up and down run only
 * what schemac.sum says was reviewed (runtime/sum-gate.ts). `down` reverts one logical
 * migration (a file and its `_concurrent` part), of one owner with `--org`, and refuses to
 * drop data unless `--allow-destructive`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type DataDirHolder, DEFAULT_DATA_DIR_WAIT_MS, describeHolder, inUseMessage, isDataDirInUse, seconds } from '../../runtime/data-dir-lock.ts';
import { type Driver, openDriver } from '../../runtime/driver.ts';
import { type MigrationFile, readMigrations } from '../../runtime/files.ts';
import { DEFAULT_PGLITE_DIR } from '../../runtime/index.ts';
import { describeHolder as describeLockHolder } from '../../runtime/lock.ts';
import { gateOnSum } from '../../runtime/sum-gate.ts';
import {
  type LedgerRow, type LockHolder, migrationHistory, type MigrationResult, type MigrationRun, migrationStatus, type OwnerOutcome,
  runMigrations, sortMalformed, type StatusRow,
} from '../../runtime/migrator.ts';
import { loadConfig } from '../config/index.ts';
import { migrationPath } from '../engine/index.ts';
import { CORE, type Config } from '../ir.ts';
import { durationProblem, formatDuration, parseDuration, suggest } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { ownershipDiagnostics, ownershipScope, workspaceOrgs } from './ownership-io.ts';
import { formatOf, printDiagnostics } from './workspace-io.ts';

const ACTIONS = ['up', 'down', 'status', 'history', 'baseline'] as const;
type Action = (typeof ACTIONS)[number];

/** Runs `schemac migrate`; resolves to the exit code. */
export async function run(ctx: CommandContext): Promise<number> {
  const action = ctx.args[0] as Action;
  if (!ACTIONS.includes(action)) {
    ctx.io.stderr(`schemac migrate: unknown action '${ctx.args[0]}'${suggest(ctx.args[0] ?? '', ACTIONS)} (one of ${ACTIONS.join(', ')})\n`);
    return EXIT.usage;
  }
  if (typeof ctx.flags.to === 'string' && (action === 'status' || action === 'history')) {
    ctx.io.stderr(`schemac migrate ${action}: --to applies to up and down only\n`);
    return EXIT.usage;
  }
  if (action === 'baseline' && typeof ctx.flags.db !== 'string' && !ctx.io.env.DATABASE_URL) {
    ctx.io.stderr('schemac migrate baseline: needs --db URL (or DATABASE_URL): the database to adopt\n');
    return EXIT.usage;
  }
  for (const flag of ['org', 'allow-destructive']) {
    if (ctx.flags[flag] !== undefined && action !== 'down') return ctx.io.stderr(`schemac migrate ${action}: --${flag} applies to down only\n`), EXIT.usage;
  }
  const format = formatOf(ctx, `migrate ${action}`, ['pretty', 'json']);
  if (format === undefined) return EXIT.usage;
  const json = format === 'json';
  if (ctx.flags['dry-run'] === true && action !== 'up') return ctx.io.stderr(`schemac migrate ${action}: --dry-run applies to up only\n`), EXIT.usage;
  if (ctx.flags['exit-code'] === true && action !== 'status') return ctx.io.stderr(`schemac migrate ${action}: --exit-code applies to status only\n`), EXIT.usage;
  const lockWaitMs = lockTimeout(ctx, action);
  if (lockWaitMs === null) return EXIT.usage;
  const config = readConfig(ctx);
  if (config === undefined) return EXIT.usage;
  const { files: migrations, refusedOwners: malformed } = action === 'up' ? readFilesForUp(ctx, config) : { files: readFiles(ctx, config) };
  if (migrations === undefined) return EXIT.failed;
  const org = action === 'down' ? orgOf(ctx, config, migrations) : undefined;
  if (org === null) return EXIT.usage;
  const unsummed = action === 'up' || action === 'down' || action === 'baseline' ? sumRefusals(ctx, action, config, migrations) : new Map<string, string>();
  if (unsummed === undefined) return EXIT.failed;
  const refused = action === 'up' || action === 'down' ? await ownershipRefusals(ctx, action, config, migrations, org) : new Map<string, string>();
  if (action === 'down' && refused.size > 0) return EXIT.failed;
  const refusedOwners = new Map([...(malformed ?? []), ...unsummed, ...refused]);
  const target = targetOf(ctx, config);
  if (action === 'baseline' && unsummed.size > 0) return ctx.io.stderr('schemac migrate baseline: nothing was recorded; the migrations must match schemac.sum\n'), EXIT.failed;
  const readOnly = action !== 'up' || ctx.flags['dry-run'] === true;
  if (target.kind === 'pglite' && readOnly && !hasDatabase(target.dataDir)) return noDatabase(ctx, action, target.shown, migrations, refusedOwners, json);
  const driver = await connectTarget(ctx, 'migrate', target, lockWaitMs);
  if (driver === undefined) return EXIT.failed;
  try {
    if (action === 'status') return printStatus(ctx, await migrationStatus(driver, migrations), json);
    if (action === 'history') return printHistory(ctx, await migrationHistory(driver), json);
    if (action === 'baseline') return await (await import('./baseline.ts')).baseline(ctx, config, migrations, driver, lockWaitMs, json);
    if (ctx.flags['dry-run'] === true) return dryRun(ctx, await migrationStatus(driver, migrations), migrations, refusedOwners, json);
    const to = typeof ctx.flags.to === 'string' ? ctx.flags.to : undefined;
    const progress = json ? undefined : fileProgress(ctx, action);
    const onResult = (r: MigrationResult) => (json ? undefined : (progress?.finished(), ctx.io.stdout(resultLine(r))));
    const onLockWait = (h: LockHolder) => ctx.io.stderr(`schemac migrate ${action}: waiting for the migration lock (${formatDuration(h.waitedMs)} so far): held by ${describeLockHolder(h)}\n`);
    const run = await runMigrations({
      driver, files: migrations, direction: action, to, allowOutOfOrder: ctx.flags['allow-out-of-order'] === true, onResult, refusedOwners,
      org, allowDestructive: ctx.flags['allow-destructive'] === true, lockWaitMs, onLockWait, onStatement: progress?.onStatement,
    });
    progress?.stop();
    if (json) ctx.io.stdout(`${JSON.stringify({ direction: action, results: run.results, owners: run.owners, ...(run.error ? { error: run.error } : {}) }, null, 2)}\n`);
    return json ? (run.error ? (printReasons(ctx, action, run), EXIT.failed) : EXIT.ok) : finish(ctx, action, run);
  } finally {
    await driver.close();
  }
}

/**
 * How long up and down wait for another run's lock: `--lock-timeout`, else SCHEMAC_LOCK_WAIT_MS
 * (ms), else the runner's default; null after a usage error for a value that is not a duration.
 */
function lockTimeout(ctx: CommandContext, action: Action): number | undefined | null {
  const flag = ctx.flags['lock-timeout'];
  if (typeof flag === 'string') {
    const ms = parseDuration(flag);
    if (ms !== undefined) return ms;
    ctx.io.stderr(`schemac migrate ${action}: --lock-timeout ${durationProblem(flag)}\n`);
    return null;
  }
  const env = ctx.io.env.SCHEMAC_LOCK_WAIT_MS?.trim();
  return env && Number.isFinite(Number(env)) && Number(env) >= 0 ? Number(env) : undefined;
}

/** The workspace config, or undefined after printing its diagnostics. */
export function readConfig(ctx: CommandContext): Config | undefined {
  const result = loadConfig(ctx.cwd, ctx.configPath);
  if (result.config) return result.config;
  const sources = new Map(result.source ? [[result.source.path, result.source.text]] : []);
  printDiagnostics(ctx, result.diagnostics, sources);
  return undefined;
}

/**
 * The owner of `down --org ORG` (`core` or an org of the workspace); undefined without
 * `--org`; null after a usage error naming the owners there are.
 */
function orgOf(ctx: CommandContext, config: Config, files: readonly MigrationFile[]): string | undefined | null {
  const org = ctx.flags.org;
  if (org === undefined) return undefined;
  const owners = [CORE, ...workspaceOrgs(config, files.map((f) => f.owner))];
  if (typeof org === 'string' && owners.includes(org)) return org;
  ctx.io.stderr(`schemac migrate down: --org ${String(org)}: no such owner${suggest(String(org), owners)} (the owners: ${owners.join(', ')})\n`);
  return null;
}

/** Every migration file, or undefined after naming each malformed one. */
export function readFiles(ctx: CommandContext, config: Config): MigrationFile[] | undefined {
  const dir = path.resolve(config.root, config.out.migrations);
  const { files, errors } = readMigrations(dir);
  if (errors.length === 0) return files;
  for (const e of errors) ctx.io.stderr(`schemac: malformed migration ${path.join(config.out.migrations, e)}\n`);
  ctx.io.stderr('schemac: nothing was run; fix the files above first\n');
  return undefined;
}

/**
 * The files for `migrate up`: a malformed file one org answers for refuses that org's chain
 * only (said now, and in the summary); any other malformed file stops the run, as in `readFiles`.
 */
function readFilesForUp(ctx: CommandContext, config: Config): { files?: MigrationFile[]; refusedOwners?: Map<string, string> } {
  const dir = path.resolve(config.root, config.out.migrations);
  const { files, errors } = readMigrations(dir);
  const { refusedOwners, fatal } = sortMalformed(dir, errors);
  if (fatal.length) {
    for (const e of fatal) ctx.io.stderr(`schemac: malformed migration ${path.join(config.out.migrations, e)}\n`);
    ctx.io.stderr('schemac: nothing was run; fix the files above first\n');
    return {};
  }
  for (const [org, why] of refusedOwners) ctx.io.stderr(`schemac: ${why} (org ${org}'s migrations will not run)\n`);
  return { files, refusedOwners };
}

/**
 * The sum gate of `up` and `down` (runtime/sum-gate.ts): each org with a file that differs
 * from schemac.sum, with why (said now; that org's chain will not run), or undefined after
 * saying why nothing runs (a core file differs, or the sum is damaged).
 */
function sumRefusals(ctx: CommandContext, action: 'up' | 'down' | 'baseline', config: Config, files: readonly MigrationFile[]): Map<string, string> | undefined {
  const gate = gateOnSum(path.resolve(config.root, config.out.migrations), files, config.out.migrations);
  for (const w of gate.warnings) ctx.io.stderr(`schemac migrate ${action}: warning: ${w}\n`);
  if (gate.fatal.length > 0) {
    for (const why of gate.fatal) ctx.io.stderr(`schemac migrate ${action}: ${why}\n`);
    ctx.io.stderr(`schemac migrate ${action}: nothing was run; the migrations must match schemac.sum\n`);
    return undefined;
  }
  const what = action === 'up' ? 'will not run' : action === 'down' ? 'will not be reverted' : 'will not be recorded';
  for (const [org, why] of gate.refusedOwners) ctx.io.stderr(`schemac migrate ${action}: ${why} (org ${org}'s migrations ${what})\n`);
  return gate.refusedOwners;
}

/**
 * The ownership pre-flight of `up` and `down`: every statement of every org's migration
 * touches only that org's objects (runtime/ownership.ts). Prints what is refused, and returns
 * each refused org with the reason; `up` then runs every other owner's chain, `down` nothing.
 * `only`: check that owner's files alone (`down --org`, which runs no other owner's).
 */
async function ownershipRefusals(
  ctx: CommandContext, action: 'up' | 'down', config: Config, files: readonly MigrationFile[], only?: string,
): Promise<Map<string, string>> {
  const scope = ownershipScope(config, workspaceOrgs(config, files.map((f) => f.owner)));
  const problems = await ownershipDiagnostics(config, only === undefined ? files : files.filter((f) => f.owner === only), scope);
  const refused = new Map<string, string>();
  if (problems.length === 0) return refused;
  const named = new Set(problems.map((d) => d.span.file));
  const offending = files.filter((f) => named.has(migrationPath(config, f.name)));
  printDiagnostics(ctx, problems, new Map(offending.map((f) => [migrationPath(config, f.name), f.text] as const)));
  for (const f of offending) {
    const n = problems.filter((d) => d.span.file === migrationPath(config, f.name)).length;
    refused.set(f.owner, `${f.name} was refused: ${n} statement${n === 1 ? '' : 's'} touch${n === 1 ? 'es' : ''} objects the org does not own`);
  }
  const owners = [...refused.keys()].join(', ');
  const what = action === 'up' ? `${owners}'s migrations will not run; the other owners' still do` : 'nothing was run';
  ctx.io.stderr(`schemac migrate ${action}: refused ${owners}'s migrations: they touch objects the org does not own (see above); ${what}\n`);
  return refused;
}

/** The `--db` value that names the workspace's embedded database (`diff --db embedded`; the default of `migrate`). */
export const EMBEDDED = 'embedded';

/** A Target is the database a command works on: a URL, or the embedded folder (`shown` relative to the cwd). */
export type Target = { readonly kind: 'pg'; readonly url: string } | { readonly kind: 'pglite'; readonly dataDir: string; readonly shown: string };

/** `--db`, else `DATABASE_URL`, else the embedded database in `.schemac/pglite` beside the config file (its workspace root). */
export function targetOf(ctx: CommandContext, config: Config): Target {
  const url = typeof ctx.flags.db === 'string' ? ctx.flags.db : ctx.io.env.DATABASE_URL;
  if (url && url !== EMBEDDED) return { kind: 'pg', url };
  const dataDir = path.join(config.root, DEFAULT_PGLITE_DIR);
  return { kind: 'pglite', dataDir, shown: path.relative(ctx.cwd, dataDir) || '.' };
}

/** Whether the embedded database exists (PostgreSQL's `PG_VERSION` is the first thing it writes). */
export function hasDatabase(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

/**
 * The target's driver, the embedded database's use said on stderr (and, while another
 * process holds it, who and since when); undefined after an error.
 */
export async function connectTarget(ctx: CommandContext, command: string, target: Target, lockWaitMs?: number): Promise<Driver | undefined> {
  if (target.kind === 'pg') return openDriver({ kind: 'pg', url: target.url, applicationName: `schemac ${command}` });
  const waitMs = lockWaitMs ?? envWait(ctx) ?? DEFAULT_DATA_DIR_WAIT_MS;
  const onWait = (holder: DataDirHolder) => ctx.io.stderr(`schemac ${command}: ${describeHolder(target.shown, holder)}; waiting up to ${seconds(waitMs)}\n`);
  ctx.io.stderr(`schemac ${command}: no --db or DATABASE_URL; using the embedded PGlite database in ${target.shown}\n`);
  try {
    return await openDriver({ kind: 'pglite', dataDir: target.dataDir, lock: { waitMs, onWait } });
  } catch (e) {
    if (isDataDirInUse(e)) ctx.io.stderr(`schemac ${command}: ${inUseMessage(target.shown, e.holder, e.waitedMs)}\n`);
    else ctx.io.stderr(`schemac ${command}: cannot open the embedded database in ${target.shown}: ${(e as Error)?.message ?? String(e)}\n`);
    return undefined;
  }
}

function envWait(ctx: CommandContext): number | undefined {
  const ms = Number(ctx.io.env.SCHEMAC_LOCK_WAIT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * status, history, down and `up --dry-run` before the embedded database exists: said so, and
 * nothing created. Every file is pending; down has nothing to revert.
 */
function noDatabase(
  ctx: CommandContext, action: Action, shown: string, files: readonly MigrationFile[], refused: ReadonlyMap<string, string>, json: boolean,
): number {
  ctx.io.stderr(`schemac migrate ${action}: no --db or DATABASE_URL, and no embedded database in ${shown} yet (migrate up creates it)\n`);
  if (action === 'baseline') return ctx.io.stderr('schemac migrate baseline: there is no database to adopt; nothing was recorded\n'), EXIT.failed;
  const none = { rows: files.map((f): StatusRow => ({ name: f.name, owner: f.owner, state: 'pending', appliedAt: null, ms: null })) };
  if (action === 'status') return printStatus(ctx, none, json);
  if (action === 'history') return printHistory(ctx, { rows: [] }, json);
  if (action === 'up') return dryRun(ctx, none, files, refused, json);
  if (json) ctx.io.stdout(`${JSON.stringify({ direction: action, results: [], owners: [] }, null, 2)}\n`);
  else ctx.io.stdout('nothing to revert\n');
  return EXIT.ok;
}

/** How often a long file's progress is said, and after how long in one file it starts. */
const PROGRESS_EVERY_MS = 2000;

/**
 * Progress of a long file on stderr: once a file has run for 2 s, every 2 s a line with its
 * statements done so far (`… 1200 of 15000 statements, 4.1 s`), so a 5,000-table migration
 * is not a silent minute. Short files print nothing but their result line.
 */
function fileProgress(ctx: CommandContext, action: 'up' | 'down'): {
  onStatement: (file: MigrationFile, index: number, direction: 'up' | 'down', total: number) => void; finished(): void; stop(): void;
} {
  let current: { name: string; started: number; done: number; total: number } | undefined;
  const timer = setInterval(() => {
    if (current === undefined) return;
    const ms = Date.now() - current.started;
    if (ms < PROGRESS_EVERY_MS) return;
    ctx.io.stderr(`schemac migrate ${action}: ${current.name}: ${current.done} of ${current.total} statements, ${formatDuration(ms)}\n`);
  }, PROGRESS_EVERY_MS);
  timer.unref();
  return {
    onStatement: (file, index, _direction, total) => {
      if (current?.name !== file.name) current = { name: file.name, started: Date.now(), done: 0, total };
      current.done = index + 1;
    },
    finished: () => void (current = undefined),
    stop: () => clearInterval(timer),
  };
}

function resultLine(r: MigrationResult): string {
  return `${r.status.padEnd(8)} ${r.name}${r.status === 'skipped' ? '' : ` (${r.ms} ms)`}\n`;
}

function finish(ctx: CommandContext, action: 'up' | 'down', run: MigrationRun): number {
  if (run.error) {
    if (run.owners.length > 0) printOwners(ctx, action, run.owners);
    else ctx.io.stderr(`schemac migrate ${action}: ${run.error.message}\n`);
    alreadyExistsHint(ctx, action, run);
    return EXIT.failed;
  }
  const done = run.results.length;
  const verb = action === 'up' ? 'applied' : 'reverted';
  ctx.io.stdout(done === 0 ? `nothing to ${action === 'up' ? 'apply: the database is up to date' : 'revert'}\n` : `${done} ${verb}\n`);
  return EXIT.ok;
}

/** SQLSTATEs of "relation/object … already exists" (duplicate table, object, schema). */
const ALREADY_EXISTS = new Set(['42P07', '42710', '42P06', '42723']);

/**
 * An up that failed because an object already exists: most often a database another tool
 * (Alembic, Flyway, a hand-run script) built. Said after the run's own lines.
 */
function alreadyExistsHint(ctx: CommandContext, action: Action, run: MigrationRun): void {
  const errors = [run.error, ...run.owners.map((o) => o.error)];
  if (action !== 'up' || !errors.some((e) => e && (ALREADY_EXISTS.has(e.code ?? '') || /already exists/.test(e.message)))) return;
  ctx.io.stderr('schemac migrate up: hint: the database already holds objects these migrations create. If another tool built it, adopt it: `schemac migrate baseline --db URL` records the migrations as applied after checking that the database matches them (see docs/adopting.md)\n');
}

/** The per-owner summary of a run that did not finish: each owner's line on stdout, each stop's reason on stderr; exit 1. */
function printOwners(ctx: CommandContext, action: 'up' | 'down', owners: readonly OwnerOutcome[]): number {
  const verb = action === 'up' ? 'applied' : 'reverted';
  const width = Math.max(...owners.map((o) => o.owner.length));
  ctx.io.stdout('by owner:\n');
  for (const o of owners) {
    const parts = [
      `${o.done.length} ${verb}`,
      o.status === 'refused' && 'refused',
      o.failed && `failed: ${o.failed}`,
      o.skipped.length && `${o.skipped.length} skipped${o.status === 'blocked' ? ` (${blockedBy(action, o)})` : ''}`,
    ];
    ctx.io.stdout(`  ${o.owner.padEnd(width)}  ${parts.filter(Boolean).join(', ')}\n`);
  }
  for (const o of owners) if (o.error) ctx.io.stderr(`schemac migrate ${action}: ${o.owner}: ${o.error.message}\n`);
  const unfinished = owners.filter((o) => o.status !== 'done').map((o) => o.owner);
  const finished = owners.length - unfinished.length;
  ctx.io.stderr(
    `schemac migrate ${action}: ${unfinished.length} of ${owners.length} owner(s) did not finish (${unfinished.join(', ')})` +
      `${finished ? `; the other owners' migrations were ${verb}` : ''}\n`,
  );
  return EXIT.failed;
}

function blockedBy(action: 'up' | 'down', o: OwnerOutcome): string {
  if (o.error?.kind === 'lock-lost') return 'the run lost its lock';
  return action === 'up' ? 'core did not finish' : 'the run stopped';
}

function printStatus(ctx: CommandContext, status: { rows: StatusRow[]; error?: MigrationRun['error'] }, json: boolean): number {
  if (status.error) return ctx.io.stderr(`schemac migrate status: ${status.error.message}\n`), EXIT.failed;
  const count = (s: StatusRow['state']) => status.rows.filter((r) => r.state === s).length;
  if (json) {
    const counts = {
      applied: count('applied'), pending: count('pending'), changed: count('changed'), missing: count('missing'), interrupted: count('interrupted'),
      baselined: status.rows.filter((r) => r.baselined).length,
    };
    ctx.io.stdout(`${JSON.stringify({ migrations: status.rows, ...counts }, null, 2)}\n`);
  } else {
    const when = (r: StatusRow) => (r.appliedAt ? r.appliedAt.toISOString() : '-');
    const width = count('interrupted') ? 11 : 8;
    const width_ = count('interrupted') ? width : status.rows.some((r) => r.baselined) ? 9 : width;
    for (const r of status.rows) ctx.io.stdout(`${(r.baselined && r.state === 'applied' ? 'baselined' : r.state).padEnd(width_)} ${when(r).padEnd(24)} ${r.name}\n`);
    const interrupted = count('interrupted') ? `, ${count('interrupted')} interrupted` : '';
    const baselined = status.rows.filter((r) => r.baselined).length;
    ctx.io.stdout(`${count('applied') + count('changed')} applied${baselined ? ` (${baselined} baselined)` : ''}, ${count('pending')} pending${interrupted}\n`);
    if (count('interrupted')) ctx.io.stderr(`schemac migrate status: ${count('interrupted')} no-transaction file(s) did not finish (marked "interrupted"); migrate up runs them again\n`);
    if (count('changed')) ctx.io.stderr(`schemac migrate status: ${count('changed')} applied file(s) changed since they were applied (marked "changed"); migrate up will refuse to run\n`);
    if (count('missing')) ctx.io.stderr(`schemac migrate status: ${count('missing')} applied migration(s) have no file (marked "missing")\n`);
  }
  const unsettled = count('pending') + count('changed') + count('missing') + count('interrupted');
  return ctx.flags['exit-code'] === true && unsettled > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * `migrate up --dry-run`: the SQL of every file `up` would apply, in the order it would (core
 * first, then each org's), and nothing applied. A refused org's files are named, not shown.
 */
function dryRun(ctx: CommandContext, status: { rows: StatusRow[]; error?: MigrationRun['error'] }, files: readonly MigrationFile[], refused: ReadonlyMap<string, string>, json: boolean): number {
  if (status.error) return ctx.io.stderr(`schemac migrate up: ${status.error.message}\n`), EXIT.failed;
  const pending = new Set(status.rows.filter((r) => r.state === 'pending' || r.state === 'interrupted').map((r) => r.name));
  const byName = (a: MigrationFile, b: MigrationFile) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const to = typeof ctx.flags.to === 'string' ? ctx.flags.to : undefined;
  const wanted = files.filter((f) => pending.has(f.name) && (to === undefined || f.name <= to));
  const ordered = [...wanted.filter((f) => f.owner === CORE).sort(byName), ...wanted.filter((f) => f.owner !== CORE).sort(byName)];
  const run = ordered.filter((f) => !refused.has(f.owner));
  if (json) {
    const out = { dryRun: true, files: run.map((f) => ({ name: f.name, owner: f.owner, noTransaction: f.noTransaction, sql: f.up })), refused: Object.fromEntries(refused) };
    ctx.io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    for (const f of run) ctx.io.stdout(`-- ${f.name}${f.noTransaction ? ' (no transaction)' : ''}\n${f.up.trimEnd()}\n\n`);
    ctx.io.stdout(run.length === 0 ? 'nothing to apply: the database is up to date\n' : `-- dry run: ${run.length} file(s) would be applied; nothing was run\n`);
  }
  for (const [owner, why] of refused) ctx.io.stderr(`schemac migrate up: ${owner}: ${why}\n`);
  return refused.size > 0 ? EXIT.failed : EXIT.ok;
}

/** Why a run stopped, on stderr (with `--format json`, whose data is on stdout). */
function printReasons(ctx: CommandContext, action: 'up' | 'down', run: MigrationRun): void {
  const stopped = run.owners.filter((o) => o.error);
  if (stopped.length === 0 && run.error) ctx.io.stderr(`schemac migrate ${action}: ${run.error.message}\n`);
  for (const o of stopped) ctx.io.stderr(`schemac migrate ${action}: ${o.owner}: ${o.error!.message}\n`);
  alreadyExistsHint(ctx, action, run);
}

function printHistory(ctx: CommandContext, history: { rows: LedgerRow[]; error?: MigrationRun['error'] }, json: boolean): number {
  if (history.error) return ctx.io.stderr(`schemac migrate history: ${history.error.message}\n`), EXIT.failed;
  if (json) return ctx.io.stdout(`${JSON.stringify({ migrations: history.rows }, null, 2)}\n`), EXIT.ok;
  if (history.rows.length === 0) ctx.io.stdout('no migration has been applied\n');
  for (const r of history.rows) {
    ctx.io.stdout(`${r.appliedAt.toISOString()}  ${String(r.ms).padStart(6)} ms  ${r.owner.padEnd(12)} ${r.name}${r.status === 'running' ? '  (interrupted)' : ''}${r.baselined ? '  (baselined)' : ''}\n`);
  }
  return EXIT.ok;
}
