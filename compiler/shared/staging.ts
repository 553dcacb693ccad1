/**
 * Atomic output in two steps: each file is written to a temporary sibling as soon as it is
 * computed (so a large run need not hold every output in memory), and `commit` renames them
 * all into place once everything succeeded; `abort` (or a failed write) removes the temporaries,
 * so a failure part-way never leaves a half-written or partial set of files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from './make-dirs.ts';

/** A Staging collects the temporary files of one atomic write. */
export interface Staging {
  /** Writes `contents` (a text, or its pieces one after the other) to a temporary sibling of `<root>/<file>`; throws on an I/O error. */
  stage(file: string, contents: string | readonly string[]): void;
  /** Renames every staged file into place. */
  commit(): void;
  /** Removes every staged temporary file. */
  abort(): void;
}

/** Starts an atomic write of files under `root`. */
export function createStaging(root: string): Staging {
  const staged: { tmp: string; target: string }[] = [];
  const dirs = new Set<string>();
  return {
    stage(file, contents) {
      const target = path.join(root, file);
      const dir = path.dirname(target);
      if (!dirs.has(dir)) makeDirs(dir), dirs.add(dir);
      const tmp = `${target}.${process.pid}.tmp`;
      staged.push({ tmp, target });
      if (typeof contents === 'string') fs.writeFileSync(tmp, contents);
      else writePieces(tmp, contents);
    },
    commit() {
      for (const s of staged) fs.renameSync(s.tmp, s.target);
      staged.length = 0;
    },
    abort() {
      for (const s of staged) fs.rmSync(s.tmp, { force: true });
      staged.length = 0;
    },
  };
}

/** Writes a text given in pieces to a new file, piece after piece. */
function writePieces(file: string, pieces: readonly string[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const piece of pieces) fs.writeFileSync(fd, piece);
  } finally {
    fs.closeSync(fd);
  }
}
