/**
 * `mkdir -p` that always returns. Node.js's `mkdirSync(dir, { recursive: true })` spins forever
 * when a folder's parent exists but the child still cannot be made and the system says ENOENT
 * (a path under /proc, a stale mount): it makes the parent again and retries.
 * A cache folder comes from the environment (`SCHEMAC_CACHE_DIR`), so this must fail instead.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Makes `dir` and its missing parents; throws what `mkdir` says when one cannot be made. */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      if (fs.statSync(at).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: 'ENOTDIR' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) throw e;
      missing.push(at);
    }
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
