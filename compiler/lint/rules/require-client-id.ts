/**
 * `require-client-id`: a `tenant: client` table, and any table with row-level security (an
 * org's table with a client_id has it whatever its `tenant`), has `client_id uuid not null
 * references clients.id`: the policy compares client_id with a uuid.
 */
import type { ColumnDef, TableDef } from '../../ir.ts';
import { CORE } from '../../ir.ts';
import type { SchemaRule } from '../rule.ts';
import { allTables, findColumn } from '../walk.ts';

const CLIENTS = 'clients';

/** The require-client-id rule. */
export const requireClientId: SchemaRule = {
  id: 'require-client-id',
  defaultSeverity: 'error',
  description: 'A tenant (`tenant: client`) table, or a table with row-level security, has `client_id uuid not null references clients.id`.',
  check({ workspace }, report) {
    for (const table of allTables(workspace)) {
      if ((table.tenant !== 'client' && !table.rls) || isClientsTable(table)) continue;
      const column = findColumn(table, 'client_id');
      if (column === undefined) {
        report({
          span: table.span,
          table: table.name,
          message: `tenant table '${table.name}' has no client_id column`,
          hint: 'add `client_id: { type: uuid, references: clients.id, on_delete: cascade }`, or set `tenant: global` if its rows belong to no client',
        });
        continue;
      }
      const problems = clientIdProblems(column, table);
      if (problems.length > 0) {
        report({
          span: column.span,
          table: table.name,
          column: column.name,
          message: `client_id of tenant table '${table.name}' ${problems.join(', ')}`,
          hint: 'declare it as `client_id: { type: uuid, references: clients.id, on_delete: cascade }`',
        });
      }
    }
  },
};

function isClientsTable(table: TableDef): boolean {
  return table.owner === CORE && table.name === CLIENTS;
}

function clientIdProblems(column: ColumnDef, table: TableDef): string[] {
  const problems: string[] = [];
  if (column.type.base !== 'uuid' || column.type.array) problems.push(`is ${column.type.sql}, not uuid`);
  if (column.nullable) problems.push('is nullable');
  const fk = table.foreignKeys?.find((k) => k.columns.length === 1 && k.columns[0] === column.name);
  const ref = column.references ?? (fk && { table: fk.table, column: fk.refColumns[0] });
  if (ref === undefined) problems.push('does not reference clients.id');
  else if (ref.table !== CLIENTS || ref.column !== 'id') problems.push(`references ${ref.table}.${ref.column}, not clients.id`);
  return problems;
}
