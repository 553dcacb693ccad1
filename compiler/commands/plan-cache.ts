/**
 * A per-user cache of `check`'s verdict "this org's models need no migration", keyed by a
 * hash of everything an org's plan reads: the snapshot its models make (as JSON), its
 * rename hints, core's table and column renames (which an org's foreign keys follow) and
 * the text of its snapshot on disk. An org whose models and snapshot did not change is then
 * hashed instead of planned, so `check` on an org's pull request plans that org only.
 * Only empty plans are remembered (a plan with changes is always computed, so a cache
 * entry can never hide a change); core is always planned (its plan reads every other
 * owner's snapshot). Lives with the other caches (`cacheDir`: off under
 * `SCHEMAC_NO_CACHE=1` and in tests); a missing, damaged or foreign entry only costs the plan.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { renameHints, toSnapshot } from '../engine/index.ts';
import type { Owner, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import { readEntry, storeEntry } from './cache-entries.ts';

/** Bump when planning, the snapshot's serialization or what a plan reads change. */
const PLAN_VERSION = 'plan-empty-v1';
const FOLDER = PLAN_VERSION;
/** Entries kept; past it, the oldest are removed when a new one is written. */
const MAX_ENTRIES = 5_000;

/** One entry: the owner and the key it was stored under (a copy or a rename of the file does not match). */
interface Entry {
  readonly version: string;
  readonly owner: Owner;
  readonly key: string;
  readonly changes: 0;
}

/** The cache's view of one workspace: the key of each org's plan, and whether it is known empty. */
export interface PlanCache {
  /** The key of `owner`'s plan, or undefined when it is not cached (core, or no snapshot text at hand). */
  keyOf(owner: Owner, snapshotText: string | undefined): string | undefined;
  /** True when an entry says the plan under `key` is empty. */
  knownEmpty(owner: Owner, key: string): boolean;
  /** Remembers that the plan under `key` is empty. */
  rememberEmpty(owner: Owner, key: string): void;
}

/** A PlanCache in `dir` for the workspace `ws`; undefined when caching is off. */
export function planCache(dir: string | undefined, ws: Workspace): PlanCache | undefined {
  if (dir === undefined) return undefined;
  const folder = path.join(dir, FOLDER);
  let renames: string | undefined;
  const coreRenames = () => (renames ??= JSON.stringify(
    ws.files.filter((f) => f.owner === CORE).flatMap((f) => f.tables).map((t) => [t.name, t.renamedFrom ?? null, t.columns.map((c) => [c.name, c.renamedFrom ?? null])]),
  ));
  return {
    keyOf(owner, snapshotText) {
      if (owner === CORE || snapshotText === undefined) return undefined;
      const hints = renameHints(ws, owner);
      const hintText = JSON.stringify([...Object.entries(hints)].map(([k, v]) => [k, v instanceof Map ? [...v].sort() : v]));
      return crypto.createHash('sha256')
        .update(`${PLAN_VERSION}\0${owner}\0`).update(hintText).update('\0').update(coreRenames()).update('\0')
        .update(JSON.stringify(toSnapshot(ws, owner))).update('\0')
        .update(snapshotText)
        .digest('hex');
    },
    knownEmpty(owner, key) {
      const entry = readEntry(folder, key) as Entry | undefined;
      return entry?.version === PLAN_VERSION && entry.owner === owner && entry.key === key && entry.changes === 0;
    },
    rememberEmpty(owner, key) {
      const entry: Entry = { version: PLAN_VERSION, owner, key, changes: 0 };
      storeEntry(folder, key, entry, MAX_ENTRIES);
    },
  };
}
