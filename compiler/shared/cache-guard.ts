/**
 * The workspaces a command reads (its `--cwd`, its config's folder). A per-user cache folder
 * inside one is not used: its files could have come with the workspace (a pull request that
 * commits a forged entry), and the caches vouch for what `check` would otherwise check.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOTS = new Set<string>();

/** Marks `root` as a workspace this process reads. */
export function workspaceRoot(root: string): void {
  ROOTS.add(realish(root));
}

/** True when `dir` is a workspace this process reads, or inside one. */
export function insideWorkspace(dir: string): boolean {
  const d = realish(dir);
  for (const r of ROOTS) if (d === r || d.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`)) return true;
  return false;
}

/** The real path of `p`, or of its nearest existing parent joined with the rest (a cache folder may not exist yet). */
function realish(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  for (let at = abs; ; at = path.dirname(at)) {
    try {
      return path.join(fs.realpathSync(at), ...rest.reverse());
    } catch {
      if (path.dirname(at) === at) return abs;
      rest.push(path.basename(at));
    }
  }
}
