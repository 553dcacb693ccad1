/** `prefer-jsonb`: `json` columns should be `jsonb`. */
import type { SchemaRule } from '../rule.ts';
import { allColumns } from '../walk.ts';

/** The prefer-jsonb rule. */
export const preferJsonb: SchemaRule = {
  id: 'prefer-jsonb',
  defaultSeverity: 'warn',
  description: 'A json column should be jsonb: it is indexable (gin), compares by value and is faster to query.',
  check({ workspace }, report) {
    for (const { table, column } of allColumns(workspace)) {
      if (column.type.base !== 'json') continue;
      report({
        span: column.type.span,
        table: table.name,
        column: column.name,
        message: `column ${table.name}.${column.name} is ${column.type.sql}`,
        hint: `use ${column.type.sql.replace(/^json/, 'jsonb')}: jsonb can be indexed with gin and is faster to query`,
      });
    }
  },
};
