/**
 * An in-memory cache of what the front end made of each models file, so that a
 * long-running process (the watcher) parses and validates only the files a save changed.
 * An entry is keyed by the file's path and owner and holds its text: a different text misses.
 * (A cache on disk did not pay: reading back the IR cost as much as the fast parse path.)
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { ModelFile, SourceFile } from '../ir.ts';

/** A FileResult is what the front end makes of one models file. */
export interface FileResult {
  readonly file?: ModelFile;
  readonly diagnostics: Diagnostic[];
}

/** A FileCache remembers the front end's result for each file's latest text. */
export interface FileCache {
  get(source: SourceFile): FileResult | undefined;
  put(source: SourceFile, result: FileResult): void;
  /** Forgets every file not looked up or stored since the previous call (deleted or renamed files). */
  prune(): void;
}

/** Creates an empty in-memory FileCache. */
export function createFileCache(): FileCache {
  const entries = new Map<string, { text: string; result: FileResult }>();
  const used = new Set<string>();
  const keyOf = (s: SourceFile) => `${s.owner}\0${s.path}`;
  return {
    get(source) {
      const key = keyOf(source);
      const hit = entries.get(key);
      if (hit === undefined || hit.text !== source.text) return undefined;
      used.add(key);
      return hit.result;
    },
    put(source, result) {
      const key = keyOf(source);
      entries.set(key, { text: source.text, result });
      used.add(key);
    },
    prune() {
      for (const key of entries.keys()) if (!used.has(key)) entries.delete(key);
      used.clear();
    },
  };
}
