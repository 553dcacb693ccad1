/**
 * What the compiler has written before: the snapshots (`<out.snapshots>/<owner>.json`),
 * the migration files and `schemac.sum`. Reading them is the commands' edge; they also
 * write through `writeFiles` here, atomically and only once everything was computed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { Config, Owner, Snapshot } from '../ir.ts';
import { CORE, emptySnapshot, ORG_NAME } from '../ir.ts';
import { createStaging, toPosix } from '../shared/index.ts';
import { parseSnapshot } from './snapshot.ts';
import { checkSum, hashText, recordedHashes, renderSumOfHashes, SUM_FILE, textOfBytes } from './sum.ts';
import type { SumMismatches } from './sum.ts';

/**
 * An ExistingMigration is a migration file found in the migrations folder. `Text` is
 * `string`, or `string | undefined` for a read scoped to some owners (see `readDiskState`).
 */
export interface ExistingMigration<Text extends string | undefined = string> {
  readonly name: string;
  /** From the `-- schemac: owner=…` header; undefined when the header is unreadable. */
  readonly owner?: Owner;
  readonly text: Text;
  /** The `hashText` of the file, when its text was not kept (see `ReadBefore`). */
  readonly hash?: string;
}

/** A DiskState is everything previously generated that the commands compare the models with. */
export interface DiskState<Text extends string | undefined = string> {
  /** Every snapshot on disk, by owner (an owner without a file has none here; see `snapshotOf`). */
  readonly snapshots: ReadonlyMap<Owner, Snapshot>;
  /** Workspace-relative path → text of every file read, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
  /** Migration files by name. */
  readonly migrations: readonly ExistingMigration<Text>[];
  /** The text of `schemac.sum`, when it exists. */
  readonly sumText?: string;
  /** The text of the snapshots' `schemac.sum` (see `snapshotSumPath`), when it exists. */
  readonly snapshotSumText?: string;
  /**
   * The `hashText` of each snapshot file by owner: of its text when it was read, else the
   * one the snapshots' sum records (a scoped read that took the owner from a cache).
   */
  readonly snapshotHash: (owner: Owner) => string | undefined;
  /** Every owner with a snapshot file (valid or not), by name. */
  readonly snapshotFiles: readonly Owner[];
  readonly diagnostics: readonly Diagnostic[];
  /**
   * One error per migration a snapshot lists (`Snapshot.migrations`) that is not in the
   * migrations folder, pointing at its name in the snapshot. Apart from `diagnostics`: the
   * commands that write or judge the history (`migration`, `uninstall`, `check`) refuse on
   * them; the others read on.
   */
  readonly missing: readonly Diagnostic[];
}

/** Workspace-relative path (forward slashes) of an owner's snapshot. */
export function snapshotPath(config: Config, owner: Owner): string {
  return toPosix(path.join(config.out.snapshots, `${owner}.json`));
}

/** Workspace-relative path of a migration file or of `schemac.sum`. */
export function migrationPath(config: Config, name: string): string {
  return toPosix(path.join(config.out.migrations, name));
}

/**
 * Workspace-relative path of the snapshots' `schemac.sum`: one `<owner>.json h1:<hash>` line
 * per snapshot, in the format of the migrations' sum. A command about one org takes the other
 * owners from it (and a cache keyed by those hashes) instead of reading every snapshot;
 * `check` holds it to the files.
 */
export function snapshotSumPath(config: Config): string {
  return toPosix(path.join(config.out.snapshots, SUM_FILE));
}

/** Workspace-relative path of `schemac.sum`. */
export function sumPath(config: Config): string {
  return migrationPath(config, SUM_FILE);
}

/** An owner's snapshot, or the empty snapshot when it has no history. */
export function snapshotOf(state: DiskState<string | undefined>, owner: Owner): Snapshot {
  return state.snapshots.get(owner) ?? emptySnapshot(owner);
}

/**
 * A ScopedRead is a read for a command about some owners (one org's migration): their
 * snapshots are kept; every other owner's is checked, shown to `visit`, and let go (the
 * state's `snapshots` parses it again only if asked for it), so a large workspace is not
 * held in memory for the names and types a command takes from it.
 */
export interface ScopedRead {
  readonly owners: ReadonlySet<Owner>;
  /** Called with each other owner's snapshot, after every snapshot of `owners` was read. */
  readonly visit?: OutsideVisitor;
  /**
   * Asked first about each other owner's snapshot, by the `hashText` of its file (the one the
   * snapshots' sum records, before the file is read; else that of the text read): what an
   * earlier visit kept of a file with that hash: the migrations it lists
   * (`Snapshot.migrations`); the snapshot is then neither parsed nor visited. Undefined: it is
   * read, parsed, checked and visited.
   */
  readonly recall?: OutsideRecall;
  /**
   * Read every generated file whole and hash what was read, trusting neither sum (`check`
   * holds the sums to the files): the other owners' snapshots are still not parsed when
   * `recall` answers for them by the hash of their text.
   */
  readonly whole?: boolean;
}

/**
 * What was read of a generated file before in this run, if it was (`check` keys its memo by
 * the files' hashes): its text (see `textOfBytes`), taken instead of reading it again; or, for
 * a file whose text the run does not need (an owner the memo answers for), its `hashText` and
 * its first bytes (a migration's header): the file is then not read again, and its snapshot is
 * asked of `recall` by that hash.
 */
export type ReadBefore = (file: string) => Known | undefined;

/** What was read of a generated file before: see `ReadBefore`. */
export type Known = { readonly text: string } | { readonly hash: string; readonly head: string };

/** An OutsideRecall answers for another owner's snapshot from what was kept of a file with the same hash before (see `ScopedRead.recall`). */
export type OutsideRecall = (owner: Owner, file: string, hash: string, context: { readonly kept: ReadonlyMap<Owner, Snapshot>; readonly again: () => Snapshot }) => Pick<Snapshot, 'migrations'> | undefined;

/**
 * An OutsideVisitor sees another owner's snapshot in a scoped read (`file` is its path),
 * with the snapshots kept (`owners`') and a way to have it again (parsed anew).
 */
export type OutsideVisitor = (snapshot: Snapshot, file: string, context: { readonly kept: ReadonlyMap<Owner, Snapshot>; readonly again: () => Snapshot }) => void;

/**
 * Reads the snapshots, migrations and sum of a workspace; problems become diagnostics. A
 * read scoped to some owners reads in full only their migrations and those the sum does
 * not record; of the others, whose hashes the sum holds, only the header (their `text` is
 * undefined), unless the scope asks for every file `whole`.
 */
export function readDiskState(config: Config): DiskState;
export function readDiskState(config: Config, scope: ScopedRead | undefined, before?: ReadBefore): DiskState<string | undefined>;
export function readDiskState(config: Config, scope?: ScopedRead, before?: ReadBefore): DiskState<string | undefined> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const names = listFiles(config.root, config.out.migrations, '.sql', diagnostics);
  const chain: Chain = { config, names: new Set(names), missing: [] };
  const snapshotSumText = readText(config.root, snapshotSumPath(config), diagnostics, true);
  const hashes = new Map<Owner, string>();
  const files: Owner[] = [];
  const trusted = scope !== undefined && scope.whole !== true;
  const snapshots = readSnapshots(config, { sources, diagnostics, scope, chain, hashes, recorded: trusted ? recordedHashes(snapshotSumText ?? '') : new Map(), files, before });
  const sumText = readText(config.root, sumPath(config), diagnostics, true);
  const recorded = !trusted || sumText === undefined ? new Set<string>() : new Set(recordedHashes(sumText).keys());
  const migrations = names.map((name) => {
    const file = migrationPath(config, name);
    if (recorded.has(name)) {
      const owner = headerOwner(readHead(config.root, file, diagnostics));
      if (owner !== undefined && !scope!.owners.has(owner)) return { name, owner, text: undefined };
    }
    const known = before?.(file);
    if (known !== undefined && 'hash' in known) return { name, owner: headerOwner(known.head), text: undefined, hash: known.hash };
    const text = known?.text ?? readText(config.root, file, diagnostics) ?? '';
    return { name, owner: headerOwner(text), text };
  });
  const snapshotHash = (owner: Owner): string | undefined => {
    const known = hashes.get(owner);
    if (known !== undefined) return known;
    const text = sources.get(snapshotPath(config, owner));
    if (text === undefined) return undefined;
    const hash = hashText(text);
    hashes.set(owner, hash);
    return hash;
  };
  return { snapshots, sources, migrations, sumText, snapshotSumText, snapshotFiles: files, snapshotHash, diagnostics, missing: chain.missing };
}

/**
 * The text of the snapshots' sum after a command wrote `written` (owner → the `hashText` of
 * the snapshot it wrote), every other snapshot's hash as the state knows it (a file that could
 * not be read is left out, and `check` says so).
 */
export function renderSnapshotSum(state: DiskState<string | undefined>, written: ReadonlyMap<Owner, string>): string {
  const owners = new Set([...state.snapshotFiles, ...written.keys()]);
  const lines = [...owners].flatMap((owner) => {
    const hash = written.get(owner) ?? state.snapshotHash(owner);
    return hash === undefined ? [] : [{ name: `${owner}.json`, hash }];
  });
  return renderSumOfHashes(lines);
}

/** How the snapshots' sum disagrees with the snapshot files of a full or `whole` read; undefined when it is missing. */
export function checkSnapshotSum(state: DiskState<string | undefined>): SumMismatches | undefined {
  if (state.snapshotSumText === undefined) return undefined;
  return checkSum(state.snapshotSumText, state.snapshotFiles.map((owner) => ({ name: `${owner}.json`, hash: state.snapshotHash(owner) })));
}

/** What checking the snapshots' migrations needs: the files present, and where the missing ones go. */
interface Chain {
  readonly config: Config;
  readonly names: ReadonlySet<string>;
  readonly missing: Diagnostic[];
}

/** An error for each migration `snapshot` lists that is not in the folder, at its name in the snapshot's text. */
function checkChain(snapshot: Pick<Snapshot, 'owner' | 'migrations'>, file: string, textOf: () => string, chain: Chain): void {
  const listed = snapshot.migrations;
  if (listed === undefined || listed.every((name) => chain.names.has(name))) return;
  const text = textOf();
  const key = text.indexOf('"migrations"');
  for (const name of listed) {
    if (chain.names.has(name)) continue;
    const quoted = JSON.stringify(name);
    const at = text.indexOf(quoted, key);
    const where = at < 0 ? { file, start: 0, end: 0 } : { file, start: at, end: at + quoted.length };
    chain.missing.push(error(
      'migration-missing', where,
      `${migrationPath(chain.config, name)} is missing: the snapshot of ${snapshot.owner} depends on it`,
      'restore the file (e.g. `git checkout -- <file>`); to drop a migration that was never applied, restore this snapshot and schemac.sum as they were before it too, then write the migration again',
    ));
  }
}

/** The migrations an owner's next snapshot records: its files in the folder (by header) and `added`, by name. */
export function chainAfter(state: DiskState<string | undefined>, owner: Owner, added: readonly string[]): string[] {
  return [...state.migrations.filter((m) => m.owner === owner).map((m) => m.name), ...added].sort();
}

/** The first bytes of a file: enough for a migration's header line. */
function readHead(root: string, file: string, diagnostics: Diagnostic[]): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path.join(root, file), 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    return head.toString('utf8', 0, fs.readSync(fd, head, 0, HEAD_BYTES, 0));
  } catch (e) {
    diagnostics.push(ioError(file, e));
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** `-- schemac: owner=` and an org name of at most 31 characters fit well within this. */
const HEAD_BYTES = 128;

/** What reading the snapshots fills in and goes by. */
interface SnapshotRead {
  readonly before: ReadBefore | undefined;
  readonly sources: Map<string, string>;
  readonly diagnostics: Diagnostic[];
  readonly scope: ScopedRead | undefined;
  readonly chain: Chain;
  /** Filled: the hash of each snapshot file (of its text, or the one recorded for an owner taken from the cache). */
  readonly hashes: Map<Owner, string>;
  /** The hashes the snapshots' sum records, by file name. */
  readonly recorded: ReadonlyMap<string, string>;
  /** Filled: every owner with a snapshot file, valid or not. */
  readonly files: Owner[];
}

function readSnapshots(config: Config, read: SnapshotRead): ReadonlyMap<Owner, Snapshot> {
  const { sources, diagnostics, scope, chain, hashes, recorded, before } = read;
  const kept = new Map<Owner, Snapshot>();
  const others: { owner: Owner; file: string; name: string }[] = [];
  for (const name of listFiles(config.root, config.out.snapshots, '.json', diagnostics)) {
    const owner = name.slice(0, -'.json'.length);
    const file = snapshotPath(config, owner);
    if (owner !== CORE && !ORG_NAME.test(owner)) {
      diagnostics.push(error('snapshot-name', span(file), `'${name}' is not the snapshot of an owner ('core' or an org name)`));
      continue;
    }
    read.files.push(owner);
    if (scope !== undefined && !scope.owners.has(owner)) {
      others.push({ owner, file, name });
      continue;
    }
    const known = before?.(file);
    const text = known !== undefined && 'text' in known ? known.text : readText(config.root, file, diagnostics);
    if (text === undefined) continue;
    sources.set(file, text);
    const snapshot = checkedSnapshot(owner, file, text, diagnostics);
    if (snapshot === undefined) continue;
    kept.set(owner, snapshot);
    checkChain(snapshot, file, () => text, chain);
  }
  if (others.length === 0) return kept;
  const texts = new Map<Owner, { file: string; text?: string }>();
  const reread = (file: string) => readText(config.root, file, []) ?? '';
  const map = new SnapshotMap(new Map(kept), texts, reread);
  for (const o of others) {
    const again = () => map.get(o.owner)!;
    // An owner the snapshots' sum records is asked for by that hash first: its file is then not read at all.
    // The entry is in place before `recall` runs: what it answers may ask for the snapshot (`again`).
    const known = before?.(o.file);
    const claimed = recorded.get(o.name) ?? (known !== undefined && 'hash' in known ? known.hash : undefined);
    if (claimed !== undefined && scope?.recall !== undefined) {
      texts.set(o.owner, { file: o.file });
      const fromSum = scope.recall(o.owner, o.file, claimed, { kept, again });
      if (fromSum !== undefined) {
        hashes.set(o.owner, claimed);
        // The text is read only for a migration it lists that is missing, and kept for that error's code frame.
        checkChain({ owner: o.owner, migrations: fromSum.migrations }, o.file, () => {
          const text = reread(o.file);
          sources.set(o.file, text);
          return text;
        }, chain);
        continue;
      }
      texts.delete(o.owner);
    }
    const text = known !== undefined && 'text' in known ? known.text : readText(config.root, o.file, diagnostics);
    if (text === undefined) continue;
    sources.set(o.file, text);
    const hash = hashText(text);
    hashes.set(o.owner, hash);
    texts.set(o.owner, { file: o.file, text });
    const recalled = hash === claimed ? undefined : scope?.recall?.(o.owner, o.file, hash, { kept, again });
    if (recalled !== undefined) {
      checkChain({ owner: o.owner, migrations: recalled.migrations }, o.file, () => text, chain);
      continue;
    }
    const snapshot = checkedSnapshot(o.owner, o.file, text, diagnostics);
    if (snapshot === undefined) {
      texts.delete(o.owner);
      continue;
    }
    checkChain(snapshot, o.file, () => text, chain);
    scope?.visit?.(snapshot, o.file, { kept, again });
  }
  return map;
}

/** An owner's snapshot parsed and checked against its file name, or undefined (with diagnostics). */
function checkedSnapshot(owner: Owner, file: string, text: string, diagnostics: Diagnostic[]): Snapshot | undefined {
  const parsed = parseSnapshot(text, file);
  diagnostics.push(...parsed.diagnostics);
  if (parsed.snapshot === undefined) return undefined;
  if (parsed.snapshot.owner !== owner) {
    diagnostics.push(error('snapshot-owner', span(file), `this snapshot says owner '${parsed.snapshot.owner}' but its file name says '${owner}'`));
    return undefined;
  }
  return parsed.snapshot;
}

/**
 * The snapshots of a scoped read: those kept, and the others (valid when read, or taken from
 * the cache by the hash the snapshots' sum records: then read from their file) parsed on
 * first use, then kept. Iterating parses every one.
 */
class SnapshotMap implements ReadonlyMap<Owner, Snapshot> {
  readonly #kept: Map<Owner, Snapshot>;
  readonly #texts: ReadonlyMap<Owner, { readonly file: string; readonly text?: string }>;
  readonly #read: (file: string) => string;

  constructor(kept: Map<Owner, Snapshot>, texts: ReadonlyMap<Owner, { readonly file: string; readonly text?: string }>, read: (file: string) => string) {
    this.#kept = kept;
    this.#texts = texts;
    this.#read = read;
  }

  get size(): number {
    return this.#kept.size + [...this.#texts.keys()].filter((o) => !this.#kept.has(o)).length;
  }

  get(owner: Owner): Snapshot | undefined {
    let snapshot = this.#kept.get(owner);
    const source = snapshot === undefined ? this.#texts.get(owner) : undefined;
    if (source === undefined) return snapshot;
    // A file taken from the cache by its recorded hash that no longer parses (edited since; `check` says so) counts as empty.
    snapshot = parseSnapshot(source.text ?? this.#read(source.file), source.file).snapshot ?? emptySnapshot(owner);
    this.#kept.set(owner, snapshot);
    return snapshot;
  }

  has(owner: Owner): boolean {
    return this.#kept.has(owner) || this.#texts.has(owner);
  }

  *keys(): MapIterator<Owner> {
    yield* new Set([...this.#kept.keys(), ...this.#texts.keys()]);
  }

  *values(): MapIterator<Snapshot> {
    for (const owner of this.keys()) yield this.get(owner)!;
  }

  *entries(): MapIterator<[Owner, Snapshot]> {
    for (const owner of this.keys()) yield [owner, this.get(owner)!];
  }

  [Symbol.iterator](): MapIterator<[Owner, Snapshot]> {
    return this.entries();
  }

  forEach(fn: (value: Snapshot, key: Owner, map: ReadonlyMap<Owner, Snapshot>) => void): void {
    for (const [owner, snapshot] of this.entries()) fn(snapshot, owner, this);
  }
}

/** The owner named by a migration's `-- schemac: owner=…` first line. */
export function headerOwner(text: string): Owner | undefined {
  return /^-- schemac: owner=([a-z][a-z0-9_]*)[ \r\n]/.exec(text)?.[1];
}

function listFiles(root: string, dir: string, ext: string, diagnostics: Diagnostic[]): string[] {
  try {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith(ext))
      .map((e) => e.name)
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') diagnostics.push(ioError(toPosix(dir), e));
    return [];
  }
}

function readText(root: string, file: string, diagnostics: Diagnostic[], optional = false): string | undefined {
  try {
    return textOfBytes(fs.readFileSync(path.join(root, file)));
  } catch (e) {
    if (!(optional && (e as NodeJS.ErrnoException).code === 'ENOENT')) diagnostics.push(ioError(file, e));
    return undefined;
  }
}

function ioError(file: string, e: unknown): Diagnostic {
  return error('io', span(file), `cannot read ${file}: ${(e as Error).message}`);
}

function span(file: string): { file: string; start: number; end: number } {
  return { file, start: 0, end: 0 };
}


/** An OutputFile is a file a command writes: workspace-relative path and contents. */
export interface OutputFile {
  readonly path: string;
  readonly contents: string;
}

/**
 * Writes files atomically: every file goes to a temporary sibling first, then each is
 * renamed into place, so a failure part-way never leaves a half-written file. Resolves to
 * an error message, or undefined on success.
 */
export function writeFiles(root: string, files: readonly OutputFile[]): string | undefined {
  const staging = createStaging(root);
  try {
    for (const f of files) staging.stage(f.path, f.contents);
    staging.commit();
    return undefined;
  } catch (e) {
    staging.abort();
    return (e as Error).message;
  }
}

/** Removes workspace-relative files (one already gone is no error); the error message of the first that could not be removed, if any. */
export function removeFiles(root: string, files: readonly string[]): string | undefined {
  try {
    for (const f of files) fs.rmSync(path.join(root, f), { force: true });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The names of the entries of a workspace-relative folder, sorted; empty when it does not exist or cannot be read. */
function listFolder(root: string, dir: string): string[] {
  try {
    return fs.readdirSync(path.join(root, dir)).sort();
  } catch {
    return [];
  }
}

/** A workspace's files as they are: a folder's entries, a file's text (see `listFolder`, `readIfExists`). */
export function workspaceFiles(root: string): { list(dir: string): string[]; read(file: string): string | undefined } {
  return { list: (dir) => listFolder(root, dir), read: (file) => readIfExists(root, file) };
}

/** True when a workspace-relative file exists. */
export function fileExists(root: string, file: string): boolean {
  return fs.existsSync(path.join(root, file));
}

/** The text of a workspace-relative file, or undefined when it does not exist or cannot be read. */
export function readIfExists(root: string, file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
}
