/**
 * Stage 4: resolve the validated files into one Workspace. Checks what no single file can:
 * references point at existing columns of the right type and a visible owner, enum types
 * exist, and every table, type, constraint and index name is unique across the workspace.
 */
import type { Config } from './config.ts';
import type { Diagnostic } from './diagnostics.ts';
import { error } from './diagnostics.ts';
import type { ColumnDef, EnumDef, ModelFile, Owner, Snapshot, Span, TableDef, Workspace } from './ir.ts';
import { CORE } from './ir.ts';
import { checkName, fkeyName, indexName, pkeyName, rlsPolicyName, uniqueName, updatedAtTriggerName } from './names.ts';
import { closest } from './suggest.ts';
import { BUILTIN_TYPES, referencingType } from './type-ref.ts';

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

/** The ExternalNames of some owners' snapshots (`file` is each snapshot's workspace-relative path). */
export function externalNames(snapshots: ReadonlyArray<{ readonly snapshot: Snapshot; readonly file: string }>): ExternalNames {
  const names = new Map<string, Declared>();
  const tables = new Map<string, Owner>();
  const enums = new Map<string, Owner>();
  for (const { snapshot, file } of snapshots) {
    const declared = new Map<string, Declared>();
    const at = (what: string): Declared => {
      let d = declared.get(what);
      if (d === undefined) declared.set(what, (d = { what, file, span: { file, start: 0, end: 0 } }));
      return d;
    };
    for (const e of snapshot.enums) enums.set(e.name, snapshot.owner), names.set(e.name, at('enum'));
    for (const t of snapshot.tables) {
      tables.set(t.name, snapshot.owner);
      names.set(t.name, at('table'));
      snapTableNames(t, (name, what) => names.set(name, at(what)));
    }
  }
  return { names, tables, enums };
}

function snapTableNames(t: Snapshot['tables'][number], add: (name: string, what: string) => void): void {
  if (t.primaryKey) add(t.primaryKey.name, 'primary key');
  for (const c of t.columns) if (c.type === 'serial' || c.type === 'bigserial') add(`${t.name}_${c.name}_seq`, 'sequence');
  for (const f of t.foreignKeys) add(f.name, 'foreign key');
  for (const u of t.uniques) add(u.name, 'unique constraint');
  for (const k of t.checks) add(k.name, 'check constraint');
  for (const i of t.indexes) add(i.name, 'index');
  for (const g of t.triggers) add(g.name, 'trigger');
  if (t.rls) add(t.rls.policy, 'policy');
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
      for (const [name, d] of derivedNames(t)) if (!names.has(name)) names.set(name, d);
    }
  }
  return { names, tables, enums };
}

/** No owner left out: every name is the workspace's own. */
const NO_EXTERNAL: ExternalNames = { names: new Map(), tables: new Map(), enums: new Map() };

/**
 * Resolves the files into a Workspace; duplicate tables and enums are dropped (first by
 * path wins). When only some owners were loaded, `external` holds the others' names.
 */
export function resolve(
  files: readonly ModelFile[],
  config: Config,
  extraOwners: readonly Owner[] = [],
  external: ExternalNames = NO_EXTERNAL,
): { workspace: Workspace; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const names = new Map<string, Declared>();
  const claim = (name: string, d: Declared): boolean => {
    const prior = names.get(name) ?? external.names.get(name);
    if (prior === undefined) return names.set(name, d), true;
    const where = prior.file === d.file ? 'in this file' : `in ${prior.file}`;
    const by = `${/^[aeio]/.test(prior.what) ? 'an' : 'a'} ${prior.what}`;
    diagnostics.push(error('duplicate-name', d.span, `the name '${name}' of this ${d.what} is already used by ${by} ${where}`, 'names of tables, types, constraints and indexes are unique across the workspace'));
    return false;
  };
  const kept = files.map((f) => ({
    ...f,
    enums: f.enums.filter((e) => claim(e.name, { what: 'enum', file: f.path, span: e.span })),
    tables: f.tables.filter((t) => claim(t.name, { what: 'table', file: f.path, span: t.span })).map((t) => withRlsDefault(t, config)),
  }));
  const tables = new Map(kept.flatMap((f) => f.tables.map((t) => [t.name, t] as const)));
  const enums = new Map(kept.flatMap((f) => f.enums.map((e) => [e.name, e] as const)));
  const workspace: Workspace = { kind: 'workspace', files: kept, tables, enums, owners: ownersOf(kept, extraOwners) };
  for (const file of kept) {
    diagnostics.push(...checkExtensions(file, config, workspace));
    for (const table of file.tables) {
      diagnostics.push(...checkTable(table, workspace, external));
      for (const [name, d] of derivedNames(table)) claim(name, d);
    }
  }
  diagnostics.push(...checkRenames(workspace));
  return { workspace, diagnostics };
}

/** The config's `rls` default applies to tenant tables with a client_id that do not set `rls` themselves. */
function withRlsDefault(table: TableDef, config: Config): TableDef {
  if (config.rls !== true || table.rlsExplicit === true || table.tenant !== 'client') return table;
  return table.columns.some((c) => c.name === 'client_id') ? { ...table, rls: true } : table;
}

function ownersOf(files: readonly ModelFile[], extra: readonly Owner[]): Owner[] {
  const orgs = [...new Set([...files.map((f) => f.owner), ...extra])].filter((o) => o !== CORE).sort();
  return [CORE, ...orgs];
}

/** May a table of `from` refer to (or use a type of) `to`? */
function visible(from: Owner, to: Owner): boolean {
  return to === CORE || to === from;
}

function ownership(from: Owner, to: Owner, what: string, span: Span): Diagnostic[] {
  if (visible(from, to)) return [];
  if (from === CORE) return [error('core-references-custom', span, `core may not use ${what}, which belongs to org '${to}'`, 'core tables never depend on custom ones')];
  return [error('cross-org-reference', span, `org '${from}' may not use ${what}, which belongs to org '${to}'`, "a custom table may reference core tables and its own org's tables only")];
}

function checkTable(table: TableDef, ws: Workspace, external: ExternalNames): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const column of table.columns) out.push(...checkColumnType(table, column, ws, external), ...checkReference(table, column, ws, external));
  out.push(...checkPrimaryKey(table), ...checkColumnLists(table));
  if (table.rls && !table.columns.some((c) => c.name === 'client_id')) {
    out.push(error('invalid-rls', table.span, `table '${table.name}' has rls: true but no client_id column`, 'the policy isolates rows by client_id'));
  }
  return out;
}

function checkColumnType(table: TableDef, column: ColumnDef, ws: Workspace, external: ExternalNames): Diagnostic[] {
  const t = column.type;
  const out: Diagnostic[] = [];
  if (t.base === 'enum') {
    const e = t.enumName === undefined ? undefined : ws.enums.get(t.enumName);
    const elsewhere = t.enumName === undefined ? undefined : external.enums.get(t.enumName);
    if (e === undefined && elsewhere !== undefined) return ownership(table.owner, elsewhere, `enum '${t.enumName}'`, t.span);
    if (e === undefined) {
      const guess = closest(t.enumName ?? '', [...BUILTIN_TYPES, ...ws.enums.keys()]);
      return [error('unknown-type', t.span, `unknown type '${t.enumName}': neither a built-in type nor an enum of the workspace`, guess ? `did you mean '${guess}'?` : undefined)];
    }
    out.push(...ownership(table.owner, e.owner, `enum '${e.name}'`, t.span));
    out.push(...checkEnumDefault(column, e));
  }
  if (column.onUpdateNow && !['timestamptz', 'timestamp'].includes(t.base)) {
    out.push(error('invalid-on-update', column.valueSpan, `on_update: now() needs a timestamptz or timestamp column, not ${t.sql}`));
  }
  if (t.base === 'vector' && !declaresExtension(ws, table.owner, 'vector')) {
    out.push(error('missing-extension', t.span, 'the vector type needs the vector extension', 'add `extensions: [vector]` to this file'));
  }
  return out;
}

function checkEnumDefault(column: ColumnDef, e: EnumDef): Diagnostic[] {
  const d = column.default;
  if (d === undefined) return [];
  if (d.kind === 'function') return [error('invalid-default', d.span, `${d.fn} does not fit the enum column '${column.name}'`)];
  if (d.kind !== 'literal') return [];
  const values = column.type.array ? (Array.isArray(d.value) ? d.value : [d.value]) : [d.value];
  const bad = values.find((v) => typeof v !== 'string' || !e.values.includes(v));
  if (bad === undefined) return [];
  const guess = typeof bad === 'string' ? closest(bad, e.values) : undefined;
  return [error('invalid-default', d.span, `default ${JSON.stringify(bad)} is not a value of enum '${e.name}' (${e.values.join(', ')})`, guess ? `did you mean '${guess}'?` : undefined)];
}

function declaresExtension(ws: Workspace, owner: Owner, name: string): boolean {
  return ws.files.some((f) => (f.owner === owner || f.owner === CORE) && f.extensions.some((x) => x.name === name));
}

function checkReference(table: TableDef, column: ColumnDef, ws: Workspace, external: ExternalNames): Diagnostic[] {
  const ref = column.references;
  if (ref === undefined) return [];
  const target = ws.tables.get(ref.table);
  const elsewhere = external.tables.get(ref.table);
  if (target === undefined && elsewhere !== undefined) return ownership(table.owner, elsewhere, `table '${ref.table}'`, ref.span);
  if (target === undefined) {
    const guess = closest(ref.table, [...ws.tables.keys()]);
    return [error('unknown-reference', ref.span, `column '${column.name}' references table '${ref.table}', which does not exist`, guess ? `did you mean '${guess}'?` : undefined)];
  }
  const owned = ownership(table.owner, target.owner, `table '${target.name}'`, ref.span);
  if (owned.length > 0) return owned;
  const targetColumn = target.columns.find((c) => c.name === ref.column);
  if (targetColumn === undefined) {
    const guess = closest(ref.column, target.columns.map((c) => c.name));
    return [error('unknown-reference', ref.span, `column '${column.name}' references '${ref.table}.${ref.column}', but table '${ref.table}' has no column '${ref.column}'`, guess ? `did you mean '${guess}'?` : undefined)];
  }
  return [...referenceTypeProblems(column, targetColumn, target), ...referenceActionProblems(column)];
}

function referenceTypeProblems(column: ColumnDef, target: ColumnDef, table: TableDef): Diagnostic[] {
  const ref = column.references!;
  const out: Diagnostic[] = [];
  const want = referencingType(target.type);
  const have = referencingType(column.type);
  if (column.type.base === 'serial' || column.type.base === 'bigserial' || want !== have) {
    out.push(error('reference-type-mismatch', column.type.span, `column '${column.name}' is ${column.type.sql} but references '${ref.table}.${ref.column}', which is ${target.type.sql}`, `declare '${column.name}' as ${want}`));
  }
  if (!isUniqueKey(table, target.name)) {
    out.push(error('reference-not-unique', ref.span, `'${ref.table}.${ref.column}' is neither the primary key nor unique, so it cannot be referenced`, `make '${ref.column}' the primary key or unique`));
  }
  return out;
}

function referenceActionProblems(column: ColumnDef): Diagnostic[] {
  const ref = column.references!;
  const setsNull = ref.onDelete === 'set null' || ref.onUpdate === 'set null';
  if (setsNull && !column.nullable) {
    return [error('invalid-reference-action', ref.span, `'set null' on a NOT NULL column '${column.name}' would fail when it fires`, 'make the column nullable or choose another action')];
  }
  return [];
}

function isUniqueKey(table: TableDef, column: string): boolean {
  const single = (cols: readonly string[]) => cols.length === 1 && cols[0] === column;
  const col = table.columns.find((c) => c.name === column);
  return Boolean(col?.primaryKey || col?.unique) || (table.primaryKey !== undefined && single(table.primaryKey.columns)) ||
    table.uniques.some((u) => single(u.columns)) || table.indexes.some((i) => i.unique && i.where === undefined && single(i.columns));
}

function checkPrimaryKey(table: TableDef): Diagnostic[] {
  const flagged = table.columns.filter((c) => c.primaryKey);
  const out: Diagnostic[] = [];
  if (flagged.length > 1) {
    out.push(error('invalid-primary-key', flagged[1].span, `table '${table.name}' marks ${flagged.length} columns primary_key: true`, `for a composite key write primary_key: [${flagged.map((c) => c.name).join(', ')}] on the table`));
  }
  if (flagged.length > 0 && table.primaryKey) {
    out.push(error('invalid-primary-key', table.primaryKey.span, `table '${table.name}' declares its primary key twice: on column '${flagged[0].name}' and in primary_key`, 'keep one'));
  }
  const pkColumns = table.primaryKey?.columns ?? flagged.map((c) => c.name);
  for (const c of table.columns.filter((x) => pkColumns.includes(x.name) && x.nullable)) {
    out.push(error('invalid-primary-key', c.span, `primary key column '${c.name}' cannot be nullable`));
  }
  return out;
}

function checkColumnLists(table: TableDef): Diagnostic[] {
  const names = table.columns.map((c) => c.name);
  const lists: Array<{ what: string; columns: readonly string[]; span: Span }> = [
    ...(table.primaryKey ? [{ what: 'primary_key', ...table.primaryKey }] : []),
    ...table.indexes.map((i) => ({ what: 'index', columns: i.columns, span: i.span })),
    ...table.uniques.map((u) => ({ what: 'unique', columns: u.columns, span: u.span })),
  ];
  return lists.flatMap((l) => l.columns.filter((c) => !names.includes(c)).map((c) => {
    const guess = closest(c, names);
    return error('unknown-column', l.span, `${l.what} of table '${table.name}' names column '${c}', which does not exist`, guess ? `did you mean '${guess}'?` : undefined);
  }));
}

function checkExtensions(file: ModelFile, config: Config, ws: Workspace): Diagnostic[] {
  void ws;
  if (file.owner === CORE) return [];
  return file.extensions
    .filter((x) => !config.extensions.includes(x.name))
    .map((x) => error('extension-not-allowed', x.span, `org '${file.owner}' may not use extension '${x.name}'`, `the config allows: ${config.extensions.join(', ') || 'none'}`));
}

/** Every derived name a table brings into the workspace's namespace, in declaration order. */
export function derivedNames(table: TableDef): Array<[string, Declared]> {
  const at = (what: string, span: Span): Declared => ({ what, file: table.file, span });
  const out: Array<[string, Declared]> = [];
  const pk = table.primaryKey ?? (table.columns.some((c) => c.primaryKey) ? { span: table.columns.find((c) => c.primaryKey)!.span } : undefined);
  if (pk) out.push([pkeyName(table.name), at('primary key', pk.span)]);
  for (const c of table.columns) {
    if (c.type.base === 'serial' || c.type.base === 'bigserial') out.push([`${table.name}_${c.name}_seq`, at('sequence', c.span)]);
    if (c.references) out.push([fkeyName(table.name, [c.name]), at('foreign key', c.references.span)]);
    if (c.unique) out.push([uniqueName(table.name, [c.name]), at('unique constraint', c.span)]);
    if (c.index) out.push([indexName(table.name, [c.name]), at('index', c.span)]);
    if (c.check) out.push([checkName(table.name, c.name), at('check constraint', c.check.span)]);
  }
  for (const u of table.uniques) out.push([uniqueName(table.name, u.columns), at('unique constraint', u.span)]);
  for (const i of table.indexes) out.push([i.name ?? indexName(table.name, i.columns), at('index', i.span)]);
  for (const k of table.checks) out.push([checkName(table.name, k.name), at('check constraint', k.span)]);
  const onUpdate = table.columns.find((c) => c.onUpdateNow);
  if (onUpdate) out.push([updatedAtTriggerName(table.name), at('trigger', onUpdate.span)]);
  if (table.rls) out.push([rlsPolicyName(table.name), at('policy', table.span)]);
  return out;
}

function checkRenames(ws: Workspace): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  const objects = [...ws.tables.values(), ...ws.enums.values()];
  for (const o of objects) {
    if (o.renamedFrom === undefined) continue;
    const kind = o.kind === 'table' ? 'table' : 'enum';
    if (o.renamedFrom === o.name) out.push(error('invalid-rename', o.span, `${kind} '${o.name}' is renamed from itself`, 'remove renamed_from'));
    else if (ws.tables.has(o.renamedFrom) || ws.enums.has(o.renamedFrom)) out.push(error('invalid-rename', o.span, `${kind} '${o.name}' is renamed from '${o.renamedFrom}', which still exists`));
    else if (seen.has(`${kind}:${o.renamedFrom}`)) out.push(error('invalid-rename', o.span, `both '${seen.get(`${kind}:${o.renamedFrom}`)}' and '${o.name}' are renamed from '${o.renamedFrom}'`));
    seen.set(`${kind}:${o.renamedFrom}`, o.name);
  }
  for (const t of ws.tables.values()) out.push(...checkColumnRenames(t));
  return out;
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
