/**
 * The images `schemac verify` keeps of the embedded database it replayed: after a
 * successful run, PGlite's data directory is kept as `.schemac/verify/<key>/`, and what the
 * database held (its introspection) as `<key>.json`, where the key is a hash chained over
 * the names and checksums of the migration files applied, in the order the migrator applies
 * them. The next run moves the image of the longest prefix of its history it finds to a
 * work folder and replays only the files after it there; a changed or removed earlier file
 * changes every later key, so such an image is never found again. Images are folders on
 * disk, not archives loaded into memory, and moved rather than copied: at thousands of
 * tables the data directory is hundreds of megabytes in tens of thousands of files. A work
 * folder becomes an image by one rename; an image that cannot be read is removed and
 * replayed instead.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationFile } from '../../runtime/files.ts';
import type { LiveSchema } from '../../runtime/introspect.ts';
import { makeDirs } from '../shared/index.ts';

/** The folder of the images, beside the config file. */
export const IMAGE_DIR = path.join('.schemac', 'verify');

/**
 * How many images the folder keeps (the most recently saved or used). A run consumes the
 * image it starts from, so one history keeps one image; more are kept for histories that
 * went apart (another branch).
 */
export const KEEP_IMAGES = 3;

/** Bumped when the layout of an image changes, so older images are never loaded. */
const FORMAT = 'schemac verify image 2';

/** An Image is a saved database: the first `length` migration files applied, its data directory and its introspection. */
export interface Image {
  readonly key: string;
  readonly length: number;
  /** The data directory. */
  readonly path: string;
  readonly live: LiveSchema;
}

interface ImageMeta {
  readonly format: string;
  readonly key: string;
  readonly length: number;
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
    const { data, meta } = imagePaths(dir, key);
    if (!fs.existsSync(data) && !fs.existsSync(meta)) continue;
    try {
      const image = readImage(data, meta, key, length);
      touch(meta);
      return { image, notes };
    } catch (e) {
      notes.push(`the image ${path.join(IMAGE_DIR, key)} cannot be read (${(e as Error).message}); it was removed and its migrations are replayed`);
      removeImage(dir, key);
    }
  }
  return { notes };
}

/**
 * A new work folder in `dir` for this process: `image`'s data directory moved there (an
 * image is hundreds of megabytes at thousands of tables: copying it would cost more than the
 * run; `restoreImage` gives it back after a failed run), or an empty folder.
 */
export function workFolder(dir: string, image?: Image): string {
  makeDirs(dir);
  const work = path.join(dir, `work-${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  if (image === undefined) fs.mkdirSync(work);
  else fs.renameSync(image.path, work);
  return work;
}

/** Moves the work folder (its database closed, shown to hold exactly what `image` held) back into place as `image`. */
export function restoreImage(work: string, image: Image): void {
  fs.renameSync(work, image.path);
}

/**
 * Makes the work folder (its database closed) the image of `key`: its description is written
 * (a temporary file renamed), then the folder renamed into place; then only the
 * `KEEP_IMAGES` most recent images are kept.
 */
export function saveImage(dir: string, work: string, image: Omit<Image, 'path'>): void {
  const { data, meta } = imagePaths(dir, image.key);
  const info: ImageMeta = { format: FORMAT, key: image.key, length: image.length, live: image.live };
  makeDirs(dir);
  fs.rmSync(data, { recursive: true, force: true });
  writeAtomically(meta, describe(info));
  fs.renameSync(work, data);
  prune(dir);
}

/** Removes an image's files (those that exist). */
export function removeImage(dir: string, key: string): void {
  const { data, meta } = imagePaths(dir, key);
  fs.rmSync(meta, { force: true });
  fs.rmSync(data, { recursive: true, force: true });
}

function readImage(data: string, meta: string, key: string, length: number): Image {
  const info = JSON.parse(fs.readFileSync(meta, 'utf8')) as ImageMeta;
  if (info.format !== FORMAT || info.key !== key || info.length !== length) throw new Error('its description does not match its name');
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) throw new Error('it holds no data directory');
  if (!Array.isArray(info.live?.tables)) throw new Error('it holds no introspection');
  return { key, length, path: data, live: info.live };
}

function prune(dir: string): void {
  const images = fs.readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .map((n) => ({ key: n.slice(0, -'.json'.length), mtime: fs.statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.key < b.key ? -1 : 1));
  for (const old of images.slice(KEEP_IMAGES)) removeImage(dir, old.key);
  const kept = new Set(images.slice(0, KEEP_IMAGES).map((i) => i.key));
  for (const n of fs.readdirSync(dir)) {
    const abandoned = /^work-(\d+)$/.exec(n);
    if ((/^[0-9a-f]{64}$/.test(n) && !kept.has(n)) || (abandoned && !alive(Number(abandoned[1])))) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
  }
}

/** Whether a process of that id runs (a work folder of a process that died is abandoned). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The description as JSON, in pieces (table by table): one text of it is tens of megabytes at thousands of tables. */
function* describe(info: ImageMeta): Generator<string> {
  const { live, ...head } = info;
  yield `${JSON.stringify(head).slice(0, -1)},"live":{"enums":${JSON.stringify(live.enums)},"extensions":${JSON.stringify(live.extensions)},"tables":[`;
  for (let i = 0; i < live.tables.length; i++) yield `${i ? ',' : ''}${JSON.stringify(live.tables[i])}`;
  yield ']}}';
}

function writeAtomically(file: string, pieces: Iterable<string>): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const piece of pieces) fs.writeSync(fd, piece);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function touch(file: string): void {
  const now = new Date();
  fs.utimesSync(file, now, now);
}

function imagePaths(dir: string, key: string): { data: string; meta: string } {
  return { data: path.join(dir, key), meta: path.join(dir, `${key}.json`) };
}

function sha256(data: string): string {
  return createHash('sha256').update(data).digest('hex');
}
