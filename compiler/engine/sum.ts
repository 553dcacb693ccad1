/**
 * `schemac.sum`: the integrity file of the migrations folder (like atlas.sum). The first
 * line is `h1:<hash>` over every following line; then one `<name> h1:<hash>` line per
 * migration file, by name, each hash the base64 SHA-256 of the file's bytes. A migration
 * edited by hand without `schemac sum` no longer matches, and `schemac check` says which.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';

/** The name of the sum file inside the migrations folder. */
export const SUM_FILE = 'schemac.sum';

/** A MigrationText is a migration file's name and contents. */
export interface MigrationText {
  readonly name: string;
  readonly text: string;
}

/** SumMismatches say how a sum file and the migration files disagree; all empty means they agree. */
export interface SumMismatches {
  /** Files whose hash differs from the sum line (edited after the sum was written). */
  readonly changed: readonly string[];
  /** Files with no sum line (added without refreshing the sum). */
  readonly missing: readonly string[];
  /** Sum lines with no file (deleted or renamed). */
  readonly extra: readonly string[];
  /** The first line does not match the lines below it (the sum file itself was edited), or it is unreadable. */
  readonly corrupt: boolean;
}

/** `h1:` + base64 SHA-256 of a text's UTF-8 bytes; a text given in pieces is hashed as the pieces joined. */
export function hashText(text: string | readonly string[]): string {
  const known = typeof text === 'string' ? HASHED.get(text) : undefined;
  if (known !== undefined) return known;
  const hash = createHash('sha256');
  for (const piece of typeof text === 'string' ? [text] : text) hash.update(piece, 'utf8');
  return `h1:${hash.digest('base64')}`;
}

/**
 * The text of a file's bytes, with its `hashText` taken from the bytes and remembered: hashing
 * a string encodes it first, which costs twice the hash itself, and a generated file's text is
 * hashed more than once (its sum, the caches' keys).
 */
export function textOfBytes(bytes: Buffer, hash?: string): string {
  const text = bytes.toString('utf8');
  if (text.length >= HASHED_MIN) {
    if (hashedChars + text.length > HASHED_MAX_CHARS) forgetHashedTexts();
    HASHED.set(text, hash ?? hashBytes(bytes));
    hashedChars += text.length;
  }
  return text;
}

/**
 * `hashText` of the text the bytes decode to: for UTF-8 bytes (every file schemac writes),
 * `h1:` + base64 SHA-256 of the bytes themselves, without decoding; others are decoded first.
 */
export function hashBytes(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) return hashText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  return `h1:${createHash('sha256').update(bytes).digest('base64')}`;
}

/**
 * Texts read from bytes whose hash was taken then (see `textOfBytes`). It holds texts a command
 * holds anyway; a long-running process (the watcher) that reads more clears it past a bound,
 * and a command that lets go of what it read clears it (`forgetHashedTexts`).
 */
const HASHED = new Map<string, string>();
const HASHED_MIN = 4096;
const HASHED_MAX_CHARS = 256 * 1024 * 1024;
let hashedChars = 0;

/** Lets go of the texts `textOfBytes` remembered, for a command that no longer holds them. */
export function forgetHashedTexts(): void {
  HASHED.clear();
  hashedChars = 0;
}

/** The text of `schemac.sum` for a set of migration files. */
export function renderSum(files: readonly MigrationText[]): string {
  return renderSumOfHashes(files.map((f) => ({ name: f.name, hash: hashText(f.text) })));
}

/** The text of `schemac.sum` from each migration file's name and `hashText` (a writer need not keep every text). */
export function renderSumOfHashes(files: readonly { readonly name: string; readonly hash: string }[]): string {
  const lines = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${f.name} ${f.hash}\n`);
  return `${hashText(lines.join(''))}\n${lines.join('')}`;
}

/** The hash each line of a sum file records, by migration name (unreadable lines are skipped). */
export function recordedHashes(sumText: string): Map<string, string> {
  return readSum(sumText).recorded;
}

/** A sum file's first line (the total), its other lines, the hash each records, and whether one of those is unreadable. */
function readSum(sumText: string): { total: string; lines: string[]; recorded: Map<string, string>; unreadable: boolean } {
  const [total = '', ...lines] = sumText.replace(/\n$/, '').split('\n');
  const recorded = new Map<string, string>();
  let unreadable = false;
  for (const line of lines) {
    const m = /^(\S+) (h1:\S+)$/.exec(line);
    if (m === null) unreadable = true;
    else recorded.set(m[1], m[2]);
  }
  return { total, lines, recorded, unreadable };
}

/**
 * The hash of each existing migration, for the next sum: the one the sum records (checked
 * before with `checkSum`), else that of its text. A file that has neither is an error of the
 * caller, who must check the sum first.
 */
export function existingHashes(sumText: string | undefined, files: readonly { readonly name: string; readonly text?: string }[]): { name: string; hash: string }[] {
  const recorded = recordedHashes(sumText ?? '');
  return files.map((f) => {
    const hash = recorded.get(f.name) ?? (f.text === undefined ? undefined : hashText(f.text));
    if (hash === undefined) throw new Error(`${f.name} is neither in the sum nor read`);
    return { name: f.name, hash };
  });
}

/**
 * Compares a sum file's text with the files (migrations, or snapshots), each given by its text
 * or its hash. A file given with neither (a command about other owners did not read it) is
 * checked for its presence only.
 */
export function checkSum(sumText: string, files: readonly { readonly name: string; readonly text?: string; readonly hash?: string }[]): SumMismatches {
  const { total, lines, recorded, unreadable } = readSum(sumText);
  const corrupt = unreadable || !/^h1:\S+$/.test(total) || hashText(lines.map((l) => `${l}\n`).join('')) !== total;
  const names = new Set(files.map((f) => f.name));
  const hashOf = (f: (typeof files)[number]) => f.hash ?? (f.text === undefined ? undefined : hashText(f.text));
  return {
    changed: files.filter((f) => recorded.has(f.name) && hashOf(f) !== undefined && recorded.get(f.name) !== hashOf(f)).map((f) => f.name).sort(),
    missing: files.filter((f) => !recorded.has(f.name)).map((f) => f.name).sort(),
    extra: [...recorded.keys()].filter((n) => !names.has(n)).sort(),
    corrupt,
  };
}

/** True when a sum check found nothing. */
export function sumMatches(m: SumMismatches): boolean {
  return !m.corrupt && m.changed.length === 0 && m.missing.length === 0 && m.extra.length === 0;
}
