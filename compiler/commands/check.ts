/**
 * `schemac check`: the CI gate. Fails (exit 1) when the models have lint errors, any
 * owner's models changed without a migration, a snapshot is unreadable, `db.ts` is not
 * what `schemac types` would write, or `schemac.sum` does not match the migration files.
 * Every failure is one line naming what to run.
 */
import { type MigrationFile, parseMigration } from '../../runtime/files.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { hasErrors } from '../diagnostics.ts';
import { emitTypes } from '../emit/index.ts';
import type { DiskState } from '../engine/index.ts';
import { migrationPath, ownersOf, planOwner, readDiskState, readIfExists, snapshotOf, toSnapshot } from '../engine/index.ts';
import { loadWorkspace } from '../index.ts';
import type { Config, Workspace } from '../ir.ts';
import { trace } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { ownershipDiagnostics, ownershipScope, workspaceOrgs } from './ownership-io.ts';
import { fails, formatOf, migrationCommand, printDiagnostics, sumFailures } from './workspace-io.ts';

/** Runs `schemac check`. */
export async function run(ctx: CommandContext): Promise<number> {
  const format = formatOf(ctx, 'check');
  if (format === undefined) return EXIT.usage;
  const result = await loadWorkspace({ cwd: ctx.cwd, configPath: ctx.configPath });
  if (result.configError || result.config === undefined) {
    printDiagnostics(ctx, result.diagnostics, result.sources, format);
    return EXIT.usage;
  }
  const config = result.config;
  const state = readDiskState(config);
  const { files, failures: unreadable } = readFiles(config, state);
  trace('migrations read');
  const orgs = workspaceOrgs(config, [...(result.workspace?.owners ?? []), ...files.map((f) => f.owner)]);
  const ownership = await ownershipDiagnostics(config, files, ownershipScope(config, orgs));
  trace('ownership of org migrations');
  const diagnostics = [...result.diagnostics, ...state.diagnostics, ...state.missing, ...ownership];
  printDiagnostics(ctx, diagnostics, new Map([...result.sources, ...state.sources, ...migrationSources(config, ownership, state)]), format);
  const failures = [
    ...diagnosticFailures(ctx, result.diagnostics, state.diagnostics), ...unreadable, ...missingFailures(state), ...ownershipFailures(ownership), ...sumFailures(config, state),
  ];
  if (!hasErrors(diagnostics) && result.workspace !== undefined) failures.push(...modelFailures(config, result.workspace, state));
  for (const f of failures) ctx.io.stderr(`check: ${f}\n`);
  if (failures.length > 0) {
    ctx.io.stderr(`check: failed (${failures.length} problem${failures.length === 1 ? '' : 's'})\n`);
    return EXIT.failed;
  }
  ctx.io.stdout(`check: ok (${state.migrations.length} migration${state.migrations.length === 1 ? '' : 's'}; snapshots, types and schemac.sum up to date)\n`);
  return EXIT.ok;
}

function diagnosticFailures(ctx: CommandContext, models: readonly Diagnostic[], generated: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  const errors = models.filter((d) => d.severity === 'error').length;
  if (errors > 0) out.push(`the models have ${errors} error${errors === 1 ? '' : 's'} (see above; \`schemac lint\`)`);
  else if (fails(ctx, models)) out.push('the models have warnings and --strict is set');
  if (hasErrors(generated)) out.push('a generated file (snapshot or migration) cannot be read (see above)');
  return out;
}

/** Unmigrated model changes, per owner, and a stale `db.ts`. */
function modelFailures(config: Config, ws: Workspace, state: DiskState): string[] {
  const owners = ownersOf(ws, state.snapshots);
  const out: string[] = [];
  const prior = owners.map((o) => snapshotOf(state, o));
  for (const owner of owners) {
    const p = planOwner(ws, owner, snapshotOf(state, owner), () => prior);
    if (p.changes.length === 0) continue;
    const n = p.changes.length;
    out.push(`${owner}: the models have ${n} change${n === 1 ? '' : 's'} without a migration; run ${migrationCommand(owner, undefined, config.root)}`);
  }
  const types = emitTypes(owners.map((o) => toSnapshot(ws, o)));
  const onDisk = readIfExists(config.root, config.out.types);
  if (onDisk === undefined) out.push(`${config.out.types} is missing; run \`schemac types\``);
  else if (onDisk !== types) out.push(`${config.out.types} is out of date; run \`schemac types\``);
  return out;
}

/** The migration files as the runtime reads them, and one failure line for each it could not read (bad name, header or sections). */
function readFiles(config: Config, state: DiskState): { files: MigrationFile[]; failures: string[] } {
  const files: MigrationFile[] = [];
  const failures: string[] = [];
  for (const m of state.migrations) {
    const { file, error } = parseMigration(m.name, m.text);
    if (file !== undefined) files.push(file);
    if (error === undefined) continue;
    const why = error.startsWith(`${m.name}: `) ? error.slice(m.name.length + 2) : error;
    failures.push(`${migrationPath(config, m.name)} cannot be applied: ${why}`);
  }
  return { files, failures };
}

/** The text of each migration file a diagnostic points into, for the code frames. */
function migrationSources(config: Config, diagnostics: readonly Diagnostic[], state: DiskState): [string, string][] {
  const named = new Set(diagnostics.map((d) => d.span.file));
  return state.migrations.map((m) => [migrationPath(config, m.name), m.text] as [string, string]).filter(([file]) => named.has(file));
}

function missingFailures(state: DiskState): string[] {
  const n = state.missing.length;
  return n === 0 ? [] : [`${n} migration${n === 1 ? '' : 's'} the snapshots depend on ${n === 1 ? 'is' : 'are'} missing (see above); restore ${n === 1 ? 'it' : 'them'}`];
}

function ownershipFailures(ownership: readonly Diagnostic[]): string[] {
  const n = ownership.length;
  return n === 0 ? [] : [`${n} statement${n === 1 ? '' : 's'} of org migrations touch${n === 1 ? 'es' : ''} objects their org does not own (see above); an org's migration may touch only its own objects`];
}
