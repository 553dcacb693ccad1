/**
 * Splits a migration section into its statements with the real PostgreSQL parser, so the
 * migrator runs them one by one and can name the statement that failed (and so a
 * `-- schemac:no-transaction` file is not wrapped in an implicit transaction).
 */
import { parseSync } from 'libpg-query';
import { loadExpressionParser } from './expr.ts';

/** A SqlStatement is one statement of a section and the 1-based line it starts on in that section. */
export interface SqlStatement {
  readonly sql: string;
  readonly line: number;
}

/** The statements of `sql`, or undefined when the parser rejects it (the caller then runs it whole). */
export async function splitStatements(sql: string): Promise<SqlStatement[] | undefined> {
  await loadExpressionParser();
  let stmts: { stmt_location?: number; stmt_len?: number }[];
  try {
    stmts = parseSync(sql).stmts ?? [];
  } catch {
    return undefined;
  }
  const bytes = Buffer.from(sql, 'utf8');
  return stmts.map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    const text = bytes.subarray(start, end).toString('utf8');
    const lead = text.length - text.trimStart().length;
    const before = bytes.subarray(0, start).toString('utf8') + text.slice(0, lead);
    return { sql: text.trim(), line: before.split('\n').length };
  });
}

/** The statement text shortened for one error line. */
export function excerpt(sql: string, max = 300): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
