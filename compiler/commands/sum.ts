/**
 * `schemac sum`: rewrites `schemac.sum` from the migration files, after a migration was
 * edited by hand (e.g. to add a data migration) and reviewed, and the snapshots' sum from the
 * snapshot files. An org's migration that touches
 * objects the org does not own is refused (runtime/ownership.ts): nothing is written.
 */
import { type MigrationFile, parseMigration } from '../../runtime/files.ts';
import { loadConfig } from '../config/index.ts';
import { hasErrors } from '../diagnostics.ts';
import { migrationPath, readDiskState, renderSnapshotSum, renderSum, snapshotSumPath, sumPath, writeFiles } from '../engine/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { ownershipDiagnostics, ownershipScope, workspaceOrgs } from './ownership-io.ts';
import { printDiagnostics } from './workspace-io.ts';

/** Runs `schemac sum`. */
export async function run(ctx: CommandContext): Promise<number> {
  const loaded = loadConfig(ctx.cwd, ctx.configPath);
  if (loaded.config === undefined) {
    printDiagnostics(ctx, loaded.diagnostics, new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []));
    return EXIT.usage;
  }
  const config = loaded.config;
  const state = readDiskState(config);
  const migrationErrors = state.diagnostics.filter((d) => d.span.file.startsWith(migrationPath(config, '')));
  if (hasErrors(migrationErrors)) {
    printDiagnostics(ctx, migrationErrors, state.sources);
    return EXIT.failed;
  }
  const files = state.migrations.map((m) => parseMigration(m.name, m.text).file).filter((f): f is MigrationFile => f !== undefined);
  const scope = ownershipScope(config, workspaceOrgs(config, files.map((f) => f.owner)));
  const ownership = await ownershipDiagnostics(config, files, scope);
  if (ownership.length > 0) {
    const named = new Set(ownership.map((d) => d.span.file));
    printDiagnostics(ctx, ownership, new Map(state.migrations.map((m) => [migrationPath(config, m.name), m.text] as const).filter(([f]) => named.has(f))));
    ctx.io.stderr(`schemac sum: ${sumPath(config)} was not written: an org's migration may touch only that org's objects (fix the statements above)\n`);
    return EXIT.failed;
  }
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  const sums = [
    { file: sumPath(config), text: renderSum(state.migrations), now: state.sumText, files: state.migrations.length, count: n(state.migrations.length, 'migration') },
    { file: snapshotSumPath(config), text: renderSnapshotSum(state, new Map()), now: state.snapshotSumText, files: state.snapshotFiles.length, count: n(state.snapshotFiles.length, 'snapshot') },
  ].filter((s) => s.now !== undefined || s.files > 0);
  if (sums.length === 0) return ctx.io.stdout(`No migrations in ${config.out.migrations}; nothing to sum\n`), EXIT.ok;
  const stale = sums.filter((s) => s.now !== s.text);
  const failure = writeFiles(config.root, stale.map((s) => ({ path: s.file, contents: s.text })));
  if (failure !== undefined) {
    ctx.io.stderr(`schemac sum: could not write ${stale.map((s) => s.file).join(', ')}: ${failure}\n`);
    return EXIT.failed;
  }
  for (const s of sums) ctx.io.stdout(stale.includes(s) ? `Wrote ${s.file} (${s.count})\n` : `${s.file} is up to date (${s.count})\n`);
  return EXIT.ok;
}
