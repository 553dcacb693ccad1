/**
 * `schemac erd [--org ORG | --core] [--out DIR]`: a Mermaid ER diagram of the models. It
 * prints the whole workspace; with `--org`, the org's tables plus the core tables they
 * reference; with `--core`, core only. With `--out DIR` it writes one file per owner
 * instead, `DIR/core.mmd` and `DIR/<org>.mmd` (only the chosen one with `--org`/`--core`).
 */
import path from 'node:path';
import { erdFiles, renderErd } from '../emit/index.ts';
import { writeFiles } from '../engine/index.ts';
import type { Owner } from '../ir.ts';
import { CORE } from '../ir.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { loadModelSnapshots, type ModelSnapshots } from './types.ts';
import { resolveOrg } from './workspace-io.ts';

const USAGE = 'usage: schemac erd [--org ORG | --core] [--out DIR]\n';

/** Runs `schemac erd`. */
export async function run(ctx: CommandContext): Promise<number> {
  if (typeof ctx.flags.org === 'string' && ctx.flags.core === true) {
    ctx.io.stderr(`schemac erd: --org and --core cannot be used together\n${USAGE}`);
    return EXIT.usage;
  }
  if (ctx.flags.out === '') {
    ctx.io.stderr(`schemac erd: --out needs a directory\n${USAGE}`);
    return EXIT.usage;
  }
  const loaded = await loadModelSnapshots(ctx, 'erd');
  if ('exit' in loaded) return loaded.exit;
  let owner: Owner | undefined;
  if (typeof ctx.flags.org === 'string') {
    owner = resolveOrg(ctx, 'erd', loaded.owners);
    if (owner === undefined) return EXIT.usage;
  } else if (ctx.flags.core === true) {
    owner = CORE;
  }
  if (typeof ctx.flags.out === 'string') return writeDiagrams(ctx, loaded, ctx.flags.out, owner);
  ctx.io.stdout(renderErd(loaded.snapshots, { owner }));
  return EXIT.ok;
}

/** Writes `<owner>.mmd` under `out` (relative to the workspace) for one owner or all of them. */
function writeDiagrams(ctx: CommandContext, loaded: Exclude<ModelSnapshots, { exit: number }>, out: string, owner: Owner | undefined): number {
  const root = loaded.config.root;
  const dir = path.relative(root, path.resolve(ctx.cwd, out));
  const files = erdFiles(loaded.snapshots, owner === undefined ? loaded.owners : [owner]);
  const failure = writeFiles(root, files.map((f) => ({ path: path.join(dir, f.name), contents: f.contents })));
  if (failure !== undefined) {
    ctx.io.stderr(`schemac erd: could not write ${out}: ${failure}\n`);
    return EXIT.failed;
  }
  for (const f of files) {
    const shown = path.join(out, f.name);
    ctx.io.stdout(`Wrote ${shown} (${f.owner}: ${f.tables} table${f.tables === 1 ? '' : 's'})\n`);
  }
  return EXIT.ok;
}
