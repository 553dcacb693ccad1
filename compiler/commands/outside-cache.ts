/**
 * A per-user cache of what a command about one org needs of every other owner's snapshot:
 * the names it holds, the migrations it lists and its section of db.ts, keyed by the hash of
 * the snapshot file (and, for the section, of the enum names it was rendered with). The hash
 * is the one the snapshots' sum records, so an unchanged snapshot is not even read, let alone
 * parsed, checked and rendered again: the one-column migration of a large workspace reads its
 * own org's files and this cache. Lives
 * with the fragment cache (`cacheDir`: off under `SCHEMAC_NO_CACHE=1` and in tests); a
 * missing, damaged or foreign entry only costs the parse.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { RenderedOwner } from '../emit/index.ts';
import { renderAhead } from '../emit/index.ts';
import type { OutsideVisitor } from '../engine/index.ts';
import { declaredNames } from '../front/index.ts';
import type { DeclaredName } from '../front/index.ts';
import type { LoadOptions } from '../index.ts';
import type { Owner, Snapshot } from '../ir.ts';
import { isStringPairs, readEntry, readEntryWithText, storeEntry, storeEntryWithText } from './cache-entries.ts';

/** Bump when a snapshot's names, its parse, or the rendering of its section change. */
const DIGEST_VERSION = 'outside-v4';
const FOLDER = DIGEST_VERSION;
/** Entries kept (two per snapshot); past it, the oldest are removed when a new one is written. */
const MAX_ENTRIES = 4_000;

/**
 * One cache entry: an owner's listed migrations and its section, rendered with the enum names
 * `context` hashes (the section's text is kept beside the JSON, see `storeEntryWithText`). Its names are an entry of their own (`NamesEntry`, under the key + `-names`),
 * read only when the loaded models may look one of them up.
 */
interface Entry {
  readonly owner: Owner;
  readonly context: string;
  readonly migrations?: readonly string[];
  readonly rendered: Omit<RenderedOwner, 'snapshot'>;
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
 * Hooks that fill `typesAhead` with each other owner's section, from the cache in `dir`
 * when the snapshot's text and context are those of an entry, else rendered (and cached).
 * Without `dir`, only the visitor (no cache).
 */
export function outsideHooks(dir: string | undefined, typesAhead: Map<Owner, RenderedOwner>): { outside: OutsideVisitor; recall?: OutsideHooks['recall'] } {
  const hashes = new Map<Owner, string>();
  const outside: OutsideVisitor = (snapshot, _file, { kept, again }) => {
    const rendered = renderAhead(snapshot, [...kept.values()], again);
    typesAhead.set(snapshot.owner, rendered);
    const hash = hashes.get(snapshot.owner);
    if (dir === undefined || hash === undefined) return;
    const { snapshot: _again, section, ...names } = rendered;
    const { text, ...parts } = section;
    const entry = { owner: snapshot.owner, migrations: snapshot.migrations, context: contextOf(kept), rendered: { ...names, section: parts } };
    storeEntryWithText(path.join(dir, FOLDER), hash, entry, text, MAX_ENTRIES);
    store(dir, namesKey(hash), { owner: snapshot.owner, declared: declaredNames(snapshot) });
  };
  if (dir === undefined) return { outside };
  const recall: OutsideHooks['recall'] = (owner, _file, fileHash, { kept, again }) => {
    const hash = entryKey(owner, fileHash);
    const entry = load(dir, hash);
    if (entry === undefined || entry.owner !== owner || entry.context !== contextOf(kept)) {
      hashes.set(owner, hash);
      return undefined;
    }
    typesAhead.set(owner, { ...entry.rendered, snapshot: again });
    // Names missing or damaged in the cache are taken from the snapshot itself.
    const declared = () => loadNames(dir, hash, owner) ?? declaredNames(again());
    return { migrations: entry.migrations, declared };
  };
  return { outside, recall };
}

function namesKey(hash: string): string {
  return `${hash}-names`;
}

/** What a section depends on besides its own snapshot: the enum names of the snapshots at hand (see `renderAhead`). */
function contextOf(kept: ReadonlyMap<Owner, Snapshot>): string {
  const enums = [...kept.values()].flatMap((s) => s.enums.map((e) => e.name)).sort();
  return crypto.createHash('sha256').update(JSON.stringify(enums)).digest('hex').slice(0, 32);
}

/** The entry of an owner's snapshot file with the `hashText` `fileHash`. */
function entryKey(owner: Owner, fileHash: string): string {
  return crypto.createHash('sha256').update(`${DIGEST_VERSION}\0${owner}\0${fileHash}`).digest('hex').slice(0, 40);
}

/** The entry under `hash` with its section's text put back (kept beside it, see `storeEntryWithText`). */
function load(dir: string, hash: string): Entry | undefined {
  const found = readEntryWithText(path.join(dir, FOLDER), hash);
  const entry = found?.entry as Entry | undefined;
  if (entry?.rendered?.section === undefined || typeof entry.rendered.section !== 'object') return undefined;
  const whole: Entry = { ...entry, rendered: { ...entry.rendered, section: { ...entry.rendered.section, text: found!.text } } };
  return wellFormed(whole) ? whole : undefined;
}

function loadNames(dir: string, hash: string, owner: Owner): readonly DeclaredName[] | undefined {
  const entry = readEntry(path.join(dir, FOLDER), namesKey(hash)) as NamesEntry | undefined;
  return entry?.owner === owner && isStringPairs(entry.declared) ? entry.declared : undefined;
}

/** True when a parsed entry has every part, of the right kinds (an entry damaged on disk is not used). */
function wellFormed(entry: Entry | undefined): boolean {
  const strings = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x === 'string');
  const pairs = (xs: unknown) => Array.isArray(xs) && xs.every((x) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string');
  const named = (xs: unknown) => Array.isArray(xs) && xs.every((x) => typeof x?.name === 'string');
  const r = entry?.rendered;
  return (
    typeof entry?.owner === 'string' && typeof entry.context === 'string' && (entry.migrations === undefined || strings(entry.migrations)) &&
    r?.owner === entry.owner && named(r.enums) && named(r.tables) && typeof r.section?.text === 'string' &&
    r.section.owner === entry.owner && strings(r.section.uses) && pairs(r.section.enums) && pairs(r.section.tables)
  );
}

function store(dir: string, hash: string, entry: NamesEntry): void {
  storeEntry(path.join(dir, FOLDER), hash, entry, MAX_ENTRIES);
}
