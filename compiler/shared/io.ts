/** The process's streams as the CLI and the watcher see them (tests pass their own). */

/** An Io is where a command writes: stdout for results, stderr for diagnostics and progress. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (colour, code frames). */
  readonly isTTY: boolean;
  /** Environment variables (DATABASE_URL, NO_COLOR, …). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Whether to print in colour: `FORCE_COLOR` (1 or 0) wins, then `NO_COLOR` (any value: none;
 * `--no-color` sets it), then whether stderr is a terminal.
 */
export function useColor(io: Io): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY;
}
