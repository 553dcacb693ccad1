/**
 * `schemac watch`: on every save, lint, regenerate the types and show the pending plan;
 * stay up through errors. Runs until SIGINT (Ctrl-C) or SIGTERM, then closes the watcher
 * and exits 0.
 */
import { startWatch } from '../watch.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Runs `schemac watch` until a signal arrives. */
export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.flags.format !== undefined && ctx.flags.format !== 'pretty') {
    ctx.io.stderr(`schemac watch: only the pretty format is supported\n`);
    return EXIT.usage;
  }
  const watcher = startWatch({ cwd: ctx.cwd, configPath: ctx.configPath, io: ctx.io });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const s of SIGNALS) process.once(s, () => resolve(s));
  });
  for (const s of SIGNALS) process.once(s, () => process.exit(EXIT.ok));
  ctx.io.stderr(`\nschemac watch: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; stopping\n`);
  await watcher.close();
  return EXIT.ok;
}
