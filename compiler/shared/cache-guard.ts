/**
 * The per-user cache folder, and the workspaces a command reads (its `--cwd`, its config's
 * folder). A cache folder inside one is not used: its files could have come with the
 * workspace (a pull request that commits a forged entry), and the caches vouch for what
 * `check` would otherwise check (and the code cache is code).
 */
import fs from 'node:fs';
import os from 'node:os';
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

/**
 * The cache folder, or undefined when caching is off (tests use the real parser unless a folder
 * is given) or when it lies inside a workspace this process reads (see `workspaceRoot`).
 */
export function cacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const dir = chosenCacheDir(env);
  return dir === undefined || insideWorkspace(dir) ? undefined : dir;
}

function chosenCacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.SCHEMAC_CACHE_DIR) return env.SCHEMAC_CACHE_DIR;
  if (env.SCHEMAC_NO_CACHE === '1' || env.SCHEMAC_TEST === '1') return undefined;
  try {
    return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'schemac');
  } catch {
    return undefined;
  }
}
