/**
 * The diff stage: compares two snapshots of one owner and lists the changes that take the
 * first to the second. Renames come only from `renamed_from` hints, never from guessing.
 * Pure and deterministic: the old side is walked for drops and alters, the new side for
 * adds, both in name order.
 */
import type {
  Owner, RenameHints, SnapCheck, SnapColumn, SnapEnum, SnapForeignKey, SnapIndex, SnapPrimaryKey, SnapRls, Snapshot,
  SnapTable, SnapTrigger, SnapUnique,
} from '../ir.ts';
import { quoteIdent } from '../shared/index.ts';
import { archiveSchemaName, compareText } from './snapshot.ts';

/**
 * AddExtension installs an extension (`CREATE EXTENSION IF NOT EXISTS`). Extensions belong to
 * the workspace: when other owners declare it too (`sharedWith`), the down keeps it.
 */
export interface AddExtension { readonly kind: 'AddExtension'; readonly name: string; readonly sharedWith?: readonly Owner[] }
/** DropExtension removes an extension the models no longer declare; it stays installed while other owners declare it (`sharedWith`). */
export interface DropExtension { readonly kind: 'DropExtension'; readonly name: string; readonly sharedWith?: readonly Owner[] }

/** An EnumUsage is an existing column whose type is an enum being recreated. */
export interface EnumUsage {
  readonly table: string;
  readonly column: string;
  /** True when the column is an array of the enum. */
  readonly array: boolean;
  /** True when the column keeps the enum type after the migration (the recreate then owns its default). */
  readonly keepsType: boolean;
  /** The default to restore after the forward recreate (null: none). */
  readonly upDefault: string | null;
  /** The default to restore after the reverse recreate (null: none). */
  readonly downDefault: string | null;
}

/**
 * EnumDependents are the partial indexes and checks (kept on both sides) whose expression
 * names a column of an enum being recreated: they are dropped before the conversion and
 * rebuilt after, since their expressions are bound to the old type.
 */
export interface EnumDependents {
  readonly indexes: readonly { readonly table: string; readonly index: SnapIndex }[];
  readonly checks: readonly { readonly table: string; readonly check: SnapCheck }[];
}

/** AddEnum creates an enum type. */
export interface AddEnum { readonly kind: 'AddEnum'; readonly enum: SnapEnum }
/** DropEnum drops an enum type. */
export interface DropEnum { readonly kind: 'DropEnum'; readonly enum: SnapEnum }
/** RenameEnum renames an enum type (declared with `renamed_from`). */
export interface RenameEnum { readonly kind: 'RenameEnum'; readonly from: string; readonly to: string }
/** AddEnumValue adds one value in position: `before`/`after` name its neighbour. */
export interface AddEnumValue {
  readonly kind: 'AddEnumValue';
  readonly enum: string;
  readonly value: string;
  readonly before?: string;
  readonly after?: string;
  /** The values before this one is added (what the reverse recreates). */
  readonly valuesBefore: readonly string[];
  readonly usages: readonly EnumUsage[];
  readonly dependents: EnumDependents;
}
/** RecreateEnum replaces an enum whose values were removed or reordered, converting its columns. */
export interface RecreateEnum {
  readonly kind: 'RecreateEnum';
  readonly from: SnapEnum;
  readonly to: SnapEnum;
  readonly usages: readonly EnumUsage[];
  readonly dependents: EnumDependents;
}

/** AddTable creates a table with its columns, primary key, uniques, checks and comments. */
export interface AddTable { readonly kind: 'AddTable'; readonly table: SnapTable }
/** DropTable drops a table; its foreign keys are dropped first by their own changes. */
export interface DropTable { readonly kind: 'DropTable'; readonly table: SnapTable }
/** RenameTable renames a table (declared with `renamed_from`). */
export interface RenameTable { readonly kind: 'RenameTable'; readonly from: string; readonly to: string }

/** AddColumn adds a column to an existing table. */
export interface AddColumn { readonly kind: 'AddColumn'; readonly table: string; readonly column: SnapColumn }
/** DropColumn drops a column of a table that stays. */
export interface DropColumn { readonly kind: 'DropColumn'; readonly table: string; readonly column: SnapColumn }
/** RenameColumn renames a column (declared with `renamed_from`). */
export interface RenameColumn { readonly kind: 'RenameColumn'; readonly table: string; readonly from: string; readonly to: string }
/** An AlterKind is one aspect of a column that changed. */
export type AlterKind = 'type' | 'nullable' | 'default' | 'comment';
/** AlterColumn changes a column's type, nullability, default or comment. */
export interface AlterColumn {
  readonly kind: 'AlterColumn';
  readonly table: string;
  readonly from: SnapColumn;
  readonly to: SnapColumn;
  readonly kinds: readonly AlterKind[];
}

/** AddPrimaryKey adds a primary key to an existing table. */
export interface AddPrimaryKey { readonly kind: 'AddPrimaryKey'; readonly table: string; readonly primaryKey: SnapPrimaryKey }
/** DropPrimaryKey drops a primary key. */
export interface DropPrimaryKey { readonly kind: 'DropPrimaryKey'; readonly table: string; readonly primaryKey: SnapPrimaryKey }
/** AddForeignKey adds a foreign key (after every table exists, so cycles work). */
export interface AddForeignKey { readonly kind: 'AddForeignKey'; readonly table: string; readonly foreignKey: SnapForeignKey }
/** DropForeignKey drops a foreign key. */
export interface DropForeignKey { readonly kind: 'DropForeignKey'; readonly table: string; readonly foreignKey: SnapForeignKey }
/** AddUnique adds a unique constraint to an existing table. */
export interface AddUnique { readonly kind: 'AddUnique'; readonly table: string; readonly unique: SnapUnique }
/** DropUnique drops a unique constraint. */
export interface DropUnique { readonly kind: 'DropUnique'; readonly table: string; readonly unique: SnapUnique }
/** AddCheck adds a check constraint to an existing table. */
export interface AddCheck { readonly kind: 'AddCheck'; readonly table: string; readonly check: SnapCheck }
/** DropCheck drops a check constraint. */
export interface DropCheck { readonly kind: 'DropCheck'; readonly table: string; readonly check: SnapCheck }
/** RenameConstraint renames a constraint whose name changed while its definition did not (a renamed table or column, a new `name:`). */
export interface RenameConstraint { readonly kind: 'RenameConstraint'; readonly table: string; readonly from: string; readonly to: string }
/** AddIndex builds an index. */
export interface AddIndex { readonly kind: 'AddIndex'; readonly table: string; readonly index: SnapIndex }
/** DropIndex drops an index. */
export interface DropIndex { readonly kind: 'DropIndex'; readonly table: string; readonly index: SnapIndex }
/** RenameIndex renames an index whose name changed while its definition did not. */
export interface RenameIndex { readonly kind: 'RenameIndex'; readonly table: string; readonly from: string; readonly to: string }

/** AddTrigger creates the `on_update: now()` trigger and its function. */
export interface AddTrigger { readonly kind: 'AddTrigger'; readonly table: string; readonly trigger: SnapTrigger }
/** DropTrigger drops the trigger and its function. */
export interface DropTrigger { readonly kind: 'DropTrigger'; readonly table: string; readonly trigger: SnapTrigger }
/** EnableRls enables and forces row-level security and creates the `client_id` policy. */
export interface EnableRls { readonly kind: 'EnableRls'; readonly table: string; readonly rls: SnapRls }
/** DisableRls drops the policy and disables row-level security. */
export interface DisableRls { readonly kind: 'DisableRls'; readonly table: string; readonly rls: SnapRls }
/** SetTableComment changes a table's comment (null: none). */
export interface SetTableComment { readonly kind: 'SetTableComment'; readonly table: string; readonly from: string | null; readonly to: string | null }

/** ArchiveTable moves a table of an uninstalled tool, with its data, into schema `archive_<owner>`. */
export interface ArchiveTable { readonly kind: 'ArchiveTable'; readonly table: SnapTable; readonly schema: string }
/** RestoreTable moves an archived table back into `public` when its tool is installed again. */
export interface RestoreTable { readonly kind: 'RestoreTable'; readonly table: SnapTable; readonly schema: string }
/** ArchiveEnum moves an enum only archived tables use into schema `archive_<owner>`. */
export interface ArchiveEnum { readonly kind: 'ArchiveEnum'; readonly enum: SnapEnum; readonly schema: string }
/** RestoreEnum moves an archived enum back into `public`. */
export interface RestoreEnum { readonly kind: 'RestoreEnum'; readonly enum: SnapEnum; readonly schema: string }

/** A Change is one operation of a plan: a closed union of verb–noun kinds. */
export type Change =
  | AddExtension | DropExtension
  | AddEnum | DropEnum | RenameEnum | AddEnumValue | RecreateEnum
  | AddTable | DropTable | RenameTable
  | AddColumn | DropColumn | RenameColumn | AlterColumn
  | AddPrimaryKey | DropPrimaryKey | AddForeignKey | DropForeignKey
  | AddUnique | DropUnique | AddCheck | DropCheck | RenameConstraint
  | AddIndex | DropIndex | RenameIndex
  | AddTrigger | DropTrigger | EnableRls | DisableRls | SetTableComment
  | ArchiveTable | RestoreTable | ArchiveEnum | RestoreEnum;

/** The `kind` of every Change. */
export type ChangeKind = Change['kind'];

/** Lists the changes that take `prev` to `next`, renames only where `hints` declare them. */
export function diff(prevInput: Snapshot, nextInput: Snapshot, hints: RenameHints): Change[] {
  const prev = sorted(prevInput);
  const next = sorted(nextInput);
  const renames = resolveRenames(prev, next, hints);
  const old = applyRenames(prev, renames);
  const enums = diffEnums(old, next);
  return [
    ...diffExtensions(old.extensions, next.extensions),
    ...renames.changes,
    ...enums,
    ...diffTables(old, next, renames, recreatedDefaults(enums)),
  ];
}

function byName<T extends { readonly name: string }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => compareText(a.name, b.name));
}

/** Items by name (the first of each name: snapshot lists have unique names). */
function byNameMap<T extends { readonly name: string }>(xs: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const x of xs) if (!map.has(x.name)) map.set(x.name, x);
  return map;
}

function inOrder(xs: readonly { readonly name: string }[]): boolean {
  for (let i = 1; i < xs.length; i++) if (compareText(xs[i - 1].name, xs[i].name) > 0) return false;
  return true;
}

/**
 * The snapshot with every list in name order (snapshots are sorted; hand-built ones may not
 * be). A table already in order is kept as is: the same object on both sides means no change.
 */
function sorted(s: Snapshot): Snapshot {
  const tables = s.tables.map((t) => (inOrder(t.foreignKeys) && inOrder(t.uniques) && inOrder(t.checks) && inOrder(t.indexes) && inOrder(t.triggers) ? t : {
    ...t,
    foreignKeys: byName(t.foreignKeys), uniques: byName(t.uniques), checks: byName(t.checks), indexes: byName(t.indexes), triggers: byName(t.triggers),
  }));
  return { ...s, extensions: [...s.extensions].sort(compareText), enums: byName(s.enums), tables: byName(tables) };
}

// ---------------------------------------------------------------------------
// Renames: applied to the old side first, so everything after speaks the new names.
// ---------------------------------------------------------------------------

interface Renames {
  readonly changes: readonly (RenameEnum | RenameTable | RenameColumn)[];
  /** old table name → new table name. */
  readonly tables: ReadonlyMap<string, string>;
  /** new table name → (old column → new column). */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly enums: ReadonlyMap<string, string>;
}

function resolveRenames(prev: Snapshot, next: Snapshot, hints: RenameHints): Renames {
  const names = (xs: readonly { readonly name: string }[]): Set<string> => new Set(xs.map((x) => x.name));
  const tables = validPairs(hints.tables, names(prev.tables), names(next.tables));
  const enums = validPairs(hints.enums, names(prev.enums), names(next.enums));
  const columns = new Map<string, Map<string, string>>();
  const changes: (RenameEnum | RenameTable | RenameColumn)[] = [];
  for (const [from, to] of sortedEntries(enums)) changes.push({ kind: 'RenameEnum', from, to });
  for (const [from, to] of sortedEntries(tables)) changes.push({ kind: 'RenameTable', from, to });
  const oldNames = new Map([...tables].map(([from, to]) => [to, from]));
  const prevTables = new Map(prev.tables.map((p) => [p.name, p]));
  for (const t of hints.columns.size > 0 ? next.tables : []) {
    const oldTable = prevTables.get(oldNames.get(t.name) ?? t.name);
    const perTable = oldTable ? columnRenames(oldTable, t, hints) : new Map<string, string>();
    for (const [from, to] of perTable) changes.push({ kind: 'RenameColumn', table: t.name, from, to });
    if (perTable.size) columns.set(t.name, perTable);
  }
  return { changes, tables, columns, enums };
}

/** The declared column renames of a table (old → new) whose old column exists only before and new only after. */
function columnRenames(from: SnapTable, to: SnapTable, hints: RenameHints): Map<string, string> {
  const oldCols = new Set(from.columns.map((c) => c.name));
  const newCols = new Set(to.columns.map((c) => c.name));
  const renames = new Map<string, string>();
  for (const c of to.columns) {
    const old = hints.columns.get(`${to.name}.${c.name}`);
    if (old !== undefined && oldCols.has(old) && !newCols.has(old) && !oldCols.has(c.name) && !renames.has(old)) renames.set(old, c.name);
  }
  return renames;
}

/** Keeps the hints whose old name exists only before and whose new name exists only after. */
function validPairs(hints: ReadonlyMap<string, string>, before: ReadonlySet<string>, after: ReadonlySet<string>): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const [to, from] of sortedEntries(hints)) {
    if (from !== to && before.has(from) && !after.has(from) && after.has(to) && !before.has(to)) pairs.set(from, to);
  }
  return pairs;
}

function sortedEntries<V>(m: ReadonlyMap<string, V>): [string, V][] {
  return [...m.entries()].sort((a, b) => compareText(a[0], b[0]));
}

function applyRenames(prev: Snapshot, r: Renames): Snapshot {
  if (r.tables.size === 0 && r.columns.size === 0 && r.enums.size === 0) return prev;
  const table = (n: string): string => r.tables.get(n) ?? n;
  const type = (t: string): string => {
    const base = t.replace(/(\[\])+$/, '');
    const renamed = r.enums.get(base);
    return renamed === undefined ? t : renamed + t.slice(base.length);
  };
  const tables = prev.tables.map((t): SnapTable => {
    const name = table(t.name);
    const col = colMapper(r.columns.get(name));
    return {
      ...t,
      name,
      columns: t.columns.map((c) => ({ ...c, name: col(c.name), type: type(c.type), default: c.default && castRenamed(c.default, r.enums) })),
      primaryKey: t.primaryKey && { ...t.primaryKey, columns: t.primaryKey.columns.map(col) },
      foreignKeys: t.foreignKeys.map((f) => ({
        ...f,
        columns: f.columns.map(col),
        refTable: table(f.refTable),
        refColumns: f.refColumns.map(colMapper(r.columns.get(table(f.refTable)))),
      })),
      uniques: t.uniques.map((u) => ({ ...u, columns: u.columns.map(col) })),
      checks: t.checks.map((c) => ({ ...c, expr: renameInExpr(c.expr, r.columns.get(name)) })),
      indexes: t.indexes.map((i) => ({
        ...i, columns: i.columns.map(col), where: i.where && renameInExpr(i.where, r.columns.get(name)),
        ...(i.opclasses === undefined ? {} : { opclasses: Object.fromEntries(Object.entries(i.opclasses).map(([c, o]) => [col(c), o])) }),
      })),
      // Not renamed: a trigger function's body names its columns and PostgreSQL does not rewrite it on
      // RENAME COLUMN, so a trigger over a renamed column differs and is rebuilt.
      triggers: t.triggers,
    };
  });
  const enums = prev.enums.map((e) => ({ ...e, name: r.enums.get(e.name) ?? e.name }));
  return { ...prev, enums, tables };
}

/**
 * Rewrites renamed column names in a check or index predicate, as PostgreSQL does on
 * RENAME COLUMN: bare and quoted identifiers outside string literals.
 */
function renameInExpr(expr: string, columns: ReadonlyMap<string, string> | undefined): string {
  if (columns === undefined || columns.size === 0) return expr;
  return expr.split(/('(?:[^']|'')*')/).map((part, i) => (i % 2 === 1 ? part : renameWords(part, columns))).join('');
}

function renameWords(text: string, columns: ReadonlyMap<string, string>): string {
  return text.replace(/"((?:[^"]|"")*)"|[A-Za-z_][A-Za-z0-9_$]*/g, (token, quoted: string | undefined) => {
    const name = quoted === undefined ? token.toLowerCase() : quoted.replace(/""/g, '"');
    const renamed = columns.get(name);
    if (renamed === undefined) return token;
    return quoted === undefined && /^[a-z_][a-z0-9_$]*$/.test(renamed) ? renamed : quoteIdent(renamed);
  });
}

/** Rewrites the `::"old_enum"` casts snapshot defaults carry to the enum's new name. */
function castRenamed(expr: string, enums: ReadonlyMap<string, string>): string {
  let out = expr;
  for (const [from, to] of enums) out = out.split(`::${quoteIdent(from)}`).join(`::${quoteIdent(to)}`);
  return out;
}

function colMapper(m: ReadonlyMap<string, string> | undefined): (c: string) => string {
  return (c) => m?.get(c) ?? c;
}

// ---------------------------------------------------------------------------
// Extensions and enums.
// ---------------------------------------------------------------------------

function diffExtensions(prev: readonly string[], next: readonly string[]): Change[] {
  const drops = prev.filter((e) => !next.includes(e)).map((name): Change => ({ kind: 'DropExtension', name }));
  const adds = next.filter((e) => !prev.includes(e)).map((name): Change => ({ kind: 'AddExtension', name }));
  return [...drops, ...adds];
}

function diffEnums(prev: Snapshot, next: Snapshot): Change[] {
  const changes: Change[] = [];
  const nextEnums = byNameMap(next.enums);
  const prevEnums = byNameMap(prev.enums);
  const archivedEnums = byNameMap(prev.archived?.enums ?? []);
  for (const e of prev.enums) {
    const n = nextEnums.get(e.name);
    if (n === undefined) changes.push({ kind: 'DropEnum', enum: e });
    else changes.push(...alterEnum(e, n, prev, next));
  }
  for (const n of next.enums) {
    if (prevEnums.has(n.name)) continue;
    const archived = archivedEnums.get(n.name);
    if (archived === undefined) changes.push({ kind: 'AddEnum', enum: n });
    else changes.push({ kind: 'RestoreEnum', enum: archived, schema: archiveSchemaName(prev.owner) }, ...alterEnum(archived, n, prev, next));
  }
  return changes;
}

function alterEnum(from: SnapEnum, to: SnapEnum, prev: Snapshot, next: Snapshot): Change[] {
  if (sameList(from.values, to.values)) return [];
  const usages = enumUsages(from.name, prev, next);
  const dependents = enumDependents(usages, prev, next);
  if (!isSubsequence(from.values, to.values)) return [{ kind: 'RecreateEnum', from, to, usages, dependents }];
  const changes: AddEnumValue[] = [];
  let current = [...from.values];
  for (const i of enumAdditionOrder(from.values, to.values)) {
    const value = to.values[i];
    const position = i < to.values.length - 1 && !current.includes(to.values[i - 1]) ? { before: to.values[i + 1] } : i === to.values.length - 1 ? {} : { after: to.values[i - 1] };
    changes.push({ kind: 'AddEnumValue', enum: to.name, value, ...position, valuesBefore: current, usages, dependents });
    current = to.values.filter((v) => current.includes(v) || v === value);
  }
  return changes;
}

/**
 * The indexes of `to`'s new values in an order where each one's neighbour already exists:
 * the values ahead of the first old one right to left (each goes BEFORE its successor),
 * then the rest left to right (each goes AFTER its predecessor).
 */
function enumAdditionOrder(from: readonly string[], to: readonly string[]): number[] {
  const isNew = (i: number) => !from.includes(to[i]);
  const firstOld = to.findIndex((v) => from.includes(v));
  const indexes = to.map((_, i) => i).filter(isNew);
  const leading = indexes.filter((i) => i < firstOld).reverse();
  return [...leading, ...indexes.filter((i) => i > firstOld)];
}

/** Existing columns (kept on both sides) whose type is `name` or `name[]`. */
function enumUsages(name: string, prev: Snapshot, next: Snapshot): EnumUsage[] {
  const usages: EnumUsage[] = [];
  const nextTables = byNameMap(next.tables);
  for (const t of prev.tables) {
    const nt = nextTables.get(t.name);
    for (const c of t.columns) {
      const nc = nt?.columns.find((x) => x.name === c.name);
      const array = c.type === `${name}[]`;
      if (nc === undefined || (c.type !== name && !array)) continue;
      const keepsType = nc.type === c.type;
      usages.push({ table: t.name, column: c.name, array, keepsType, upDefault: keepsType ? nc.default : null, downDefault: c.default });
    }
  }
  return usages;
}

function enumDependents(usages: readonly EnumUsage[], prev: Snapshot, next: Snapshot): EnumDependents {
  const indexes: { table: string; index: SnapIndex }[] = [];
  const checks: { table: string; check: SnapCheck }[] = [];
  const columnsOf = new Map<string, string[]>();
  for (const u of usages) {
    const columns = columnsOf.get(u.table);
    if (columns === undefined) columnsOf.set(u.table, [u.column]);
    else columns.push(u.column);
  }
  const [prevTables, nextTables] = [byNameMap(prev.tables), byNameMap(next.tables)];
  for (const [name, columns] of columnsOf) {
    const [a, b] = [prevTables.get(name), nextTables.get(name)];
    const kept = <T>(x: T, list: readonly T[] | undefined): boolean => (list ?? []).some((y) => sameJson(x, y));
    for (const index of a?.indexes ?? []) if (index.where !== null && mentions(index.where, columns) && kept(index, b?.indexes)) indexes.push({ table: name, index });
    for (const check of a?.checks ?? []) if (mentions(check.expr, columns) && kept(check, b?.checks)) checks.push({ table: name, check });
  }
  return { indexes, checks };
}

/** True when an expression names one of `columns` (as a word, or quoted). */
function mentions(expr: string, columns: readonly string[]): boolean {
  return columns.some((c) => expr.includes(quoteIdent(c)) || new RegExp(`(^|[^A-Za-z0-9_$"])${c.replace(/[^A-Za-z0-9_]/g, '\\$&')}($|[^A-Za-z0-9_$"])`, 'i').test(expr));
}

function isSubsequence(sub: readonly string[], of: readonly string[]): boolean {
  let i = 0;
  for (const v of of) if (i < sub.length && sub[i] === v) i++;
  return i === sub.length;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// ---------------------------------------------------------------------------
// Tables.
// ---------------------------------------------------------------------------

/**
 * Columns whose default a RecreateEnum sets on both sides (`table\0column`): their AlterColumn
 * leaves the default alone, since a default of a removed value must not outlive the old type.
 */
function recreatedDefaults(enums: readonly Change[]): Set<string> {
  return new Set(enums.flatMap((c) => (c.kind === 'RecreateEnum' ? c.usages.filter((u) => u.keepsType).map((u) => `${u.table}\0${u.column}`) : [])));
}

function diffTables(prev: Snapshot, next: Snapshot, renames: Renames, enumDefaults: ReadonlySet<string>): Change[] {
  const changes: Change[] = [];
  const nextTables = byNameMap(next.tables);
  const prevNames = new Set(prev.tables.map((t) => t.name));
  const archivedTables = byNameMap(prev.archived?.tables ?? []);
  for (const t of prev.tables) {
    const n = nextTables.get(t.name);
    if (n === t) continue;
    if (n === undefined) {
      changes.push(...t.foreignKeys.map((foreignKey): Change => ({ kind: 'DropForeignKey', table: t.name, foreignKey })));
      changes.push({ kind: 'DropTable', table: t });
    } else {
      changes.push(...diffTable(t, n, enumDefaults));
    }
  }
  for (const n of next.tables) {
    if (prevNames.has(n.name)) continue;
    const archived = archivedTables.get(n.name);
    if (archived === undefined) changes.push(...createTable(n));
    else changes.push({ kind: 'RestoreTable', table: archived, schema: archiveSchemaName(prev.owner) }, ...diffTable(archived, n, enumDefaults));
  }
  return changes;
}

function createTable(t: SnapTable): Change[] {
  return [
    { kind: 'AddTable', table: t },
    ...t.foreignKeys.map((foreignKey): Change => ({ kind: 'AddForeignKey', table: t.name, foreignKey })),
    ...t.indexes.map((index): Change => ({ kind: 'AddIndex', table: t.name, index })),
    ...t.triggers.map((trigger): Change => ({ kind: 'AddTrigger', table: t.name, trigger })),
    ...(t.rls ? [{ kind: 'EnableRls', table: t.name, rls: t.rls } as const] : []),
  ];
}

function diffTable(from: SnapTable, to: SnapTable, enumDefaults: ReadonlySet<string>): Change[] {
  const table = to.name;
  const changes: Change[] = [...diffColumns(from, to, enumDefaults)];
  const pk = (p: SnapPrimaryKey | null): SnapPrimaryKey[] => (p ? [p] : []);
  const rename = (kind: 'RenameConstraint' | 'RenameIndex') => (a: string, b: string): Change => ({ kind, table, from: a, to: b });
  changes.push(
    ...diffNamed(pk(from.primaryKey), pk(to.primaryKey), {
      add: (primaryKey) => ({ kind: 'AddPrimaryKey', table, primaryKey }),
      drop: (primaryKey) => ({ kind: 'DropPrimaryKey', table, primaryKey }),
      rename: rename('RenameConstraint'),
    }),
    ...diffNamed(from.foreignKeys, to.foreignKeys, {
      add: (foreignKey) => ({ kind: 'AddForeignKey', table, foreignKey }),
      drop: (foreignKey) => ({ kind: 'DropForeignKey', table, foreignKey }),
      rename: rename('RenameConstraint'),
    }),
    ...diffNamed(from.uniques, to.uniques, {
      add: (unique) => ({ kind: 'AddUnique', table, unique }),
      drop: (unique) => ({ kind: 'DropUnique', table, unique }),
      rename: rename('RenameConstraint'),
    }),
    ...diffNamed(from.checks, to.checks, {
      add: (check) => ({ kind: 'AddCheck', table, check }),
      drop: (check) => ({ kind: 'DropCheck', table, check }),
      rename: rename('RenameConstraint'),
    }),
    ...diffNamed(from.indexes, to.indexes, {
      add: (index) => ({ kind: 'AddIndex', table, index }),
      drop: (index) => ({ kind: 'DropIndex', table, index }),
      rename: rename('RenameIndex'),
    }),
    ...diffNamed(from.triggers, to.triggers, {
      add: (trigger) => ({ kind: 'AddTrigger', table, trigger }),
      drop: (trigger) => ({ kind: 'DropTrigger', table, trigger }),
    }),
  );
  if (!sameJson(from.rls, to.rls)) {
    if (from.rls) changes.push({ kind: 'DisableRls', table, rls: from.rls });
    if (to.rls) changes.push({ kind: 'EnableRls', table, rls: to.rls });
  }
  if (from.comment !== to.comment) changes.push({ kind: 'SetTableComment', table, from: from.comment, to: to.comment });
  return changes;
}

function diffColumns(from: SnapTable, to: SnapTable, enumDefaults: ReadonlySet<string>): Change[] {
  const changes: Change[] = [];
  for (const c of from.columns) {
    const n = to.columns.find((x) => x.name === c.name);
    if (n === undefined) changes.push({ kind: 'DropColumn', table: to.name, column: c });
    else {
      const kinds = alterKinds(c, n).filter((k) => k !== 'default' || !enumDefaults.has(`${to.name}\0${c.name}`));
      if (kinds.length) changes.push({ kind: 'AlterColumn', table: to.name, from: c, to: n, kinds });
    }
  }
  for (const n of to.columns) if (!from.columns.some((c) => c.name === n.name)) changes.push({ kind: 'AddColumn', table: to.name, column: n });
  return changes;
}

function alterKinds(a: SnapColumn, b: SnapColumn): AlterKind[] {
  const kinds: AlterKind[] = [];
  if (a.type !== b.type) kinds.push('type');
  if (a.nullable !== b.nullable) kinds.push('nullable');
  if (a.default !== b.default) kinds.push('default');
  if (a.comment !== b.comment) kinds.push('comment');
  return kinds;
}

/** How to build the changes of one kind of named object. */
interface NamedKind<T> {
  readonly add: (item: T) => Change;
  readonly drop: (item: T) => Change;
  /** Absent: the object is rebuilt rather than renamed. */
  readonly rename?: (from: string, to: string) => Change;
}

/**
 * Diffs a list of named objects: same name and definition → nothing; an unmatched old object
 * with the definition of an unmatched new one (its table or column renamed, or its `name:`
 * changed) → a rename, never a rebuild; anything else → drop (old side) then add (new side).
 */
function diffNamed<T extends { readonly name: string }>(from: readonly T[], to: readonly T[], k: NamedKind<T>): Change[] {
  const drops: Change[] = [];
  const renames: Change[] = [];
  const matched = new Set<string>();
  const isFree = (b: T): boolean => !matched.has(b.name) && !from.some((x) => x.name === b.name);
  for (const a of from) {
    const same = to.find((b) => b.name === a.name);
    if (same && sameJson(a, same)) {
      matched.add(same.name);
      continue;
    }
    const twin = k.rename && !same ? to.find((b) => isFree(b) && sameJson({ ...a, name: '' }, { ...b, name: '' })) : undefined;
    if (twin && k.rename) {
      matched.add(twin.name);
      renames.push(k.rename(a.name, twin.name));
    } else drops.push(k.drop(a));
  }
  return [...renames, ...drops, ...to.filter((b) => !matched.has(b.name)).map(k.add)];
}

/** Structural equality of snapshot values (JSON data), independent of key order; an undefined member counts as absent. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = definedKeys(x);
  return keys.length === definedKeys(y).length && keys.every((k) => sameJson(x[k], y[k]));
}

function definedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).filter((k) => o[k] !== undefined);
}
