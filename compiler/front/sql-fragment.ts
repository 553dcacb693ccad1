/**
 * Checks user-written SQL fragments (`sql:` defaults, `check`, index `where`) with the real
 * PostgreSQL parser: each must be one expression over the table's own columns, with no
 * statements, subqueries, comments or functions outside an allowlist, within the bounds of
 * `sql-limits.ts`. An accepted fragment's text for the migrations is printed from its parse
 * tree (`sql-deparse.ts`), never taken from the models file.
 */
import { loadModule, parseSync, scanSync } from 'libpg-query';
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { Fragment, Span } from '../ir.ts';
import { ALLOWED_FUNCTIONS, ALLOWED_NODES, ALLOWED_OPERATORS, ALLOWED_TYPES, GROWING_FUNCTIONS, IMMUTABLE_FUNCTIONS, allowedFunctions } from './sql-allowlist.ts';
import { locator } from './fragment-locator.ts';
import { deparseExpression } from './sql-deparse.ts';
import { lengthProblem, treeProblem } from './sql-limits.ts';

export { ALLOWED_FUNCTIONS, IMMUTABLE_FUNCTIONS };

/** Options of a fragment check: the table's columns (empty for a default), more functions or types. */
export interface FragmentOptions {
  readonly columns: ReadonlySet<string>;
  /** Replaces the allowlist of functions (tests). */
  readonly allowFunctions?: ReadonlySet<string>;
  /** String-growing functions the config allows (`fragments.allow_functions`). */
  readonly growing?: readonly string[];
  /** Extra type names a cast may target (the workspace's enums). */
  readonly types?: ReadonlySet<string>;
  /** Only immutable functions and no current_date/current_timestamp (index predicates). */
  readonly immutable?: boolean;
  /** What the fragment is, for messages: `a check`, `an index predicate`, `a default`. */
  readonly what?: string;
  /** The source text of the fragment's file, to point diagnostics inside the fragment. */
  readonly source?: string;
}

let loading: Promise<void> | undefined;

/** Loads the PostgreSQL parser (WASM) once; call before `checkFragment`. */
export function loadSqlParser(): Promise<void> {
  loading ??= loadModule();
  return loading;
}

const PREFIX = 'SELECT (';

/** A Verdict is what the check found in one fragment text: its problems (offsets into it), else the SQL to emit. */
interface Verdict {
  readonly problems: ReadonlyArray<{ offset?: number; message: string; hint?: string; code: string }>;
  /** The fragment printed from its parse tree, when it has no problem. */
  readonly sql?: string;
}

/** Verdicts of fragments already checked in this process (watch mode re-checks unchanged ones). */
const verdicts = new Map<string, Verdict>();

/** Checks one fragment; diagnostics point into the fragment when its text maps onto the source. */
export function checkFragment(fragment: Fragment, opts: FragmentOptions): Diagnostic[] {
  return checkAndPrintFragment(fragment, opts).diagnostics;
}

/** Checks one fragment and, when it is accepted, prints it from its parse tree: the text migrations carry. */
export function checkAndPrintFragment(fragment: Fragment, opts: FragmentOptions): { diagnostics: Diagnostic[]; sql?: string } {
  const what = opts.what ?? 'an SQL fragment';
  const key = JSON.stringify([fragment.sql, what, opts.immutable === true, [...opts.columns], [...(opts.types ?? [])], opts.allowFunctions ? [...opts.allowFunctions] : null, opts.growing ?? []]);
  let verdict = verdicts.get(key);
  if (verdict === undefined) verdicts.set(key, (verdict = judge(fragment.sql, opts, what)));
  const at = locator(fragment, opts.source);
  return { diagnostics: verdict.problems.map((p) => error(p.code, at(p.offset), p.message, p.hint)), sql: verdict.sql };
}

/** The problems of one fragment text, with offsets into it, or the text to emit. */
function judge(sql: string, opts: FragmentOptions, what: string): Verdict {
  const long = lengthProblem(sql, what);
  if (long) return { problems: [{ code: 'fragment-too-complex', ...long }] };
  const problems = parseProblems(sql, opts, what);
  if ('problems' in problems) return problems;
  const bound = treeProblem(problems.tree, what, offsetOf);
  if (bound) return { problems: [{ code: 'fragment-too-complex', ...bound }] };
  const printed = deparseExpression(problems.tree);
  if ('problem' in printed) return { problems: [{ code: 'forbidden-sql', message: `${what} cannot be rendered faithfully: ${printed.problem}` }] };
  return { problems: [], sql: printed.sql };
}

/** The expression's tree when it is one allowed expression, else its problems. */
function parseProblems(sql: string, opts: FragmentOptions, what: string): Verdict | { tree: unknown } {
  const lexical = lexicalProblem(sql);
  if (lexical) return { problems: [{ code: 'forbidden-sql', offset: lexical.offset, message: `${what} must be a single expression: ${lexical.message}` }] };
  let parsed: { stmts?: Array<{ stmt?: Record<string, unknown> }> };
  try {
    parsed = parseSync(`${PREFIX}${sql}\n)`) as typeof parsed;
  } catch (e) {
    const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const offset = details?.cursorPosition === undefined ? undefined : details.cursorPosition - 1 - PREFIX.length;
    if (e instanceof RangeError) return { problems: [{ code: 'invalid-sql', message: `${what} is nested too deeply to check` }] };
    return { problems: [{ code: 'invalid-sql', offset, message: `${what} is not valid SQL: ${(e as Error).message}` }] };
  }
  const select = parsed.stmts?.length === 1 ? (parsed.stmts[0].stmt?.SelectStmt as Record<string, unknown> | undefined) : undefined;
  const targets = select?.targetList as Array<{ ResTarget?: { val?: unknown; name?: string } }> | undefined;
  const extra = select ? Object.keys(select).filter((k) => !['targetList', 'limitOption', 'op'].includes(k)) : [];
  if (!select || targets?.length !== 1 || extra.length > 0 || targets[0].ResTarget?.name !== undefined) {
    return { problems: [{ code: 'forbidden-sql', message: `${what} must be a single expression, not a statement or a list` }] };
  }
  const tree = targets[0].ResTarget?.val;
  const found = walk(tree, opts, what).map((p) => ({ code: 'forbidden-sql', ...p }));
  return found.length > 0 ? { problems: found } : { tree };
}

/** The parser's tree of a fragment `checkFragment` accepted, and how far its locations count past the fragment's start (for `fragment-types.ts`). */
export function expressionTree(sql: string): { tree: unknown; shift: number } {
  const tree = parseSync(`${PREFIX}${sql}\n)`) as { stmts: Array<{ stmt: { SelectStmt: { targetList: Array<{ ResTarget: { val: unknown } }> } } }> };
  return { tree: tree.stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val, shift: PREFIX.length };
}

/** Comments, semicolons and unbalanced parentheses could escape the expression's parentheses. */
function lexicalProblem(sql: string): { offset: number; message: string } | undefined {
  let tokens;
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return undefined;
  }
  let depth = 0;
  for (const t of tokens) {
    if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') return { offset: t.start, message: 'comments are not allowed' };
    if (t.text === ';') return { offset: t.start, message: "';' is not allowed" };
    if (t.text === '(') depth++;
    if (t.text === ')' && --depth < 0) return { offset: t.start, message: "this ')' closes a parenthesis the expression did not open" };
  }
  return depth === 0 ? undefined : { offset: sql.length, message: 'unbalanced parentheses' };
}

/** A Problem is something forbidden inside the expression, at an offset into the fragment. */
interface Problem {
  readonly offset?: number;
  readonly message: string;
  readonly hint?: string;
}

/** Walks the expression tree without recursion, checking every node against the allowlists. */
function walk(root: unknown, opts: FragmentOptions, what: string): Problem[] {
  const problems: Problem[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && problems.length < 5) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    for (const [key, body] of Object.entries(value as Record<string, unknown>)) {
      if (/^[A-Z]/.test(key)) {
        const problem = nodeProblem(key, body as Record<string, unknown>, opts, what);
        if (problem) problems.push(problem);
        else stack.push(body);
      } else if (body !== null && typeof body === 'object') stack.push(body);
    }
  }
  return problems;
}

function offsetOf(body: Record<string, unknown>): number | undefined {
  return typeof body.location === 'number' && body.location >= 0 ? body.location - PREFIX.length : undefined;
}

function nodeProblem(type: string, body: Record<string, unknown>, opts: FragmentOptions, what: string): Problem | undefined {
  const offset = offsetOf(body);
  if (type === 'SubLink') return { offset, message: `${what} may not contain a subquery` };
  if (type === 'ParamRef') return { offset, message: `${what} may not contain parameters` };
  if (!ALLOWED_NODES.has(type)) return { offset, message: `${what} may not contain ${describeNode(type)}` };
  if (type === 'ColumnRef') return columnProblem(body, opts, what);
  if (type === 'FuncCall') return functionProblem(body, opts, what);
  if (type === 'TypeCast') return typeProblem((body.typeName ?? {}) as Record<string, unknown>, opts, what);
  if (type === 'SQLValueFunction' && opts.immutable) {
    return { offset, message: `${what} may not use ${String(body.op).replace('SVFOP_', '').toLowerCase()}: it changes over time`, hint: 'PostgreSQL requires index predicates to be immutable' };
  }
  if (type === 'SQLValueFunction' && !/^SVFOP_(CURRENT_DATE|CURRENT_TIME|CURRENT_TIMESTAMP|LOCALTIME|LOCALTIMESTAMP)(_N)?$/.test(String(body.op))) {
    return { offset, message: `${what} may not use ${String(body.op).replace('SVFOP_', '').toLowerCase()}` };
  }
  if (type === 'A_Expr') return operatorProblem(body, what);
  return undefined;
}

function describeNode(type: string): string {
  if (type.endsWith('Stmt')) return 'a statement';
  if (type === 'RowExpr') return 'a row or list of expressions';
  if (type === 'ColumnRef' || type === 'A_Star') return 'a star';
  return `this construct (${type})`;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '*') : [];
}

function columnProblem(body: Record<string, unknown>, opts: FragmentOptions, what: string): Problem | undefined {
  const offset = offsetOf(body);
  const parts = names(body.fields);
  if (opts.columns.size === 0) return { offset, message: `${what} may not refer to a column ('${parts.join('.')}')` };
  if (parts.length !== 1 || parts[0] === '*') return { offset, message: `${what} may only refer to this table's own columns, unqualified; '${parts.join('.')}' is not one` };
  if (!opts.columns.has(parts[0])) return { offset, message: `${what} refers to '${parts[0]}', which is not a column of this table`, hint: `columns: ${[...opts.columns].join(', ')}` };
  return undefined;
}

function functionProblem(body: Record<string, unknown>, opts: FragmentOptions, what: string): Problem | undefined {
  const parts = names(body.funcname);
  const name = parts.length === 2 && parts[0] === 'pg_catalog' ? parts[1] : parts.length === 1 ? parts[0] : undefined;
  const allowed = allowedFunctions(opts.immutable === true, opts.growing, opts.allowFunctions);
  const lower = name?.toLowerCase();
  if (opts.immutable && lower !== undefined && allowedFunctions(false, opts.growing, opts.allowFunctions).has(lower) && !allowed.has(lower)) {
    return { offset: offsetOf(body), message: `${what} may not call ${name}(): it is not immutable`, hint: 'PostgreSQL requires index predicates to be immutable' };
  }
  if (lower !== undefined && GROWING_FUNCTIONS.has(lower) && !allowed.has(lower)) {
    return {
      offset: offsetOf(body),
      message: `${what} may not call ${name}(): its result can be far longer than its arguments`,
      hint: `a workspace that needs it allows it in schemac.config.yaml: fragments: { allow_functions: [${lower}] }`,
    };
  }
  if (name === undefined || !allowed.has(name.toLowerCase())) {
    const list = [...allowed].sort();
    return { offset: offsetOf(body), message: `${what} may not call ${parts.join('.')}(): it is not on the allowlist`, hint: `allowed functions include ${list.slice(0, 12).join(', ')}${list.length > 12 ? ', …' : ''}` };
  }
  if (body.over !== undefined || body.agg_star || body.agg_distinct || body.agg_filter || body.agg_order) {
    return { offset: offsetOf(body), message: `${what} may not use aggregates or window functions` };
  }
  return undefined;
}

function typeProblem(body: Record<string, unknown>, opts: FragmentOptions, what: string): Problem | undefined {
  const parts = names(body.names);
  const name = parts.length === 2 && parts[0] === 'pg_catalog' ? parts[1] : parts.length === 1 ? parts[0] : undefined;
  if (name !== undefined && (ALLOWED_TYPES.has(name) || opts.types?.has(name))) return undefined;
  return { offset: offsetOf(body), message: `${what} may not cast to '${parts.join('.')}'` };
}

function operatorProblem(body: Record<string, unknown>, what: string): Problem | undefined {
  const parts = names(body.name);
  if (parts.length === 1 && ALLOWED_OPERATORS.has(parts[0])) return undefined;
  return { offset: offsetOf(body), message: `${what} may not use the operator '${parts.join('.')}'` };
}

