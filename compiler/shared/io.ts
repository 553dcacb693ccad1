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
