/**
 * `tenant-unique`: on a table with row-level security, every primary key, unique constraint
 * and unique index includes `client_id`. PostgreSQL checks uniqueness across all rows, the
 * ones the policy hides included: a unique violation tells one client that another client
 * holds a value. A single-column uuid primary key with a `gen_random_uuid()` default is
 * exempt: its values cannot be guessed, so a collision reveals nothing the prober did not
 * already know. A serial primary key is not exempt: inserting an explicit id probes for
 * another client's row.
 */
import type { ColumnDef, Span, TableDef } from '../../ir.ts';
import type { Finding, SchemaRule } from '../rule.ts';
import { allTables, findColumn } from '../walk.ts';

const CLIENT_ID = 'client_id';

/** The tenant-unique rule. */
export const tenantUnique: SchemaRule = {
  id: 'tenant-unique',
  defaultSeverity: 'error',
  description:
    'On a table with row-level security, every primary key, unique constraint and unique index includes client_id (a random uuid primary key is exempt), so a unique violation never reveals another client\'s rows.',
  check({ workspace }, report) {
    for (const table of allTables(workspace)) {
      if (!table.rls) continue;
      primaryKeyFinding(table).forEach(report);
      uniqueFindings(table).forEach(report);
    }
  },
};

function primaryKeyFinding(table: TableDef): Finding[] {
  const columns = table.primaryKey?.columns ?? table.columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (columns.length === 0 || columns.includes(CLIENT_ID)) return [];
  const only = columns.length === 1 ? findColumn(table, columns[0]) : undefined;
  if (only !== undefined && isRandomUuid(only)) return [];
  const span = table.primaryKey?.span ?? only?.span ?? table.span;
  return [{
    span,
    table: table.name,
    ...(table.primaryKey === undefined && only !== undefined ? { column: only.name } : {}),
    message: `primary key (${columns.join(', ')}) of '${table.name}' has row-level security but neither includes client_id nor is a random uuid: inserting a chosen key reveals whether another client's row holds it`,
    hint: `${only === undefined ? '' : `use \`${only.name}: { type: uuid, primary_key: true, default: gen_random_uuid() }\`, or `}\`primary_key: [${[CLIENT_ID, ...columns].join(', ')}]\``,
  }];
}

function isRandomUuid(column: ColumnDef): boolean {
  return column.type.base === 'uuid' && !column.type.array && column.default?.kind === 'function' && column.default.fn === 'gen_random_uuid()';
}

/** How to make a unique constraint or index per client. */
export function perClientHint(what: string, columns: readonly string[], column = CLIENT_ID): string {
  const list = [column, ...columns].join(', ');
  return what === 'unique index' ? `add ${column} to the index: \`columns: [${list}]\`` : `make it unique per client: \`unique: [[${list}]]\` instead`;
}

function uniqueFindings(table: TableDef): Finding[] {
  const out: Finding[] = [];
  const add = (columns: readonly string[], span: Span, what: string, column?: string) => {
    if (columns.includes(CLIENT_ID)) return;
    out.push({
      span,
      table: table.name,
      ...(column === undefined ? {} : { column }),
      message: `${what} (${columns.join(', ')}) of '${table.name}' does not include client_id: under row-level security a unique violation reveals another client's value`,
      hint: perClientHint(what, columns),
    });
  };
  for (const c of table.columns) if (c.unique && !c.primaryKey) add([c.name], c.span, 'unique column', c.name);
  for (const u of table.uniques) add(u.columns, u.span, 'unique constraint');
  for (const i of table.indexes) if (i.unique) add(i.columns, i.span, 'unique index');
  return out;
}
