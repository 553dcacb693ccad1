/**
 * What every CLI command receives: parsed arguments and the process's streams. Commands
 * return an exit code (SPEC §6: 0 success, 1 errors or refusal, 2 usage or config error)
 * and never call `process.exit` themselves, so tests run them in-process.
 */
import type { Io } from '../shared/index.ts';

/** A CommandContext is one invocation of one command. */
export interface CommandContext {
  /** Absolute workspace directory (`--cwd`, default the process's cwd). */
  readonly cwd: string;
  /** `--config FILE`, absolute, when given. */
  readonly configPath?: string;
  /** Positional arguments after the command name. */
  readonly args: readonly string[];
  /** Flags: `--org acme` → { org: 'acme' }, `--strict` → { strict: true }; a repeatable option: a list. */
  readonly flags: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly io: Io;
}

/** A Command is a module under `compiler/commands/` exporting `run`. */
export interface Command {
  run(ctx: CommandContext): Promise<number>;
}

/** Exit codes of SPEC §6. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
