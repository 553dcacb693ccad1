/**
 * A folder of the per-user cache holding one JSON entry per key (`<key>.json`): what
 * `outside-cache.ts`, `names-cache.ts` and `plan-cache.ts` keep. Reading never throws (a missing or damaged
 * entry is no entry); writing is atomic (a temporary sibling renamed into place), removes the
 * oldest entries past a bound, and only costs speed when it fails (a read-only home, a full disk).
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../shared/index.ts';

/** The parsed entry under `key`, or undefined when there is none or it is not JSON; its shape is the caller's to check. */
export function readEntry(folder: string, key: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, `${key}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when `xs` is a list of pairs of strings (what a cache entry keeps of a map or of named kinds). */
export function isStringPairs(xs: unknown): xs is readonly (readonly [string, string])[] {
  return Array.isArray(xs) && xs.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string');
}

/** Writes `entry` under `key`, then keeps at most `max` entries (the newest). */
export function storeEntry(folder: string, key: string, entry: unknown, max: number): void {
  try {
    makeDirs(folder);
    const tmp = path.join(folder, `${key}.json.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(entry));
    fs.renameSync(tmp, path.join(folder, `${key}.json`));
    prune(folder, max);
  } catch {
    // A read-only home or a full disk only costs speed.
  }
}

/** Removes the oldest entries past `max`. */
function prune(folder: string, max: number): void {
  const names = fs.readdirSync(folder).filter((n) => n.endsWith('.json'));
  if (names.length <= max) return;
  const aged = names.map((n) => ({ n, t: fs.statSync(path.join(folder, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - max)) fs.rmSync(path.join(folder, n), { force: true });
}
