/**
 * What the compiler has written before: the snapshots (`<out.snapshots>/<owner>.json`),
 * the migration files and `schemac.sum`. Reading them is the commands' edge; they also
 * write through `writeFiles` here, atomically and only once everything was computed.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import { ORG_NAME } from './config.ts';
import { toPosix } from './config-load.ts';
import type { Diagnostic } from './diagnostics.ts';
import { error } from './diagnostics.ts';
import type { Owner, Snapshot } from './ir.ts';
import { CORE, emptySnapshot } from './ir.ts';
import { parseSnapshot } from './snapshot.ts';
import { createStaging } from './staging.ts';
import { SUM_FILE, recordedHashes } from './sum.ts';

/**
 * An ExistingMigration is a migration file found in the migrations folder. `Text` is
 * `string`, or `string | undefined` for a read scoped to some owners (see `readDiskState`).
 */
export interface ExistingMigration<Text extends string | undefined = string> {
  readonly name: string;
  /** From the `-- schemac: owner=…` header; undefined when the header is unreadable. */
  readonly owner?: Owner;
  readonly text: Text;
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
  readonly diagnostics: readonly Diagnostic[];
}

/** Workspace-relative path (forward slashes) of an owner's snapshot. */
export function snapshotPath(config: Config, owner: Owner): string {
  return toPosix(path.join(config.out.snapshots, `${owner}.json`));
}

/** Workspace-relative path of a migration file or of `schemac.sum`. */
export function migrationPath(config: Config, name: string): string {
  return toPosix(path.join(config.out.migrations, name));
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
 * Reads the snapshots, migrations and sum of a workspace; problems become diagnostics. A
 * read scoped to some owners (a command about one org) reads in full only their migrations
 * and those the sum does not record; of the others, whose hashes the sum holds, only the
 * header (their `text` is undefined).
 */
export function readDiskState(config: Config): DiskState;
export function readDiskState(config: Config, scope: ReadonlySet<Owner> | undefined): DiskState<string | undefined>;
export function readDiskState(config: Config, scope?: ReadonlySet<Owner>): DiskState<string | undefined> {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const snapshots = readSnapshots(config, sources, diagnostics);
  const sumText = readText(config.root, sumPath(config), diagnostics, true);
  const recorded = scope === undefined || sumText === undefined ? new Set<string>() : new Set(recordedHashes(sumText).keys());
  const migrations = listFiles(config.root, config.out.migrations, '.sql', diagnostics).map((name) => {
    const file = migrationPath(config, name);
    if (recorded.has(name)) {
      const owner = headerOwner(readHead(config.root, file, diagnostics));
      if (owner !== undefined && !scope!.has(owner)) return { name, owner, text: undefined };
    }
    const text = readText(config.root, file, diagnostics) ?? '';
    return { name, owner: headerOwner(text), text };
  });
  return { snapshots, sources, migrations, sumText, diagnostics };
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

function readSnapshots(config: Config, sources: Map<string, string>, diagnostics: Diagnostic[]): Map<Owner, Snapshot> {
  const snapshots = new Map<Owner, Snapshot>();
  for (const name of listFiles(config.root, config.out.snapshots, '.json', diagnostics)) {
    const owner = name.slice(0, -'.json'.length);
    const file = snapshotPath(config, owner);
    const text = readText(config.root, file, diagnostics);
    if (text === undefined) continue;
    sources.set(file, text);
    if (owner !== CORE && !ORG_NAME.test(owner)) {
      diagnostics.push(error('snapshot-name', span(file), `'${name}' is not the snapshot of an owner ('core' or an org name)`));
      continue;
    }
    const parsed = parseSnapshot(text, file);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.snapshot === undefined) continue;
    if (parsed.snapshot.owner !== owner) {
      diagnostics.push(error('snapshot-owner', span(file), `this snapshot says owner '${parsed.snapshot.owner}' but its file name says '${owner}'`));
      continue;
    }
    snapshots.set(owner, parsed.snapshot);
  }
  return snapshots;
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
    return fs.readFileSync(path.join(root, file), 'utf8');
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
