/**
 * `schemac check`: the CI gate. Fails (exit 1) when the models have lint errors, any
 * owner's models changed without a migration, a snapshot is unreadable, the types (`db.ts` and its modules) are not
 * what `schemac types` would write, or a `schemac.sum` does not match the migration files or
 * the snapshots.
 * Every failure is one line naming what to run. An org whose files (and core's, and the
 * config) are as they were in a run that found nothing wrong with it is answered from the
 * per-user memo (check-memo.ts) instead of being loaded.
 */
import type { MigrationFile } from '../../runtime/files.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { error, hasErrors, sortDiagnostics } from '../diagnostics.ts';
import type { DiskState, Known } from '../engine/index.ts';
import type { KeptOwner } from '../emit/index.ts';
import { keptOwner, typesLayout, typesOutput } from '../emit/index.ts';
import { migrationPath, ownersOf, planOwner, readDiskState, snapshotOf, snapshotPath, toSnapshot, workspaceFiles } from '../engine/index.ts';
import { loadWorkspace } from '../index.ts';
import type { Config, Owner, Snapshot, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import { cacheDir, trace } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { checkMemo } from './check-memo.ts';
import { cachedParser } from './migration-cache.ts';
import { namesMemo } from './names-cache.ts';
import { keepOutside, outsideHooks } from './outside-cache.ts';
import { planCache } from './plan-cache.ts';
import { ownershipDiagnostics, ownershipScope, workspaceOrgs } from './ownership-io.ts';
import { renderDiagnostics } from '../report/index.ts';
import { type CheckProblem, fails, type Format, formatOf, migrationCommand, printDiagnostics, snapshotSumProblems, sumProblems } from './workspace-io.ts';

/** Runs `schemac check`. */
export async function run(ctx: CommandContext): Promise<number> {
  const format = formatOf(ctx, 'check');
  if (format === undefined) return EXIT.usage;
  const reads = new Map<string, Known>();
  const memo = checkMemo(cacheDir(), reads);
  const typesAhead = new Map<Owner, KeptOwner>();
  const hooks = memo && outsideHooks(cacheDir(), typesAhead);
  // Each file the memo read is taken once, then let go.
  const read = (file: string) => {
    const known = reads.get(file);
    reads.delete(file);
    return known;
  };
  const result = await loadWorkspace({
    cwd: ctx.cwd, configPath: ctx.configPath, readState: true, wholeState: true, choose: memo?.choose, read, outside: hooks?.outside, recall: hooks?.recall,
  });
  reads.clear();
  if (result.configError || result.config === undefined) {
    printDiagnostics(ctx, result.diagnostics, result.sources, format);
    return EXIT.usage;
  }
  const config = result.config;
  // Read whole (`wholeState`): every file's text is there, or its hash (a remembered org's files).
  const state = result.state ?? readDiskState(config);
  const skipped: ReadonlyMap<Owner, readonly Diagnostic[]> = memo?.skipped ?? new Map();
  if (skipped.size > 0) trace(`check: ${skipped.size} org${skipped.size === 1 ? '' : 's'} as remembered`);
  const { files, problems: unreadable } = readFiles(config, state);
  trace('migrations read');
  const orgs = workspaceOrgs(config, [...(result.workspace?.owners ?? []), ...skipped.keys(), ...files.map((f) => f.owner)]);
  const ownership = await ownershipDiagnostics(config, files.filter((f) => !skipped.has(f.owner)), ownershipScope(config, orgs));
  trace('ownership of org migrations');
  const models = sortDiagnostics([...result.diagnostics, ...[...skipped.values()].flat()]);
  const diagnostics = [...models, ...state.diagnostics, ...state.missing, ...ownership];
  const sources = new Map([...result.sources, ...(memo?.sources ?? []), ...state.sources, ...migrationSources(config, ownership, state)]);
  const problems = [...unreadable, ...sumProblems(config, state), ...snapshotSumProblems(config, state)];
  if (memo !== undefined && cacheDir() !== undefined) {
    // What the next check takes of each org it answers for from its memo: kept now, from the snapshots loaded anyway.
    for (const owner of result.loadedOwners ?? [...state.snapshots.keys()]) {
      const snapshot = state.snapshots.get(owner);
      const hash = state.snapshotHash(owner);
      if (owner !== CORE && snapshot !== undefined && hash !== undefined) keepOutside(cacheDir(), snapshot, hash);
    }
  }
  const complete = !hasErrors(diagnostics) && result.workspace !== undefined;
  if (complete) {
    problems.push(...modelProblems(config, result.workspace!, state, { skipped, typesAhead }));
    memo?.remember(diagnostics, problems);
  }
  if (format !== 'pretty') return machineReport(ctx, format, diagnostics, problems, sources);
  printDiagnostics(ctx, diagnostics, sources, format);
  trace('diagnostics printed');
  const failures = [
    ...diagnosticFailures(ctx, models, state.diagnostics), ...missingFailures(state), ...ownershipFailures(ownership), ...problems.map((p) => p.message),
  ];
  for (const f of failures) ctx.io.stderr(`check: ${f}\n`);
  if (failures.length > 0) {
    ctx.io.stderr(`check: failed (${failures.length} problem${failures.length === 1 ? '' : 's'})\n`);
    return EXIT.failed;
  }
  ctx.io.stdout(`check: ok (${state.migrations.length} migration${state.migrations.length === 1 ? '' : 's'}; snapshots, types and schemac.sum up to date)\n`);
  return EXIT.ok;
}

/**
 * `--format json|github|sarif`: one report on stdout of everything check found — the
 * models' and generated files' diagnostics and each stale file as an error at its first
 * line (rule `check/<what>`) — and a one-line summary on stderr.
 */
function machineReport(
  ctx: CommandContext, format: Exclude<Format, 'pretty'>, diagnostics: readonly Diagnostic[], problems: readonly CheckProblem[], sources: ReadonlyMap<string, string>,
): number {
  const stale = problems.map((p) => error(`check/${p.rule}`, { file: p.file, start: 0, end: 0 }, p.message));
  const all = sortDiagnostics([...diagnostics, ...stale]);
  const text = renderDiagnostics(all, { format, sources, color: false });
  ctx.io.stdout(text === '' || text.endsWith('\n') ? text : `${text}\n`);
  const failed = fails(ctx, diagnostics) || stale.length > 0;
  ctx.io.stderr(failed ? `check: failed (${all.filter((d) => d.severity === 'error').length} error(s))\n` : 'check: ok\n');
  return failed ? EXIT.failed : EXIT.ok;
}

function diagnosticFailures(ctx: CommandContext, models: readonly Diagnostic[], generated: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  const errors = models.filter((d) => d.severity === 'error').length;
  if (errors > 0) out.push(`the models have ${errors} error${errors === 1 ? '' : 's'} (see above; \`schemac lint\`)`);
  else if (fails(ctx, models)) out.push('the models have warnings and --strict is set');
  if (hasErrors(generated)) out.push('a generated file (snapshot or migration) cannot be read (see above)');
  return out;
}

/**
 * Unmigrated model changes, per owner (about the owner's snapshot), and stale, missing or extra
 * type files. The orgs the memo answered for (`skipped`) are not planned, and their modules are
 * taken as they are (by their names: `typesAhead`, else their snapshots).
 */
function modelProblems(
  config: Config, ws: Workspace, state: DiskState<string | undefined>, memo: { skipped: ReadonlyMap<Owner, unknown>; typesAhead: ReadonlyMap<Owner, KeptOwner> },
): CheckProblem[] {
  const owners = ownersOf(ws, state.snapshots);
  const out: CheckProblem[] = [];
  let prior: Snapshot[] | undefined;
  const others = () => (prior ??= owners.map((o) => snapshotOf(state, o)));
  const cache = planCache(cacheDir(), ws);
  for (const owner of owners) {
    if (memo.skipped.has(owner)) continue;
    const key = cache?.keyOf(owner, state.snapshots.has(owner) ? state.sources.get(snapshotPath(config, owner)) : '');
    if (key !== undefined && cache!.knownEmpty(owner, key)) continue;
    const p = planOwner(ws, owner, snapshotOf(state, owner), others);
    if (p.changes.length === 0) {
      if (key !== undefined) cache!.rememberEmpty(owner, key);
      continue;
    }
    const n = p.changes.length;
    const message = `${owner}: the models have ${n} change${n === 1 ? '' : 's'} without a migration; run ${migrationCommand(owner, undefined, config.root)}`;
    out.push({ file: snapshotPath(config, owner), rule: 'unmigrated', message });
  }
  trace('plans');
  const typeOwners = owners.map((o) => (memo.skipped.has(o) ? (memo.typesAhead.get(o) ?? keptOwner(snapshotOf(state, o))) : toSnapshot(ws, o)));
  const types = typesOutput(config.out.types, typeOwners, workspaceFiles(config.root), { names: namesMemo(cacheDir()) });
  trace('types emitted');
  const [index, ...modules] = types.files;
  const missing = types.changed.filter((f) => f.missing && f.path !== index.path);
  if (modules.length > 0 && missing.length === modules.length) {
    // No module at all: the types of an earlier layout (one db.ts), or none yet; one line says it.
    const message = `${typesLayout(config.out.types).dir}/ (the types' modules, one per owner) is missing; run \`schemac types\``;
    out.push({ file: index.path, rule: 'types-missing', message });
    return out;
  }
  for (const f of types.changed) {
    if (f.missing) out.push({ file: f.path, rule: 'types-missing', message: `${f.path} is missing; run \`schemac types\`` });
    else out.push({ file: f.path, rule: 'types-stale', message: `${f.path} is out of date; run \`schemac types\`` });
  }
  for (const f of types.remove) out.push({ file: f, rule: 'types-extra', message: `${f} is the module of an owner with no table or enum; run \`schemac types\`` });
  return out;
}

/** The migration files as the runtime reads them, and one failure line for each it could not read (bad name, header or sections). */
function readFiles(config: Config, state: DiskState<string | undefined>): { files: MigrationFile[]; problems: CheckProblem[] } {
  const files: MigrationFile[] = [];
  const problems: CheckProblem[] = [];
  const parser = cachedParser(cacheDir());
  for (const m of state.migrations) {
    // A remembered org's files (no text kept): well-formed when it was remembered, and unchanged since.
    if (m.text === undefined) continue;
    const { file, error } = parser.parse(m.name, m.text);
    if (file !== undefined) files.push(file);
    if (error === undefined) continue;
    const why = error.startsWith(`${m.name}: `) ? error.slice(m.name.length + 2) : error;
    problems.push({ file: migrationPath(config, m.name), rule: 'malformed-migration', message: `${migrationPath(config, m.name)} cannot be applied: ${why}` });
  }
  parser.save();
  return { files, problems };
}

/** The text of each migration file a diagnostic points into, for the code frames. */
function migrationSources(config: Config, diagnostics: readonly Diagnostic[], state: DiskState<string | undefined>): [string, string][] {
  const named = new Set(diagnostics.map((d) => d.span.file));
  return state.migrations.flatMap((m) => (m.text === undefined ? [] : [[migrationPath(config, m.name), m.text] as [string, string]])).filter(([file]) => named.has(file));
}

function missingFailures(state: DiskState<string | undefined>): string[] {
  const n = state.missing.length;
  return n === 0 ? [] : [`${n} migration${n === 1 ? '' : 's'} the snapshots depend on ${n === 1 ? 'is' : 'are'} missing (see above); restore ${n === 1 ? 'it' : 'them'}`];
}

function ownershipFailures(ownership: readonly Diagnostic[]): string[] {
  const n = ownership.length;
  return n === 0 ? [] : [`${n} statement${n === 1 ? '' : 's'} of org migrations touch${n === 1 ? 'es' : ''} objects their org does not own (see above); an org's migration may touch only its own objects`];
}
