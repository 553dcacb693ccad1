/**
 * Stage 1: find every models file the config's globs match, with its owner (`core`, or the
 * org captured by `{org}`) and its text. Deterministic: sorted by path.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { Config, Owner, SourceFile } from '../ir.ts';
import { CORE, ORG_NAME } from '../ir.ts';
import { decodeSource, spanOf } from './parse.ts';

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
const MAX_FILES = 100_000;

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

/**
 * Lists every file under `dir` (workspace-relative, forward slashes), skipping node_modules,
 * symlinked folders and the folders `prune` says need not be walked.
 */
export function walkFiles(root: string, dir: string, prune?: (folder: string) => boolean): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && out.length < MAX_FILES) {
    const rel = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const child = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !prune?.(child)) stack.push(child);
      } else if (e.isFile() || (e.isSymbolicLink() && isFileLink(path.join(root, child)))) out.push(child);
    }
  }
  return out;
}

/** A symlink to a file is followed; a symlink to a folder is not (no cycles). */
function isFileLink(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds every models file of the workspace and reads those of the `wanted` owners (default:
 * every owner). The folder of an org that is neither wanted nor needed to know it exists
 * (`known`: it has a snapshot) is not walked, so a command about one org costs that org.
 */
export function discover(config: Config, wanted?: ReadonlySet<Owner>, known: ReadonlySet<Owner> = new Set()): Discovered {
  const core = config.core.map(compileGlob);
  const custom = config.custom.map(compileGlob);
  const bases = [...new Set([...core, ...custom].map((g) => g.base).concat(['schemas']))];
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
  const candidates = [...new Set(bases.flatMap((b) => walkFiles(config.root, b, prune)))].sort();
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rel of candidates) {
    const owner = ownerOf(rel, core, custom, diagnostics);
    if (owner === undefined) continue;
    if (wanted !== undefined && !wanted.has(owner)) {
      skipped.add(owner);
      continue;
    }
    const read = readSource(config.root, rel);
    if ('problem' in read) diagnostics.push(error('unreadable-file', spanOf(rel, 0, 0), read.problem));
    else files.push({ path: rel, owner, text: read.text });
  }
  return { files, diagnostics, skippedOwners: [...skipped].sort() };
}

/** The owner of a candidate path, or undefined (with a diagnostic when it looks like a stray models file). */
function ownerOf(rel: string, core: readonly Glob[], custom: readonly Glob[], diagnostics: Diagnostic[]): Owner | undefined {
  if (core.some((g) => matchGlob(g, rel) !== undefined)) return CORE;
  for (const g of custom) {
    const org = matchGlob(g, rel);
    if (org === undefined) continue;
    if (ORG_NAME.test(org) && org !== CORE) return org;
    const why = org === CORE ? "'core' is reserved for the core team" : 'org names are lowercase letters, digits and _, starting with a letter, at most 31 characters';
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

function readSource(root: string, rel: string): { text: string } | { problem: string } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(root, rel));
  } catch {
    return { problem: `${rel} cannot be read` };
  }
  return decodeSource(bytes);
}
