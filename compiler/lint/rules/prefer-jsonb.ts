/** `prefer-jsonb`: `json` columns should be `jsonb`. */
import type { SchemaRule } from '../rule.ts';
import { allTables } from '../walk.ts';

/** The prefer-jsonb rule. */
export const preferJsonb: SchemaRule = {
  id: 'prefer-jsonb',
  defaultSeverity: 'warn',
  description: 'A json column should be jsonb: it is indexable (gin), compares by value and is faster to query.',
  check({ workspace }, report) {
    for (const table of allTables(workspace)) for (const column of table.columns) {
      if (column.type.base !== 'json') continue;
      report({
        span: column.typeSpan,
        table: table.name,
        column: column.name,
        message: `column ${table.name}.${column.name} is ${column.type.sql}`,
        hint: `use ${column.type.sql.replace(/^json/, 'jsonb')}: jsonb can be indexed with gin and is faster to query`,
      });
    }
  },
};
