/** `fk-needs-index`: every foreign key's columns lead some index, primary key or unique constraint. */
import type { TableDef } from '../../ir.ts';
import type { SchemaRule } from '../rule.ts';
import { accessPaths, allTables, leadsSomeIndex } from '../walk.ts';

/** The fk-needs-index rule. */
export const fkNeedsIndex: SchemaRule = {
  id: 'fk-needs-index',
  defaultSeverity: 'warn',
  description:
    "Every foreign key's columns lead a full btree index, the primary key or a unique constraint, so deletes of the referenced row and joins do not scan the table.",
  check({ workspace }, report) {
    for (const table of allTables(workspace)) for (const column of table.columns) {
      const ref = column.references;
      if (ref === undefined || leadsSomeIndex(table, [column.name])) continue;
      report({
        span: column.span,
        table: table.name,
        column: column.name,
        message: `foreign key ${table.name}.${column.name} → ${ref.table}.${ref.column} has no index starting with ${column.name}`,
        hint: `add \`index: true\` to ${column.name}, or an index on [${column.name}, …] (e.g. \`- columns: [${column.name}, created_at]\`)`,
      });
    }
    for (const table of allTables(workspace)) for (const fk of table.foreignKeys ?? []) {
      if (coveredInAnyOrder(table, fk.columns)) continue;
      const cols = fk.columns.join(', ');
      report({
        span: fk.span,
        table: table.name,
        message: `foreign key ${table.name} (${cols}) → ${fk.table} (${fk.refColumns.join(', ')}) has no index whose leading columns are ${cols}`,
        hint: `add an index on [${cols}] (e.g. \`- columns: [${cols}]\` under \`indexes:\`), or a primary key or unique constraint that starts with those columns`,
      });
    }
  },
};

/** True when a full btree access path of `table` starts with `columns`, in any order among them. */
function coveredInAnyOrder(table: TableDef, columns: readonly string[]): boolean {
  return leadsSomeIndex(table, columns) || accessPaths(table).some((p) => p.length >= columns.length && columns.every((c) => p.slice(0, columns.length).includes(c)));
}
