/**
 * Snapshots: the normalized, span-free schema of one owner (SPEC §5). `toSnapshot` turns
 * the model IR into the snapshot IR with every constraint, index, trigger and policy named;
 * `serializeSnapshot` and `parseSnapshot` are its stable on-disk form.
 */
import { type Diagnostic, error } from '../diagnostics.ts';
import { effectiveOpclasses, fragmentSql, indexParams, loadYaml, UNCHECKED_SQL } from '../front/index.ts';
import {
  type ColumnDef, type DefaultDef, type ForeignKeyDef, type Owner, type RenameHints, type SnapCheck, type SnapColumn, type SnapEnum,
  type SnapForeignKey, type SnapIndex, type Snapshot, SNAPSHOT_VERSION, type SnapTable, type SnapUnique,
  type Span, type TableDef, type TypeRef, type Workspace,
} from '../ir.ts';
import {
  checkName, fkeyName, indexName, pkeyName, quoteLiteral, rlsPolicyName, uniqueName, updatedAtTriggerName,
} from '../shared/index.ts';

/** Builds the normalized snapshot of `owner`'s tables, enums and extensions. */
export function toSnapshot(ws: Workspace, owner: Owner): Snapshot {
  const files = ws.files.filter((f) => f.owner === owner);
  const extensions = [...new Set(files.flatMap((f) => f.extensions.map((e) => e.name)))].sort(compareText);
  const enums: SnapEnum[] = files.flatMap((f) => f.enums).map((e) => ({ name: e.name, values: [...e.values] }));
  const tables = files.flatMap((f) => f.tables).map(snapTableOnce);
  return { version: SNAPSHOT_VERSION, owner, extensions, enums: byName(enums), tables: byName(tables) };
}

/** The `renamed_from` declarations of `owner`'s tables, columns and enums. */
export function renameHints(ws: Workspace, owner: Owner): RenameHints {
  const tables = new Map<string, string>();
  const columns = new Map<string, string>();
  const enums = new Map<string, string>();
  for (const file of ws.files.filter((f) => f.owner === owner)) {
    for (const t of file.tables) {
      if (t.renamedFrom !== undefined) tables.set(t.name, t.renamedFrom);
      for (const c of t.columns) if (c.renamedFrom !== undefined) columns.set(`${t.name}.${c.name}`, c.renamedFrom);
    }
    for (const e of file.enums) if (e.renamedFrom !== undefined) enums.set(e.name, e.renamedFrom);
  }
  return { tables, columns, enums };
}

/** The schema an owner's uninstalled tools are archived in: `archive_<owner>`. */
export function archiveSchemaName(owner: Owner): string {
  return `archive_${owner}`;
}

/** `next` with what `prev` archived carried over, minus what `next` declares again (restored by the plan). */
export function carryArchive(next: Snapshot, prev: Snapshot): Snapshot {
  if (prev.archived === undefined) return next;
  const [declaredTables, declaredEnums] = [new Set(next.tables.map((t) => t.name)), new Set(next.enums.map((e) => e.name))];
  const tables = prev.archived.tables.filter((t) => !declaredTables.has(t.name));
  const enums = prev.archived.enums.filter((e) => !declaredEnums.has(e.name));
  return tables.length + enums.length === 0 ? next : { ...next, archived: { tables, enums } };
}

/** `next` with the migrations `prev` records (see `Snapshot.migrations`): a snapshot rewritten without a migration keeps them. */
export function carryMigrations(next: Snapshot, prev: Snapshot): Snapshot {
  return prev.migrations === undefined ? next : { ...next, migrations: prev.migrations };
}

/** Orders strings by code unit, independent of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The items in name order, the first of each name kept; a list already in strict order is returned as is. */
function byName<T extends { readonly name: string }>(items: readonly T[]): readonly T[] {
  if (strictlyByName(items)) return items;
  const seen = new Set<string>();
  return [...items].filter((i) => !seen.has(i.name) && seen.add(i.name)).sort((a, b) => compareText(a.name, b.name));
}

function strictlyByName(items: readonly { readonly name: string }[]): boolean {
  for (let i = 1; i < items.length; i++) if (!(items[i - 1].name < items[i].name)) return false;
  return true;
}

/** Snapshot tables by model table: a TableDef is immutable, and the watcher keeps those of unchanged files. */
const snapped = new WeakMap<TableDef, SnapTable>();

function snapTableOnce(t: TableDef): SnapTable {
  let s = snapped.get(t);
  if (s === undefined) {
    s = snapTable(t);
    // A fragment refused in this context may be accepted in the next (an enum declared elsewhere): not kept.
    if (!holdsUnchecked(s)) snapped.set(t, s);
  }
  return s;
}

function holdsUnchecked(t: SnapTable): boolean {
  const unchecked = (sql: string | null) => sql !== null && sql.includes(UNCHECKED_SQL);
  return t.checks.some((c) => unchecked(c.expr)) || t.indexes.some((i) => unchecked(i.where)) || t.columns.some((c) => unchecked(c.default));
}

function snapTable(t: TableDef): SnapTable {
  const p = columnParts(t);
  const pkColumns = t.primaryKey ? [...t.primaryKey.columns] : sized(p.primaryKey);
  const pk = new Set(pkColumns);
  const trigger = updatedAtTriggerName(t.name);
  return {
    name: t.name,
    comment: commentOf(t.comment),
    tenant: t.tenant,
    columns: t.columns.map((c) => snapColumn(c, pk.has(c.name))),
    primaryKey: pkColumns.length ? { name: t.primaryKey?.name ?? p.primaryKeyName ?? pkeyName(t.name), columns: pkColumns } : null,
    foreignKeys: byName(t.foreignKeys === undefined ? sized(p.foreignKeys) : [...p.foreignKeys, ...t.foreignKeys.map((f) => tableForeignKey(t.name, f))]),
    uniques: byName([...p.uniques, ...t.uniques.map((u) => unique(t.name, u.columns, u.name))]),
    checks: byName([...p.checks, ...t.checks.map((k) => ({ name: k.constraintName ?? checkName(t.name, k.name), expr: fragmentSql(k.expr) }))]),
    indexes: byName([...t.indexes.map((i) => declaredIndex(t, i)), ...p.indexes]),
    triggers: p.onUpdate.length ? [{ name: trigger, kind: 'set_updated_at', function: trigger, columns: sized(p.onUpdate) }] : [],
    rls: t.rls ? { policy: rlsPolicyName(t.name) } : null,
  };
}

/** What a table's columns declare besides themselves, in column order: one pass over them. */
interface ColumnParts {
  readonly primaryKey: string[];
  /** The explicit name a primary key column gives its constraint. */
  primaryKeyName?: string;
  readonly onUpdate: string[];
  readonly foreignKeys: SnapForeignKey[];
  readonly uniques: SnapUnique[];
  readonly checks: SnapCheck[];
  readonly indexes: SnapIndex[];
}

/** A list grown by `push`, at its exact size: the snapshots keep a few lists per table, and a grown list keeps room for more. */
function sized<T>(items: T[]): T[] {
  return items.length === 0 ? items : items.slice();
}

function columnParts(t: TableDef): ColumnParts {
  const p: ColumnParts = { primaryKey: [], onUpdate: [], foreignKeys: [], uniques: [], checks: [], indexes: [] };
  for (const c of t.columns) {
    const named = c.constraintNames;
    if (c.primaryKey) p.primaryKey.push(c.name);
    if (c.primaryKey && named?.primaryKey !== undefined) p.primaryKeyName ??= named.primaryKey;
    if (c.onUpdateNow) p.onUpdate.push(c.name);
    if (c.references !== undefined) p.foreignKeys.push(foreignKey(t.name, c.name, c.references));
    if (c.unique && !c.primaryKey) p.uniques.push(unique(t.name, [c.name], named?.unique));
    if (c.check) p.checks.push({ name: named?.check ?? checkName(t.name, c.name), expr: fragmentSql(c.check) });
    if (c.index) p.indexes.push({ name: indexName(t.name, [c.name]), columns: [c.name], unique: false, using: 'btree', where: null });
  }
  return p;
}

function snapColumn(c: ColumnDef, inPrimaryKey: boolean): SnapColumn {
  return {
    name: c.name,
    type: c.type.sql,
    nullable: c.nullable && !inPrimaryKey,
    default: c.default === undefined ? null : renderDefault(c.default, c.type),
    comment: commentOf(c.comment),
  };
}

/** PostgreSQL stores `COMMENT ... IS ''` as no comment: an empty comment is none. */
function commentOf(comment: string | undefined): string | null {
  return comment === undefined || comment === '' ? null : comment;
}

function foreignKey(table: string, column: string, r: NonNullable<ColumnDef['references']>): SnapForeignKey {
  return { name: r.name ?? fkeyName(table, [column]), columns: [column], refTable: r.table, refColumns: [r.column], onDelete: r.onDelete, onUpdate: r.onUpdate };
}

function tableForeignKey(table: string, f: ForeignKeyDef): SnapForeignKey {
  return { name: f.name ?? fkeyName(table, f.columns), columns: [...f.columns], refTable: f.table, refColumns: [...f.refColumns], onDelete: f.onDelete, onUpdate: f.onUpdate };
}

function unique(table: string, columns: readonly string[], name?: string): SnapUnique {
  return { name: name ?? uniqueName(table, columns), columns: [...columns] };
}

function declaredIndex(t: TableDef, i: TableDef['indexes'][number]): SnapIndex {
  const opclasses = effectiveOpclasses(i, t);
  const params = indexParams(i);
  return {
    name: i.name ?? indexName(t.name, i.columns), columns: [...i.columns], unique: i.unique, using: i.using, where: i.where === undefined ? null : fragmentSql(i.where),
    ...(opclasses === undefined ? {} : { opclasses }), ...(params === undefined ? {} : { with: params }),
  };
}

const FUNCTION_SQL: Readonly<Record<string, string>> = {
  'now()': 'now()',
  current_date: 'CURRENT_DATE',
  current_timestamp: 'CURRENT_TIMESTAMP',
  'gen_random_uuid()': 'gen_random_uuid()',
};

/** Renders a column default as the SQL expression a migration emits. */
export function renderDefault(d: DefaultDef, type: TypeRef): string {
  switch (d.kind) {
    case 'function':
      return FUNCTION_SQL[d.fn] ?? d.fn;
    case 'sql':
      return `(${fragmentSql(d.fragment)})`;
    case 'literal':
      return renderLiteral(d.value, type);
  }
}

const NUMERIC_BASES = new Set(['smallint', 'integer', 'bigint', 'serial', 'bigserial', 'numeric', 'real', 'double precision']);

function renderLiteral(value: unknown, type: TypeRef): string {
  if (value === null || value === undefined) return 'NULL';
  if (type.base === 'json' || type.base === 'jsonb') return `${quoteLiteral(JSON.stringify(value))}::${type.base}${type.array ? '[]' : ''}`;
  if (type.array && Array.isArray(value)) {
    const element: TypeRef = { ...type, array: false, sql: type.sql.replace(/\[\]$/, '') };
    if (value.length === 0) return `'{}'::${castType(type.sql)}`;
    return `ARRAY[${value.map((v) => renderLiteral(v, element)).join(', ')}]::${castType(type.sql)}`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') {
    return NUMERIC_BASES.has(type.base) ? String(value) : quoteLiteral(String(value));
  }
  if (typeof value === 'string') return NUMERIC_BASES.has(type.base) && /^-?\d+(\.\d+)?$/.test(value) ? value : quoteLiteral(value);
  return quoteLiteral(JSON.stringify(value));
}

function castType(sql: string): string {
  const base = sql.replace(/(\[\])+$/, '');
  return BUILTIN_TYPE.test(base) ? sql : `"${base.replace(/"/g, '""')}"${sql.slice(base.length)}`;
}

/** Matches the canonical text of a built-in type (anything else is an enum name). */
export const BUILTIN_TYPE =
  /^(smallint|integer|bigint|serial|bigserial|real|double precision|boolean|text|uuid|date|time|timestamp|timestamptz|interval|json|jsonb|bytea|inet|numeric(\(\d+(,\s*\d+)?\))?|varchar(\(\d+\))?|char(\(\d+\))?|citext|(?:vector|halfvec|sparsevec)(\(\d+\))?)$/;

// ---------------------------------------------------------------------------
// Serialization.
// ---------------------------------------------------------------------------

/** The stable JSON text of a snapshot: fixed key order, sorted lists, 2-space indent, trailing newline. */
export function serializeSnapshot(s: Snapshot): string {
  const ordered = {
    version: s.version,
    owner: s.owner,
    ...(s.migrations === undefined ? {} : { migrations: s.migrations }),
    extensions: [...s.extensions].sort(compareText),
    enums: byName(s.enums).map(orderEnum),
    tables: byName(s.tables).map((t) => new OrderedTable(t)),
    ...(archiveEmpty(s) ? {} : { archived: { tables: byName(s.archived!.tables).map(orderTable), enums: byName(s.archived!.enums).map(orderEnum) } }),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * A table that `JSON.stringify` writes in the snapshot's key order (`orderTable`), made when
 * it is reached: an owner of thousands of tables is never copied whole, and each copy is
 * garbage as soon as it is written. (Made by a constructor: V8 may allocate the objects of
 * an object literal directly in the old generation when many of them outlive a young
 * collection, as these wrappers do while their snapshot is written.)
 */
class OrderedTable {
  constructor(private readonly table: SnapTable) {}

  toJSON(): SnapTable {
    return orderTable(this.table);
  }
}

/** True when a snapshot archives nothing (the `archived` key is then left out of the file). */
export function archiveEmpty(s: Snapshot): boolean {
  return s.archived === undefined || (s.archived.tables.length === 0 && s.archived.enums.length === 0);
}

function orderEnum(e: SnapEnum): SnapEnum {
  return { name: e.name, values: e.values };
}

/** A table whose objects have the file's key order (copied for that alone: lists are written as they are). */
function orderTable(t: SnapTable): SnapTable {
  return {
    name: t.name,
    comment: t.comment,
    tenant: t.tenant,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, default: c.default, comment: c.comment })),
    primaryKey: t.primaryKey && { name: t.primaryKey.name, columns: t.primaryKey.columns },
    foreignKeys: byName(t.foreignKeys).map((f) => ({
      name: f.name, columns: f.columns, refTable: f.refTable, refColumns: f.refColumns, onDelete: f.onDelete, onUpdate: f.onUpdate,
    })),
    uniques: byName(t.uniques).map((u) => ({ name: u.name, columns: u.columns })),
    checks: byName(t.checks).map((c) => ({ name: c.name, expr: c.expr })),
    indexes: byName(t.indexes).map((i) => ({
      name: i.name, columns: i.columns, unique: i.unique, using: i.using, where: i.where,
      ...(i.opclasses === undefined ? {} : { opclasses: i.opclasses }), ...(i.with === undefined ? {} : { with: i.with }),
    })),
    triggers: byName(t.triggers).map((g) => ({ name: g.name, kind: g.kind, function: g.function, columns: g.columns })),
    rls: t.rls && { policy: t.rls.policy },
  };
}

// ---------------------------------------------------------------------------
// Parsing and shape validation.
// ---------------------------------------------------------------------------

type Path = readonly (string | number)[];
type Check = (v: unknown, path: Path) => string | null;

/** Parses and validates a snapshot file; a bad file yields a diagnostic with a span in `file`. */
export function parseSnapshot(text: string, file: string): { snapshot?: Snapshot; diagnostics: Diagnostic[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = Number(/position (\d+)/.exec(String((e as Error).message))?.[1] ?? 0);
    const span = { file, start: Math.min(at, text.length), end: Math.min(at + 1, text.length) };
    return { diagnostics: [snapshotError(span, `is not valid JSON: ${(e as Error).message}`)] };
  }
  const problem = isSnapshot(data) ? null : walk(data, [], SNAPSHOT_SHAPE);
  if (problem !== null) {
    const [path, message] = problem;
    return { diagnostics: [snapshotError(locatePath(text, file, path), `${pathText(path)}: ${message}`)] };
  }
  return { snapshot: data as Snapshot, diagnostics: [] };
}

function snapshotError(span: Span, message: string): Diagnostic {
  return error('snapshot-invalid', span, `snapshot ${span.file} ${message}`,
    'snapshots are written by `schemac migration`; restore the file from version control rather than editing it');
}

function pathText(path: Path): string {
  return path.length === 0 ? '(root)' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

function locatePath(text: string, file: string, path: Path): Span {
  const doc = loadYaml().parseDocument(text);
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return { file, start: range[0], end: range[1] };
  }
  return { file, start: 0, end: 0 };
}

const isString: Check = (v) => (typeof v === 'string' ? null : 'expected a string');
const isBool: Check = (v) => (typeof v === 'boolean' ? null : 'expected true or false');
const orNull = (c: Check): Check => (v, p) => (v === null ? null : c(v, p));
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `expected one of ${values.join(', ')}`);
const isInteger: Check = (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? null : 'expected an integer');
const mapOf = (c: Check): Check => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected a map';
  for (const x of Object.values(v)) {
    const problem = c(x, p);
    if (problem !== null) return problem;
  }
  return null;
};
const ACTION = oneOf('cascade', 'restrict', 'set null', 'set default', 'no action');

/** A Shape describes valid JSON: a leaf check, a list, a nullable value, an object with exactly these keys, or a key that may be absent. */
type Shape = Check | { readonly list: Shape } | { readonly nullable: Shape } | { readonly fields: Readonly<Record<string, Shape>> } | { readonly optional: Shape };

const list = (item: Shape): Shape => ({ list: item });
const nullable = (fields: Readonly<Record<string, Shape>>): Shape => ({ nullable: { fields } });
const obj = (fields: Readonly<Record<string, Shape>>): Shape => ({ fields });

const TABLE_SHAPE: Shape = obj({
  name: isString,
  comment: orNull(isString),
  tenant: oneOf('client', 'global'),
  columns: list(obj({ name: isString, type: isString, nullable: isBool, default: orNull(isString), comment: orNull(isString) })),
  primaryKey: nullable({ name: isString, columns: list(isString) }),
  foreignKeys: list(obj({
    name: isString, columns: list(isString), refTable: isString, refColumns: list(isString), onDelete: ACTION, onUpdate: ACTION,
  })),
  uniques: list(obj({ name: isString, columns: list(isString) })),
  checks: list(obj({ name: isString, expr: isString })),
  indexes: list(obj({
    name: isString, columns: list(isString), unique: isBool, using: oneOf('btree', 'gin', 'gist', 'brin', 'hash', 'hnsw', 'ivfflat'), where: orNull(isString),
    opclasses: { optional: mapOf(isString) }, with: { optional: mapOf(isInteger) },
  })),
  triggers: list(obj({ name: isString, kind: oneOf('set_updated_at'), function: isString, columns: list(isString) })),
  rls: nullable({ policy: isString }),
});

const SNAPSHOT_SHAPE: Shape = obj({
  version: (v) => (v === SNAPSHOT_VERSION ? null : `unsupported snapshot version ${JSON.stringify(v)} (this schemac reads version ${SNAPSHOT_VERSION})`),
  owner: isString,
  extensions: list(isString),
  enums: list(obj({ name: isString, values: list(isString) })),
  tables: list(TABLE_SHAPE),
  archived: { optional: obj({ tables: list(TABLE_SHAPE), enums: list(obj({ name: isString, values: list(isString) })) }) },
  migrations: { optional: list(isString) },
});

/** A Valid says whether a value has a shape, without saying why not (`find` does, for the rare bad file). */
type Valid = (v: unknown) => boolean;

const NO_PATH: Path = [];

/** Compiles a shape into a Valid: the shape is interpreted once, not at every value of a large file. */
function compileShape(shape: Shape): Valid {
  if (shape === isString) return (v) => typeof v === 'string';
  if (typeof shape === 'function') return (v) => shape(v, NO_PATH) === null;
  if ('optional' in shape) return compileShape(shape.optional);
  if ('nullable' in shape) {
    const valid = compileShape(shape.nullable);
    return (v) => v === null || valid(v);
  }
  if ('list' in shape) {
    const valid = compileShape(shape.list);
    return (v) => {
      if (!Array.isArray(v)) return false;
      for (let i = 0; i < v.length; i++) if (!valid(v[i])) return false;
      return true;
    };
  }
  const keys = Object.keys(shape.fields);
  const valid = keys.map((k) => compileShape(shape.fields[k]));
  const optional = keys.map((k) => typeof shape.fields[k] === 'object' && 'optional' in shape.fields[k]);
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    let present = 0;
    for (let i = 0; i < keys.length; i++) {
      const value = record[keys[i]];
      if (value === undefined ? !optional[i] : !valid[i](value)) return false; // JSON has no undefined values
      if (value !== undefined) present++;
    }
    let count = 0; // an object JSON.parse made enumerates only its own keys
    for (const _ in record) count++;
    return count === present;
  };
}

const isSnapshot = compileShape(SNAPSHOT_SHAPE);

/** Why parsed JSON is not a snapshot, as `path: message`; null when it is one. */
export function snapshotShapeProblem(data: unknown): string | null {
  const problem = walk(data, [], SNAPSHOT_SHAPE);
  return problem === null ? null : `${pathText(problem[0])}: ${problem[1]}`;
}

/** Returns the first problem as [path, message], or null when `v` has the shape (the path is built only for a problem). */
function walk(v: unknown, path: Path, shape: Shape): [Path, string] | null {
  const problem = find(v, shape);
  return problem === null ? null : [[...path, ...problem[0]], problem[1]];
}

function find(v: unknown, shape: Shape): [(string | number)[], string] | null {
  if (typeof shape === 'function') {
    const message = shape(v, []);
    return message === null ? null : [[], message];
  }
  if ('optional' in shape) return find(v, shape.optional);
  if ('nullable' in shape) return v === null ? null : find(v, shape.nullable);
  if ('list' in shape) {
    if (!Array.isArray(v)) return [[], 'expected a list'];
    for (let i = 0; i < v.length; i++) {
      const problem = find(v[i], shape.list);
      if (problem) return (problem[0].unshift(i), problem);
    }
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [[], 'expected an object'];
  const record = v as Record<string, unknown>;
  for (const key in shape.fields) {
    if (!(key in record)) {
      if (typeof shape.fields[key] === 'object' && 'optional' in shape.fields[key]) continue;
      return [[], `missing key "${key}"`];
    }
    const problem = find(record[key], shape.fields[key]);
    if (problem) return (problem[0].unshift(key), problem);
  }
  for (const extra in record) if (!(extra in shape.fields)) return [[extra], `unknown key "${extra}"`];
  return null;
}
