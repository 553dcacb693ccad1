/** `require-timestamps`: every table has `created_at` and `updated_at`, not null, default now(). */
import type { ColumnDef, TableDef } from '../../ir.ts';
import type { SchemaRule } from '../rule.ts';
import { allTables, findColumn } from '../walk.ts';

const SHAPES = {
  created_at: '`created_at: { type: timestamptz, default: now() }`',
  updated_at: '`updated_at: { type: timestamptz, default: now(), on_update: now() }`',
} as const;

type TimestampName = keyof typeof SHAPES;

/** The require-timestamps rule. */
export const requireTimestamps: SchemaRule = {
  id: 'require-timestamps',
  defaultSeverity: 'error',
  description: 'Every table has created_at and updated_at (timestamptz, not null, default now()); updated_at has on_update: now().',
  check({ workspace }, report) {
    for (const table of allTables(workspace)) {
      for (const name of Object.keys(SHAPES) as TimestampName[]) {
        const column = findColumn(table, name);
        if (column === undefined) {
          report({ span: table.span, table: table.name, message: `table '${table.name}' has no ${name} column`, hint: `add ${SHAPES[name]}` });
          continue;
        }
        const problems = timestampProblems(column, name === 'updated_at');
        if (problems.length > 0) {
          report({ span: column.span, table: table.name, column: name, message: problemMessage(table, name, problems), hint: `declare it as ${SHAPES[name]}` });
        }
      }
    }
  },
};

function problemMessage(table: TableDef, name: string, problems: string[]): string {
  return `${name} of table '${table.name}' ${problems.join(', ')}`;
}

function timestampProblems(column: ColumnDef, updated: boolean): string[] {
  const problems: string[] = [];
  const t = column.type;
  if ((t.base !== 'timestamptz' && t.base !== 'timestamp') || t.array) problems.push(`is ${t.sql}, not timestamptz`);
  if (column.nullable) problems.push('is nullable');
  if (!defaultsToNow(column)) problems.push('has no default now()');
  if (updated && !column.onUpdateNow) problems.push('has no on_update: now()');
  return problems;
}

function defaultsToNow(column: ColumnDef): boolean {
  const d = column.default;
  return d?.kind === 'function' && (d.fn === 'now()' || d.fn === 'current_timestamp');
}
