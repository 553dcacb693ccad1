/**
 * Caches of rendered sections (the bodies of the owners' types modules), so that an unchanged owner is not rendered again.
 * `emitTypes` checks a cached section's names against the current allocation before
 * reusing it, so a cache only has to key sections by their snapshot's content.
 */
import type { Snapshot } from '../ir.ts';
import type { Section } from './types-section.ts';

/** A SectionCache keeps the sections `emitTypes` rendered, by snapshot. */
export interface SectionCache {
  /** The section rendered before from this snapshot's content, if any. */
  get(snapshot: Snapshot): Section | undefined;
  /** Remembers the section just rendered from a snapshot. */
  set(snapshot: Snapshot, section: Section): void;
}

/**
 * An in-memory cache keyed by the snapshot object itself (snapshots are never mutated), for
 * a long-running process such as the watcher: pass the same object for an unchanged owner.
 */
export function memorySectionCache(): SectionCache {
  const sections = new WeakMap<Snapshot, Section>();
  return {
    get: (snapshot) => sections.get(snapshot),
    set: (snapshot, section) => void sections.set(snapshot, section),
  };
}
