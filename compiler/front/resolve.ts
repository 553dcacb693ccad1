/**
 * Stage 4: resolve the validated files into one Workspace. Checks what no single file can:
 * references point at existing columns of the right type and a visible owner, enum types
 * exist, and every table, type, constraint and index name is unique across the workspace.
 */
import type { Diagnostic, Related } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { ColumnDef, Config, EnumDef, ForeignKeyDef, ModelFile, Owner, ReferenceDef, Snapshot, Span, TableDef, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import type { CandidateIndex, Suggester } from '../shared/index.ts';
import {
  candidateIndex, checkName, fkeyName, indexName, pkeyName, rlsPolicyName, sequenceName, suggester, uniqueName,
  updatedAtTriggerName,
} from '../shared/index.ts';
import { indexProblems } from './index-methods.ts';
import { BUILTIN_TYPE_NAMES, extensionTypeNames, namespaceOwner, reservedPrefix } from './namespaces.ts';
import { BUILTIN_TYPES, referencingType, TYPE_EXTENSIONS } from './type-ref.ts';

/** A Declared is a workspace-level name with the place that declared it. */
interface Declared {
  readonly what: string;
  readonly file: string;
  readonly span: Span;
}

/**
 * ExternalNames are what the owners that were not loaded hold, from their snapshots: every
 * name (workspace-wide unique), and the owner of each table and enum (for ownership checks).
 */
export interface ExternalNames {
  readonly names: ReadonlyMap<string, Declared>;
  readonly tables: ReadonlyMap<string, Owner>;
  readonly enums: ReadonlyMap<string, Owner>;
}

/**
 * The ExternalNames of some owners' snapshots (`file` is each snapshot's workspace-relative
 * path). With `wanted` (see `lookedUpNames`), only those names are kept: a command about one
 * org then indexes the handful of names it can look up, not every name of the workspace.
 */
export function externalNames(snapshots: ReadonlyArray<{ readonly snapshot: Snapshot; readonly file: string }>, wanted: { has(name: string): boolean } = EVERY_NAME): ExternalNames {
  return externalNamesOf(snapshots.map(({ snapshot, file }) => ({ owner: snapshot.owner, file, declared: declaredNames(snapshot) })), wanted);
}

/** A DeclaredName is one name a snapshot holds and what it names (`table`, `index`, …). */
export type DeclaredName = readonly [name: string, what: string];

/** Every name a snapshot holds (the material of its ExternalNames), in a fixed order. */
export function declaredNames(snapshot: Snapshot): DeclaredName[] {
  const out: DeclaredName[] = [];
  for (const e of snapshot.enums) out.push([e.name, 'enum']);
  for (const t of snapshot.tables) {
    out.push([t.name, 'table']);
    if (t.primaryKey) out.push([t.primaryKey.name, 'primary key']);
    for (const c of t.columns) if (c.type === 'serial' || c.type === 'bigserial') out.push([sequenceName(t.name, c.name), 'sequence']);
    for (const f of t.foreignKeys) out.push([f.name, 'foreign key']);
    for (const u of t.uniques) out.push([u.name, 'unique constraint']);
    for (const k of t.checks) out.push([k.name, 'check constraint']);
    for (const i of t.indexes) out.push([i.name, 'index']);
    for (const g of t.triggers) out.push([g.name, 'trigger']);
    if (t.rls) out.push([t.rls.policy, 'policy']);
  }
  return out;
}

/** The ExternalNames of some owners' declared names (see `declaredNames`), keeping only those `wanted`. */
export function externalNamesOf(parts: ReadonlyArray<{ readonly owner: Owner; readonly file: string; readonly declared: readonly DeclaredName[] }>, wanted: { has(name: string): boolean } = EVERY_NAME): ExternalNames {
  const names = new Map<string, Declared>();
  const tables = new Map<string, Owner>();
  const enums = new Map<string, Owner>();
  for (const { owner, file, declared } of parts) {
    const kinds = new Map<string, Declared>();
    for (const [name, what] of declared) {
      if (!wanted.has(name)) continue;
      let d = kinds.get(what);
      if (d === undefined) kinds.set(what, (d = { what, file, span: { file, start: 0, end: 0 } }));
      names.set(name, d);
      if (what === 'table') tables.set(name, owner);
      else if (what === 'enum') enums.set(name, owner);
    }
  }
  return { names, tables, enums };
}

/** Every name is wanted. */
const EVERY_NAME = { has: (_name: string) => true };

/** The ExternalNames of several parts together (a later part's entry wins, as in `externalNames`). */
export function combineExternalNames(parts: readonly ExternalNames[]): ExternalNames {
  const combined = { names: new Map<string, Declared>(), tables: new Map<string, Owner>(), enums: new Map<string, Owner>() };
  for (const part of parts) {
    for (const [name, d] of part.names) combined.names.set(name, d);
    for (const [name, owner] of part.tables) combined.tables.set(name, owner);
    for (const [name, owner] of part.enums) combined.enums.set(name, owner);
  }
  return combined;
}

/**
 * Every name `resolve` may look up among the ExternalNames when it resolves `files`: their
 * tables' and enums' names, every name derived from a table, the tables their columns
 * reference and the enum types they use.
 */
export function lookedUpNames(files: readonly ModelFile[], config: Config): Set<string> {
  const out = new Set<string>();
  const add = (name: string) => void out.add(name);
  for (const f of files) {
    for (const e of f.enums) out.add(e.name);
    for (const t of f.tables) {
      out.add(t.name);
      forEachDerivedName(withRlsDefault(t, config), add);
      for (const c of t.columns) {
        if (c.references !== undefined) out.add(c.references.table);
        if (c.type.enumName !== undefined) out.add(c.type.enumName);
      }
      for (const fk of t.foreignKeys ?? []) out.add(fk.table);
    }
  }
  return out;
}

/**
 * The ExternalNames of the owners of `ws` outside `loaded`, from their models (a process that
 * holds the whole workspace, the watcher, reloads only some owners): every name points at
 * the models file that declares it.
 */
export function externalFromModels(ws: Workspace, loaded: ReadonlySet<Owner>): ExternalNames {
  const names = new Map<string, Declared>();
  const tables = new Map<string, Owner>();
  const enums = new Map<string, Owner>();
  for (const file of ws.files) {
    if (loaded.has(file.owner)) continue;
    for (const e of file.enums) enums.set(e.name, file.owner), names.set(e.name, { what: 'enum', file: file.path, span: e.span });
    for (const t of file.tables) {
      tables.set(t.name, file.owner);
      names.set(t.name, { what: 'table', file: file.path, span: t.span });
      forEachDerivedName(t, (name, what, span) => {
        if (!names.has(name)) names.set(name, { what, file: t.file, span });
      });
    }
  }
  return { names, tables, enums };
}

/** No owner left out: every name is the workspace's own. */
const NO_EXTERNAL: ExternalNames = { names: new Map(), tables: new Map(), enums: new Map() };

/**
 * Resolves the files into a Workspace; duplicate tables and enums are dropped (first by
 * path wins). When only some owners were loaded, `external` holds the others' names.
 * "Did you mean" hints come from `suggest`, whose budget bounds their cost.
 */
export function resolve(
  files: readonly ModelFile[],
  config: Config,
  extraOwners: readonly Owner[] = [],
  external: ExternalNames = NO_EXTERNAL,
  suggest: Suggester = suggester(),
): { workspace: Workspace; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  /** Who holds each name: its Declared for a table or an enum, the table itself for a name derived from it. */
  const names = new Map<string, Declared | TableDef>();
  const claim = (name: string, d: Declared): boolean => {
    const held = names.get(name) ?? external.names.get(name);
    if (held === undefined) return names.set(name, d), true;
    diagnostics.push(duplicateName(name, d, held));
    return false;
  };
  const claimDerived = (table: TableDef) => (name: string, what: string, span: Span): void => {
    const held = names.get(name) ?? external.names.get(name);
    if (held === undefined) names.set(name, table);
    else diagnostics.push(duplicateName(name, { what, file: table.file, span }, held));
  };
  const kept = files.map((f) => ({
    ...f,
    enums: f.enums.filter((e) => claim(e.name, { what: 'enum', file: f.path, span: e.span })),
    tables: f.tables.filter((t) => claim(t.name, { what: 'table', file: f.path, span: t.span })).map((t) => withRlsDefault(t, config)),
  }));
  const workspace = workspaceOf(kept, ownersOf(kept, extraOwners));
  const r: Resolution = { ws: workspace, external, out: diagnostics, config, suggest, indexes: { of: new WeakMap() } };
  const spaces = namespaces(workspace, config);
  for (const file of kept) {
    diagnostics.push(...checkExtensions(file, config));
    for (const e of file.enums) checkNamespace(e, spaces, diagnostics);
    for (const table of file.tables) {
      checkNamespace(table, spaces, diagnostics);
      checkTable(table, r);
      forEachDerivedName(table, claimDerived(table));
    }
  }
  checkRenames(workspace, diagnostics);
  return { workspace, diagnostics };
}

/** The Workspace of resolved files: their tables and enums by name. */
export function workspaceOf(files: readonly ModelFile[], owners: readonly Owner[]): Workspace {
  const tables = new Map<string, TableDef>();
  const enums = new Map<string, EnumDef>();
  for (const f of files) {
    for (const t of f.tables) tables.set(t.name, t);
    for (const e of f.enums) enums.set(e.name, e);
  }
  return { kind: 'workspace', files, tables, enums, owners };
}

/**
 * The duplicate-name error of `d`, whose name is already held (by a declaration, or by a
 * table that derives it); the other declaration is its related place, so both files see it.
 */
function duplicateName(name: string, d: Declared, held: Declared | TableDef): Diagnostic {
  const prior = 'kind' in held ? derivedDeclaration(held, name) : held;
  const where = prior.file === d.file ? 'in this file' : `in ${prior.file}`;
  const by = `${/^[aeio]/.test(prior.what) ? 'an' : 'a'} ${prior.what}`;
  const related: Related = { span: prior.span, message: `the ${prior.what} '${name}' is declared here too` };
  return error('duplicate-name', d.span, `the name '${name}' of this ${d.what} is already used by ${by} ${where}`, 'names of tables, types, constraints and indexes are unique across the workspace', [related]);
}

/** What the namespace checks know: the orgs, and the type names no table or enum may take. */
interface Namespaces {
  readonly orgs: ReadonlySet<Owner>;
  /** The orgs inside whose prefix a longer org's lies (acme, with acme_corp): their derived names need checking too. */
  readonly nesting: ReadonlySet<Owner>;
  /** The types the extensions create: type name → extension. */
  readonly types: ReadonlyMap<string, string>;
}

function namespaces(ws: Workspace, config: Config): Namespaces {
  const declared = ws.files.flatMap((f) => f.extensions.map((x) => x.name));
  const orgs = new Set(ws.owners.filter((o) => o !== CORE));
  const nesting = new Set([...orgs].map((o) => namespaceOwner(o, orgs)).filter((o): o is Owner => o !== undefined));
  return { orgs, nesting, types: extensionTypeNames([...config.extensions, ...declared]) };
}

/**
 * A table or enum may not take a type's name; an org's may not start with a reserved prefix
 * nor lie in another org's namespace, and neither may any name derived from its table.
 */
function checkNamespace(o: TableDef | EnumDef, names: Namespaces, out: Diagnostic[]): void {
  const what = o.kind === 'table' ? 'table' : 'enum';
  const extension = names.types.get(o.name);
  if (BUILTIN_TYPE_NAMES.has(o.name)) {
    out.push(error('reserved-name', o.span, `${what} '${o.name}' takes the name of PostgreSQL's built-in type '${o.name}': the two would be told apart only by their schema, and a search_path that puts pg_catalog last would pick this one`, 'rename it'));
    return;
  }
  if (extension !== undefined) {
    out.push(error('reserved-name', o.span, `${what} '${o.name}' takes the name of a type the extension '${extension}' creates: it would stop the extension from being installed`, 'rename it'));
    return;
  }
  if (o.owner === CORE) return;
  const own = namespaceProblem(o.name, o.owner, names);
  if (own !== undefined) {
    out.push(error(own.code, o.span, `${what} '${o.name}' of org '${o.owner}' ${own.reason}`, own.hint));
    return;
  }
  const derived = o.kind === 'table' ? derivedNamespaceProblem(o, names) : undefined;
  if (derived !== undefined) out.push(error(derived.code, derived.span, `the ${derived.what} '${derived.name}' of table '${o.name}' ${derived.reason}`, derived.hint));
}

interface NamespaceProblem {
  readonly code: string;
  /** Why the name is not the org's, completing a sentence that names it. */
  readonly reason: string;
  readonly hint: string;
}

function namespaceProblem(name: string, org: Owner, names: Namespaces): NamespaceProblem | undefined {
  const prefix = reservedPrefix(name);
  if (prefix !== undefined) {
    const whose = prefix === 'pg_' ? "PostgreSQL's catalogs" : "schemac's own objects";
    return { code: 'reserved-name', reason: `starts with '${prefix}', which is reserved for ${whose}`, hint: `start it with '${org}_'` };
  }
  const holder = namespaceOwner(name, names.orgs);
  if (holder === undefined || holder === org) return undefined;
  const except = holder.startsWith(`${org}_`) ? `, except those inside a longer org's prefix such as '${holder}_'` : '';
  return {
    code: 'foreign-namespace',
    reason: `lies in the namespace of org '${holder}' (${holder}_*)`,
    hint: `org '${org}' owns the names that start with '${org}_'${except}: rename it`,
  };
}

/**
 * The first name derived from an org's table (an explicit index name included) that is not
 * the org's to take. Names derived from the table's own name (`<table>_…`) can only stray
 * into a longer org's prefix, so they are checked only when one exists.
 */
function derivedNamespaceProblem(table: TableDef, names: Namespaces): (NamespaceProblem & { name: string; what: string; span: Span }) | undefined {
  let found: (NamespaceProblem & { name: string; what: string; span: Span }) | undefined;
  const check = (name: string, what: string, span: Span) => {
    if (found !== undefined) return;
    const p = namespaceProblem(name, table.owner, names);
    if (p !== undefined) found = { ...p, name, what, span };
  };
  if (names.nesting.has(table.owner)) forEachDerivedName(table, check);
  else {
    for (const i of table.indexes) if (i.name !== undefined) check(i.name, 'index', i.span);
    forEachExplicitName(table, check);
  }
  return found;
}

/** A Resolution is what the checks of one `resolve` share: the workspace, the names left out, the diagnostics found. */
interface Resolution {
  readonly ws: Workspace;
  readonly external: ExternalNames;
  readonly out: Diagnostic[];
  readonly config: Config;
  readonly suggest: Suggester;
  /** The workspace's names indexed for "did you mean", built on first use. */
  readonly indexes: { tables?: CandidateIndex; types?: CandidateIndex; readonly of: WeakMap<TableDef | EnumDef, CandidateIndex> };
  /** Per extension, the owners whose files declare it; found on first use. */
  extensionOwners?: Map<string, ReadonlySet<Owner>>;
}

/**
 * A table's row-level security: every org table with a client_id has it, always (validate
 * refuses `rls: false` in an org's file); a core tenant table with a client_id follows the
 * config's `rls` default unless it sets `rls` itself.
 */
function withRlsDefault(table: TableDef, config: Config): TableDef {
  if (table.rls || !hasColumn(table, 'client_id')) return table;
  if (table.owner !== CORE) return { ...table, rls: true };
  return config.rls === true && table.rlsExplicit !== true && table.tenant === 'client' ? { ...table, rls: true } : table;
}

function hasColumn(table: TableDef, name: string): boolean {
  return table.columns.some((c) => c.name === name);
}

function ownersOf(files: readonly ModelFile[], extra: readonly Owner[]): Owner[] {
  const orgs = [...new Set([...files.map((f) => f.owner), ...extra])].filter((o) => o !== CORE).sort();
  return [CORE, ...orgs];
}

/** May a table of `from` refer to (or use a type of) `to`? */
function visible(from: Owner, to: Owner): boolean {
  return to === CORE || to === from;
}

/** Why an org's reference to a core column is refused: the config's `expose` does not list it. */
function exposure(from: Owner, to: Owner, ref: ReferenceDef, config: Config): Diagnostic | undefined {
  const column = `${ref.table}.${ref.column}`;
  if (from === CORE || to !== CORE || config.expose.includes(column)) return undefined;
  const exposed = config.expose.length === 0 ? 'none' : config.expose.join(', ');
  return error(
    'unexposed-reference', ref.span,
    `org '${from}' may not reference the core column '${column}': the workspace exposes only ${exposed} to orgs`,
    `reference one of: ${exposed} (the config's \`expose\` lists the core columns orgs may reference)`,
  );
}

/** Why a table of `from` may not use the `kind` named `name` of `to`; undefined when it may. */
function ownership(from: Owner, to: Owner, kind: 'table' | 'enum', name: string, span: Span): Diagnostic | undefined {
  if (visible(from, to)) return undefined;
  const what = `${kind} '${name}'`;
  if (from === CORE) return error('core-references-custom', span, `core may not use ${what}, which belongs to org '${to}'`, 'core tables never depend on custom ones');
  return error('cross-org-reference', span, `org '${from}' may not use ${what}, which belongs to org '${to}'`, "a custom table may reference core tables and its own org's tables only");
}

function checkTable(table: TableDef, r: Resolution): void {
  for (const column of table.columns) {
    checkColumnType(table, column, r);
    checkReference(table, column, r);
  }
  for (const fk of table.foreignKeys ?? []) checkForeignKey(table, fk, r);
  checkPrimaryKey(table, r.out);
  checkColumnLists(table, r);
  r.out.push(...indexProblems(table, (x) => declaresExtension(r, table.owner, x)));
  if (table.rls && !hasColumn(table, 'client_id')) {
    r.out.push(error('invalid-rls', table.span, `table '${table.name}' has rls: true but no client_id column`, 'the policy isolates rows by client_id'));
  }
}

function checkColumnType(table: TableDef, column: ColumnDef, r: Resolution): void {
  const t = column.type;
  if (t.base === 'enum') {
    const e = t.enumName === undefined ? undefined : r.ws.enums.get(t.enumName);
    if (e === undefined) {
      const missing = unknownEnum(table, column, r);
      if (missing) r.out.push(missing);
      return;
    }
    const owned = ownership(table.owner, e.owner, 'enum', e.name, column.typeSpan);
    if (owned) r.out.push(owned);
    const badDefault = enumDefaultProblem(column, e, r);
    if (badDefault) r.out.push(badDefault);
  }
  if (column.onUpdateNow && t.base !== 'timestamptz' && t.base !== 'timestamp') {
    r.out.push(error('invalid-on-update', column.valueSpan, `on_update: now() needs a timestamptz or timestamp column, not ${t.sql}`));
  }
  const extension = TYPE_EXTENSIONS[t.base];
  if (extension !== undefined && !declaresExtension(r, table.owner, extension)) {
    r.out.push(error('missing-extension', column.typeSpan, `the ${t.base} type needs the ${extension} extension`, `add \`extensions: [${extension}]\` to this file`));
  }
}

/** What is wrong with a column's enum type that is not in the workspace: another owner's may not be visible; none is unknown. */
function unknownEnum(table: TableDef, column: ColumnDef, r: Resolution): Diagnostic | undefined {
  const t = column.type;
  const elsewhere = t.enumName === undefined ? undefined : r.external.enums.get(t.enumName);
  if (elsewhere !== undefined) return ownership(table.owner, elsewhere, 'enum', t.enumName!, column.typeSpan);
  const guess = r.suggest.closest(t.enumName ?? '', () => (r.indexes.types ??= candidateIndex([...BUILTIN_TYPES, ...r.ws.enums.keys()])), table.file);
  return error('unknown-type', column.typeSpan, `unknown type '${t.enumName}': neither a built-in type nor an enum of the workspace`, guess ? `did you mean '${guess}'?` : undefined);
}

function enumDefaultProblem(column: ColumnDef, e: EnumDef, r: Resolution): Diagnostic | undefined {
  const d = column.default;
  if (d === undefined) return undefined;
  if (d.kind === 'function') return error('invalid-default', d.span, `${d.fn} does not fit the enum column '${column.name}'`);
  if (d.kind !== 'literal') return undefined;
  const values = column.type.array ? (Array.isArray(d.value) ? d.value : [d.value]) : [d.value];
  const bad = values.find((v) => typeof v !== 'string' || !e.values.includes(v));
  if (bad === undefined) return undefined;
  const guess = typeof bad === 'string' ? r.suggest.closest(bad, () => namesOf(e, r), d.span.file) : undefined;
  return error('invalid-default', d.span, `default ${JSON.stringify(bad)} is not a value of enum '${e.name}' (${e.values.join(', ')})`, guess ? `did you mean '${guess}'?` : undefined);
}

/** Whether a file of `owner`, or of core, declares `extension`. */
function declaresExtension(r: Resolution, owner: Owner, extension: string): boolean {
  r.extensionOwners ??= new Map();
  let owners = r.extensionOwners.get(extension);
  if (owners === undefined) {
    owners = new Set(r.ws.files.filter((f) => f.extensions.some((x) => x.name === extension)).map((f) => f.owner));
    r.extensionOwners.set(extension, owners);
  }
  return owners.has(owner) || owners.has(CORE);
}

function checkReference(table: TableDef, column: ColumnDef, r: Resolution): void {
  const ref = column.references;
  if (ref === undefined) return;
  const target = r.ws.tables.get(ref.table);
  if (target === undefined) {
    const missing = unknownTable(table, column, ref, r);
    if (missing) r.out.push(missing);
    return;
  }
  const owned = ownership(table.owner, target.owner, 'table', target.name, ref.span) ?? exposure(table.owner, target.owner, ref, r.config);
  if (owned) {
    r.out.push(owned);
    return;
  }
  const targetColumn = target.columns.find((c) => c.name === ref.column);
  if (targetColumn === undefined) {
    const guess = r.suggest.closest(ref.column, () => namesOf(target, r), table.file);
    r.out.push(error('unknown-reference', ref.span, `column '${column.name}' references '${ref.table}.${ref.column}', but table '${ref.table}' has no column '${ref.column}'`, guess ? `did you mean '${guess}'?` : undefined));
    return;
  }
  checkReferenceType(column, targetColumn, target, r.out);
  checkReferenceAction(column, r.out);
}

/** What is wrong with a referenced table that is not in the workspace: another owner's may not be visible; none is unknown. */
function unknownTable(table: TableDef, column: ColumnDef, ref: ReferenceDef, r: Resolution): Diagnostic | undefined {
  const elsewhere = r.external.tables.get(ref.table);
  if (elsewhere !== undefined) return ownership(table.owner, elsewhere, 'table', ref.table, ref.span);
  const guess = r.suggest.closest(ref.table, () => (r.indexes.tables ??= candidateIndex(r.ws.tables.keys())), table.file);
  return error('unknown-reference', ref.span, `column '${column.name}' references table '${ref.table}', which does not exist`, guess ? `did you mean '${guess}'?` : undefined);
}

function checkReferenceType(column: ColumnDef, target: ColumnDef, table: TableDef, out: Diagnostic[]): void {
  const ref = column.references!;
  const serial = column.type.base === 'serial' || column.type.base === 'bigserial';
  const want = referencingType(target.type);
  if (serial || want !== referencingType(column.type)) {
    out.push(error('reference-type-mismatch', column.typeSpan, `column '${column.name}' is ${column.type.sql} but references '${ref.table}.${ref.column}', which is ${target.type.sql}`, `declare '${column.name}' as ${want}`));
  }
  if (!isUniqueKey(table, target.name)) {
    out.push(error('reference-not-unique', ref.span, `'${ref.table}.${ref.column}' is neither the primary key nor unique, so it cannot be referenced`, `make '${ref.column}' the primary key or unique`));
  }
}

function checkReferenceAction(column: ColumnDef, out: Diagnostic[]): void {
  const ref = column.references!;
  const setsNull = ref.onDelete === 'set null' || ref.onUpdate === 'set null';
  if (setsNull && !column.nullable) {
    out.push(error('invalid-reference-action', ref.span, `'set null' on a NOT NULL column '${column.name}' would fail when it fires`, 'make the column nullable or choose another action'));
  }
}

function isUniqueKey(table: TableDef, column: string): boolean {
  const single = (cols: readonly string[]) => cols.length === 1 && cols[0] === column;
  const col = table.columns.find((c) => c.name === column);
  return Boolean(col?.primaryKey || col?.unique) || (table.primaryKey !== undefined && single(table.primaryKey.columns)) ||
    table.uniques.some((u) => single(u.columns)) || table.indexes.some((i) => i.unique && i.where === undefined && single(i.columns));
}

/**
 * A table-level foreign key: the referenced table exists and is visible (an org's reference
 * to core names exposed columns only), as many columns on each side, each pair of the same
 * type, the referenced columns the target's primary key or a unique constraint, in order.
 */
function checkForeignKey(table: TableDef, fk: ForeignKeyDef, r: Resolution): void {
  const target = r.ws.tables.get(fk.table);
  const label = `foreign key (${fk.columns.join(', ')})`;
  if (target === undefined) {
    const elsewhere = r.external.tables.get(fk.table);
    if (elsewhere !== undefined) {
      const owned = ownership(table.owner, elsewhere, 'table', fk.table, fk.refSpan);
      if (owned) r.out.push(owned);
      return;
    }
    const guess = r.suggest.closest(fk.table, () => (r.indexes.tables ??= candidateIndex(r.ws.tables.keys())), table.file);
    r.out.push(error('unknown-reference', fk.refSpan, `${label} references table '${fk.table}', which does not exist`, guess ? `did you mean '${guess}'?` : undefined));
    return;
  }
  const owned = ownership(table.owner, target.owner, 'table', target.name, fk.refSpan) ??
    fk.refColumns.map((column) => exposure(table.owner, target.owner, { kind: 'reference', table: fk.table, column, onDelete: fk.onDelete, onUpdate: fk.onUpdate, span: fk.refSpan }, r.config)).find((d) => d !== undefined);
  if (owned) return void r.out.push(owned);
  if (fk.columns.length !== fk.refColumns.length) {
    r.out.push(error('invalid-foreign-key', fk.span, `${label} has ${fk.columns.length} column${fk.columns.length === 1 ? '' : 's'} but references ${fk.refColumns.length} of '${fk.table}'`, 'name as many referenced columns as referencing ones, paired in order'));
    return;
  }
  const missing = fk.refColumns.find((c) => !hasColumn(target, c));
  if (missing !== undefined) {
    const guess = r.suggest.closest(missing, () => namesOf(target, r), table.file);
    r.out.push(error('unknown-reference', fk.refSpan, `${label} references '${fk.table}.${missing}', but table '${fk.table}' has no column '${missing}'`, guess ? `did you mean '${guess}'?` : undefined));
    return;
  }
  checkForeignKeyTypes(table, target, fk, r.out);
  if (!isUniqueKeyOf(target, fk.refColumns)) {
    r.out.push(error('reference-not-unique', fk.refSpan, `(${fk.refColumns.join(', ')}) of '${fk.table}' is neither its primary key nor a unique constraint, so it cannot be referenced`, `reference the primary key or a unique constraint of '${fk.table}' with its columns in order, or declare unique: [[${fk.refColumns.join(', ')}]] there`));
  }
  const setsNull = fk.onDelete === 'set null' || fk.onUpdate === 'set null';
  const notNull = fk.columns.filter((c) => table.columns.find((x) => x.name === c)?.nullable === false);
  if (setsNull && notNull.length > 0) {
    r.out.push(error('invalid-reference-action', fk.span, `'set null' on ${label} sets every one of its columns to NULL, and ${notNull.map((c) => `'${c}'`).join(', ')} ${notNull.length === 1 ? 'is' : 'are'} NOT NULL: it would fail when it fires`, 'make those columns nullable or choose another action'));
  }
}

function checkForeignKeyTypes(table: TableDef, target: TableDef, fk: ForeignKeyDef, out: Diagnostic[]): void {
  fk.columns.forEach((name, i) => {
    const column = table.columns.find((c) => c.name === name);
    const ref = target.columns.find((c) => c.name === fk.refColumns[i]);
    if (column === undefined || ref === undefined) return;
    const serial = column.type.base === 'serial' || column.type.base === 'bigserial';
    const want = referencingType(ref.type);
    if (serial || want !== referencingType(column.type)) {
      out.push(error('reference-type-mismatch', column.typeSpan, `column '${column.name}' is ${column.type.sql} but its foreign key pairs it with '${fk.table}.${ref.name}', which is ${ref.type.sql}`, `declare '${column.name}' as ${want}`));
    }
  });
}

/** True when `columns` (in order) are a table's primary key, a unique constraint or a full unique index. */
function isUniqueKeyOf(table: TableDef, columns: readonly string[]): boolean {
  if (columns.length === 1) return isUniqueKey(table, columns[0]);
  const same = (cols: readonly string[]) => cols.length === columns.length && cols.every((c, i) => c === columns[i]);
  return (table.primaryKey !== undefined && same(table.primaryKey.columns)) ||
    table.uniques.some((u) => same(u.columns)) || table.indexes.some((i) => i.unique && i.where === undefined && same(i.columns));
}

function checkPrimaryKey(table: TableDef, out: Diagnostic[]): void {
  const flagged = table.columns.filter((c) => c.primaryKey);
  if (flagged.length > 1) {
    out.push(error('invalid-primary-key', flagged[1].span, `table '${table.name}' marks ${flagged.length} columns primary_key: true`, `for a composite key write primary_key: [${flagged.map((c) => c.name).join(', ')}] on the table`));
  }
  if (flagged.length > 0 && table.primaryKey) {
    out.push(error('invalid-primary-key', table.primaryKey.span, `table '${table.name}' declares its primary key twice: on column '${flagged[0].name}' and in primary_key`, 'keep one'));
  }
  const pkColumns = table.primaryKey?.columns ?? flagged.map((c) => c.name);
  for (const c of table.columns) {
    if (c.nullable && pkColumns.includes(c.name)) out.push(error('invalid-primary-key', c.span, `primary key column '${c.name}' cannot be nullable`));
  }
}

/** A table's column names, or an enum's values, indexed for "did you mean" (once each). */
function namesOf(o: TableDef | EnumDef, r: Resolution): CandidateIndex {
  let index = r.indexes.of.get(o);
  if (index === undefined) r.indexes.of.set(o, (index = candidateIndex(o.kind === 'table' ? o.columns.map((c) => c.name) : o.values)));
  return index;
}

function checkColumnLists(table: TableDef, r: Resolution): void {
  if (table.primaryKey) checkColumnList(table, 'primary_key', table.primaryKey.columns, table.primaryKey.span, r);
  for (const i of table.indexes) checkColumnList(table, 'index', i.columns, i.span, r);
  for (const u of table.uniques) checkColumnList(table, 'unique', u.columns, u.span, r);
  for (const fk of table.foreignKeys ?? []) checkColumnList(table, 'foreign key', fk.columns, fk.span, r);
}

/** Every column a list (`what` of the table) names must exist. */
function checkColumnList(table: TableDef, what: string, columns: readonly string[], span: Span, r: Resolution): void {
  for (const c of columns) {
    if (hasColumn(table, c)) continue;
    const guess = r.suggest.closest(c, () => namesOf(table, r), table.file);
    r.out.push(error('unknown-column', span, `${what} of table '${table.name}' names column '${c}', which does not exist`, guess ? `did you mean '${guess}'?` : undefined));
  }
}

function checkExtensions(file: ModelFile, config: Config): Diagnostic[] {
  if (file.owner === CORE) return [];
  return file.extensions
    .filter((x) => !config.extensions.includes(x.name))
    .map((x) => error('extension-not-allowed', x.span, `org '${file.owner}' may not use extension '${x.name}'`, `the config allows: ${config.extensions.join(', ') || 'none'}`));
}

/** Every derived name a table brings into the workspace's namespace, in declaration order. */
export function derivedNames(table: TableDef): Array<[string, Declared]> {
  const out: Array<[string, Declared]> = [];
  forEachDerivedName(table, (name, what, span) => out.push([name, { what, file: table.file, span }]));
  return out;
}

/** Where a table first declares the derived name `name`. */
function derivedDeclaration(table: TableDef, name: string): Declared {
  return derivedNames(table).find(([n]) => n === name)![1];
}

/** Calls `visit` with every derived name of a table, what it names and where, in declaration order. */
function forEachDerivedName(table: TableDef, visit: (name: string, what: string, span: Span) => void): void {
  const pkColumn = table.primaryKey === undefined ? table.columns.find((c) => c.primaryKey) : undefined;
  const pkSpan = table.primaryKey?.span ?? pkColumn?.span;
  if (pkSpan) visit(table.primaryKey?.name ?? pkColumn?.constraintNames?.primaryKey ?? pkeyName(table.name), 'primary key', pkSpan);
  for (const c of table.columns) {
    if (c.type.base === 'serial' || c.type.base === 'bigserial') visit(sequenceName(table.name, c.name), 'sequence', c.span);
    if (c.references) visit(c.references.name ?? fkeyName(table.name, [c.name]), 'foreign key', c.references.span);
    if (c.unique) visit(c.constraintNames?.unique ?? uniqueName(table.name, [c.name]), 'unique constraint', c.span);
    if (c.index) visit(indexName(table.name, [c.name]), 'index', c.span);
    if (c.check) visit(c.constraintNames?.check ?? checkName(table.name, c.name), 'check constraint', c.check.span);
  }
  for (const u of table.uniques) visit(u.name ?? uniqueName(table.name, u.columns), 'unique constraint', u.span);
  for (const fk of table.foreignKeys ?? []) visit(fk.name ?? fkeyName(table.name, fk.columns), 'foreign key', fk.span);
  for (const i of table.indexes) visit(i.name ?? indexName(table.name, i.columns), 'index', i.span);
  for (const k of table.checks) visit(k.constraintName ?? checkName(table.name, k.name), 'check constraint', k.span);
  const onUpdate = table.columns.find((c) => c.onUpdateNow);
  if (onUpdate) visit(updatedAtTriggerName(table.name), 'trigger', onUpdate.span);
  if (table.rls) visit(rlsPolicyName(table.name), 'policy', table.span);
}

/** Calls `visit` with every constraint name a table states with `name:` (index names are visited apart). */
export function forEachExplicitName(table: TableDef, visit: (name: string, what: string, span: Span) => void): void {
  if (table.primaryKey?.name !== undefined) visit(table.primaryKey.name, 'primary key', table.primaryKey.span);
  for (const c of table.columns) {
    const n = c.constraintNames;
    if (n?.primaryKey !== undefined && c.primaryKey) visit(n.primaryKey, 'primary key', c.span);
    if (c.references?.name !== undefined) visit(c.references.name, 'foreign key', c.references.span);
    if (n?.unique !== undefined && c.unique) visit(n.unique, 'unique constraint', c.span);
    if (n?.check !== undefined && c.check) visit(n.check, 'check constraint', c.check.span);
  }
  for (const u of table.uniques) if (u.name !== undefined) visit(u.name, 'unique constraint', u.span);
  for (const fk of table.foreignKeys ?? []) if (fk.name !== undefined) visit(fk.name, 'foreign key', fk.span);
  for (const k of table.checks) if (k.constraintName !== undefined) visit(k.constraintName, 'check constraint', k.span);
}

function checkRenames(ws: Workspace, out: Diagnostic[]): void {
  const seen = new Map<string, string>();
  const check = (o: TableDef | EnumDef) => {
    if (o.renamedFrom === undefined) return;
    const kind = o.kind === 'table' ? 'table' : 'enum';
    if (o.renamedFrom === o.name) out.push(error('invalid-rename', o.span, `${kind} '${o.name}' is renamed from itself`, 'remove renamed_from'));
    else if (ws.tables.has(o.renamedFrom) || ws.enums.has(o.renamedFrom)) out.push(error('invalid-rename', o.span, `${kind} '${o.name}' is renamed from '${o.renamedFrom}', which still exists`));
    else if (seen.has(`${kind}:${o.renamedFrom}`)) out.push(error('invalid-rename', o.span, `both '${seen.get(`${kind}:${o.renamedFrom}`)}' and '${o.name}' are renamed from '${o.renamedFrom}'`));
    seen.set(`${kind}:${o.renamedFrom}`, o.name);
  };
  for (const t of ws.tables.values()) check(t);
  for (const e of ws.enums.values()) check(e);
  for (const t of ws.tables.values()) if (t.columns.some((c) => c.renamedFrom !== undefined)) out.push(...checkColumnRenames(t));
}

function checkColumnRenames(table: TableDef): Diagnostic[] {
  const names = new Set(table.columns.map((c) => c.name));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const c of table.columns) {
    if (c.renamedFrom === undefined) continue;
    if (c.renamedFrom === c.name || names.has(c.renamedFrom)) out.push(error('invalid-rename', c.span, `column '${c.name}' is renamed from '${c.renamedFrom}', which ${c.renamedFrom === c.name ? 'is itself' : 'still exists'}`));
    else if (seen.has(c.renamedFrom)) out.push(error('invalid-rename', c.span, `two columns of '${table.name}' are renamed from '${c.renamedFrom}'`));
    seen.add(c.renamedFrom);
  }
  return out;
}
