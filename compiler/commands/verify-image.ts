/**
 * The images `schemac verify` keeps of the embedded database it replayed: after a
 * successful run, the data directory (PGlite's `dumpDataDir` tarball) and what the
 * database held (its introspection) are saved in `.schemac/verify/<key>.tar.gz` and
 * `<key>.json`, where the key is a hash chained over the names and checksums of the
 * migration files applied, in the order the migrator applies them. The next run loads the
 * image of the longest prefix of its history it finds and replays only the files after it;
 * a changed or removed earlier file changes every later key, so such an image is never
 * found again. The folder keeps the last `KEEP_IMAGES` images used; every write is a
 * temporary file renamed into place, and an image that cannot be read is removed and
 * replayed instead.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationFile } from '../../runtime/files.ts';
import type { LiveSchema } from '../../runtime/introspect.ts';

/** The folder of the images, beside the config file. */
export const IMAGE_DIR = path.join('.schemac', 'verify');

/** How many images the folder keeps (the most recently saved or used). */
export const KEEP_IMAGES = 3;

/** Bumped when the layout of an image changes, so older images are never loaded. */
const FORMAT = 'schemac verify image 1';

/** An Image is a saved database: the first `length` migration files applied, its data directory and its introspection. */
export interface Image {
  readonly key: string;
  readonly length: number;
  readonly data: Uint8Array;
  readonly live: LiveSchema;
}

interface ImageMeta {
  readonly format: string;
  readonly key: string;
  readonly length: number;
  readonly sha256: string;
  readonly live: LiveSchema;
}

/** The key of each prefix of the history: `keys[i]` names the database holding the first `i` files. */
export function historyKeys(files: readonly MigrationFile[]): string[] {
  const keys = [sha256(FORMAT)];
  for (const f of files) keys.push(sha256(`${keys[keys.length - 1]}\n${f.name}\n${f.checksum}`));
  return keys;
}

/**
 * The image of the longest prefix of the history found in `dir` (none for the empty
 * prefix), and a note for each image that could not be read (it is removed).
 */
export function findImage(dir: string, keys: readonly string[]): { image?: Image; notes: string[] } {
  const notes: string[] = [];
  for (let length = keys.length - 1; length > 0; length--) {
    const key = keys[length]!;
    const { tar, meta } = imagePaths(dir, key);
    if (!fs.existsSync(tar) && !fs.existsSync(meta)) continue;
    try {
      const image = readImage(tar, meta, key, length);
      touch(tar, meta);
      return { image, notes };
    } catch (e) {
      notes.push(`the image ${path.basename(tar)} cannot be read (${(e as Error).message}); it was removed and its migrations are replayed`);
      removeImage(dir, key);
    }
  }
  return { notes };
}

/** Saves an image atomically (temporary files renamed into place), then keeps only the `KEEP_IMAGES` most recent ones. */
export function saveImage(dir: string, image: Image): void {
  fs.mkdirSync(dir, { recursive: true });
  const { tar, meta } = imagePaths(dir, image.key);
  const info: ImageMeta = { format: FORMAT, key: image.key, length: image.length, sha256: sha256(image.data), live: image.live };
  writeAtomically(tar, image.data);
  writeAtomically(meta, JSON.stringify(info));
  prune(dir);
}

/** Removes an image's files (those that exist). */
export function removeImage(dir: string, key: string): void {
  const { tar, meta } = imagePaths(dir, key);
  fs.rmSync(tar, { force: true });
  fs.rmSync(meta, { force: true });
}

function readImage(tar: string, meta: string, key: string, length: number): Image {
  const info = JSON.parse(fs.readFileSync(meta, 'utf8')) as ImageMeta;
  if (info.format !== FORMAT || info.key !== key || info.length !== length) throw new Error('its description does not match its name');
  const data = fs.readFileSync(tar);
  if (sha256(data) !== info.sha256) throw new Error('its data does not match its checksum');
  if (!Array.isArray(info.live?.tables)) throw new Error('it holds no introspection');
  return { key, length, data, live: info.live };
}

function prune(dir: string): void {
  const images = fs.readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => ({ key: n.slice(0, -'.json'.length), mtime: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.key < b.key ? -1 : 1));
  for (const old of images.slice(KEEP_IMAGES)) removeImage(dir, old.key);
  const kept = new Set(images.slice(0, KEEP_IMAGES).map((i) => `${i.key}.tar.gz`));
  for (const n of fs.readdirSync(dir)) if (n.endsWith('.tar.gz') && !kept.has(n)) fs.rmSync(path.join(dir, n), { force: true });
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function touch(...files: string[]): void {
  const now = new Date();
  for (const f of files) fs.utimesSync(f, now, now);
}

function imagePaths(dir: string, key: string): { tar: string; meta: string } {
  return { tar: path.join(dir, `${key}.tar.gz`), meta: path.join(dir, `${key}.json`) };
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
