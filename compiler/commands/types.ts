/**
 * `schemac types`: regenerates the Kysely types (`config.out.types`, default
 * `generated/db.ts`, and each owner's module beside it in `generated/db/`) from the models,
 * and nothing else; removes the modules of owners that have none any more. Lint findings do not block it
 * (`lint` and `check` are the gates); invalid models do, and then nothing is written.
 */
import { hasErrors } from '../diagnostics.ts';
import { describeTypes, typesOutput } from '../emit/index.ts';
import { removeFiles, toSnapshot, workspaceFiles, writeFiles } from '../engine/index.ts';
import { loadWorkspace } from '../index.ts';
import type { Config, Owner, Snapshot } from '../ir.ts';
import { CORE } from '../ir.ts';
import { cacheDir } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { namesMemo } from './names-cache.ts';
import { formatOf, printDiagnostics } from './workspace-io.ts';

/** Models loaded into snapshots (one per owner, core first), or the exit code of a bad input. */
export type ModelSnapshots = { readonly config: Config; readonly owners: readonly Owner[]; readonly snapshots: readonly Snapshot[] } | { readonly exit: number };

/**
 * Loads the workspace without lint rules and snapshots every owner's models; prints the
 * diagnostics (and resolves to exit 2 for a bad config, 1 for invalid models) on failure.
 */
export async function loadModelSnapshots(ctx: CommandContext, name: string): Promise<ModelSnapshots> {
  const format = formatOf(ctx, name);
  if (format === undefined) return { exit: EXIT.usage };
  const result = await loadWorkspace({ cwd: ctx.cwd, configPath: ctx.configPath, lint: false });
  printDiagnostics(ctx, result.diagnostics, result.sources, format);
  if (result.configError || result.config === undefined) return { exit: EXIT.usage };
  if (hasErrors(result.diagnostics) || result.workspace === undefined) return { exit: EXIT.failed };
  const ws = result.workspace;
  const owners = [CORE, ...ws.owners.filter((o) => o !== CORE)];
  return { config: result.config, owners, snapshots: owners.map((o) => toSnapshot(ws, o)) };
}

/** Runs `schemac types`. */
export async function run(ctx: CommandContext): Promise<number> {
  const loaded = await loadModelSnapshots(ctx, 'types');
  if ('exit' in loaded) return loaded.exit;
  const { config, snapshots } = loaded;
  const out = typesOutput(config.out.types, snapshots, workspaceFiles(config.root), { names: namesMemo(cacheDir()) });
  // A file whose text is unchanged is left as it is (a compiler watching the types rebuilds nothing for it).
  const { changed } = out;
  const failure = writeFiles(config.root, changed) ?? removeFiles(config.root, out.remove);
  if (failure !== undefined) {
    ctx.io.stderr(`schemac types: could not write ${config.out.types}: ${failure}\n`);
    return EXIT.failed;
  }
  const tables = `${out.rendered.tables} table${out.rendered.tables === 1 ? '' : 's'}`;
  if (changed.length > 0) ctx.io.stdout(`Wrote ${describeTypes(config.out.types, changed.map((f) => f.path))} (${tables})\n`);
  for (const f of out.remove) ctx.io.stdout(`Removed ${f}\n`);
  if (changed.length === 0 && out.remove.length === 0) ctx.io.stdout(`${config.out.types} and its modules are up to date (${tables})\n`);
  return EXIT.ok;
}
