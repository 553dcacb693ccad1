/**
 * `schemac erd [--org ORG | --core]`: prints a Mermaid ER diagram of the models. With
 * `--org`, the org's tables plus the core tables they reference; with `--core`, core only.
 */
import { renderErd } from '../erd.ts';
import type { Owner } from '../ir.ts';
import { CORE } from '../ir.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { loadModelSnapshots } from './types.ts';
import { resolveOrg } from './workspace-io.ts';

/** Runs `schemac erd`. */
export async function run(ctx: CommandContext): Promise<number> {
  if (typeof ctx.flags.org === 'string' && ctx.flags.core === true) {
    ctx.io.stderr('schemac erd: --org and --core cannot be used together\nusage: schemac erd [--org ORG | --core]\n');
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
  ctx.io.stdout(renderErd(loaded.snapshots, { owner }));
  return EXIT.ok;
}
