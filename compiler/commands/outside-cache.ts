/**
 * A per-user cache of what a command about one org needs of every other owner's snapshot:
 * the names it declares, the migrations it lists and the names of its enums and tables (for
 * the types' index and the enums other modules import), keyed by the hash of the snapshot file.
 * The hash is the one the snapshots' sum records, so an unchanged snapshot is not even read,
 * let alone parsed and checked again: the one-column migration of a large workspace reads its
 * own org's files and this cache; `check` takes from it the names of the orgs its memo answers
 * for (check-memo.ts), by the hash of the text it read. Lives with the fragment cache (`cacheDir`: off under
 * `SCHEMAC_NO_CACHE=1` and in tests); a missing, damaged or foreign entry only costs the parse.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { KeptOwner } from '../emit/index.ts';
import { keptOwner } from '../emit/index.ts';
import type { OutsideVisitor } from '../engine/index.ts';
import { declaredNames } from '../front/index.ts';
import type { DeclaredName } from '../front/index.ts';
import type { LoadOptions } from '../index.ts';
import type { Owner, Snapshot } from '../ir.ts';
import { isStringPairs, readEntry, storeEntry } from './cache-entries.ts';

/** Bump when a snapshot's names, its parse, or what an entry holds change. */
const DIGEST_VERSION = 'outside-v5';
const FOLDER = DIGEST_VERSION;
/** Entries kept (two per snapshot); past it, the oldest are removed when a new one is written. */
const MAX_ENTRIES = 4_000;

/**
 * One cache entry: an owner's listed migrations and the names of its enums and tables. The
 * names it declares are an entry of their own (`NamesEntry`, under the key + `-names`), read
 * only when the loaded models may look one of them up.
 */
interface Entry {
  readonly owner: Owner;
  readonly migrations?: readonly string[];
  readonly enums: readonly string[];
  readonly tables: readonly string[];
}

/** The names an owner's snapshot declares (see `declaredNames`). */
interface NamesEntry {
  readonly owner: Owner;
  readonly declared: readonly DeclaredName[];
}

/** The hooks of `loadWorkspace` for the other owners' snapshots: served from the cache, or visited and cached. */
export interface OutsideHooks {
  readonly outside: OutsideVisitor;
  readonly recall: NonNullable<LoadOptions['recall']>;
}

/**
 * Hooks that fill `kept` with each other owner's names, from the cache in `dir` when the
 * snapshot's text is that of an entry, else from the snapshot (and cached). Without `dir`, only
 * the visitor (no cache).
 */
export function outsideHooks(dir: string | undefined, kept: Map<Owner, KeptOwner>): { outside: OutsideVisitor; recall?: OutsideHooks['recall'] } {
  const hashes = new Map<Owner, string>();
  const outside: OutsideVisitor = (snapshot) => {
    kept.set(snapshot.owner, keptOwner(snapshot));
    const hash = hashes.get(snapshot.owner);
    if (dir !== undefined && hash !== undefined) storeBoth(dir, hash, snapshot);
  };
  if (dir === undefined) return { outside };
  const recall: OutsideHooks['recall'] = (owner, _file, fileHash, { again }) => {
    const hash = entryKey(owner, fileHash);
    const entry = load(dir, hash);
    if (entry === undefined || entry.owner !== owner) {
      hashes.set(owner, hash);
      return undefined;
    }
    const named = (xs: readonly string[]) => xs.map((name) => ({ name }));
    kept.set(owner, keptOwner({ owner, enums: named(entry.enums), tables: named(entry.tables) }));
    // Names missing or damaged in the cache are taken from the snapshot itself.
    const declared = () => loadNames(dir, hash, owner) ?? declaredNames(again());
    return { migrations: entry.migrations, declared };
  };
  return { outside, recall };
}

/**
 * Keeps what a command about one org would take of `snapshot` (a file with the `hashText`
 * `fileHash`), unless it is kept already: `check` parses every snapshot it loads anyway, and
 * a later check that answers for the org from its memo then needs only this entry.
 */
export function keepOutside(dir: string | undefined, snapshot: Snapshot, fileHash: string): void {
  if (dir === undefined) return;
  const hash = entryKey(snapshot.owner, fileHash);
  if (load(dir, hash)?.owner === snapshot.owner && loadNames(dir, hash, snapshot.owner) !== undefined) return;
  storeBoth(dir, hash, snapshot);
}

/** Stores both entries of a snapshot under `hash`: its migrations and names of enums and tables, and the names it declares. */
function storeBoth(dir: string, hash: string, snapshot: Snapshot): void {
  const names = (xs: readonly { readonly name: string }[]) => xs.map((x) => x.name);
  store(dir, hash, { owner: snapshot.owner, migrations: snapshot.migrations, enums: names(snapshot.enums), tables: names(snapshot.tables) });
  store(dir, namesKey(hash), { owner: snapshot.owner, declared: declaredNames(snapshot) });
}

function namesKey(hash: string): string {
  return `${hash}-names`;
}

/** The entry of an owner's snapshot file with the `hashText` `fileHash`. */
function entryKey(owner: Owner, fileHash: string): string {
  return crypto.createHash('sha256').update(`${DIGEST_VERSION}\0${owner}\0${fileHash}`).digest('hex').slice(0, 40);
}

function load(dir: string, hash: string): Entry | undefined {
  const entry = readEntry(path.join(dir, FOLDER), hash) as Entry | undefined;
  return wellFormed(entry) ? entry : undefined;
}

function loadNames(dir: string, hash: string, owner: Owner): readonly DeclaredName[] | undefined {
  const entry = readEntry(path.join(dir, FOLDER), namesKey(hash)) as NamesEntry | undefined;
  return entry?.owner === owner && isStringPairs(entry.declared) ? entry.declared : undefined;
}

/** True when a parsed entry has every part, of the right kinds (an entry damaged on disk is not used). */
function wellFormed(entry: Entry | undefined): boolean {
  const strings = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === 'string');
  return typeof entry?.owner === 'string' && (entry.migrations === undefined || strings(entry.migrations)) && strings(entry.enums) && strings(entry.tables);
}

function store(dir: string, hash: string, entry: Entry | NamesEntry): void {
  storeEntry(path.join(dir, FOLDER), hash, entry, MAX_ENTRIES);
}
