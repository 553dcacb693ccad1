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
  return locateStatements(sql, stmts);
}

/**
 * The text (trimmed) and 1-based line of each statement the parser found in `sql`, in order.
 * Offsets are in bytes; lines are counted from one statement to the next, once over the
 * text (the text before each statement, decoded anew, made this quadratic: 0.3 s and over
 * 100 MB of garbage for a 270 KB section).
 */
export function locateStatements(sql: string, stmts: readonly { stmt_location?: number; stmt_len?: number }[]): SqlStatement[] {
  const bytes = Buffer.from(sql, 'utf8');
  let counted = 0;
  let line = 1;
  return stmts.map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    line += newlines(bytes, counted, start);
    counted = start;
    const text = bytes.subarray(start, end).toString('utf8');
    const body = text.trimStart();
    const lead = text.slice(0, text.length - body.length);
    return { sql: body.trimEnd(), line: line + lead.split('\n').length - 1 };
  });
}

/** How many `\n` bytes `bytes` holds from `from` up to `to`. */
function newlines(bytes: Buffer, from: number, to: number): number {
  const part = bytes.subarray(from, to);
  let n = 0;
  for (let at = part.indexOf(10); at !== -1; at = part.indexOf(10, at + 1)) n++;
  return n;
}

/** The statement text shortened for one error line. */
export function excerpt(sql: string, max = 300): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
