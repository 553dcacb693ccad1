/**
 * The engine of `schemac watch`: watches the folders the config's globs start from (and
 * the snapshots and the config file), and on every save re-runs the pipeline: lint,
 * rewrite the Kysely types when they changed, print the pending plan of the owners the
 * save touched. A broken save prints its diagnostics and keeps the last good types.
 * The CLI binds it to signals (`commands/watch.ts`); tests drive it in-process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { loadConfig } from './config/index.ts';
import type { Diagnostic } from './diagnostics.ts';
import { hasErrors, sortDiagnostics } from './diagnostics.ts';
import type { TypeNames } from './emit/index.ts';
import { memorySectionCache, renderUp, typesOutput } from './emit/index.ts';
import type { DiskState, OwnerPlan } from './engine/index.ts';
import {
  compareText, ownersOf, planOwner, readDiskState, readIfExists, snapshotOf, snapshotPath, toSnapshot,
  removeFiles, workspaceFiles, writeFiles,
} from './engine/index.ts';
import type { ExternalNames, FileCache, Glob } from './front/index.ts';
import { compileGlob, createFileCache, externalFromModels, matchGlob, workspaceOf } from './front/index.ts';
import type { LoadResult } from './index.ts';
import { loadWorkspace } from './index.ts';
import type { Config, Owner, Snapshot, Workspace } from './ir.ts';
import { CONFIG_FILE_NAMES, CORE, DEFAULT_CONFIG } from './ir.ts';
import { lintChanges, RULE_IDS } from './lint/index.ts';
import { renderDiagnostics, writeDiagnostics } from './report/index.ts';
import type { Io } from './shared/index.ts';
import { toPosix, trace, useColor } from './shared/index.ts';

/** Options of `startWatch`. */
export interface WatchOptions {
  /** Absolute workspace directory. */
  readonly cwd: string;
  /** `--config FILE`, absolute, when given. */
  readonly configPath?: string;
  readonly io: Io;
  /** Called after every pipeline run (the initial one included), e.g. by tests. */
  readonly onCycle?: (report: CycleReport) => void;
  /** How long a run whose changed files have errors waits for the rest of a write (default `SETTLE_MS`). */
  readonly settleMs?: number;
}

/**
 * A CycleStatus says how one run ended: valid models, invalid models, a bad config, no content
 * change, a changed file that did not parse while it was still being written (the next run,
 * which its next event starts, reports), or an internal failure.
 */
export type CycleStatus = 'ok' | 'invalid' | 'config' | 'unchanged' | 'superseded' | 'failed';

/** A CycleReport is what one run of the pipeline did, as data. */
export interface CycleReport {
  readonly initial: boolean;
  /** Workspace-relative paths whose events started this run (empty for the initial run). */
  readonly changed: readonly string[];
  readonly status: CycleStatus;
  /** True when `generated/db.ts` (config `out.types`) was rewritten. */
  readonly typesWritten: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** Owners whose pending plan was printed. */
  readonly owners: readonly Owner[];
  /** The owners whose models were read again: 'all', or core and the orgs the save touched. */
  readonly reloaded?: readonly Owner[] | 'all';
}

/** A Watcher is a running `watch`: `ready` resolves after the first run, `close` stops it. */
export interface Watcher {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** What a session remembers between runs. */
interface Session {
  readonly opts: WatchOptions;
  config: Config;
  /** Workspace-relative path → text of every file the last run read. */
  texts: ReadonlyMap<string, string>;
  /** The type files as last written: the names and snapshots they were rendered from, path → text. */
  types?: { readonly names: TypeNames; readonly from: ReadonlyMap<Owner, Snapshot>; readonly texts: ReadonlyMap<string, string> };
  /** The last printed summary line of every owner's pending plan. */
  readonly summaries: Map<Owner, string>;
  /** The snapshots (and the rest of what was generated) as last read; re-read only when a snapshot changes. */
  state?: DiskState;
  /** Starts watching more folders (after a config change moved the globs). */
  follow: (bases: readonly string[]) => void;
  /** What the front end made of each file: a save parses and validates only the files it changed. */
  readonly fileCache: FileCache;
  /** The models as of the last good run, kept whole so that a save reloads only the owners it touched. */
  models?: Models;
}

/** Models is what the watcher holds of the whole workspace between runs. */
interface Models {
  readonly result: LoadResult & { readonly config: Config; readonly workspace: Workspace };
  /** Each owner's snapshot of its models (for the types), computed again only for reloaded owners. */
  readonly snapshots: Map<Owner, Snapshot>;
  /** The names of the owners outside the last partial reload, kept while the same owners are reloaded. */
  external?: { readonly key: string; readonly names: ExternalNames };
}

/**
 * Events wait until a file's size has held for 6 ms (polled every 3 ms): chokidar drops a
 * second change of a file within 50 ms of the first unless it waits for writes to finish, and
 * a longer window would delay every save by as much.
 */
const AWAIT_WRITE_FINISH = { stabilityThreshold: 6, pollInterval: 3 } as const;
/**
 * How long a run whose changed files have errors waits before it reports them, to see whether
 * they were read half-written (a write paused longer than the window above): a half-written
 * file with errors is reported only if it stays as read, and one that happens to parse is
 * read again at its next event.
 */
const SETTLE_MS = 40;
const SKIP_DIRS = new Set(['node_modules', '.git', '.schemac']);
const MAX_PLAN_LINES = 20;
const SQL_STATEMENTS = 3;
/** The types' sections by snapshot: a save renders only the owners whose snapshots it replaced. */
const typesCache = memorySectionCache();

/** Starts watching the workspace at `opts.cwd`; the first run starts at once. */
export function startWatch(opts: WatchOptions): Watcher {
  const initialConfig = loadConfig(opts.cwd, opts.configPath).config ?? { ...DEFAULT_CONFIG, root: opts.cwd };
  const session: Session = { opts, config: initialConfig, texts: new Map(), summaries: new Map(), follow: () => {}, fileCache: createFileCache() };
  const queue = createQueue(session);
  const watcher = watch(watchTargets(session), {
    ignoreInitial: true,
    ignored: (p, stats) => isIgnored(session, p, stats),
    awaitWriteFinish: AWAIT_WRITE_FINISH,
  });
  watcher.on('all', (event, p) => {
    if (event !== 'addDir') queue.push(relative(session.config.root, p));
  });
  watcher.on('error', (e) => opts.io.stderr(`schemac watch: ${(e as Error).message}\n`));
  session.follow = (bases) => void watcher.add(bases.map((b) => path.join(session.config.root, b)).filter((p) => fs.existsSync(p)));
  const scanned = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const ready = Promise.all([queue.initial(), scanned]).then(() => announce(session, watcher));
  return {
    ready,
    close: async () => {
      queue.stop();
      await watcher.close();
      await queue.idle();
    },
  };
}

/** A Queue runs the pipeline one run at a time, folding the events that arrive meanwhile into the next run. */
interface Queue {
  initial(): Promise<void>;
  push(rel: string): void;
  stop(): void;
  idle(): Promise<void>;
}

function createQueue(session: Session): Queue {
  const pending = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  let busy = true;
  let stopped = false;
  const drain = async (): Promise<void> => {
    while (pending.size > 0 && !stopped) {
      const changed = [...pending].sort();
      pending.clear();
      await runCycle(session, changed, false);
    }
    busy = false;
  };
  const kick = (): void => {
    if (busy || stopped) return;
    busy = true;
    running = new Promise((resolve) => setImmediate(resolve)).then(drain);
  };
  return {
    initial: () => (running = runCycle(session, [], true).then(() => ((busy = false), kick()))),
    push: (rel) => void (pending.add(rel), kick()),
    stop: () => void (stopped = true),
    idle: async () => {
      while (busy) await running;
    },
  };
}

/** One run; an unexpected exception is printed and the watcher keeps running. */
async function runCycle(session: Session, changed: readonly string[], initial: boolean): Promise<void> {
  let report: CycleReport;
  try {
    report = await cycle(session, changed, initial);
  } catch (e) {
    session.opts.io.stderr(`schemac watch: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    report = { initial, changed, status: 'failed', typesWritten: false, diagnostics: [], owners: [] };
  }
  session.opts.onCycle?.(report);
}

/** The pipeline: load and lint everything, write the types when they changed, print the touched owners' plans. */
async function cycle(session: Session, changed: readonly string[], initial: boolean): Promise<CycleReport> {
  const { io } = session.opts;
  const base: CycleReport = { initial, changed, status: 'ok', typesWritten: false, diagnostics: [], owners: [] };
  trace('watch: idle');
  if (!initial && !contentChanged(session, changed)) return { ...base, status: 'unchanged' };
  const scope = initial ? 'all' : reloadScope(session, changed);
  const result = scope === 'all' ? await compile(session) : await compileOwners(session, scope);
  if (!initial && (await stillBeingWritten(session, changed, result))) return { ...base, status: 'superseded' };
  const report: CycleReport = { ...base, reloaded: scope === 'all' ? scope : [CORE, ...scope] };
  if (!initial) io.stdout(`[${clock()}] ${changed.join(', ')}\n`);
  if (result.config === undefined) {
    printDiagnostics(session, result.diagnostics, result.sources);
    io.stdout('  the config is invalid; fix it and save again\n');
    return { ...report, status: 'config', diagnostics: result.diagnostics };
  }
  const configChanged = JSON.stringify(session.config) !== JSON.stringify(result.config);
  const newBases = watchBases(result.config).filter((b) => !watchBases(session.config).includes(b));
  session.config = result.config;
  if (configChanged) session.types = undefined;
  if (newBases.length > 0) session.follow(newBases);
  const state = diskState(session, changed, initial || configChanged);
  session.texts = new Map([...result.sources, ...state.sources]);
  const diagnostics = [...result.diagnostics, ...state.diagnostics];
  printDiagnostics(session, initial ? diagnostics : relevant(diagnostics, changed), session.texts);
  const models = result.workspace === undefined ? undefined : remodel(session, result as Models['result'], scope);
  const modelErrors = diagnostics.filter((d) => d.severity === 'error' && !RULE_IDS.includes(d.code));
  if (modelErrors.length > 0 || models === undefined) {
    const n = modelErrors.length;
    io.stdout(`  ${n} error${n === 1 ? '' : 's'}: ${result.config.out.types} kept from the last good build\n`);
    return { ...report, status: 'invalid', diagnostics };
  }
  trace('watch: merge, snapshots');
  const typesWritten = writeTypes(session, models);
  trace('watch: types');
  // A migration rewrites several snapshots at once and a watcher may report only some of
  // them (a new snapshots folder, a rename): every owner is re-planned from what is on disk.
  const snapshotsChanged = changed.some((rel) => rel.startsWith(`${trimSlash(session.config.out.snapshots)}/`));
  const touched = initial || configChanged ? 'all' : touchedOwners(session.config, changed);
  const owners = printPlans(session, models.result.workspace, state, touched, snapshotsChanged);
  trace('watch: plans');
  return { ...report, status: 'ok', typesWritten, diagnostics, owners };
}

/**
 * True when a changed file has errors and, `SETTLE_MS` later, no longer holds what the run
 * read: it was caught half-written, and the event of the rest of the write starts the next run.
 */
async function stillBeingWritten(session: Session, changed: readonly string[], result: LoadResult): Promise<boolean> {
  if (!result.diagnostics.some((d) => d.severity === 'error' && changed.includes(d.span.file))) return false;
  await new Promise((resolve) => setTimeout(resolve, session.opts.settleMs ?? SETTLE_MS));
  const root = result.config?.root ?? session.config.root;
  return changed.some((rel) => readIfExists(root, rel) !== result.sources.get(rel));
}

/** What was generated before, re-read from disk only when a snapshot (or the config) changed. */
function diskState(session: Session, changed: readonly string[], reload: boolean): DiskState {
  const snapshots = `${trimSlash(session.config.out.snapshots)}/`;
  if (reload || session.state === undefined || changed.some((rel) => rel.startsWith(snapshots))) session.state = readDiskState(session.config);
  return session.state;
}

/**
 * The front end over the whole workspace: every file is read again, and only the changed
 * ones are parsed and validated again (the session's in-memory `fileCache`). The session's
 * texts of the files only decide whether a save changed anything at all.
 */
async function compile(session: Session): Promise<LoadResult> {
  session.models = undefined;
  return loadWorkspace({ cwd: session.opts.cwd, configPath: session.opts.configPath, lint: true, fileCache: session.fileCache });
}

/**
 * Which owners a save needs reloaded: only the orgs whose models files it changed (with
 * core, which every org depends on), or 'all' when it changed core, the config, a snapshot
 * or a file of no owner, or when there is no good whole workspace to merge into.
 */
function reloadScope(session: Session, changed: readonly string[]): Owner[] | 'all' {
  if (session.models === undefined) return 'all';
  const orgs = new Set<Owner>();
  for (const rel of changed) {
    const owner = modelsOwner(session.config, rel);
    if (owner === undefined || owner === CORE || rel.startsWith(`${trimSlash(session.config.out.snapshots)}/`)) return 'all';
    orgs.add(owner);
  }
  return [...orgs].sort();
}

/**
 * The front end over core and some orgs: the other owners' names come from the models held
 * since the last run, so a save of one tool costs that org, not the workspace.
 */
async function compileOwners(session: Session, orgs: readonly Owner[]): Promise<LoadResult> {
  const models = session.models!;
  const loaded = new Set([CORE, ...orgs]);
  const key = [...loaded].sort().join(',');
  if (models.external?.key !== key) models.external = { key, names: externalFromModels(models.result.workspace, loaded) };
  const { cwd, configPath } = session.opts;
  const part = await loadWorkspace({ cwd, configPath, lint: true, fileCache: session.fileCache, owners: orgs, external: models.external.names });
  if (part.config === undefined || part.workspace === undefined) return part;
  return merge(session.config, models.result, { ...part, workspace: part.workspace }, loaded);
}

/** The whole workspace with the reloaded owners' files, tables, enums, sources and diagnostics replaced. */
function merge(config: Config, whole: Models['result'], part: LoadResult & { workspace: Workspace }, loaded: ReadonlySet<Owner>): LoadResult {
  const files = [...whole.workspace.files.filter((f) => !loaded.has(f.owner)), ...part.workspace.files].sort((a, b) => compareText(a.path, b.path));
  const workspace = workspaceOf(files, part.workspace.owners);
  const reloadedFiles = new Set(part.files);
  const stillValid = (file: string) => {
    if (reloadedFiles.has(file)) return false;
    const owner = modelsOwner(config, file);
    return owner !== undefined && !loaded.has(owner);
  };
  const sources = new Map([...whole.sources].filter(([file]) => stillValid(file)));
  for (const [file, text] of part.sources) sources.set(file, text);
  const diagnostics = sortDiagnostics([...whole.diagnostics.filter((d) => stillValid(d.span.file)), ...part.diagnostics]);
  const others = whole.files.filter((f) => stillValid(f));
  return { ...part, workspace, sources, diagnostics, files: [...others, ...part.files].sort(), loadedOwners: undefined };
}

/** Keeps the result as the session's models (after a good run) and brings each owner's snapshot up to date. */
function remodel(session: Session, result: Models['result'], scope: Owner[] | 'all'): Models {
  const prior = scope === 'all' ? undefined : session.models;
  const snapshots = new Map<Owner, Snapshot>();
  const ws = result.workspace;
  const fresh = scope === 'all' ? undefined : new Set([CORE, ...scope]);
  for (const owner of ws.owners) {
    const kept = fresh?.has(owner) === false ? prior?.snapshots.get(owner) : undefined;
    snapshots.set(owner, kept ?? toSnapshot(ws, owner));
  }
  session.models = { result, snapshots, external: prior?.external };
  return session.models;
}

/** False when every changed path still has the content the last run read (an editor's no-op save). */
function contentChanged(session: Session, changed: readonly string[]): boolean {
  return changed.some((rel) => {
    const text = readIfExists(session.config.root, rel);
    return text === undefined || text !== session.texts.get(rel);
  });
}

/**
 * Writes the type files whose content differs from what was last written (or, first, from what
 * is on disk) and removes the modules of owners that have none any more; true when any file
 * changed. An owner whose snapshot is the one last rendered, with the same names, is not
 * rendered again.
 */
function writeTypes(session: Session, models: Models): boolean {
  const { config, opts } = session;
  const last = session.types;
  const unchanged = (s: Snapshot, names: TypeNames) => last !== undefined && last.names === names && last.from.get(s.owner) === s;
  const texts = new Map(last?.texts);
  // What was last written is taken as what is there: a file is read only the first time.
  const disk = workspaceFiles(config.root);
  const existing = { list: disk.list, read: (file: string) => texts.get(file) ?? disk.read(file) };
  const out = typesOutput(config.out.types, [...models.snapshots.values()], existing, { cache: typesCache, unchanged });
  const { changed } = out;
  const failure = writeFiles(config.root, changed) ?? removeFiles(config.root, out.remove);
  if (failure !== undefined) {
    opts.io.stderr(`schemac watch: could not write ${config.out.types}: ${failure}\n`);
    session.types = undefined;
    return false;
  }
  for (const f of out.files) texts.set(f.path, f.contents);
  for (const f of out.remove) texts.delete(f);
  session.types = { names: out.rendered.names, from: new Map(models.snapshots), texts };
  if (changed.length === 0 && out.remove.length === 0) return false;
  const tables = out.rendered.tables;
  const what = [...changed.map((f) => f.path), ...out.remove.map((f) => `${f} (removed)`)].join(', ');
  opts.io.stdout(`  types: ${what} updated (${tables} table${tables === 1 ? '' : 's'})\n`);
  return true;
}

/** The owners a set of changed paths belongs to: models files by the config's globs, snapshots by name. */
export function touchedOwners(config: Config, changed: readonly string[]): Set<Owner> {
  const snapshots = `${trimSlash(config.out.snapshots)}/`;
  const owners = new Set<Owner>();
  for (const rel of changed) {
    if (rel.startsWith(snapshots) && rel.endsWith('.json')) owners.add(rel.slice(snapshots.length, -'.json'.length));
    else {
      const owner = modelsOwner(config, rel);
      if (owner !== undefined) owners.add(owner);
    }
  }
  return owners;
}

/** The owner of a models file by the config's globs; undefined for any other path. */
function modelsOwner(config: Config, rel: string): Owner | undefined {
  const { core, custom } = layout(config);
  if (core.some((g) => matchGlob(g, rel) !== undefined)) return CORE;
  for (const g of custom) {
    const org = matchGlob(g, rel);
    if (org !== undefined && org !== '') return org;
  }
  return undefined;
}

/**
 * Plans the touched owners (every owner when `touched` is 'all', when core changed, since
 * org tables reference core, or when `replanAll`) and prints those whose plan changed, in one block.
 */
function printPlans(session: Session, ws: Workspace, state: DiskState, touched: Set<Owner> | 'all', replanAll = false): Owner[] {
  const { io } = session.opts;
  if (hasErrors(state.diagnostics)) {
    io.stdout('  the snapshots cannot be read; no plan shown\n');
    return [];
  }
  const all = ownersOf(ws, state.snapshots);
  const selected = touched === 'all' || replanAll || touched.has(CORE) ? all : all.filter((o) => touched.has(o));
  for (const gone of [...session.summaries.keys()].filter((o) => !all.includes(o))) session.summaries.delete(gone);
  const shown: Owner[] = [];
  const lines: string[] = [];
  for (const owner of selected) {
    const p = planOwner(ws, owner, snapshotOf(state, owner));
    const line = summarize(p);
    const changedPlan = session.summaries.get(owner) !== line;
    session.summaries.set(owner, line);
    if (touched === 'all' ? p.changes.length === 0 : !changedPlan && !(touched as Set<Owner>).has(owner)) continue;
    shown.push(owner);
    lines.push(...planLines(session, ws, p, line, touched === 'all'));
  }
  io.stdout(planBlock(session, lines, shown.length, touched === 'all'));
  return shown;
}

function planLines(session: Session, ws: Workspace, p: OwnerPlan, line: string, initial: boolean): string[] {
  const lines = [`  ${line}\n`];
  const statements = p.statements;
  if (!initial && statements.length > 0 && statements.length <= SQL_STATEMENTS) lines.push(indent(renderUp(statements), '    '));
  if (p.changes.length > 0) {
    const ctx = { workspace: ws, config: session.config, owner: p.owner, allowDestructive: false, snapshotFile: snapshotPath(session.config, p.owner) };
    const safety = lintChanges(p.changes, ctx);
    if (safety.length > 0) lines.push(indent(renderDiagnostics(safety, { format: 'pretty', sources: new Map(), color: useColor(session.opts.io) }), '    '));
  }
  return lines;
}

function planBlock(session: Session, lines: readonly string[], shown: number, initial: boolean): string {
  const pending = [...session.summaries.values()].filter((l) => !l.endsWith(': no changes')).length;
  if (initial && shown === 0) return '  no pending changes: the models match the snapshots\n';
  const head = initial ? `  pending changes in ${pending} owner${pending === 1 ? '' : 's'}:\n` : '';
  const kept = lines.length > MAX_PLAN_LINES ? [...lines.slice(0, MAX_PLAN_LINES), `  … and ${lines.length - MAX_PLAN_LINES} more lines\n`] : lines;
  return head + kept.join('');
}

/** One line: `acme: 2 changes — create table "acme_x", add column "y" to "acme_y"`. */
export function summarize(p: OwnerPlan): string {
  const n = p.changes.length;
  if (n === 0) return `${p.owner}: no changes`;
  const steps = p.statements.map((s) => s.comment.charAt(0).toLowerCase() + s.comment.slice(1));
  const shown = steps.slice(0, 3).join(', ') + (steps.length > 3 ? `, … (+${steps.length - 3} more)` : '');
  return `${p.owner}: ${n} change${n === 1 ? '' : 's'} — ${shown}`;
}

/** After the first run: every error, and the warnings of the files just saved (the others were shown before). */
function relevant(diagnostics: readonly Diagnostic[], changed: readonly string[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error' || changed.includes(d.span.file));
}

function printDiagnostics(session: Session, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  if (diagnostics.length === 0) return;
  writeDiagnostics(diagnostics, { format: 'pretty', sources, color: useColor(session.opts.io) }, session.opts.io.stderr);
}

function announce(session: Session, watcher: FSWatcher): void {
  const dirs = Object.keys(watcher.getWatched()).length;
  const bases = watchBases(session.config).join(', ');
  session.opts.io.stdout(`Watching ${bases} (${dirs} folder${dirs === 1 ? '' : 's'}); Ctrl-C to stop\n`);
}

/** A Layout is what the watcher derives from a config once: its watch bases and compiled globs. */
interface Layout {
  readonly bases: readonly string[];
  readonly core: readonly Glob[];
  readonly custom: readonly Glob[];
  readonly globs: readonly Glob[];
}

const compiled = new WeakMap<Config, Layout>();

/** The config's watch bases and compiled globs, computed once per config. */
function layout(config: Config): Layout {
  let l = compiled.get(config);
  if (l === undefined) {
    const core = config.core.map(compileGlob);
    const custom = config.custom.map(compileGlob);
    compiled.set(config, (l = { bases: watchBases(config), core, custom, globs: [...core, ...custom] }));
  }
  return l;
}

/** The folders to watch: where each glob's literal prefix starts, `schemas`, and the snapshots. */
export function watchBases(config: Config): string[] {
  const globs = [...config.core, ...config.custom].map((g) => compileGlob(g).base);
  const all = [...new Set([...globs, 'schemas', trimSlash(config.out.snapshots)])];
  return all.filter((b) => !all.some((c) => c !== b && (c === '' || b.startsWith(`${c}/`))));
}

/** The watcher watches the workspace root; `isIgnored` prunes everything that is not on the way to a base. */
function watchTargets(session: Session): string[] {
  const { root, file } = session.config;
  return file !== undefined && relative(root, file).startsWith('..') ? [root, file] : [root];
}

function isIgnored(session: Session, abs: string, stats?: fs.Stats): boolean {
  const { config } = session;
  const rel = relative(config.root, abs);
  if (rel === '' || abs === config.file) return false;
  if (rel.startsWith('..') || rel.split('/').some((s) => SKIP_DIRS.has(s))) return true;
  if (!config.file && !rel.includes('/') && (CONFIG_FILE_NAMES as readonly string[]).includes(rel)) return false;
  const { bases } = layout(config);
  const onTheWay = bases.some((b) => b === '' || rel === b || rel.startsWith(`${b}/`) || b.startsWith(`${rel}/`));
  if (!onTheWay) return true;
  return stats?.isFile() === true && !isRelevantFile(config, rel);
}

/** Models files (matched or stray, which lint reports) and snapshots start a run; nothing else does. */
function isRelevantFile(config: Config, rel: string): boolean {
  if (/(^|\/)models\.ya?ml$/.test(rel)) return true;
  if (rel.startsWith(`${trimSlash(config.out.snapshots)}/`) && rel.endsWith('.json')) return true;
  return layout(config).globs.some((g) => matchGlob(g, rel) !== undefined);
}

function relative(root: string, abs: string): string {
  return toPosix(path.relative(root, abs));
}

function trimSlash(p: string): string {
  return p.replace(/^\.\/+/, '').replace(/\/+$/, '');
}

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => (l === '' ? l : pad + l)).join('\n').replace(/\n?$/, '\n');
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}
