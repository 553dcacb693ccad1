/**
 * Stage 1: find every models file the config's globs match, with its owner (`core`, or the
 * org captured by `{org}`) and its text. Deterministic: sorted by path. Nothing outside the
 * workspace is read (a symlink that leads out is refused at its path), and the walk is
 * bounded per org folder and in all: past a limit it stops there with an error, never silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { error, warning } from '../diagnostics.ts';
import type { Config, Owner, SourceFile } from '../ir.ts';
import { CORE, ORG_NAME } from '../ir.ts';
import { reservedOrgName } from './namespaces.ts';
import { decodeSource, MAX_FILE_BYTES, spanOf } from './parse.ts';

/** The result of discovery: readable source files and problems with the others. */
export interface Discovered {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
  /**
   * Owners not read (see `discover`'s `wanted`): those of models files found but not read,
   * and those of org folders not walked.
   */
  readonly skippedOwners: Owner[];
}

/** A Glob is a compiled path pattern: `**` any folders, `*` part of a name, `{org}` a captured folder. */
export interface Glob {
  readonly pattern: string;
  /** The literal leading folders, where walking starts. */
  readonly base: string;
  /** When `{org}` is a whole folder right below `base`: each folder in `base` is an org's. */
  readonly orgFolders: boolean;
  readonly regex: RegExp;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/** DiscoverLimits bound the walk of the models folders: past one, discovery stops there with an error, never silently. */
export interface DiscoverLimits {
  /** Files and folders under one org's folder: an org's junk stops the walk of its own folder only. */
  readonly perOrg: number;
  /** Files and folders in all. */
  readonly total: number;
}

/** The default limits: far above any real workspace, low enough that walking them takes well under a second. */
export const DISCOVER_LIMITS: DiscoverLimits = { perOrg: 10_000, total: 100_000 };

/** Compiles a glob pattern. */
export function compileGlob(pattern: string): Glob {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const literal: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (/[*?{]/.test(s)) break;
    literal.push(s);
  }
  let re = '';
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const last = i === segments.length - 1;
    if (s === '**') re += last ? '.*' : '(?:[^/]+/)*';
    else re += segmentRegex(s) + (last ? '' : '/');
  }
  return { pattern, base: literal.join('/'), orgFolders: segments[literal.length] === '{org}', regex: new RegExp(`^${re}$`) };
}

function segmentRegex(segment: string): string {
  return segment
    .split(/(\{org\}|\*|\?)/)
    .map((part) => (part === '{org}' ? '(?<org>[^/]+)' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
}

/** Matches a workspace-relative path; the captured org (or '') when it matches, else undefined. */
export function matchGlob(glob: Glob, relPath: string): string | undefined {
  const m = glob.regex.exec(relPath);
  return m ? (m.groups?.org ?? '') : undefined;
}

const OUTSIDE_HINT = 'models files and their folders must lie inside the workspace';

/** A Candidate is a file found by the walk: its workspace-relative path and the path to read it from. */
interface Candidate {
  readonly rel: string;
  /** Absolute path to read: a symlink's target, checked to be inside the workspace; undefined when it is not. */
  readonly read?: string;
  /** Why a symlink cannot be read (it leads outside the workspace, or nowhere), with the diagnostic's code. */
  readonly problem?: { readonly code: string; readonly message: string };
}

/** A Walk is the state of one discovery's walk over the models folders. */
interface Walk {
  readonly root: string;
  /** The workspace root with every symlink resolved: every file read lies under it. */
  readonly realRoot: string;
  /** Folders (with a trailing `/`, or '' for the root) whose subfolders are org folders. */
  readonly parents: ReadonlySet<string>;
  readonly prune?: (folder: string) => boolean;
  readonly limits: DiscoverLimits;
  readonly found: Map<string, Candidate>;
  readonly problems: Diagnostic[];
  /** Entries seen, in all and per org folder. */
  readonly seen: { total: number; perOrg: Map<string, number> };
  /** Org folders whose walk stopped at the limit. */
  readonly stopped: Set<string>;
  full: boolean;
}

/** Whether `real` (a resolved path) lies inside the workspace. */
function inside(walk: Walk, real: string): boolean {
  return real === walk.realRoot || real.startsWith(walk.realRoot.endsWith(path.sep) ? walk.realRoot : walk.realRoot + path.sep);
}

/** The resolved path of `rel`, or why it cannot be followed (`code`: the diagnostic's). */
function resolveLink(walk: Walk, rel: string): { real: string } | { code: string; problem: string } {
  let real: string;
  try {
    real = fs.realpathSync(path.join(walk.root, rel));
  } catch {
    return { code: 'unreadable-file', problem: `${rel} cannot be followed: it is missing, or a symbolic link that leads nowhere` };
  }
  if (!inside(walk, real)) return { code: 'path-outside-workspace', problem: `${rel} resolves outside the workspace (through a symbolic link), so it is not read` };
  return { real };
}

/**
 * Walks `base` (workspace-relative; its walk starts only when it resolves inside the
 * workspace), adding files to `walk.found`. Symlinked files are followed inside the
 * workspace only; symlinked folders never are.
 */
function walkBase(walk: Walk, base: string): void {
  const at = resolveLink(walk, base);
  if ('problem' in at) {
    if (isLink(path.join(walk.root, base)) || at.code === 'path-outside-workspace') walk.problems.push(error(at.code, spanOf(base, 0, 0), at.problem, OUTSIDE_HINT));
    return;
  }
  const stack: Array<{ rel: string; org: string }> = [{ rel: base, org: '' }];
  while (stack.length > 0 && !walk.full) {
    const { rel, org } = stack.pop()!;
    if (walk.stopped.has(org)) continue;
    const entries = readFolder(walk, rel);
    for (const e of entries) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      const childOrg = org === '' && e.isDirectory() && walk.parents.has(rel === '' ? '' : `${rel}/`) ? child : org;
      if (!count(walk, childOrg, child)) break;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !walk.prune?.(child)) stack.push({ rel: child, org: childOrg });
      } else if (e.isFile()) walk.found.set(child, { rel: child, read: path.join(walk.root, child) });
      else if (e.isSymbolicLink() && !SKIP_DIRS.has(e.name)) followLink(walk, child);
    }
  }
}

/** The entries of a folder; an unreadable folder is an error (a folder that vanished is not). */
function readFolder(walk: Walk, rel: string): fs.Dirent[] {
  try {
    return fs.readdirSync(path.join(walk.root, rel), { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') walk.problems.push(error('unreadable-folder', spanOf(rel, 0, 0), `the folder ${rel} cannot be read (${code ?? 'error'}): models files in it are not compiled`));
    return [];
  }
}

/** Counts one entry; false (with an error, once) when a limit is passed and the walk of its org folder, or of everything, stops. */
function count(walk: Walk, org: string, rel: string): boolean {
  walk.seen.total++;
  if (walk.seen.total > walk.limits.total) {
    walk.full = true;
    walk.problems.push(error('too-many-files', spanOf(rel, 0, 0), `discovery stopped at ${rel}: the models folders hold more than ${walk.limits.total} files and folders, so models files past this one are not compiled`, 'keep only models files (and what belongs with them) under the models folders'));
    return false;
  }
  if (org === '') return true;
  const n = (walk.seen.perOrg.get(org) ?? 0) + 1;
  walk.seen.perOrg.set(org, n);
  if (n <= walk.limits.perOrg) return true;
  walk.stopped.add(org);
  walk.problems.push(error('too-many-files', spanOf(org, 0, 0), `${org} holds more than ${walk.limits.perOrg} files and folders: discovery stopped there, so this org's models files are not all compiled`, `keep only models files (and what belongs with them) in ${org}`));
  return false;
}

/**
 * A symlinked file is read from its target when that lies inside the workspace (else it is
 * refused when it is a models file); a symlinked folder is never walked: one that leads
 * outside the workspace is an error, one inside a warning.
 */
function followLink(walk: Walk, rel: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path.join(walk.root, rel));
  } catch {
    walk.found.set(rel, { rel, problem: { code: 'unreadable-file', message: `${rel} is a symbolic link that leads nowhere` } });
    return;
  }
  const to = resolveLink(walk, rel);
  if (stat.isDirectory()) {
    if ('problem' in to) walk.problems.push(error(to.code, spanOf(rel, 0, 0), `the folder ${rel} resolves outside the workspace (through a symbolic link), so it is not walked`, OUTSIDE_HINT));
    else walk.problems.push(warning('symlink-not-followed', spanOf(rel, 0, 0), `the folder ${rel} is a symbolic link, which discovery does not follow: models files in it are not compiled`, 'move the files into the workspace\'s own folders'));
  } else if (stat.isFile()) walk.found.set(rel, 'problem' in to ? { rel, problem: { code: to.code, message: to.problem } } : { rel, read: to.real });
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The bases to walk: none inside another (a folder is walked once). */
function outermost(bases: readonly string[]): string[] {
  const sorted = [...new Set(bases)].sort();
  return sorted.filter((b) => !sorted.some((o) => o !== b && (o === '' || b.startsWith(`${o}/`))));
}

/**
 * Finds every models file of the workspace and reads those of the `wanted` owners (default:
 * every owner). The folder of an org that is neither wanted nor needed to know it exists
 * (`known`: it has a snapshot) is not walked, so a command about one org costs that org.
 */
export function discover(config: Config, wanted?: ReadonlySet<Owner>, known: ReadonlySet<Owner> = new Set(), limits: DiscoverLimits = DISCOVER_LIMITS): Discovered {
  const core = config.core.map(compileGlob);
  const custom = config.custom.map(compileGlob);
  const skipped = new Set<Owner>();
  const parents = new Set(custom.filter((g) => g.orgFolders).map((g) => (g.base === '' ? '' : `${g.base}/`)));
  const prune = (folder: string): boolean => {
    if (wanted === undefined) return false;
    const cut = folder.lastIndexOf('/') + 1;
    const org = folder.slice(cut);
    if (!parents.has(folder.slice(0, cut)) || wanted.has(org) || !known.has(org)) return false;
    skipped.add(org);
    return true;
  };
  const walk = startWalk(config.root, parents, prune, limits);
  for (const base of outermost([...core, ...custom].map((g) => g.base).concat(['schemas']))) walkBase(walk, base);
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [...walk.problems];
  for (const rel of [...walk.found.keys()].sort()) {
    const owner = ownerOf(rel, core, custom, diagnostics);
    if (owner === undefined) continue;
    if (wanted !== undefined && !wanted.has(owner)) {
      skipped.add(owner);
      continue;
    }
    const found = walk.found.get(rel)!;
    if (found.problem !== undefined) {
      const hint = found.problem.code === 'path-outside-workspace' ? OUTSIDE_HINT : undefined;
      diagnostics.push(error(found.problem.code, spanOf(rel, 0, 0), found.problem.message, hint));
      continue;
    }
    const read = readSource(found.read!, rel);
    if ('problem' in read) diagnostics.push(error('unreadable-file', spanOf(rel, 0, 0), read.problem));
    else files.push({ path: rel, owner, text: read.text });
  }
  return { files, diagnostics, skippedOwners: [...skipped].sort() };
}

function startWalk(root: string, parents: ReadonlySet<string>, prune: (folder: string) => boolean, limits: DiscoverLimits): Walk {
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    realRoot = path.resolve(root);
  }
  return { root, realRoot, parents, prune, limits, found: new Map(), problems: [], seen: { total: 0, perOrg: new Map() }, stopped: new Set(), full: false };
}

/** The owner of a candidate path, or undefined (with a diagnostic when it looks like a stray models file). */
function ownerOf(rel: string, core: readonly Glob[], custom: readonly Glob[], diagnostics: Diagnostic[]): Owner | undefined {
  if (core.some((g) => matchGlob(g, rel) !== undefined)) return CORE;
  for (const g of custom) {
    const org = matchGlob(g, rel);
    if (org === undefined) continue;
    const reserved = ORG_NAME.test(org) ? reservedOrgName(org) : undefined;
    if (ORG_NAME.test(org) && reserved === undefined) return org;
    const why = reserved ?? 'org names are lowercase letters, digits and _, starting with a letter, at most 31 characters';
    diagnostics.push(error('invalid-org', spanOf(rel, 0, 0), `'${org}' is not a valid org name (from the folder in ${rel}): ${why}`, 'rename the folder'));
    return undefined;
  }
  const bases = [...core, ...custom].map((g) => g.base).filter((b) => b !== '').concat('schemas');
  if (/(^|\/)models\.ya?ml$/.test(rel) && bases.some((b) => rel.startsWith(`${b}/`))) {
    const patterns = [...core, ...custom].map((g) => g.pattern).join(', ');
    diagnostics.push(error('unmatched-file', spanOf(rel, 0, 0), `${rel} matches no core or custom pattern of the config, so it is not compiled`, `models files live at ${patterns}`));
  }
  return undefined;
}

/** Reads a models file, refusing one over the size limit before reading it. */
function readSource(file: string, rel: string): { text: string } | { problem: string } {
  let bytes: Buffer;
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) return { problem: `${rel} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
    bytes = fs.readFileSync(file);
  } catch {
    return { problem: `${rel} cannot be read` };
  }
  return decodeSource(bytes);
}
