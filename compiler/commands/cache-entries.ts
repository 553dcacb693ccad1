/**
 * A folder of the per-user cache holding one JSON entry per key (`<key>.json`, or `<key>.entry`
 * with a long text beside the JSON): what
 * `outside-cache.ts` and `plan-cache.ts` keep. Reading never throws (a missing or damaged
 * entry is no entry); writing is atomic (a temporary sibling renamed into place), removes the
 * oldest entries past a bound, and only costs speed when it fails (a read-only home, a full disk).
 */
import fs from 'node:fs';
import path from 'node:path';

/** The parsed entry under `key`, or undefined when there is none or it is not JSON; its shape is the caller's to check. */
export function readEntry(folder: string, key: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, `${key}.json`), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * An entry with a long text beside it (`<key>.entry`: the entry as one JSON line, then the text
 * as it is), so that reading it back does not decode the text as a JSON string; undefined when
 * there is none or its first line is not JSON.
 */
export function readEntryWithText(folder: string, key: string): { entry: unknown; text: string } | undefined {
  try {
    const file = fs.readFileSync(path.join(folder, `${key}${WITH_TEXT}`), 'utf8');
    const end = file.indexOf('\n');
    return end < 0 ? undefined : { entry: JSON.parse(file.slice(0, end)), text: file.slice(end + 1) };
  } catch {
    return undefined;
  }
}

/** Writes `entry` and `text` under `key` (see `readEntryWithText`), then keeps at most `max` entries. */
export function storeEntryWithText(folder: string, key: string, entry: unknown, text: string, max: number): void {
  write(folder, `${key}${WITH_TEXT}`, `${JSON.stringify(entry)}\n${text}`, max);
}

const WITH_TEXT = '.entry';

/** True when `xs` is a list of pairs of strings (what a cache entry keeps of a map or of named kinds). */
export function isStringPairs(xs: unknown): xs is readonly (readonly [string, string])[] {
  return Array.isArray(xs) && xs.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string');
}

/** Writes `entry` under `key`, then keeps at most `max` entries (the newest). */
export function storeEntry(folder: string, key: string, entry: unknown, max: number): void {
  write(folder, `${key}.json`, JSON.stringify(entry), max);
}

function write(folder: string, name: string, contents: string, max: number): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
    const tmp = path.join(folder, `${name}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, contents);
    fs.renameSync(tmp, path.join(folder, name));
    prune(folder, max);
  } catch {
    // A read-only home or a full disk only costs speed.
  }
}

/** Removes the oldest entries past `max`. */
function prune(folder: string, max: number): void {
  const names = fs.readdirSync(folder).filter((n) => n.endsWith('.json') || n.endsWith(WITH_TEXT));
  if (names.length <= max) return;
  const aged = names.map((n) => ({ n, t: fs.statSync(path.join(folder, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - max)) fs.rmSync(path.join(folder, n), { force: true });
}
