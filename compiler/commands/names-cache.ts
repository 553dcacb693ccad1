/**
 * A per-user cache of the types' name allocation (`NamesMemo`): the TypeScript name of every
 * enum and table and the names several modules export, by a hash of all the owners' enum and
 * table names. A migration that changes
 * columns but no names (the everyday one) then takes the allocation of the run before instead
 * of allocating every name of the workspace again. Lives with the other per-user caches
 * (`cacheDir`). An entry is used only when it names exactly the enums and tables of its key;
 * a damaged one is allocated again.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { NamesMemo, TypeNames } from '../emit/index.ts';
import { isStringPairs, readEntry, storeEntry } from './cache-entries.ts';

/** Bump when the allocation changes. */
const FOLDER = 'type-names-v2';
/** Entries kept (one per set of names; about 40 bytes a table). */
const MAX_ENTRIES = 20;

interface Entry {
  readonly enums: readonly (readonly [string, string])[];
  readonly tables: readonly (readonly [string, string])[];
  readonly clashes: readonly (readonly [string, string])[];
}

/** The memo kept in `dir` (the per-user cache folder); undefined without one. */
export function namesMemo(dir: string | undefined): NamesMemo | undefined {
  if (dir === undefined) return undefined;
  const folder = path.join(dir, FOLDER);
  return {
    recall: (key) => {
      const entry = readEntry(folder, hash(key)) as Entry | undefined;
      if (!isStringPairs(entry?.enums) || !isStringPairs(entry?.tables) || !isStringPairs(entry?.clashes)) return undefined;
      return { enums: new Map(entry!.enums), tables: new Map(entry!.tables), clashes: new Map(entry!.clashes) };
    },
    keep: (key, names: TypeNames) => storeEntry(folder, hash(key), { enums: [...names.enums], tables: [...names.tables], clashes: [...names.clashes] }, MAX_ENTRIES),
  };
}

function hash(key: string): string {
  return crypto.createHash('sha256').update(`${FOLDER}\0${key}`).digest('hex').slice(0, 40);
}
