/** Small walkers over the Workspace IR shared by the schema rules. */
import type { ColumnDef, EnumDef, TableDef, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';

const tablesOf = new WeakMap<Workspace, readonly TableDef[]>();

/** Every table of the workspace, in file order then declaration order (listed once per workspace: every rule walks it). */
export function allTables(ws: Workspace): readonly TableDef[] {
  let tables = tablesOf.get(ws);
  if (tables === undefined) tablesOf.set(ws, (tables = ws.files.flatMap((f) => f.tables)));
  return tables;
}

/** Every enum of the workspace, in file order then declaration order. */
export function allEnums(ws: Workspace): EnumDef[] {
  return ws.files.flatMap((f) => f.enums);
}

/** True when the table belongs to an org rather than to core. */
export function isCustom(owner: string): boolean {
  return owner !== CORE;
}

/** The column of `table` named `name`, if any. */
export function findColumn(table: TableDef, name: string): ColumnDef | undefined {
  return table.columns.find((c) => c.name === name);
}

/**
 * The column lists of every full (non-partial) btree or hash access path of a table: its
 * primary key, unique constraints and indexes, including the column-level shorthands.
 */
export function accessPaths(table: TableDef): (readonly string[])[] {
  const pk = table.primaryKey?.columns ?? table.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const paths: (readonly string[])[] = pk.length > 0 ? [pk] : [];
  for (const c of table.columns) if (c.unique || c.index) paths.push([c.name]);
  for (const u of table.uniques) paths.push(u.columns);
  for (const i of table.indexes) {
    if (i.where === undefined && (i.using === 'btree' || i.using === 'hash')) paths.push(i.columns);
  }
  return paths;
}

/** True when some full btree/hash access path of `table` starts with `columns`. */
export function leadsSomeIndex(table: TableDef, columns: readonly string[]): boolean {
  return accessPaths(table).some((p) => columns.every((c, i) => p[i] === c));
}
