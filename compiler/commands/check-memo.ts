/**
 * A per-user memo of `check`'s findings per org, so that `check` on an org's pull request
 * parses, lints, plans and renders that org only. An org's entry is keyed by a hash of
 * everything its findings depend on: its models files, its snapshot, its migrations and its
 * types module (each file's path and text), core's models files and snapshot, the config, the
 * orgs whose names extend its own or that its name extends (see `relatedOrgs`) and the schemac build. Only an org whose findings held no error and about whose
 * files nothing was stale is remembered, with its warnings; an org whose key matches an entry
 * is then not loaded at all, and its warnings are reported as they were.
 *
 * What every org shares is still checked in every run: both sums against every file (each
 * read whole), the types' index against every owner's names, the migrations the snapshots
 * depend on, and core. A finding between a loaded org and a remembered one (two orgs
 * declaring one name) comes from the loaded org's side, at its file. Lives with the other
 * caches (`cacheDir`: off under `SCHEMAC_NO_CACHE=1` and in tests); a missing, damaged or
 * foreign entry only costs the org's load.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics.ts';
import { typesLayout } from '../emit/index.ts';
import { hashBytes, hashText, headerOwner, migrationPath, readIfExists, snapshotPath, workspaceFiles } from '../engine/index.ts';
import type { Known } from '../engine/index.ts';
import { cacheDir } from '../shared/index.ts';
import type { Config, Owner, SourceFile, Span } from '../ir.ts';
import { CORE } from '../ir.ts';
import { readEntry, storeEntry } from './cache-entries.ts';
import { workspaceOrgs } from './ownership-io.ts';
import type { CheckProblem } from './workspace-io.ts';

/** Bump when what `check` finds about an org, or what an entry holds, changes in a way the build stamp would not show. */
const MEMO_VERSION = 'check-org-v1';
const FOLDER = MEMO_VERSION;
/** Entries kept; past it, the oldest are removed when a new one is written. */
const MAX_ENTRIES = 5_000;

/** One entry: the org, the key it was stored under, and its warnings. */
interface Entry {
  readonly version: string;
  readonly owner: Owner;
  readonly key: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** The memo's view of one `check`: which orgs it answers for, and what it learns from this run. */
export interface CheckMemo {
  /** `loadWorkspace`'s `choose`: keys every org and returns the owners to load (undefined: every owner). */
  readonly choose: (found: readonly SourceFile[], config: Config) => readonly Owner[] | undefined;
  /** The orgs answered from the memo, each with the warnings it had. */
  readonly skipped: ReadonlyMap<Owner, readonly Diagnostic[]>;
  /** The texts of the files the remembered orgs' warnings point into (path → text), for their code frames. */
  readonly sources: ReadonlyMap<string, string>;
  /**
   * Remembers each org loaded in this run none of whose files has an error or a problem (only
   * after a run that checked everything: models, plans and types).
   */
  remember(diagnostics: readonly Diagnostic[], problems: readonly CheckProblem[]): void;
}

/** An org's files and the key they make. */
interface Keyed {
  readonly key: string;
  readonly files: ReadonlySet<string>;
}

/**
 * A CheckMemo in `dir`; undefined when caching is off. The hash and first bytes of every
 * file of an org it answers for are put in `reads` (see `ReadBefore`): the rest of the run
 * then does not read them again.
 */
export function checkMemo(dir: string | undefined, reads: Map<string, Known>): CheckMemo | undefined {
  if (dir === undefined) return undefined;
  const folder = path.join(dir, FOLDER);
  const keyed = new Map<Owner, Keyed>();
  const skipped = new Map<Owner, readonly Diagnostic[]>();
  const sources = new Map<string, string>();
  let off = false;
  const choose = (found: readonly SourceFile[], config: Config): Owner[] | undefined => {
    // The config's folder is known now: a cache inside it is not used (see `workspaceRoot`).
    if ((off = cacheDir() === undefined)) return undefined;
    const byOwner = groupBy(found, (f) => f.owner);
    const root = config.root;
    const migrations = migrationsByOwner(config);
    const orgs = workspaceOrgs(config, [...byOwner.keys(), ...migrations.keys()]);
    const shared = sharedKey(config, byOwner.get(CORE) ?? [], hashOf(root, snapshotPath(config, CORE))?.hash);
    const related = relatedOrgs(orgs);
    const types = typesLayout(config.out.types);
    for (const [owner, files] of byOwner) {
      if (owner === CORE) continue;
      const generated = [...(migrations.get(owner) ?? [])];
      const snapshot = hashOf(root, snapshotPath(config, owner));
      if (snapshot !== undefined) generated.push([snapshotPath(config, owner), snapshot]);
      const own: (readonly [string, string | undefined])[] = [
        ...files.map((f) => [f.path, hashText(f.text)] as const),
        ...generated.map(([file, read]) => [file, read.hash] as const),
        ...(snapshot === undefined ? [[snapshotPath(config, owner), undefined] as const] : []),
        [types.modulePath(owner), hashOf(root, types.modulePath(owner))?.hash],
      ];
      const hash = crypto.createHash('sha256').update(shared).update(`\0${owner}\0${related(owner).join(',')}`);
      for (const [file, h] of own) hash.update(`\0${file}\0${h ?? '-'}`);
      const key = hash.digest('hex');
      keyed.set(owner, { key, files: new Set(own.map(([file]) => file)) });
      const entry = readEntry(folder, key.slice(0, 40)) as Entry | undefined;
      if (!wellFormed(entry, owner, key)) continue;
      skipped.set(owner, entry.diagnostics);
      for (const [file, read] of generated) reads.set(file, read);
      // The texts its warnings point into, for their code frames.
      const named = new Set(entry.diagnostics.flatMap((d) => [d.span.file, ...(d.related ?? []).map((r) => r.span.file)]));
      for (const f of files) if (named.has(f.path)) sources.set(f.path, f.text);
      for (const [file] of generated) {
        const text = named.has(file) ? readIfExists(root, file) : undefined;
        if (text !== undefined) sources.set(file, text);
      }
    }
    if (skipped.size === 0) return undefined;
    const owners = new Set([...byOwner.keys(), ...migrations.keys(), ...orgs]);
    return [...owners].filter((o) => !skipped.has(o));
  };
  const remember = (diagnostics: readonly Diagnostic[], problems: readonly CheckProblem[]): void => {
    // Without every module the index names, the one-line finding about the modules' folder is about every org.
    if (off || problems.some((p) => p.rule === 'types-missing')) return;
    for (const [owner, { key, files }] of keyed) {
      if (skipped.has(owner)) continue;
      const touches = (d: Diagnostic) => files.has(d.span.file) || (d.related ?? []).some((r) => files.has(r.span.file));
      if (problems.some((p) => files.has(p.file)) || diagnostics.some((d) => d.severity === 'error' && touches(d))) continue;
      const entry: Entry = { version: MEMO_VERSION, owner, key, diagnostics: diagnostics.filter((d) => files.has(d.span.file)) };
      storeEntry(folder, key.slice(0, 40), entry, MAX_ENTRIES);
    }
  };
  return { choose, skipped, sources, remember };
}

/** The part of every org's key that is not its own: the build, the config, and core's models and snapshot. */
function sharedKey(config: Config, core: readonly SourceFile[], coreSnapshot: string | undefined): string {
  const { root: _root, file: _file, ...settings } = config;
  const hash = crypto.createHash('sha256').update(`${MEMO_VERSION}\0${buildStamp()}\0${JSON.stringify(settings)}`);
  for (const f of core) hash.update(`\0${f.path}\0${hashText(f.text)}`);
  hash.update(`\0${coreSnapshot ?? '-'}`);
  return hash.digest('hex');
}

/**
 * The orgs an org's findings depend on: those whose names extend its own or that its name
 * extends. Another org matters to an org's findings only through the namespaces (a name inside
 * a longer org's prefix is that org's: `acme` and `acme_corp`), and every name a remembered org
 * declares is in its own (its migrations passed the ownership check, which allows no other,
 * whatever the lint config says). So a new org's pull request leaves the other orgs remembered.
 */
function relatedOrgs(orgs: readonly string[]): (owner: Owner) => readonly string[] {
  return (owner) => orgs.filter((o) => o.startsWith(`${owner}_`) || owner.startsWith(`${o}_`));
}

/** A generated file's hash (`hashText` of its text: see `hashBytes`) and first bytes (a migration's header). */
interface FileRead {
  readonly hash: string;
  readonly head: string;
}

/** Every migration file with a header, by the owner it names. */
function migrationsByOwner(config: Config): Map<Owner, (readonly [string, FileRead])[]> {
  const out = new Map<Owner, (readonly [string, FileRead])[]>();
  for (const name of workspaceFiles(config.root).list(config.out.migrations).filter((n) => n.endsWith('.sql')).sort()) {
    const file = migrationPath(config, name);
    const read = hashOf(config.root, file);
    const owner = read === undefined ? undefined : headerOwner(read.head);
    if (owner === undefined || read === undefined) continue;
    (out.get(owner) ?? out.set(owner, []).get(owner)!).push([file, read]);
  }
  return out;
}

/** Enough of a migration for its header line (see `headerOwner`). */
const HEAD_BYTES = 256;

/** One buffer every file is read into in turn: reading a large workspace allocates no memory per file. */
let scratch = Buffer.alloc(1 << 20);

/**
 * The hash and first bytes of a workspace-relative file, or undefined when it does not exist or
 * cannot be read. The hash is `hashText` of the file's text, taken from the bytes (`hashBytes`).
 */
function hashOf(root: string, file: string): FileRead | undefined {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = fs.openSync(path.join(root, file), 'r');
    const size = fs.fstatSync(fd).size;
    if (size >= scratch.length) scratch = Buffer.alloc(Math.max(size + 1, scratch.length * 2));
    let n = 0;
    while (n < scratch.length) {
      const got = fs.readSync(fd, scratch, n, scratch.length - n, n);
      if (got === 0) break;
      n += got;
    }
    // A file that grew while it was read is read again whole.
    bytes = n < scratch.length ? scratch.subarray(0, n) : fs.readFileSync(path.join(root, file));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, HEAD_BYTES));
  return { hash: hashBytes(bytes), head };
}

let stamp: string | undefined;
/**
 * The schemac build that runs: the name and a hash of its code's file (a bundle's chunk names
 * hash their content and the chunks they import, so a rebuilt or upgraded schemac matches no
 * entry; an install's file times differ from one install to the next, so they are not used).
 */
function buildStamp(): string {
  if (stamp !== undefined) return stamp;
  try {
    const file = fileURLToPath(import.meta.url);
    stamp = `${path.basename(file)}:${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
  } catch {
    stamp = 'unknown';
  }
  return stamp;
}

function groupBy<T, K>(xs: readonly T[], by: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of xs) (out.get(by(x)) ?? out.set(by(x), []).get(by(x))!).push(x);
  return out;
}

/** True when a parsed entry is the one for `owner` under `key`, with diagnostics of the right shape. */
function wellFormed(entry: Entry | undefined, owner: Owner, key: string): entry is Entry {
  if (entry?.version !== MEMO_VERSION || entry.owner !== owner || entry.key !== key || !Array.isArray(entry.diagnostics)) return false;
  const span = (s: Span | undefined) => typeof s?.file === 'string' && Number.isInteger(s.start) && Number.isInteger(s.end);
  return entry.diagnostics.every((d) => typeof d?.code === 'string' && (d.severity === 'warn' || d.severity === 'info') && typeof d.message === 'string'
    && (d.hint === undefined || typeof d.hint === 'string') && span(d.span)
    && (d.related === undefined || (Array.isArray(d.related) && d.related.every((r: { readonly message?: unknown; readonly span?: Span } | undefined) => typeof r?.message === 'string' && span(r.span)))));
}
