/**
 * Kysely types from snapshots (SPEC §8), in kysely-codegen's conventions, as one module per
 * owner and an index:
 *
 * - `generated/db/<owner>.ts` holds an owner's enums, table interfaces and aliases, and its
 *   own `DB` (its tables). It depends on its snapshot, the names allocated to it and the names
 *   of the enums it takes from other owners, so a change to one org's models rewrites that
 *   org's module only. Its body (`types-section.ts`) is reused from a SectionCache when its
 *   owner is unchanged.
 * - `generated/db.ts`, the index, declares the helper types, re-exports every module and
 *   declares `DB` as the union of the modules' `DB`s. It changes only when an owner gets its
 *   first table or enum or loses its last, or when two modules export the same name.
 *
 * Both are rendered through `templates/db.ts.hbs` and `templates/db-owner.ts.hbs`.
 */
import type { OutputFile } from '../engine/index.ts';
import { compareText } from '../engine/index.ts';
import { ORG_NAME } from '../ir.ts';
import type { Owner, Snapshot } from '../ir.ts';
import { CORE } from '../ir.ts';
import { render } from './templates.ts';
import type { SectionCache } from './types-cache.ts';
import type { NamedParts, NamesMemo, Section, SectionNames, TypeNames } from './types-section.ts';
import { aliasesOf, allocateNames, renderSection, sectionMatches, sortBy, tsKey, tsString } from './types-section.ts';

export type { HelperName, NamedParts, NamesMemo, TypeNames } from './types-section.ts';
export { columnType, parseType, pascalCase, tsKey, tsString } from './types-section.ts';

/** TypesOptions tune `emitTypes`. */
export interface TypesOptions {
  /** The index's path (config `out.types`); the modules go in the folder of its name without `.ts`. */
  readonly path?: string;
  /** Sections rendered before: an owner whose snapshot and names are unchanged is not rendered again. */
  readonly cache?: SectionCache;
  /** Allocations made before (by another process): the same enum and table names are not allocated again. */
  readonly names?: NamesMemo;
  /** True for a snapshot whose module is known to be as it would be rendered with these names (the watcher's unchanged owners): it is not rendered. */
  readonly unchanged?: (snapshot: Snapshot, names: TypeNames) => boolean;
}

/**
 * A KeptOwner is an owner whose module is not rendered (it is kept as it is on disk): a command
 * about another org needs only its names, for the index and for the enums other modules import.
 */
export interface KeptOwner extends NamedParts {
  readonly kept: true;
}

/** An owner of the types: its snapshot (its module is rendered), or its names only (see `KeptOwner`). */
export type TypesOwner = Snapshot | KeptOwner;

/** The names of an owner's snapshot, for when its module is kept (see `KeptOwner`). */
export function keptOwner(parts: NamedParts): KeptOwner {
  return { owner: parts.owner, enums: parts.enums, tables: parts.tables, kept: true };
}

/** TypeFiles are the rendered types: the index and the modules of the owners given as snapshots. */
export interface TypeFiles {
  readonly index: string;
  /** Owner → its module's text, for every owner given as a snapshot with a table or an enum. */
  readonly modules: ReadonlyMap<Owner, string>;
  /** Every owner with a module (rendered or kept), core first, then orgs by name. */
  readonly owners: readonly Owner[];
  /** The number of tables across every owner. */
  readonly tables: number;
  /** The names allocated (the same object while every owner's enum and table names stay the same). */
  readonly names: TypeNames;
}

/** Where the types go: the index at `path`, each owner's module in the folder beside it. */
export interface TypesLayout {
  readonly index: string;
  /** The modules' folder: the index's path without its extension. */
  readonly dir: string;
  /** The modules' extension (the index's: `.ts`, `.mts`, `.cts` or `.d.ts`). */
  readonly ext: string;
  modulePath(owner: Owner): string;
}

const DEFAULT_PATH = 'generated/db.ts';

/** The layout of the types whose index is at `indexPath` (config `out.types`). */
export function typesLayout(indexPath: string = DEFAULT_PATH): TypesLayout {
  const ext = /(\.d)?\.[cm]?ts$/.exec(indexPath)?.[0] ?? '';
  const dir = indexPath.slice(0, indexPath.length - ext.length);
  return { index: indexPath, dir, ext, modulePath: (owner) => `${dir}/${owner}${ext}` };
}

/** The extension an import names for a file with the extension `ext` (`.ts` → `.js`). */
function importExtension(ext: string): string {
  return ext.endsWith('.mts') ? '.mjs' : ext.endsWith('.cts') ? '.cjs' : '.js';
}

/** Renders the index and the modules of the owners given as snapshots (core first, then orgs by name). */
export function emitTypes(owners: readonly TypesOwner[], opts: TypesOptions = {}): TypeFiles {
  const layout = typesLayout(opts.path);
  const ordered = owners
    .filter((s) => s.tables.length > 0 || s.enums.length > 0)
    .sort((a, b) => ownerRank(a.owner) - ownerRank(b.owner) || compareText(a.owner, b.owner));
  const names = allocateNames(ordered, opts.names);
  const enumOwners = new Map<string, Owner>();
  for (const o of ordered) for (const e of o.enums) enumOwners.set(e.name, o.owner);
  const modules = new Map<Owner, string>();
  for (const o of ordered) {
    if (!('kept' in o) && opts.unchanged?.(o, names) !== true) modules.set(o.owner, renderModule(o, names, enumOwners, layout, opts.cache));
  }
  const tables = ordered.reduce((n, o) => n + o.tables.length, 0);
  return { index: renderIndex(ordered, names, layout), modules, owners: ordered.map((o) => o.owner), tables, names };
}

/** Rendered types as files, those of them whose text is not what is there, and the module files to remove. */
export interface TypesOutput {
  readonly rendered: TypeFiles;
  /** The index, then each rendered module. */
  readonly files: readonly OutputFile[];
  /** The files whose text differs from what `existing.read` gives for them (`missing`: it gives nothing): what to write. */
  readonly changed: readonly ChangedFile[];
  /** Module files of owners that have no module: none among the owners has a table or enum. */
  readonly remove: readonly string[];
}

/** A ChangedFile is a type file whose text is not the one there: missing, or different. */
export interface ChangedFile extends OutputFile {
  readonly missing: boolean;
}

/** What `typesOutput` reads of the files already there: a folder's entries, a file's text. */
export interface ExistingFiles {
  list(dir: string): readonly string[];
  read(file: string): string | undefined;
}

/**
 * Renders the types of `owners` with the index at `indexPath` (config `out.types`): the files to
 * write, and the modules to remove: files in the modules' folder named like an owner that has
 * none, which schemac wrote (they open with a module's header; any other file is left alone).
 */
export function typesOutput(indexPath: string, owners: readonly TypesOwner[], existing: ExistingFiles, opts: Omit<TypesOptions, 'path'> = {}): TypesOutput {
  const layout = typesLayout(indexPath);
  const rendered = emitTypes(owners, { ...opts, path: layout.index });
  const files: OutputFile[] = [{ path: layout.index, contents: rendered.index }];
  for (const [owner, text] of rendered.modules) files.push({ path: layout.modulePath(owner), contents: text });
  const changed: ChangedFile[] = [];
  for (const f of files) {
    const there = existing.read(f.path);
    // Lengths first: a rendered text is built in pieces, and comparing it whole flattens it.
    if (there === undefined || there.length !== f.contents.length || there !== f.contents) changed.push({ ...f, missing: there === undefined });
  }
  const keep = new Set(rendered.owners);
  const remove = existing
    .list(layout.dir)
    .filter((n) => n.endsWith(layout.ext))
    .map((n) => n.slice(0, n.length - layout.ext.length))
    .filter((owner) => ORG_NAME.test(owner) && !keep.has(owner) && existing.read(layout.modulePath(owner))?.startsWith(moduleHeader(owner)) === true)
    .map((owner) => layout.modulePath(owner));
  return { rendered, files, changed, remove };
}

/** How an owner's module opens (`templates/db-owner.ts.hbs`): what tells a module schemac wrote from another file. */
function moduleHeader(owner: Owner): string {
  return `/**\n * Kysely types of ${owner}'s tables and enums`;
}

/** What a command says it wrote of the type files `written` (paths): the index if it is one of them, the modules by their paths, or by their number past three. */
export function describeTypes(indexPath: string, written: readonly string[]): string {
  const layout = typesLayout(indexPath);
  const modules = written.filter((f) => f !== layout.index);
  const parts = written.includes(layout.index) ? [layout.index] : [];
  if (modules.length > 3) parts.push(`${modules.length} modules in ${layout.dir}/`);
  else parts.push(...modules);
  return parts.join(', ');
}

/** The view model of `templates/db.ts.hbs`. */
interface IndexView {
  /** The modules' folder's name (its path relative to the index). */
  readonly folder: string;
  readonly helpers: boolean;
  /** One line per module: `import type { DB as DB_<owner> } from '…';`. */
  readonly imports: readonly string[];
  /** One `export type * from '…';` line per module. */
  readonly reexports: readonly string[];
  /** `export type { … } from '…';` lines for the names several modules export. */
  readonly clashes: readonly string[];
  /** What `DB` extends, one per line (`DB_core,` … `DB_zeta {}`); empty when no owner has a table. */
  readonly extends: readonly string[];
}

function renderIndex(ordered: readonly NamedParts[], names: TypeNames, layout: TypesLayout): string {
  const base = layout.dir.slice(layout.dir.lastIndexOf('/') + 1);
  const from = (owner: Owner) => tsString(`./${base}/${owner}${importExtension(layout.ext)}`);
  const byOwner = new Map<Owner, string[]>();
  for (const [name, owner] of names.clashes) byOwner.set(owner, [...(byOwner.get(owner) ?? []), name]);
  const clashes = ordered
    .filter((o) => byOwner.has(o.owner))
    .map((o) => `export type { ${byOwner.get(o.owner)!.sort(compareText).join(', ')} } from ${from(o.owner)};`);
  const withTables = ordered.filter((o) => o.tables.length > 0);
  const view: IndexView = {
    folder: base,
    helpers: ordered.length > 0,
    imports: withTables.map((o) => `import type { DB as DB_${o.owner} } from ${from(o.owner)};`),
    reexports: ordered.map((o) => `export type * from ${from(o.owner)};`),
    clashes,
    extends: withTables.map((o, i) => `DB_${o.owner}${i === withTables.length - 1 ? ' {}' : ','}`),
  };
  return render('db.ts.hbs', view);
}

/** The view model of `templates/db-owner.ts.hbs`. */
interface ModuleView {
  readonly owner: Owner;
  /** The index's file name. */
  readonly index: string;
  /** Its import lines: kysely's, the index's helper types, one per owner whose enums it uses. */
  readonly imports: readonly string[];
  readonly section: string;
  /** `DB`'s property lines (`key: Interface;`), sorted by table name. */
  readonly db: readonly string[];
}

function renderModule(snapshot: Snapshot, names: TypeNames, enumOwners: ReadonlyMap<string, Owner>, layout: TypesLayout, cache: SectionCache | undefined): string {
  const local = sectionNames(snapshot, names, enumOwners);
  const body = section(snapshot, local, cache);
  const ext = importExtension(layout.ext);
  const indexFile = layout.index.slice(layout.index.lastIndexOf('/') + 1);
  const imported = new Map<Owner, string[]>();
  for (const [sql, name] of body.enums) {
    const owner = enumOwners.get(sql);
    if (name === null || owner === undefined || owner === snapshot.owner) continue;
    const ts = names.enums.get(sql)!;
    imported.set(owner, [...(imported.get(owner) ?? []), ts === name ? ts : `${ts} as ${name}`]);
  }
  const index = tsString(`../${indexFile.slice(0, indexFile.length - layout.ext.length)}${ext}`);
  const imports = [
    ...(snapshot.tables.length > 0 ? ["import type { Insertable, Selectable, Updateable } from 'kysely';"] : []),
    ...(body.uses.length > 0 ? [`import type { ${body.uses.join(', ')} } from ${index};`] : []),
    ...[...imported.keys()]
      .sort((a, b) => ownerRank(a) - ownerRank(b) || compareText(a, b))
      .map((o) => `import type { ${imported.get(o)!.sort(compareText).join(', ')} } from ${tsString(`./${o}${ext}`)};`),
  ];
  const view: ModuleView = {
    owner: snapshot.owner,
    index: indexFile,
    imports,
    section: body.text,
    db: sortBy(snapshot.tables, (t) => t.name).map((t) => `${tsKey(t.name)}: ${names.tables.get(t.name)!};`),
  };
  return render('db-owner.ts.hbs', view);
}

/**
 * The names a module's section is rendered with: its own enums by their allocated names, another
 * owner's enum by its name there, unless this module takes that name or another owner exports it
 * too and is first (two imports never share a name): then `<Name>_<owner>`, which no allocated
 * name can be (they hold no `_` but a leading one).
 */
function sectionNames(snapshot: Snapshot, names: TypeNames, enumOwners: ReadonlyMap<string, Owner>): SectionNames {
  let taken: Set<string> | undefined;
  const localNames = () => {
    taken ??= new Set([
      ...snapshot.enums.map((e) => names.enums.get(e.name)!),
      ...snapshot.tables.flatMap((t) => aliasesOf(names.tables.get(t.name)!)),
    ]);
    return taken;
  };
  const enums = {
    get(sql: string): string | undefined {
      const owner = enumOwners.get(sql);
      const ts = names.enums.get(sql);
      if (owner === undefined || ts === undefined || owner === snapshot.owner) return ts;
      const kept = names.clashes.get(ts);
      return localNames().has(ts) || (kept !== undefined && kept !== owner) ? `${ts}_${owner}` : ts;
    },
  };
  return { enums, tables: names.tables };
}

/** An owner's section: the cached one when it used the same names, else rendered (and cached). */
function section(snapshot: Snapshot, names: SectionNames, cache: SectionCache | undefined): Section {
  const cached = cache?.get(snapshot);
  if (cached !== undefined && sectionMatches(cached, names)) return cached;
  const fresh = renderSection(snapshot, names);
  cache?.set(snapshot, fresh);
  return fresh;
}

function ownerRank(owner: Owner): number {
  return owner === CORE ? 0 : 1;
}
