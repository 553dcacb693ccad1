/**
 * `distribution`: with `distribution: { engine: citus, column }` in the config, every tenant
 * table can be sharded by the distribution column. A distributed table's primary key,
 * unique constraints and unique indexes must include that column (each shard checks only
 * its own rows), and a foreign key between two distributed tables must go through it (rows
 * of one client live on one shard). Global tables become reference tables, copied to every
 * node: a tenant table may reference them, but they may not reference a tenant table. A
 * foreign key of a tenant table that includes the distribution column never sets it (Citus
 * refuses ON DELETE SET NULL / SET DEFAULT and ON UPDATE SET NULL / SET DEFAULT / CASCADE on
 * it: a row cannot move to another shard).
 */
import type { ColumnDef, Distribution, ReferenceDef, ReferentialAction, Span, TableDef, Workspace } from '../../ir.ts';
import type { Finding, SchemaRule } from '../rule.ts';
import { allTables, findColumn } from '../walk.ts';
import { perClientHint } from './tenant-unique.ts';

/** The distribution rule (silent unless the config sets `distribution`). */
export const distribution: SchemaRule = {
  id: 'distribution',
  defaultSeverity: 'error',
  description:
    'With `distribution:` configured, every primary key, unique constraint, unique index and foreign key between tenant tables includes the distribution column, no key through it uses an action Citus refuses, and global (reference) tables never reference tenant tables.',
  check({ workspace, config }, report) {
    const d = config.distribution;
    if (d === undefined) return;
    for (const table of allTables(workspace)) {
      const findings = table.tenant === 'client' ? tenantFindings(table, workspace, d) : globalFindings(table, workspace);
      findings.forEach(report);
    }
  },
};

function tenantFindings(table: TableDef, ws: Workspace, d: Distribution): Finding[] {
  if (findColumn(table, d.column) === undefined) {
    return [{
      span: table.span,
      table: table.name,
      message: `tenant table '${table.name}' has no ${d.column} column to be distributed by`,
      hint: `add ${d.column}, or set \`tenant: global\` to make it a reference table copied to every node`,
    }];
  }
  return [
    ...keyFindings(table, d),
    ...table.columns.flatMap((c) => [...foreignKeyFinding(table, c, ws, d), ...actionFindings(table, c, ws, d)]),
    ...tableForeignKeyFindings(table, ws, d),
    ...tableActionFindings(table, d),
  ];
}

function keyFindings(table: TableDef, d: Distribution): Finding[] {
  const out: Finding[] = [];
  const add = (what: string, columns: readonly string[], span: Span, column?: string) => {
    if (columns.includes(d.column)) return;
    out.push({
      span,
      table: table.name,
      ...(column === undefined ? {} : { column }),
      message: `${what} (${columns.join(', ')}) of tenant table '${table.name}' does not include the distribution column ${d.column}: a distributed table can only enforce it per shard`,
      hint: what === 'primary key' ? `make ${d.column} part of it: \`primary_key: [${[d.column, ...columns].join(', ')}]\`` : perClientHint(what, columns, d.column),
    });
  };
  const pkColumns = table.columns.filter((c) => c.primaryKey);
  if (table.primaryKey) add('primary key', table.primaryKey.columns, table.primaryKey.span);
  else if (pkColumns.length > 0) add('primary key', pkColumns.map((c) => c.name), pkColumns[0].span, pkColumns[0].name);
  for (const c of table.columns) if (c.unique && !c.primaryKey) add('unique column', [c.name], c.span, c.name);
  for (const u of table.uniques) add('unique constraint', u.columns, u.span);
  for (const i of table.indexes) if (i.unique) add('unique index', i.columns, i.span);
  return out;
}

function foreignKeyFinding(table: TableDef, column: ColumnDef, ws: Workspace, d: Distribution): Finding[] {
  const ref = column.references;
  const target = ref === undefined ? undefined : ws.tables.get(ref.table);
  if (ref === undefined || target === undefined || target.tenant === 'global') return [];
  if (column.name === d.column && ref.column === d.column) return [];
  return [{
    span: ref.span,
    table: table.name,
    column: column.name,
    message: `foreign key ${table.name}.${column.name} → ${ref.table}.${ref.column} joins two distributed tables without going through ${d.column}: Citus accepts only foreign keys that include the distribution column on both sides`,
    hint: `make it a composite foreign key through ${d.column}: drop \`references\` from ${column.name} and add to the table \`${compositeKey(column, ref, d)}\``,
  }];
}

/**
 * The table-level `foreign_keys:` entry (docs: the models language) that replaces `column`'s
 * reference; the referenced table needs a primary key or unique constraint on (client_id, id).
 * An action Citus refuses is left out (no action), never swapped for one that deletes rows.
 */
function compositeKey(column: ColumnDef, ref: ReferenceDef, d: Distribution): string {
  const action = (what: string, a: ReferentialAction) => (a === 'no action' ? '' : `, ${what}: ${a}`);
  const onDelete = refusedOnDelete(ref.onDelete) ? '' : action('on_delete', ref.onDelete);
  const onUpdate = refusedOnUpdate(ref.onUpdate) ? '' : action('on_update', ref.onUpdate);
  return `foreign_keys: [{ columns: [${d.column}, ${column.name}], references: { table: ${ref.table}, columns: [${d.column}, ${ref.column}] }${onDelete}${onUpdate} }]`;
}

const refusedOnDelete = (a: ReferentialAction) => a === 'set null' || a === 'set default';
const refusedOnUpdate = (a: ReferentialAction) => a === 'set null' || a === 'set default' || a === 'cascade';

/**
 * The referential actions Citus refuses on a foreign key of a distributed table that includes
 * the distribution column (to a reference table: the column itself references; between tenant
 * tables: the composite key through it that the rule asks for): they would set or move it.
 */
function actionFindings(table: TableDef, column: ColumnDef, ws: Workspace, d: Distribution): Finding[] {
  const ref = column.references;
  if (ref === undefined) return [];
  const throughColumn = column.name === d.column || ws.tables.get(ref.table)?.tenant === 'client';
  if (!throughColumn) return [];
  const out: Finding[] = [];
  const add = (what: 'ON DELETE' | 'ON UPDATE', action: ReferentialAction, instead: string) =>
    out.push({
      span: ref.span,
      table: table.name,
      column: column.name,
      message: `foreign key ${table.name}.${column.name} → ${ref.table}.${ref.column} has ${what} ${action.toUpperCase()}, which Citus refuses on a foreign key that includes the distribution column ${d.column}${column.name === d.column ? '' : ' (as the composite key through it must)'}: it would ${action === 'cascade' ? 'move' : 'set'} ${d.column} of a distributed row`,
      hint: instead,
    });
  if (refusedOnDelete(ref.onDelete)) add('ON DELETE', ref.onDelete, `use \`on_delete: cascade\`, \`restrict\` or \`no action\` (a nullable ${column.name} can be cleared by the application before the delete)`);
  if (refusedOnUpdate(ref.onUpdate)) add('ON UPDATE', ref.onUpdate, `drop \`on_update\` (keys are not updated), or use \`restrict\` or \`no action\``);
  return out;
}

/** A table-level foreign key between two distributed tables must pair the distribution column with itself. */
function tableForeignKeyFindings(table: TableDef, ws: Workspace, d: Distribution): Finding[] {
  return (table.foreignKeys ?? []).flatMap((fk): Finding[] => {
    if (ws.tables.get(fk.table)?.tenant !== 'client') return [];
    if (fk.columns.some((c, i) => c === d.column && fk.refColumns[i] === d.column)) return [];
    return [{
      span: fk.refSpan,
      table: table.name,
      message: `foreign key ${table.name} (${fk.columns.join(', ')}) → ${fk.table} (${fk.refColumns.join(', ')}) joins two distributed tables without pairing ${d.column} with ${d.column}: Citus accepts only foreign keys that include the distribution column on both sides`,
      hint: pairedHint(fk.columns, fk.refColumns, fk.table, d.column),
    }];
  });
}

/**
 * Citus refuses, on a foreign key whose columns include the distribution column, ON DELETE
 * SET NULL / SET DEFAULT and ON UPDATE SET NULL / SET DEFAULT / CASCADE: the distribution
 * column of a row can never change.
 */
function tableActionFindings(table: TableDef, d: Distribution): Finding[] {
  return (table.foreignKeys ?? []).filter((fk) => fk.columns.includes(d.column)).flatMap((k): Finding[] => {
    const refused = [
      ...(refusedOnDelete(k.onDelete) ? [`ON DELETE ${k.onDelete.toUpperCase()}`] : []),
      ...(refusedOnUpdate(k.onUpdate) ? [`ON UPDATE ${k.onUpdate.toUpperCase()}`] : []),
    ];
    if (refused.length === 0) return [];
    return [{
      span: k.span,
      table: table.name,
      message: `foreign key ${table.name} (${k.columns.join(', ')}) → ${k.table} uses ${refused.join(' and ')}, which Citus refuses on a key that includes the distribution column ${d.column}`,
      hint: 'use cascade, restrict or no action on delete, and restrict or no action on update (the distribution column never changes)',
    }];
  });
}

/** The lists of a foreign key that pair the distribution column with itself: in its referenced place, or first on both sides. */
function pairedHint(columns: readonly string[], refColumns: readonly string[], table: string, column: string): string {
  const at = refColumns.indexOf(column);
  const [mine, theirs] = at >= 0
    ? [columns.map((c, i) => (i === at ? column : c)).filter((c, i) => i === at || c !== column), refColumns]
    : [[column, ...columns.filter((c) => c !== column)], [column, ...refColumns]];
  return `pair ${column} with ${column}: \`columns: [${mine.join(', ')}]\`, \`references: { table: ${table}, columns: [${theirs.join(', ')}] }\`${at >= 0 ? '' : ` (${table} needs a unique constraint on them)`}`;
}

function globalFindings(table: TableDef, ws: Workspace): Finding[] {
  const composite = (table.foreignKeys ?? []).flatMap((fk): Finding[] => ws.tables.get(fk.table)?.tenant !== 'client' ? [] : [{
    span: fk.refSpan,
    table: table.name,
    message: `global table '${table.name}' references tenant table '${fk.table}': a reference table, copied to every node, cannot reference a distributed table`,
    hint: `reverse the link (let ${fk.table} reference ${table.name}), or make ${table.name} a tenant table`,
  }]);
  return [...composite, ...columnGlobalFindings(table, ws)];
}

function columnGlobalFindings(table: TableDef, ws: Workspace): Finding[] {
  return table.columns.flatMap((column): Finding[] => {
    const ref = column.references;
    if (ref === undefined || ws.tables.get(ref.table)?.tenant !== 'client') return [];
    return [{
      span: ref.span,
      table: table.name,
      column: column.name,
      message: `global table '${table.name}' references tenant table '${ref.table}': a reference table, copied to every node, cannot reference a distributed table`,
      hint: `reverse the link (let ${ref.table} reference ${table.name}), or make ${table.name} a tenant table`,
    }];
  });
}
