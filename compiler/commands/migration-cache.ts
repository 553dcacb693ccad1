/**
 * A per-user cache of the migration files `check` found well-formed (name, header and
 * sections), keyed by a hash of the file's name and bytes, with the owner its header names.
 * A file found before is then hashed instead of split into sections: its sections are parsed
 * only if something reads them (the ownership check of a file it has not found clean).
 * Lives with the other caches (`cacheDir`: off under `SCHEMAC_NO_CACHE=1` and in tests);
 * a missing or damaged cache only costs the parse; a file that fails to parse is never stored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type MigrationFile, parseMigration } from '../../runtime/files.ts';
import { hashText } from '../engine/index.ts';
import { CORE, ORG_NAME } from '../ir.ts';
import { makeDirs } from '../shared/index.ts';

/** Bump when parseMigration's verdict or the MigrationFile it makes change. */
const CACHE_FILE = 'migrations-parsed-v1.txt';
const MAX_ENTRIES = 20_000;
const LINE = /^([0-9a-f]{40}) ([a-z][a-z0-9_]*)$/;

/** Parses migrations like `parseMigration(name, text)`, from the cache in `dir` when a file was parsed before. */
export function cachedParser(dir: string | undefined): {
  parse(name: string, text: string): { file?: MigrationFile; error?: string };
  save(): void;
} {
  const known = read(dir);
  const added: string[] = [];
  return {
    parse(name, text) {
      if (dir === undefined) return parseMigration(name, text);
      // The runtime's checksum (hex SHA-256 of the text), from the hash the sum check took of the file's bytes.
      const sum = Buffer.from(hashText(text).slice('h1:'.length), 'base64').toString('hex');
      const key = crypto.createHash('sha256').update(`${CACHE_FILE}\0${name}\0${sum}`).digest('hex').slice(0, 40);
      const owner = known.get(key);
      if (owner !== undefined) return { file: lazyFile(name, text, sum, owner) };
      const result = parseMigration(name, text);
      if (result.file !== undefined && result.error === undefined) {
        known.set(key, result.file.owner);
        added.push(`${key} ${result.file.owner}`);
      }
      return result;
    },
    save() {
      if (dir === undefined || added.length === 0) return;
      try {
        makeDirs(dir);
        const lines = [...[...known].map(([k, o]) => `${k} ${o}`)].slice(-MAX_ENTRIES);
        const tmp = path.join(dir, `${CACHE_FILE}.${process.pid}.tmp`);
        fs.writeFileSync(tmp, `${lines.join('\n')}\n`);
        fs.renameSync(tmp, path.join(dir, CACHE_FILE));
      } catch {
        // A read-only home or a full disk only costs speed.
      }
    },
  };
}

/** A MigrationFile whose sections are parsed when first read. */
function lazyFile(name: string, text: string, sum: string, owner: string): MigrationFile {
  let parsed: MigrationFile | undefined;
  const full = (): MigrationFile => {
    parsed ??= parseMigration(name, text).file;
    if (parsed === undefined) throw new Error(`${name}: a cached migration no longer parses`);
    return parsed;
  };
  return {
    name, owner, text, checksum: sum, path: name,
    get description() { return full().description; },
    get up() { return full().up; },
    get down() { return full().down; },
    get noTransaction() { return full().noTransaction; },
    get upLine() { return full().upLine; },
    get downLine() { return full().downLine; },
  };
}

function read(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (dir === undefined) return out;
  try {
    for (const line of fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8').split('\n')) {
      const m = LINE.exec(line);
      if (m && (m[2] === CORE || ORG_NAME.test(m[2]))) out.set(m[1], m[2]);
    }
  } catch {
    // No cache yet.
  }
  return out;
}
