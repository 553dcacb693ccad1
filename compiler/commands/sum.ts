/**
 * `schemac sum`: rewrites `schemac.sum` from the migration files, after a migration was
 * edited by hand (e.g. to add a data migration) and reviewed. An org's migration that touches
 * objects the org does not own is refused (runtime/ownership.ts): nothing is written.
 */
import { type MigrationFile, parseMigration } from '../../runtime/files.ts';
import { loadConfig } from '../config/index.ts';
import { hasErrors } from '../diagnostics.ts';
import { migrationPath, readDiskState, renderSum, sumPath, writeFiles } from '../engine/index.ts';
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
  const file = sumPath(config);
  const text = renderSum(state.migrations);
  const count = `${state.migrations.length} migration${state.migrations.length === 1 ? '' : 's'}`;
  if (state.sumText === text) return ctx.io.stdout(`${file} is up to date (${count})\n`), EXIT.ok;
  if (state.migrations.length === 0 && state.sumText === undefined) return ctx.io.stdout(`No migrations in ${config.out.migrations}; nothing to sum\n`), EXIT.ok;
  const failure = writeFiles(config.root, [{ path: file, contents: text }]);
  if (failure !== undefined) {
    ctx.io.stderr(`schemac sum: could not write ${file}: ${failure}\n`);
    return EXIT.failed;
  }
  ctx.io.stdout(`Wrote ${file} (${count})\n`);
  return EXIT.ok;
}
