/**
 * Logical migrations. `schemac migration` writes one change as one file, or as two when
 * phasing moved statements out of the transaction: the transactional file and its follow-up
 * part, named a second later with `_concurrent` (compiler/emit's `concurrentFileName`),
 * of the same owner and marked `-- schemac:no-transaction`. `migrate down` reverts the two
 * together, as one migration; no other grouping of files exists.
 */
import type { Owner } from '../compiler/ir.ts';

/** The part of a migration file a grouping needs. */
export interface GroupedFile {
  readonly name: string;
  readonly owner: Owner;
  readonly noTransaction: boolean;
}

const STAMPED = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})_(.*)\.sql$/;

/**
 * The name of the follow-up part of the migration `mainName`: its timestamp a second later,
 * the same rest, and `_concurrent` (as compiler/emit's `concurrentFileName` writes it;
 * a test holds the two together); undefined for a name without a timestamp.
 */
export function concurrentPartName(mainName: string): string | undefined {
  const m = STAMPED.exec(mainName);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s) + 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}_${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}`;
  return `${stamp}_${m[7]}_concurrent.sql`;
}

/**
 * Each follow-up part's main file, by name: a part is a no-transaction file named
 * `concurrentPartName(main)` of the same owner as a transactional `main` among `files`.
 */
export function followUpParts(files: readonly GroupedFile[]): Map<string, string> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const parts = new Map<string, string>();
  for (const main of files) {
    if (main.noTransaction) continue;
    const name = concurrentPartName(main.name);
    const part = name === undefined ? undefined : byName.get(name);
    if (part !== undefined && part.owner === main.owner && part.noTransaction) parts.set(part.name, main.name);
  }
  return parts;
}

/** A Grouping names each file's logical migration (its main file's name) and says which files are follow-up parts. */
export interface Grouping {
  /** The logical migration a file belongs to: its main file's name (a file that is no part: its own). */
  key(name: string): string;
  isPart(name: string): boolean;
}

/** The grouping of `files` into logical migrations. */
export function grouping(files: readonly GroupedFile[]): Grouping {
  const parts = followUpParts(files);
  return { key: (name) => parts.get(name) ?? name, isPart: (name) => parts.has(name) };
}

/**
 * Ledger rows (in the order applied) as logical migrations: each run of consecutive rows of
 * one logical migration is one unit. A file and its part applied one after the other are
 * one unit; rows of another migration applied between them split it, so no unit reverts a
 * file while a file applied after it stays.
 */
export function units<T extends { readonly name: string }>(rows: readonly T[], g: Grouping): T[][] {
  const out: T[][] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last !== undefined && g.key(last[0].name) === g.key(r.name)) last.push(r);
    else out.push([r]);
  }
  return out;
}

/** The order to revert `rows` (applied in that order): the last unit first, and in each unit the follow-up part before its main file. */
export function revertOrder<T extends { readonly name: string }>(rows: readonly T[], g: Grouping): T[] {
  return units(rows, g).reverse().flatMap((u) => [...u].reverse().sort((a, b) => Number(g.isPart(b.name)) - Number(g.isPart(a.name))));
}
