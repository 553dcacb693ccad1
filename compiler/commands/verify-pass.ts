/**
 * One pass of `schemac verify`'s fresh replay of a large history (some files up, or down, or
 * the schema read back), each run by a worker thread on its own PGlite instance over the work
 * folder.
 *
 * Why a thread per pass: PostgreSQL's caches grow with every relation a session touches and
 * PGlite's WebAssembly memory never shrinks, so one instance that applies a 5,000-table history
 * and then reads it back peaks far above either pass alone. A closed instance's memory goes back
 * only when V8 collects it, which a process cannot ask for; a thread's goes when the thread
 * ends. Measured on the 5,000-table history (14 MB of SQL), `verify --full`: 619–628 MiB in one
 * instance; 474–506 MiB with a thread per pass; 486 MiB with a pass cut every 4 MiB of SQL (the
 * instance's memory climbed through a whole up pass); with the schema read back a few
 * hundred tables at a time and sent back as text (453–460 MiB, 200 s).
 *
 * The same module is the worker's entry: built as `dist/verify-pass.mjs` beside the CLI's
 * bundle, run from its source under the tests.
 */
import fs from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { PGlite } from '@electric-sql/pglite';
import { type Driver, type Queryable, startPglite, wrapPglite } from '../../runtime/driver.ts';
import { type MigrationFile, parseMigration } from '../../runtime/files.ts';
import { introspect, type LiveSchema, tableNames } from '../../runtime/introspect.ts';
import { runMigrations } from '../../runtime/migrator.ts';

/** A Pass is what one thread does on the database: start it (initdb on an empty folder) and close it; run the files one way (and read the schema back after); read the schema. */
export type Pass =
  | { readonly op: 'start' }
  | { readonly op: 'migrate'; readonly files: readonly FileRef[]; readonly direction: 'up' | 'down'; readonly to?: string; readonly look?: boolean }
  | { readonly op: 'look' };

/**
 * A FileRef is a migration file as a pass is given it: the thread reads and parses the file
 * itself, and refuses it when its checksum is no longer the one given. Copying the files' texts
 * to a thread took as much memory again as the texts, at every pass.
 */
export type FileRef = Pick<MigrationFile, 'name' | 'path' | 'checksum'> & {
  /** The bytes of SQL of its up and down sections. */
  readonly bytes: number;
};

/** The refs of files read from disk (`path` absolute). */
export function fileRefs(files: readonly MigrationFile[]): FileRef[] {
  return files.map((f) => ({ name: f.name, path: f.path, checksum: f.checksum, bytes: f.up.length + f.down.length }));
}

/** What a pass found: the migrator's error, the schema read back (as text); `startError` when PGlite did not start on the folder. */
export interface PassResult {
  readonly error?: string;
  readonly schema?: SchemaText;
  readonly startError?: string;
}

/**
 * A SchemaText is a schema read back as text, to compare and to send between threads: the
 * JSON of its enums, of its extensions, then of each table, in the introspection's order.
 * One text of the whole schema is tens of megabytes at thousands of tables; the objects, as
 * many again.
 */
export type SchemaText = readonly string[];

/** The text of a schema read back. */
export function schemaText(live: LiveSchema): string[] {
  return [JSON.stringify(live.enums), JSON.stringify(live.extensions), ...live.tables.map((t) => JSON.stringify(t))];
}

/** The schema of a text. */
export function schemaOf(text: SchemaText): LiveSchema {
  return { enums: JSON.parse(text[0]!), extensions: JSON.parse(text[1]!), tables: text.slice(2).map((t) => JSON.parse(t)) };
}

/** How many tables a pass reads back at a time: the rows of every table at once are what a read-back's memory is. */
const READ_TABLES = 500;

/** The schema read back, `READ_TABLES` tables at a time, as text: the same text as `schemaText(await introspect(q))`. */
export async function readBack(q: Queryable): Promise<string[]> {
  const names = await tableNames(q);
  const tables: string[] = [];
  let head: string[] = [];
  for (let i = 0; i === 0 || i < names.length; i += READ_TABLES) {
    const live = await introspect(q, names.slice(i, i + READ_TABLES));
    if (i === 0) head = [JSON.stringify(live.enums), JSON.stringify(live.extensions)];
    for (const t of live.tables) tables.push(JSON.stringify(t));
  }
  return [...head, ...tables];
}

/** The message a worker is started with. */
interface PassData {
  readonly schemacVerifyPass: true;
  readonly work: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly pass: Pass;
}

/** A driver whose every session is the one PGlite instance `db` (closed by the caller). */
export function pgliteDriver(db: PGlite): Driver {
  const session = wrapPglite(db);
  return { kind: 'pglite', description: 'embedded PGlite (in memory)', connect: async () => ({ ...session, close: async () => {} }), close: async () => {} };
}

/** Runs `pass` on the database in `work` in a thread of its own, and waits for the thread to end. */
export async function runPass(work: string, settings: Readonly<Record<string, string>>, pass: Pass): Promise<PassResult> {
  const data: PassData = { schemacVerifyPass: true, work, settings, pass };
  const worker = startWorker(data);
  try {
    return await new Promise<PassResult>((resolve, reject) => {
      worker.once('message', (m: PassResult) => resolve(m));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the replay's worker thread stopped (exit code ${code})`)));
    });
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await worker.terminate();
  }
}

/**
 * A thread running this module: `dist/verify-pass.mjs` in the built CLI (whose bundle is
 * `dist/cli.cjs`). From its source (the tests run the TypeScript through tsx, whose loader
 * Node.js 20 does not give worker threads) the thread registers tsx before importing it.
 */
function startWorker(data: PassData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./verify-pass.mjs', import.meta.url), { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  return new Worker(code, { eval: true, workerData: data });
}

/** The worker's side: starts PGlite on the folder, runs the pass, closes it, and says what it found. */
async function work(data: PassData): Promise<PassResult> {
  let db: PGlite;
  try {
    db = await startPglite(data.work, {}, data.settings);
  } catch (e) {
    return { startError: (e as Error).message };
  }
  try {
    const { pass } = data;
    if (pass.op === 'start') return {};
    const q = wrapPglite(db);
    if (pass.op === 'look') return { schema: await readBack(q) };
    const files = readRefs(pass.files);
    if (typeof files === 'string') return { error: files };
    const driver = pgliteDriver(db);
    const run = await runMigrations({ driver, files, direction: pass.direction, to: pass.to, allowDestructive: true, batch: true });
    if (run.error) return { error: run.error.message };
    return pass.look ? { schema: await readBack(q) } : {};
  } catch (e) {
    return { error: (e as Error).message };
  } finally {
    await db.close();
  }
}

/** The files read and parsed, in the order given; or why one cannot be. */
function readRefs(refs: readonly FileRef[]): MigrationFile[] | string {
  const files: MigrationFile[] = [];
  for (const ref of refs) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(ref.path);
    } catch (e) {
      return `${ref.name} could not be read again: ${(e as Error).message}`;
    }
    const parsed = parseMigration(ref.name, bytes.toString('utf8'), ref.path, bytes);
    if (parsed.file === undefined) return parsed.error!;
    if (parsed.file.checksum !== ref.checksum) return `${ref.name} changed during the run`;
    files.push(parsed.file);
  }
  return files;
}

if (!isMainThread && (workerData as Partial<PassData> | null)?.schemacVerifyPass === true) {
  const port = parentPort!;
  void work(workerData as PassData).then((result) => port.postMessage(result), (e: Error) => port.postMessage({ error: e.message }));
}
