/** `schemac migrate`. */
import type { CommandContext } from './context.ts';

export async function run(ctx: CommandContext): Promise<number> {
  ctx.io.stderr('schemac migrate: not available in this build\n');
  return 1;
}
