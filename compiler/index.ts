/**
 * The front end, wired: config → discover → parse → validate → resolve → fragments → lint.
 * Each stage is a pure function; this module reads the files (the per-user cache of
 * accepted SQL fragments, and the snapshots when only some owners are loaded) and passes
 * data along.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config/index.ts';
import type { Diagnostic } from './diagnostics.ts';
import { error, sortDiagnostics, warning } from './diagnostics.ts';
import type { DiskState, OutsideRecall, OutsideVisitor, ReadBefore } from './engine/index.ts';
import { readDiskState } from './engine/index.ts';
import type { DeclaredName, Discovered, ExternalNames, FileCache, FileResult, FragmentOptions, TypingContext, YamlDocument } from './front/index.ts';
import {
  ALLOWLIST_SALT, combineExternalNames, defaultExpectation, discover, externalNames, externalNamesOf, fragmentKey, fragmentTyping,
  hasFragmentSql, loadFragmentChecker, lookedUpNames, nodeAt, nodeSpan, parseYaml, readAccepted, recogniseTree, rememberAccepted,
  rememberFragmentSql, resolve, typeFragment, typeParsedFragment, validate,
} from './front/index.ts';
import type { Config, Fragment, LintSettings, ModelFile, Owner, SourceFile, Span, Workspace } from './ir.ts';
import { CORE, ORG_NAME } from './ir.ts';
import { isLockedFor, LOCKED_RULES, lintWorkspace, RULE_IDS } from './lint/index.ts';
import { cacheDir, closest, trace } from './shared/index.ts';


/** Options of `loadWorkspace`. */
export interface LoadOptions {
  readonly cwd: string;
  readonly configPath?: string;
  /** Run the lint rules (default true). */
  readonly lint?: boolean;
  /**
   * Load only these owners' models (core's always are): a command about one org reads that
   * org and core, and takes the other owners' names (still unique workspace-wide) and
   * tables (for ownership checks) from their snapshots. Default: every owner.
   */
  readonly owners?: readonly Owner[];
  /** Read what was generated before (snapshots, migrations, sum) and return it as `state`; a partial load always does. */
  readonly readState?: boolean;
  /** With a partial load: read every generated file whole, trusting neither sum (see `ScopedRead.whole`). */
  readonly wholeState?: boolean;
  /** The bytes of a generated file the caller read before, if it did (see `ReadBefore`). */
  readonly read?: ReadBefore;
  /**
   * Instead of `owners`: told every models file found (each read), returns the owners whose
   * models to load (core's always are), or undefined for every owner. The other owners' files
   * are then dropped unparsed, as with `owners`.
   */
  readonly choose?: (found: readonly SourceFile[], config: Config) => readonly Owner[] | undefined;
  /** Parsed files kept across loads by a long-running process (the watcher): only changed files are parsed again. */
  readonly fileCache?: FileCache;
  /**
   * With `owners`: the names of the owners not loaded, when the caller holds them (the
   * watcher, from their models); the snapshots are then not read. Default: from the snapshots.
   */
  readonly external?: ExternalNames;
  /**
   * With `owners`: sees each other owner's snapshot as it is read, for what the command
   * takes of it besides its names; the snapshot is let go after (see `ScopedRead`).
   */
  readonly outside?: OutsideVisitor;
  /**
   * With `owners`: answers for another owner's snapshot from what was kept of a file with the
   * same hash before (its names and migrations, see `OutsideDigest`); that snapshot is then
   * neither parsed nor shown to `outside` (see `ScopedRead.recall`).
   */
  readonly recall?: (owner: Owner, file: string, hash: string, context: Parameters<OutsideRecall>[3]) => OutsideDigest | undefined;
}

/** An OutsideDigest is what a command about some owners needs of another owner's snapshot, kept from an earlier read of it. */
export interface OutsideDigest {
  /** The migrations the snapshot lists. */
  readonly migrations?: readonly string[];
  /** Every name it holds (see `declaredNames`), asked for only when the loaded files may look up one of them (see `mayDeclare`). */
  readonly declared: () => readonly DeclaredName[];
}

/** Everything the front end knows about a workspace. */
export interface LoadResult {
  /** Undefined when the config itself is invalid (the command exits 2). */
  readonly config?: Config;
  readonly configError: boolean;
  /** Workspace-relative path (forward slashes) → text, for every file read (config included). */
  readonly sources: ReadonlyMap<string, string>;
  /** Workspace-relative paths of every discovered models file, sorted. */
  readonly files: readonly string[];
  /** Built even when some nodes had errors (the bad nodes are dropped). */
  readonly workspace?: Workspace;
  /** Config, discover, parse, validate, resolve and lint diagnostics, sorted. */
  readonly diagnostics: Diagnostic[];
  /** The owners whose models were loaded; undefined when every owner's were. */
  readonly loadedOwners?: readonly Owner[];
  /** What was generated before, when `readState` or `owners` asked for it (with `owners`, read for them: see `readDiskState`). */
  readonly state?: DiskState<string | undefined>;
}

/** Loads, validates, resolves and lints the workspace at `opts.cwd` (or only the owners `opts.owners` names). */
export async function loadWorkspace(opts: LoadOptions): Promise<LoadResult> {
  const sources = new Map<string, string>();
  const loaded = loadConfig(opts.cwd, opts.configPath);
  if (loaded.source) sources.set(loaded.source.path, loaded.source.text);
  if (!loaded.config) return { configError: true, sources, files: [], diagnostics: sortDiagnostics(loaded.diagnostics) };
  const config = loaded.config;
  const diagnostics = [...loaded.diagnostics];
  let wanted = opts.owners === undefined ? undefined : new Set([CORE, ...opts.owners]);
  const snapshotted = snapshotOwners(config);
  let found = discover(config, wanted, new Set(snapshotted));
  diagnostics.push(...found.diagnostics);
  if (wanted === undefined && found.files.length === 0 && found.diagnostics.length === 0) diagnostics.push(noModels(config, loaded.source));
  const chosen = wanted === undefined ? opts.choose?.(found.files, config) : undefined;
  if (chosen !== undefined) {
    wanted = new Set([CORE, ...chosen]);
    found = narrowed(found, wanted);
  }
  trace('config, discover');
  const files = loadFiles(found.files, opts.fileCache, sources, diagnostics);
  trace('parse, validate');
  const outside = wanted && !opts.external ? outsideNames(lookedUpNames(files, config), config, opts.outside, opts.recall) : undefined;
  const scope = wanted && { owners: wanted, visit: outside?.visit, recall: outside?.recall, whole: opts.wholeState };
  const state = opts.readState || outside ? readDiskState(config, scope, opts.read) : undefined;
  trace('disk state');
  const external = opts.external ?? outside?.names();
  const owners = [...new Set([...snapshotted, ...found.skippedOwners])];
  const resolved = resolve(files, config, owners, external);
  trace('resolve');
  diagnostics.push(...resolved.diagnostics, ...(await fragmentProblems(resolved.workspace, config, sources, cacheDir())));
  trace('sql fragments');
  const settings = files.flatMap((f) => lintSettingProblems(f, config, sources.get(f.path)));
  if (opts.lint !== false) diagnostics.push(...lintClean(resolved.workspace, config, diagnostics));
  diagnostics.push(...settings);
  trace('lint');
  return {
    config, configError: false, sources, files: found.files.map((f) => f.path), workspace: resolved.workspace,
    diagnostics: sortDiagnostics(diagnostics), loadedOwners: wanted && [...wanted].sort(), state,
  };
}

/** What `discover` would have found had it been asked for the `wanted` owners only. */
function narrowed(found: Discovered, wanted: ReadonlySet<Owner>): Discovered {
  const files = found.files.filter((f) => wanted.has(f.owner));
  const dropped = found.files.filter((f) => !wanted.has(f.owner)).map((f) => f.owner);
  return { files, diagnostics: found.diagnostics, skippedOwners: [...new Set([...found.skippedOwners, ...dropped])].sort() };
}

/**
 * The error of a workspace whose globs match no models file: a CI gate that checks nothing
 * must not pass. It points at the config's `core:` globs (or the config file, or the workspace).
 */
function noModels(config: Config, source: { readonly path: string; readonly text: string } | undefined): Diagnostic {
  const globs = [...config.core, ...config.custom].map((g) => `'${g}'`).join(', ');
  const message = `no models file matches the config's globs (${globs}): there is nothing to check`;
  const hint = 'write a models.yaml where a glob points (`schemac init` writes a starter one), or fix the globs in the config';
  if (source === undefined) return error('no-models', { file: '.', start: 0, end: 0 }, message, hint);
  const doc = parseYaml(source.path, source.text, 'a schemac config').doc?.doc;
  const at = doc === undefined ? undefined : nodeAt(doc, '/core');
  const span = at?.key ?? at?.node;
  return error('no-models', span ? nodeSpan(source.path, span) : { file: source.path, start: 0, end: 0 }, message, hint);
}

/**
 * What the owners not loaded hold of the names the loaded files may look up (`wanted`),
 * gathered as their snapshots are read; `then` sees each snapshot after.
 */
function outsideNames(wanted: ReadonlySet<string>, config: Config, then?: OutsideVisitor, digest?: LoadOptions['recall']): { names: () => ExternalNames; visit: OutsideVisitor; recall?: OutsideRecall } {
  const parts: ExternalNames[] = [];
  const visit: OutsideVisitor = (snapshot, file, context) => {
    parts.push(externalNames([{ snapshot, file }], wanted));
    then?.(snapshot, file, context);
  };
  const may = mayDeclare(wanted, config);
  const recall: OutsideRecall | undefined = digest && ((owner, file, hash, context) => {
    const found = digest(owner, file, hash, context);
    if (found !== undefined && may(owner)) parts.push(externalNamesOf([{ owner, file, declared: found.declared() }], wanted));
    return found;
  });
  return { names: () => combineExternalNames(parts), visit, recall };
}

/**
 * Whether an owner not loaded may declare one of the `wanted` names. While `org-prefix` is an
 * error, every name an org declares starts with `<org>_` (snapshots are written only from
 * models without errors, and `check` holds them to their sum), so an org none of whose
 * prefixes begins a wanted name declares none of them; core, or any owner when the rule is
 * weakened, may.
 */
function mayDeclare(wanted: ReadonlySet<string>, config: Config): (owner: Owner) => boolean {
  const enforced = (config.lint.rules['org-prefix'] ?? 'error') === 'error';
  if (!enforced) return () => true;
  const prefixes = new Set<string>();
  for (const name of wanted) for (let i = name.indexOf('_'); i > 0; i = name.indexOf('_', i + 1)) prefixes.add(name.slice(0, i));
  return (owner) => owner === CORE || prefixes.has(owner);
}

/** Parses and validates every models file (or takes it from the cache); records sources and diagnostics. */
function loadFiles(found: readonly SourceFile[], fileCache: FileCache | undefined, sources: Map<string, string>, diagnostics: Diagnostic[]): ModelFile[] {
  const files: ModelFile[] = [];
  for (const source of found) {
    sources.set(source.path, source.text);
    let result = fileCache?.get(source);
    if (result === undefined) {
      result = frontEndFile(source);
      fileCache?.put(source, result);
    }
    diagnostics.push(...result.diagnostics);
    if (result.file) files.push(result.file);
  }
  fileCache?.prune();
  return files;
}

/** Parses and validates one models file. */
function frontEndFile(source: SourceFile): FileResult {
  const parsed = parseYaml(source.path, source.text);
  if (!parsed.doc) return { diagnostics: parsed.diagnostics };
  const validated = validate(parsed.doc, source);
  return { file: validated.file, diagnostics: [...parsed.diagnostics, ...validated.diagnostics] };
}

/** Lint findings, except in files that already have front-end errors (their IR is incomplete). */
function lintClean(ws: Workspace, config: Config, frontEnd: readonly Diagnostic[]): Diagnostic[] {
  const broken = new Set(frontEnd.filter((d) => d.severity === 'error').map((d) => d.span.file));
  return lintWorkspace(ws, config).filter((d) => !broken.has(d.span.file));
}

/** Orgs that only have a snapshot (their models were deleted) are still owners. */
function snapshotOwners(config: Config): Owner[] {
  try {
    return fs.readdirSync(path.join(config.root, config.out.snapshots))
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -5))
      .filter((o) => o === CORE || ORG_NAME.test(o));
  } catch {
    return [];
  }
}

/** A CollectedFragment is one SQL fragment of the workspace, what it may refer to, and the context it is typed in. */
export interface CollectedFragment {
  readonly fragment: Fragment;
  readonly opts: FragmentOptions;
  readonly typing: TypingContext;
}

/** Every SQL fragment of the workspace with what it may refer to (and the string-growing functions the config allows) and the context it is typed in. */
export function collectFragments(ws: Workspace, config?: Pick<Config, 'fragments'>): CollectedFragment[] {
  const types = new Set(ws.enums.keys());
  const growing = config?.fragments?.allowFunctions ?? [];
  const typing = fragmentTyping(ws);
  const out: CollectedFragment[] = [];
  for (const t of ws.tables.values()) {
    let columns: Set<string> | undefined;
    const own = () => (columns ??= new Set(t.columns.map((c) => c.name)));
    for (const c of t.columns) {
      if (c.default?.kind === 'sql') out.push({ fragment: c.default.fragment, opts: { columns: new Set<string>(), types, growing, what: 'a default' }, typing: typing(t, defaultExpectation(c)) });
    }
    for (const c of t.columns) if (c.check) out.push({ fragment: c.check, opts: { columns: own(), types, growing, what: 'a check' }, typing: typing(t, CHECK) });
    for (const k of t.checks) out.push({ fragment: k.expr, opts: { columns: own(), types, growing, what: 'a check' }, typing: typing(t, CHECK) });
    for (const i of t.indexes) if (i.where) out.push({ fragment: i.where, opts: { columns: own(), types, growing, immutable: true, what: 'an index predicate' }, typing: typing(t, PREDICATE) });
  }
  return out;
}

const CHECK = { kind: 'boolean', what: 'CHECK' } as const;
const PREDICATE = { kind: 'boolean', what: 'WHERE' } as const;

/**
 * Checks every fragment and records the SQL printed from its parse tree (the text migrations
 * carry): those the recogniser takes are printed from its tree and typed here; the others
 * come from the cache of accepted fragments or go to the PostgreSQL parser, which checks,
 * prints and types them, loaded only then; newly accepted ones are added to the cache.
 */
async function fragmentProblems(ws: Workspace, config: Config, sources: ReadonlyMap<string, string>, cache: string | undefined): Promise<Diagnostic[]> {
  const typed: Diagnostic[] = [];
  const unknown = collectFragments(ws, config).filter((f) => {
    if (!recognised(f.fragment.sql, f.opts)) return true;
    const found = typeFragment(f.fragment, f.typing, sources.get(f.fragment.span.file));
    if (found === undefined) return true;
    typed.push(...found);
    return false;
  });
  if (unknown.length === 0) return typed;
  const accepted = readAccepted(cache);
  const pending = [];
  for (const f of unknown) {
    const key = fragmentKey(f.fragment, { ...f.opts, typing: f.typing }, ALLOWLIST_SALT);
    const sql = accepted.get(key);
    if (sql === undefined) pending.push({ ...f, key });
    else rememberFragmentSql(f.fragment.sql, sql);
  }
  if (pending.length === 0) return typed;
  const { checkAndPrintFragment, expressionTree } = await loadFragmentChecker();
  const added: Array<[string, string]> = [];
  const diagnostics = pending.flatMap(({ fragment, opts, typing, key }) => {
    const source = sources.get(fragment.span.file);
    const checked = checkAndPrintFragment(fragment, { ...opts, source });
    if (checked.sql !== undefined) rememberFragmentSql(fragment.sql, checked.sql);
    const found = checked.diagnostics.length > 0 ? checked.diagnostics : typeParsedFragment(fragment, expressionTree(fragment.sql), typing, source);
    if (found.length === 0 && checked.sql !== undefined) added.push([key, checked.sql]);
    return found;
  });
  rememberAccepted(cache, accepted, added);
  return [...typed, ...diagnostics];
}

/** True when the recogniser accepts the fragment under its options (its tree is then recorded, to be printed when needed). */
function recognised(sql: string, opts: FragmentOptions): boolean {
  const tree = recogniseTree(sql, opts);
  if (tree === undefined) return false;
  if (!hasFragmentSql(sql)) rememberFragmentSql(sql, tree);
  return true;
}

function unknownRule(id: string, span: Span): Diagnostic {
  const guess = closest(id, RULE_IDS);
  return warning('unknown-rule', span, `unknown lint rule '${id}'`, guess ? `did you mean '${guess}'?` : `rules: ${RULE_IDS.join(', ')}`);
}

function lockedRule(id: string, owner: Owner, span: Span): Diagnostic {
  const why = LOCKED_RULES.includes(id) ? 'it keeps the orgs\' objects and rows apart' : 'the workspace config locks it (lint.locked)';
  return error('locked-rule', span, `org '${owner}' may not allow the rule '${id}': ${why}`, 'remove this allow; only the core team may allow it, in schemac.config.yaml or a core models file');
}

/**
 * `lint.allow` blocks of a file, its tables and columns must name real rules, and an org's
 * may not name a locked rule: such an allow is an error at its own key (found in `text`).
 */
function lintSettingProblems(file: ModelFile, config: Config, text: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const keys = allowKeys(file.path, text);
  const check = (s: LintSettings, pointer: string) => {
    for (const id in s.allow) {
      const at = s.span ?? { file: file.path, start: 0, end: 0 };
      if (isLockedFor(id, file.owner, config)) out.push(lockedRule(id, file.owner, keys(`${pointer}/${escapePointer(id)}`) ?? at));
      else if (!KNOWN_RULES.has(id)) out.push(unknownRule(id, at));
    }
  };
  check(file.lint, '/lint/allow');
  for (const t of file.tables) {
    const table = `/tables/${escapePointer(t.name)}`;
    check(t.lint, `${table}/lint/allow`);
    for (const c of t.columns) check(c.lint, `${table}/columns/${escapePointer(c.name)}/lint/allow`);
  }
  return out;
}

/** The span of the key at a JSON pointer of a models file; the file is parsed again on first use only. */
function allowKeys(file: string, text: string | undefined): (pointer: string) => Span | undefined {
  let doc: YamlDocument | undefined;
  return (pointer) => {
    if (text === undefined) return undefined;
    doc ??= parseYaml(file, text).doc?.doc;
    const found = doc && nodeAt(doc, pointer);
    return found?.exact && found.key ? nodeSpan(file, found.key) : undefined;
  };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

const KNOWN_RULES: ReadonlySet<string> = new Set(RULE_IDS);
