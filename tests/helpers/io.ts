/** An in-memory Io for running CLI commands in-process. */
import type { Io } from '../../compiler/shared/io.ts';

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

export function captureIo(env: Record<string, string | undefined> = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    isTTY: false,
    env: { NO_COLOR: '1', ...env },
    out: () => out,
    err: () => err,
  };
}
