/**
 * A per-user cache of parsed and validated models files, so an unchanged file is not
 * parsed again (YAML parsing dominates a cold `lint`). An entry is keyed by the file's
 * path, owner and text and by a fingerprint of the compiler's own code, so any change to
 * either makes it miss. One cache file per workspace, outside the workspace (see
 * `cacheDir`); off in tests and with `SCHEMAC_NO_CACHE=1`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from './diagnostics.ts';
import type { ModelFile, SourceFile } from './ir.ts';

/** A FileResult is what the front end makes of one models file. */
export interface FileResult {
  readonly file?: ModelFile;
  readonly diagnostics: Diagnostic[];
}

/** A FileCache answers lookups from the cache file and rewrites it once at the end. */
export interface FileCache {
  get(source: SourceFile): FileResult | undefined;
  put(source: SourceFile, result: FileResult): void;
  save(): void;
}

const NO_CACHE: FileCache = { get: () => undefined, put: () => undefined, save: () => undefined };

/** Opens the cache of the workspace at `root` in `dir` (a no-op cache when `dir` is undefined). */
export function openFileCache(dir: string | undefined, root: string): FileCache {
  if (dir === undefined) return NO_CACHE;
  const file = path.join(dir, 'files-v1', `${hash(root).slice(0, 24)}.json`);
  const code = codeFingerprint();
  const old = readEntries(file);
  const next = new Map<string, FileResult>();
  let dirty = false;
  const keyOf = (s: SourceFile) => hash(JSON.stringify([code, s.path, s.owner, s.text]));
  return {
    get(source) {
      const key = keyOf(source);
      const hit = old.get(key);
      if (hit !== undefined) next.set(key, hit);
      return hit;
    },
    put(source, result) {
      if (!jsonSafe(result)) return;
      next.set(keyOf(source), result);
      dirty = true;
    },
    save() {
      if (dirty || next.size !== old.size) writeEntries(file, next);
    },
  };
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** Names, sizes and mtimes of the running compiler's files: a rebuild or an edit changes it. */
function codeFingerprint(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  try {
    const parts = fs.readdirSync(here).sort().map((name) => {
      const st = fs.statSync(path.join(here, name));
      return `${name}:${st.size}:${st.mtimeMs}`;
    });
    return hash(parts.join('\n'));
  } catch {
    return String(Math.random());
  }
}

/** True when the result survives a JSON round trip (no NaN, Infinity or bigint literals). */
function jsonSafe(result: FileResult): boolean {
  let safe = true;
  JSON.stringify(result, (_key, value: unknown) => {
    if ((typeof value === 'number' && !Number.isFinite(value)) || typeof value === 'bigint') safe = false;
    return typeof value === 'bigint' ? null : value;
  });
  return safe;
}

function readEntries(file: string): Map<string, FileResult> {
  try {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, FileResult>;
    return new Map(Object.entries(raw).filter(([, v]) => v !== null && typeof v === 'object' && Array.isArray(v.diagnostics)));
  } catch {
    return new Map();
  }
}

function writeEntries(file: string, entries: ReadonlyMap<string, FileResult>): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(entries)));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only home or a full disk only costs speed.
  }
}
