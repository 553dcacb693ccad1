/**
 * `schemac verify`: replays every migration on a fresh in-memory PGlite database,
 * introspects it and compares it with the snapshots; then reverts everything, checks the
 * database is empty, applies everything again and checks the schema came back identical.
 * Also `drift()`, the live-database comparison behind `schemac diff --db`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { describeConnectError, type Driver, openDriver, type Queryable, startPglite } from '../../runtime/driver.ts';
import type { MigrationFile } from '../../runtime/files.ts';
import { compareSchema, introspect, type LiveSchema } from '../../runtime/introspect.ts';
import { BASE, readLedger, runMigrations } from '../../runtime/migrator.ts';
import { hasErrors } from '../diagnostics.ts';
import { forgetHashedTexts, readDiskState } from '../engine/index.ts';
import type { Config, Snapshot } from '../ir.ts';
import { cacheDir, makeDirs, trace } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { readConfig, readFiles } from './migrate.ts';
import { findImage, historyKeys, IMAGE_DIR, type Image, removeImage, restoreImage, saveImage, workFolder } from './verify-image.ts';
import { type FileRef, fileRefs, type Pass, pgliteDriver, runPass, schemaOf, type SchemaText, schemaText } from './verify-pass.ts';
import { builtinTypes, scopedIntrospect, touchedTables } from './verify-scope.ts';
import { printDiagnostics } from './workspace-io.ts';

/** Runs `schemac verify`; resolves to the exit code. */
export async function run(ctx: CommandContext): Promise<number> {
  const config = readConfig(ctx);
  if (config === undefined) return EXIT.usage;
  const files = readFiles(ctx, config);
  if (files === undefined) return EXIT.failed;
  let snapshots = readSnapshots(ctx, config);
  if (snapshots === undefined) return EXIT.failed;
  const count = snapshots.length;
  const total = files.length;
  const dir = path.join(config.root, IMAGE_DIR);
  const keys = historyKeys(files);
  const found = ctx.flags.full === true ? { notes: [] } : findImage(dir, keys);
  for (const note of found.notes) ctx.io.stderr(`schemac verify: ${note}\n`);
  const done = (problems: readonly string[], image: Image | undefined) => report(ctx, problems, image, total, count);
  if (found.image?.length === files.length) return done(snapshotDrift(snapshots, found.image.live, config.ignore), found.image);
  const started = found.image === undefined ? undefined : await startFrom(dir, found.image);
  if (started?.note !== undefined) ctx.io.stderr(`schemac verify: ${started.note}\n`);
  if (started?.db === undefined) {
    // A fresh replay reads the snapshots again when it needs them rather than hold them (40 MiB at
    // 5,000 tables) through the passes: V8 lets garbage grow to a multiple of what is held.
    snapshots = undefined;
    return done(await replayFresh(ctx, config, dir, files, keys[total]!), undefined);
  }
  trace('verify: started');
  const { db, work, image } = started;
  let kept = false;
  try {
    const session = await sessionDb(pgliteDriver(db), files, image);
    let outcome: Awaited<ReturnType<typeof replay>>;
    try {
      outcome = await replay(session, files, () => snapshots, image, config.ignore);
    } finally {
      await session.close();
    }
    const { problems, live } = outcome;
    if (live === undefined) kept = await backToImage(pgliteDriver(db), db, work, files, image);
    if (!db.closed) await db.close();
    if (live !== undefined) kept = keepImage(ctx, dir, work, { key: keys[files.length]!, length: files.length, live });
    trace('verify: image kept');
    // The image was moved into the work folder: unless it was given back, its description goes too.
    if (live !== undefined || !kept) removeImage(dir, image.key);
    return done(problems, image);
  } finally {
    if (!db.closed) await db.close();
    if (!kept) fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Every migration replayed on a fresh database; the problems found. Without problems, the
 * database is kept as the image of the whole history. A large history runs each pass in a
 * thread of its own, which reads the files again itself (see `verify-pass.ts` and
 * `THREADS_FROM`): a thread is given their names, paths and checksums, not their texts. A small
 * one runs in one instance here.
 */
function replayFresh(ctx: CommandContext, config: Config, dir: string, files: readonly MigrationFile[], key: string): Promise<string[]> {
  return replayOn(ctx, config, dir, key, historyBytes(files) >= THREADS_FROM ? inThreads(fileRefs(files)) : here(files));
}

/** A FreshDb is how a fresh replay's database runs: started on the work folder, then replayed on, then closed. */
interface FreshDb {
  /** The files, in the order they run. */
  readonly history: readonly { readonly name: string }[];
  readonly label: string;
  /** Starts the database in the work folder; throws when it does not start. */
  open(work: string): Promise<void>;
  /** The database to replay on, once open; its `close` ends the replay's use of it. */
  replayDb(work: string): Promise<ReplayDb & { close?(): Promise<void> }>;
  /** Gives up whatever is still open (after a failure). */
  close(): Promise<void>;
}

/** Each pass in a thread of its own (see `verify-pass.ts`). */
function inThreads(refs: readonly FileRef[]): FreshDb {
  return {
    history: refs, label: ' (a thread per pass)',
    open: startInThread,
    replayDb: async (work) => threadDb(work, refs),
    close: async () => {},
  };
}

/** Starts PGlite on the folder in a thread of its own (initdb when it is empty) and closes it; throws when it does not start. */
async function startInThread(work: string): Promise<void> {
  const started = await runPass(work, VERIFY_SETTINGS, { op: 'start' });
  const failure = started.startError ?? started.error;
  if (failure !== undefined) throw new Error(failure);
}

/** One PGlite instance here, one session for the whole replay. */
function here(files: readonly MigrationFile[]): FreshDb {
  let db: PGlite | undefined;
  const close = async () => {
    if (db !== undefined && !db.closed) await db.close();
  };
  return {
    history: files, label: '',
    open: async (work) => {
      db = await startPglite(work, {}, VERIFY_SETTINGS);
    },
    replayDb: async () => {
      const session = await sessionDb(pgliteDriver(db!), files);
      return {
        ...session,
        close: async () => {
          await session.close();
          await close();
        },
      };
    },
    close,
  };
}

/** Replays `fresh` on a fresh work folder, and keeps the folder as the image of `key` when the replay found no problem. */
async function replayOn(ctx: CommandContext, config: Config, dir: string, key: string, fresh: FreshDb): Promise<string[]> {
  let work: string | undefined;
  let kept = false;
  try {
    const started = await freshWork(dir, fresh.open);
    work = started.work;
    if (started.error !== undefined) return [`the embedded database did not start: ${started.error}`];
    trace(`verify: started${fresh.label}`);
    const db = await fresh.replayDb(started.work);
    let outcome: Awaited<ReturnType<typeof replay>>;
    try {
      outcome = await replay(db, fresh.history, () => rereadSnapshots(config), undefined, config.ignore);
    } finally {
      await db.close?.();
    }
    if (outcome.live !== undefined) kept = keepImage(ctx, dir, started.work, { key, length: fresh.history.length, live: outcome.live });
    trace('verify: image kept');
    return outcome.problems;
  } finally {
    await fresh.close();
    if (!kept && work !== undefined) fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * From how many bytes of SQL (up and down sections) a fresh replay runs each pass in a thread
 * of its own, and about how many one thread's pass runs (`passTargets`). One instance's caches
 * grow with every relation the history creates, and each thread costs a start of PGlite
 * (0.5–2 s), so a small history is faster, and small enough, in one. Measured with
 * `verify --full`: 100 tables (0.3 MB of SQL), 313 MiB and 6.1 s in one instance, 10.8 s in
 * threads; 1,000 tables (2.8 MB), 373–393 MiB in one; 5,000 tables (14 MB), 619–628 MiB and
 * 210–238 s in one, 453–460 MiB and 200 s in threads (see `verify-pass.ts`).
 */
export const THREADS_FROM = 4 * 1024 * 1024;

/** The bytes of SQL a history runs up and down. */
function historyBytes(files: readonly MigrationFile[]): number {
  return files.reduce((n, f) => n + f.up.length + f.down.length, 0);
}

/**
 * After a failed run on an image: reverts what is left of the new files and, when the
 * database then holds exactly the image's files and schema, moves it back into place as
 * that image (closed); otherwise the image is lost and a later run replays more.
 */
async function backToImage(driver: Driver, db: PGlite, work: string, files: readonly MigrationFile[], image: Image): Promise<boolean> {
  try {
    const prefix = files.slice(0, image.length);
    const down = await runMigrations({ driver, files, direction: 'down', to: image.length ? prefix.at(-1)!.name : BASE, allowDestructive: true, batch: true });
    if (down.error) return false;
    const q = await driver.connect();
    const ledger = await readLedger(q);
    const held = new Map(prefix.map((f) => [f.name, f.checksum]));
    const same = ledger.length === prefix.length && ledger.every((row) => held.get(row.name) === row.checksum && row.status === 'done');
    if (!same || differences(image.live, await introspect(q)).length > 0) return false;
    await db.close();
    restoreImage(work, image);
    return true;
  } catch {
    return false;
  }
}

/**
 * The snapshots, or undefined after printing why the generated files cannot be read; the rest
 * of the disk state is let go (it holds every migration's text again), and so are the texts
 * the reading remembered with their hashes (16 MiB at 5,000 tables).
 */
function readSnapshots(ctx: CommandContext, config: Config): Snapshot[] | undefined {
  const state = diskState(config);
  if (!hasErrors(state.diagnostics)) return [...state.snapshots.values()];
  printDiagnostics(ctx, state.diagnostics, state.sources);
  return undefined;
}

/** The snapshots read again; undefined when they no longer can be (changed during the run). */
function rereadSnapshots(config: Config): Snapshot[] | undefined {
  const state = diskState(config);
  return hasErrors(state.diagnostics) ? undefined : [...state.snapshots.values()];
}

function diskState(config: Config): ReturnType<typeof readDiskState> {
  const state = readDiskState(config);
  forgetHashedTexts();
  return state;
}

function report(ctx: CommandContext, problems: readonly string[], image: Image | undefined, files: number, snapshots: number): number {
  if (problems.length) {
    ctx.io.stderr(`schemac verify: ${problems.join('\n  ')}\n`);
    return EXIT.failed;
  }
  const from = image === undefined ? 'a fresh embedded database' : `the embedded database saved after the first ${image.length} (${path.join(IMAGE_DIR, image.key)})`;
  const fresh = files - (image?.length ?? 0);
  const what = image === undefined ? 'up, down and up again' : fresh === 0 ? 'no new migration, its schema compared with the snapshots' : `${fresh} new: up, down and up again`;
  ctx.io.stdout(`verified ${files} migration(s) against ${snapshots} snapshot(s) on ${from}: ${what}\n`);
  return EXIT.ok;
}

/**
 * Server settings of verify's PGlite. Its 128 MB of shared buffers fill with the catalogs of
 * a large history and stay resident: at 5,000 tables, 16 MB took a run from the kept database
 * from about 500 to about 400 MiB and a full replay from 914 to 815 MiB, in the same time.
 */
const VERIFY_SETTINGS: Readonly<Record<string, string>> = { shared_buffers: '16MB', wal_buffers: '1MB' };

/** PGlite on a work copy of the image; or a note (the image removed when it does not start), and every migration is replayed. */
async function startFrom(dir: string, image: Image): Promise<{ db: PGlite; work: string; image: Image; note?: undefined } | { db?: undefined; note: string }> {
  let work: string;
  try {
    work = workFolder(dir, image);
  } catch (e) {
    return { note: `the image ${path.join(IMAGE_DIR, image.key)} could not be taken (${(e as Error).message}; another run may hold it); every migration is replayed` };
  }
  try {
    return { db: await startPglite(work, {}, VERIFY_SETTINGS), work, image };
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    removeImage(dir, image.key);
    return { note: `the image ${path.join(IMAGE_DIR, image.key)} does not start (${(e as Error).message}); it was removed and every migration is replayed` };
  }
}

/** The per-user cache's copy of an empty database, as initdb leaves it (see `freshWork`). */
const CLUSTER = 'verify-cluster-v1';

/**
 * A fresh work folder holding an empty database, started by `open`. Creating a
 * database runs initdb in a second PGlite instance, which took the process to about 800 MiB
 * whatever the history (opening the folder it left: about 290 MiB). So the empty database is
 * made once (in a thread of its own), kept in the per-user cache folder and copied (39 MB); a
 * copy that does not start (another PGlite) is replaced. Without a cache folder, initdb runs
 * in the work folder. `error`: it did not start even so.
 */
async function freshWork(dir: string, open: (work: string) => Promise<void>): Promise<{ work: string; error?: string }> {
  const cache = cacheDir();
  const cluster = cache === undefined ? undefined : path.join(cache, CLUSTER);
  if (cluster !== undefined) {
    try {
      if (!fs.existsSync(path.join(cluster, 'PG_VERSION'))) await makeCluster(cluster);
      const work = workFolder(dir);
      fs.cpSync(cluster, work, { recursive: true });
      await open(work);
      return { work };
    } catch {
      // A copy that does not start is made again next time; this run makes its own.
      fs.rmSync(cluster, { recursive: true, force: true });
    }
  }
  const work = workFolder(dir);
  try {
    await open(work);
    return { work };
  } catch (e) {
    return { work, error: (e as Error).message };
  }
}

/** Runs initdb into `cluster` (a temporary folder renamed into place, so no half-made copy is ever found; a run that comes second keeps the first's). */
async function makeCluster(cluster: string): Promise<void> {
  const tmp = `${cluster}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  makeDirs(tmp);
  try {
    await startInThread(tmp);
    try {
      fs.renameSync(tmp, cluster);
    } catch (e) {
      // Another run made it first.
      if (!fs.existsSync(path.join(cluster, 'PG_VERSION'))) throw e;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Makes the work folder (its database closed, now holding every file) the image of the whole history; whether it was kept. */
function keepImage(ctx: CommandContext, dir: string, work: string, image: Omit<Image, 'path'>): boolean {
  try {
    saveImage(dir, work, image);
    return true;
  } catch (e) {
    ctx.io.stderr(`schemac verify: note: the replayed database could not be kept in ${IMAGE_DIR} (${(e as Error).message}); the next run replays again\n`);
    return false;
  }
}

/**
 * A ReplayDb is the database a replay runs on: `step` runs the files up (to the end) or down
 * to `to`, and with `look` reads the schema back after, in the same session; `look` reads it
 * back. Each answers with the migrator's error or a failure to read, or the schema.
 */
export interface ReplayDb {
  step(direction: 'up' | 'down', to: string | undefined, look: boolean): Promise<{ error?: string; schema?: ReadBack }>;
  look(): Promise<{ error?: string; schema?: ReadBack }>;
}

/** A ReadBack is a schema read back: its text (`schemaText`), and the schema itself, made when asked for. */
export interface ReadBack {
  readonly text: SchemaText;
  live(): LiveSchema;
}

/**
 * One PGlite instance here, one session for the whole replay. From an image, only the files
 * after it run, and only the tables they can touch are read back (`verify-scope.ts`).
 */
export async function sessionDb(driver: Driver, files: readonly MigrationFile[], from?: Image): Promise<ReplayDb & { close(): Promise<void> }> {
  const q = await driver.connect();
  try {
    const touched = from === undefined ? undefined : touchedTables(files.slice(from.length), from.live, await builtinTypes(q));
    const read = () => (from === undefined || touched === undefined ? introspect(q) : scopedIntrospect(q, from.live, touched));
    const look = async () => {
      try {
        const live = await read();
        return { schema: { text: schemaText(live), live: () => live } };
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    return {
      step: async (direction, to, again) => {
        const run = await runMigrations({ driver, files, direction, to, allowDestructive: true, batch: true });
        if (run.error) return { error: run.error.message };
        return again ? look() : {};
      },
      look,
      close: () => q.close(),
    };
  } catch (e) {
    await q.close();
    throw e;
  }
}

/**
 * A fresh database in `work`, each pass on an instance of its own in a thread of its own (see
 * `verify-pass.ts`); a pass over more than `chunk` bytes of SQL is cut into passes of about that
 * many (`passTargets`), since an instance's memory grows with every file it runs.
 */
export function threadDb(work: string, refs: readonly FileRef[], chunk = THREADS_FROM): ReplayDb {
  const pass = async (p: Pass): Promise<{ error?: string; schema?: ReadBack }> => {
    const r = await runPass(work, VERIFY_SETTINGS, p);
    if (r.startError !== undefined) return { error: `the embedded database did not start: ${r.startError}` };
    const text = r.schema;
    return { error: r.error, schema: text && { text, live: () => schemaOf(text) } };
  };
  return {
    step: async (direction, to, look) => {
      const targets = passTargets(refs, direction, to, chunk);
      for (const [i, target] of targets.entries()) {
        const last = i === targets.length - 1;
        const r = await pass({ op: 'migrate', files: refs, direction, to: target, look: look && last });
        if (last || r.error !== undefined) return r;
      }
      return {};
    },
    look: () => pass({ op: 'look' }),
  };
}

/**
 * Where the passes of a step stop, in order: the `to` of each (the migrator's: up applies
 * through that file, undefined through the last; down reverts the files after it, `BASE` all),
 * so that each runs about `chunk` bytes of SQL or one file, the last stopping at `to`. A `to`
 * that names no file is the only target (the migrator says so).
 */
export function passTargets(refs: readonly FileRef[], direction: 'up' | 'down', to: string | undefined, chunk: number): (string | undefined)[] {
  const targets: (string | undefined)[] = [];
  let bytes = 0;
  if (direction === 'up') {
    const end = to === undefined ? refs.length : refs.findIndex((r) => r.name === to) + 1;
    for (let i = 0; i < end - 1; i++) {
      bytes += refs[i]!.bytes;
      if (bytes >= chunk) {
        targets.push(refs[i]!.name);
        bytes = 0;
      }
    }
  } else {
    const keep = to === BASE ? 0 : refs.findIndex((r) => r.name === to) + 1;
    if (keep > 0 || to === BASE) {
      for (let i = refs.length - 1; i > keep; i--) {
        bytes += refs[i]!.bytes;
        if (bytes >= chunk) {
          targets.push(refs[i - 1]!.name);
          bytes = 0;
        }
      }
    }
  }
  return [...targets, to];
}

/**
 * Up, compare with the snapshots, down, check what is left, up again, compare with the
 * first run: the problems found. On a fresh database (no `from`) down goes to nothing and
 * must leave nothing; on a database loaded from an image, only the files after the image
 * are run, and down must bring back exactly the database the image held. `snapshots` gives
 * them when they are needed. Without problems, `live` is what the database holds at the end.
 * The schema is read back after up in a step of its own (a fresh database's pass is then an
 * instance of its own), and after down in the same one (it holds little).
 */
export async function replay(
  db: ReplayDb, files: readonly { readonly name: string }[], snapshots: () => readonly Snapshot[] | undefined, from?: Image, ignore?: readonly string[],
): Promise<{ problems: string[]; live?: LiveSchema }> {
  const failed = (problems: string[]) => ({ problems });
  const unread = (r: { error?: string }) => failed([`reading the schema back failed: ${r.error ?? 'no schema came back'}`]);
  // A fresh database holds only what the migrations put there: reverting may drop it.
  const base = from === undefined || from.length === 0 ? BASE : files[from.length - 1]!.name;
  const up = await db.step('up', undefined, false);
  trace('verify: up');
  if (up.error !== undefined) return failed([`${from === undefined ? 'replaying the migrations failed' : 'applying the new migrations failed'}: ${up.error}`]);
  const looked = await db.look();
  trace('verify: introspected');
  if (looked.schema === undefined) return unread(looked);
  const drift = snapshotDrift(snapshots(), looked.schema.live(), ignore);
  if (drift.length) return failed(drift);
  if (from !== undefined && from.length === files.length) return { problems: [], live: looked.schema.live() };
  // Only its text is held through the passes that follow.
  const before = looked.schema.text;
  const down = await db.step('down', base, true);
  trace('verify: down, introspected');
  if (down.error !== undefined) return failed([`${from === undefined ? 'reverting every migration failed' : 'reverting the new migrations failed'}: ${down.error}`]);
  if (down.schema === undefined) return unread(down);
  const leftovers = from === undefined ? describe(down.schema.live()) : differences(from.live, down.schema.live());
  if (leftovers.length) {
    const what = from === undefined ? 'after reverting every migration, the database still holds:' : 'after reverting the new migrations, the database differs from before them:';
    return failed([what, ...leftovers]);
  }
  const again = await db.step('up', undefined, false);
  trace('verify: up again');
  if (again.error !== undefined) return failed([`applying the migrations again after reverting them failed: ${again.error}`]);
  const read = await db.look();
  trace('verify: introspected');
  if (read.schema === undefined) return unread(read);
  // The same schema as the first up's, which met the snapshots, meets them too: the snapshots
  // are read again only to say what differs.
  if (sameText(before, read.schema.text)) return { problems: [], live: read.schema.live() };
  const expected = snapshots();
  const changed = expected === undefined ? [UNREADABLE] : compareSchema(expected, read.schema.live(), ignore);
  return failed(['up → down → up did not rebuild the same schema:', ...(changed.length ? changed : ['(differences outside the snapshots)'])]);
}

const UNREADABLE = 'the snapshots changed during the run and can no longer be read';

/** The differences of the database after every migration from the snapshots, under a heading; none when they match. */
function snapshotDrift(snapshots: readonly Snapshot[] | undefined, live: LiveSchema, ignore?: readonly string[]): string[] {
  if (snapshots === undefined) return [UNREADABLE];
  const drift = compareSchema(snapshots, live, ignore);
  return drift.length ? ['after every migration, the database differs from the snapshots:', ...drift] : [];
}

function sameText(a: SchemaText, b: SchemaText): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** What differs between two introspections, by object: the lines of `describe` present on one side only or changed. */
function differences(before: LiveSchema, after: LiveSchema): string[] {
  const index = (live: LiveSchema) => new Map([
    ...live.tables.map((t) => [`table "${t.name}"`, JSON.stringify(t)] as const),
    ...live.enums.map((e) => [`enum "${e.name}"`, JSON.stringify(e)] as const),
    ...live.extensions.map((e) => [`extension "${e}"`, e] as const),
  ]);
  const was = index(before);
  const now = index(after);
  const out: string[] = [];
  for (const [name, body] of now) {
    if (!was.has(name)) out.push(`${name} (left behind)`);
    else if (was.get(name) !== body) out.push(`${name} (changed)`);
  }
  for (const name of was.keys()) if (!now.has(name)) out.push(`${name} (missing)`);
  return out;
}

function describe(live: LiveSchema): string[] {
  return [
    ...live.tables.map((t) => `table "${t.name}"`),
    ...live.enums.map((e) => `enum "${e.name}"`),
    ...live.extensions.map((e) => `extension "${e}"`),
  ];
}

/** A Drift is the comparison of a live database with the snapshots: difference lines, or why it could not be read. */
export type Drift = { readonly lines: string[] } | { readonly error: string };

/** Reads the live `public` schema at `url` and compares it with the snapshots (`schemac diff --db`). */
export async function drift(url: string, snapshots: readonly Snapshot[], ignore?: readonly string[]): Promise<Drift> {
  const driver = await openDriver({ kind: 'pg', url });
  let q: Queryable;
  try {
    q = await driver.connect();
  } catch (e) {
    return { error: describeConnectError(e, driver.description) };
  }
  try {
    return { lines: compareSchema(snapshots, await introspect(q), ignore) };
  } catch (e) {
    return { error: `cannot read the schema of ${driver.description}: ${(e as Error).message}` };
  } finally {
    await q.close();
    await driver.close();
  }
}
