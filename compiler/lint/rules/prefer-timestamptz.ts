/** `prefer-timestamptz`: `timestamp` (without time zone) columns should be `timestamptz`. */
import type { SchemaRule } from '../rule.ts';
import { allTables } from '../walk.ts';

/** The prefer-timestamptz rule. */
export const preferTimestamptz: SchemaRule = {
  id: 'prefer-timestamptz',
  defaultSeverity: 'warn',
  description: 'A timestamp column should be timestamptz, which stores an instant rather than a wall-clock reading.',
  check({ workspace }, report) {
    for (const table of allTables(workspace)) for (const column of table.columns) {
      if (column.type.base !== 'timestamp') continue;
      report({
        span: column.typeSpan,
        table: table.name,
        column: column.name,
        message: `column ${table.name}.${column.name} is ${column.type.sql} (without time zone)`,
        hint: `use ${column.type.sql.replace(/^timestamp/, 'timestamptz')}: it stores an instant, not a wall-clock reading`,
      });
    }
  },
};
