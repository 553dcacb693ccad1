/**
 * The SQL text migrations carry for each accepted fragment: printed from its parse tree
 * (`sql-deparse.ts`, from the recogniser's tree or the parser's), recorded here by the
 * fragment check (`compiler/index.ts`) and read by the snapshots (`engine/snapshot.ts`).
 * The string a models file holds is never emitted: a fragment no check accepted in this
 * process reads as UNCHECKED_SQL, which PostgreSQL refuses to parse (such a fragment has
 * an error diagnostic, and nothing is written then).
 */
import type { Fragment } from '../ir.ts';
import { deparseExpression, type SqlNode } from './sql-deparse.ts';

/** What an unchecked fragment reads as: not SQL (`{` is no token of PostgreSQL's), so never applied by mistake. */
export const UNCHECKED_SQL = '{unchecked SQL fragment}';

/** Printed text (or the recogniser's tree, printed when first asked for) by the fragment's text in its models file. */
const printed = new Map<string, string | SqlNode>();

/** Records the printed text of an accepted fragment, or its tree: `lint` never needs the text, so it is printed on demand. */
export function rememberFragmentSql(raw: string, sql: string | SqlNode): void {
  printed.set(raw, sql);
}

/** True when the fragment's text was accepted (and printed) in this process. */
export function hasFragmentSql(raw: string): boolean {
  return printed.has(raw);
}

/** The SQL a migration carries for `fragment`: its printed parse tree. */
export function fragmentSql(fragment: Fragment): string {
  const known = printed.get(fragment.sql);
  if (known === undefined || typeof known === 'string') return known ?? UNCHECKED_SQL;
  const out = deparseExpression(known);
  const sql = 'sql' in out ? out.sql : UNCHECKED_SQL;
  printed.set(fragment.sql, sql);
  return sql;
}
