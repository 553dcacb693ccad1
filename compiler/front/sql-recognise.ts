/**
 * A recogniser for the SQL fragment shapes models files usually hold: the table's columns,
 * literals, comparisons, AND/OR/NOT, IS [NOT] NULL/TRUE/FALSE, [NOT] IN lists, [NOT]
 * BETWEEN, [NOT] LIKE/ILIKE, arithmetic, regular-expression matches, casts to allowed
 * types, calls to allowed functions, parentheses. It answers without the PostgreSQL parser
 * (WASM): for a fragment the parser-based check (`sql-fragment.ts`) accepts under the same
 * options it builds the very tree the parser builds (locations aside), which `sql-deparse.ts`
 * prints; 'unknown' for everything else, which that check then judges and reports on. It
 * never reports a problem itself.
 */
import { ALLOWED_TYPES, allowedFunctions } from './sql-allowlist.ts';
import type { SqlNode } from './sql-deparse.ts';
import type { FragmentOptions } from './sql-fragment.ts';
import { treeProblem } from './sql-limits.ts';
import { UNRESERVED_KEYWORDS } from './sql-keywords.ts';
import { ADDITIVE, COMPARISONS, MATCHES, MULTIPLICATIVE, type Token, tokenize } from './sql-tokens.ts';

/** The recogniser's answer: sure that the parser-based check accepts, or not sure. */
export type Recognition = 'accepted' | 'unknown';

/** What a fragment may refer to: the same options as the parser-based check. */
export type RecogniseOptions = Pick<FragmentOptions, 'columns' | 'allowFunctions' | 'growing' | 'types' | 'immutable'>;

/** Longer fragments, deeper nesting and longer names are left to the parser. */
const MAX_LENGTH = 2000;
const MAX_DEPTH = 32;
const MAX_NAME_LENGTH = 63;
const INT4_MAX = 2147483647;
/** Fragments of at most this many tokens cannot go past the bounds of sql-limits.ts (their trees are checked otherwise). */
const SURELY_WITHIN_BOUNDS = 16;


/** Keyword spellings of types a cast may name, and the name the parser gives them (in pg_catalog). */
const KEYWORD_TYPES: ReadonlyMap<string, string> = new Map([
  ['int', 'int4'], ['integer', 'int4'], ['smallint', 'int2'], ['bigint', 'int8'], ['real', 'float4'], ['float', 'float8'],
  ['decimal', 'numeric'], ['dec', 'numeric'], ['numeric', 'numeric'], ['boolean', 'bool'], ['varchar', 'varchar'],
  ['time', 'time'], ['timestamp', 'timestamp'], ['interval', 'interval'], ['json', 'json'],
]);

const CONSTANT_WORDS: ReadonlySet<string> = new Set(['null', 'true', 'false']);

/** SQL-syntax functions of the current time, which PostgreSQL refuses in index predicates, and their parse-tree op. */
const CLOCK_WORDS: ReadonlyMap<string, string> = new Map([
  ['current_date', 'SVFOP_CURRENT_DATE'], ['current_time', 'SVFOP_CURRENT_TIME'], ['current_timestamp', 'SVFOP_CURRENT_TIMESTAMP'],
  ['localtime', 'SVFOP_LOCALTIME'], ['localtimestamp', 'SVFOP_LOCALTIMESTAMP'],
]);

/** The parser's state: the tokens, the next one's index, the nesting, the options. */
interface State {
  readonly tokens: readonly Token[];
  pos: number;
  depth: number;
  readonly opts: RecogniseOptions;
}

/** A tree node while it is built: the same JSON shape as the parser's (`{ Kind: { …fields } }`), locations left out. */
type Node = Record<string, Record<string, unknown>>;

/** Whether the parser-based check surely accepts `sql` under `opts` ('accepted'), or that check must decide ('unknown'). */
export function recogniseFragment(sql: string, opts: RecogniseOptions): Recognition {
  return recogniseTree(sql, opts) === undefined ? 'unknown' : 'accepted';
}

/**
 * The parse tree of `sql` when the parser-based check surely accepts it under `opts`: the
 * tree PostgreSQL's parser gives (without locations), within the fragment bounds; else undefined.
 */
export function recogniseTree(sql: string, opts: RecogniseOptions): SqlNode | undefined {
  if (sql.length > MAX_LENGTH) return undefined;
  const tokens = recognisedTokens(sql);
  if (tokens === undefined || tokens.length === 0) return undefined;
  const state: State = { tokens, pos: 0, depth: 0, opts };
  const tree = expression(state);
  if (tree === undefined || state.pos !== tokens.length) return undefined;
  // Each level of the tree takes a token, and each token makes at most three nodes (and casts here have no length):
  // a short fragment is within every bound of sql-limits.ts without walking it.
  return tokens.length <= SURELY_WITHIN_BOUNDS || treeProblem(tree, '') === undefined ? tree : undefined;
}

/** The fragment's tokens; undefined past the subset, or for a name PostgreSQL would truncate (those are left to it). */
function recognisedTokens(sql: string): Token[] | undefined {
  const tokens = tokenize(sql);
  return tokens?.some((t) => t.kind === 'name' && t.text.length > MAX_NAME_LENGTH) ? undefined : tokens;
}

function peek(s: State): Token | undefined {
  return s.tokens[s.pos];
}

/** Consumes the next token when it is the keyword, operator or punctuation `text`. */
function take(s: State, text: string): boolean {
  const t = peek(s);
  if (t === undefined || t.kind === 'name' || t.kind === 'literal' || t.text !== text) return false;
  s.pos++;
  return true;
}

/** Runs `inner` one nesting level deeper, refusing past MAX_DEPTH. */
function nested(s: State, inner: (s: State) => Node | undefined): Node | undefined {
  if (++s.depth > MAX_DEPTH) return undefined;
  const node = inner(s);
  s.depth--;
  return node;
}

const str = (sval: string) => ({ String: { sval } });

/** `left op right` (or a prefix `op right`) as the parser builds it. */
function opExpr(op: string, left: Node | undefined, right: Node, kind = 'AEXPR_OP', name = op): Node {
  return { A_Expr: { kind, name: [str(name)], ...(left === undefined ? {} : { lexpr: left }), rexpr: right } };
}

/** `a AND b` / `a OR b`: the parser appends to a left operand of the same operator (gram.y's makeAndExpr). */
function boolChain(boolop: 'AND_EXPR' | 'OR_EXPR', left: Node, right: Node): Node {
  const b = left.BoolExpr;
  if (b !== undefined && b.boolop === boolop) return { BoolExpr: { boolop, args: [...(b.args as Node[]), right] } };
  return { BoolExpr: { boolop, args: [left, right] } };
}

/** expression := conjunction (OR conjunction)* */
function expression(s: State): Node | undefined {
  return nested(s, (st) => {
    let node = conjunction(st);
    while (node !== undefined && take(st, 'or')) {
      const next = conjunction(st);
      node = next === undefined ? undefined : boolChain('OR_EXPR', node, next);
    }
    return node;
  });
}

/** conjunction := negation (AND negation)* */
function conjunction(s: State): Node | undefined {
  let node = negation(s);
  while (node !== undefined && take(s, 'and')) {
    const next = negation(s);
    node = next === undefined ? undefined : boolChain('AND_EXPR', node, next);
  }
  return node;
}

/** negation := NOT negation | predicate */
function negation(s: State): Node | undefined {
  if (!take(s, 'not')) return predicate(s);
  const inner = nested(s, negation);
  return inner && { BoolExpr: { boolop: 'NOT_EXPR', args: [inner] } };
}

/** predicate := operand [comparison operand | IS [NOT] NULL|TRUE|FALSE | [NOT] IN (list) | [NOT] BETWEEN operand AND operand | [NOT] LIKE|ILIKE operand] */
function predicate(s: State): Node | undefined {
  const left = operand(s);
  if (left === undefined) return undefined;
  const next = peek(s);
  if (next?.kind === 'operator' && COMPARISONS.has(next.text)) {
    s.pos++;
    const right = operand(s);
    return right && opExpr(next.text === '!=' ? '<>' : next.text, left, right);
  }
  if (take(s, 'is')) return isTest(s, left);
  const negated = take(s, 'not');
  if (take(s, 'in')) {
    const items = take(s, '(') ? list(s) : undefined;
    return items && opExpr(negated ? '<>' : '=', left, { List: { items } }, 'AEXPR_IN');
  }
  if (take(s, 'between')) {
    const low = operand(s);
    const high = low && take(s, 'and') ? operand(s) : undefined;
    return high && opExpr('', left, { List: { items: [low, high] } }, negated ? 'AEXPR_NOT_BETWEEN' : 'AEXPR_BETWEEN', negated ? 'NOT BETWEEN' : 'BETWEEN');
  }
  const like = take(s, 'like') ? ['AEXPR_LIKE', '~~'] : take(s, 'ilike') ? ['AEXPR_ILIKE', '~~*'] : undefined;
  if (like !== undefined) {
    const right = operand(s);
    return right && opExpr(`${negated ? '!' : ''}${like[1]}`, left, right, like[0]);
  }
  return negated ? undefined : left;
}

/** After IS: [NOT] NULL | TRUE | FALSE. */
function isTest(s: State, arg: Node): Node | undefined {
  const not = take(s, 'not') ? 'NOT_' : '';
  if (take(s, 'null')) return { NullTest: { arg, nulltesttype: `IS_${not}NULL` } };
  if (take(s, 'true')) return { BooleanTest: { arg, booltesttype: `IS_${not}TRUE` } };
  if (take(s, 'false')) return { BooleanTest: { arg, booltesttype: `IS_${not}FALSE` } };
  return undefined;
}

/** list := expression (, expression)* ), the opening parenthesis already taken. */
function list(s: State): Node[] | undefined {
  const items: Node[] = [];
  const done = nested(s, (st) => {
    for (;;) {
      const item = expression(st);
      if (item === undefined) return undefined;
      items.push(item);
      if (!take(st, ',')) return take(st, ')') ? {} : undefined;
    }
  });
  return done && items;
}

/** operand := sum (match-operator sum)*, where a match operator is ~, ~*, !~, !~* or || */
function operand(s: State): Node | undefined {
  return chain(s, MATCHES, (st) => chain(st, ADDITIVE, (su) => chain(su, MULTIPLICATIVE, unary)));
}

/** inner (operator inner)*, for one of the left-associative operator levels. */
function chain(s: State, operators: ReadonlySet<string>, inner: (s: State) => Node | undefined): Node | undefined {
  let node = inner(s);
  for (let t = peek(s); node !== undefined && t?.kind === 'operator' && operators.has(t.text); t = peek(s)) {
    s.pos++;
    const right = inner(s);
    node = right && opExpr(t.text, node, right);
  }
  return node;
}

/** unary := - unary | primary (:: type)* ; a minus before a number is folded into it, as gram.y's doNegate does. */
function unary(s: State): Node | undefined {
  if (take(s, '-')) {
    const inner = nested(s, unary);
    return inner && negate(inner);
  }
  let node = primary(s);
  while (node !== undefined && take(s, '::')) {
    const typeName = castType(s);
    node = typeName && { TypeCast: { arg: node, typeName } };
  }
  return node;
}

function negate(node: Node): Node {
  const c = node.A_Const;
  if (c?.ival !== undefined) {
    const n = -((c.ival as { ival?: number }).ival ?? 0);
    return { A_Const: { ival: n === 0 ? {} : { ival: n } } };
  }
  if (c?.fval !== undefined) {
    const f = (c.fval as { fval: string }).fval;
    return { A_Const: { fval: { fval: f.startsWith('-') ? f.slice(1) : `-${f}` } } };
  }
  return opExpr('-', undefined, node);
}

/** A cast's target: an allowed type or one of the workspace's enums, as one word. */
function castType(s: State): Record<string, unknown> | undefined {
  const t = peek(s);
  const keyword = t?.kind === 'keyword' ? KEYWORD_TYPES.get(t.text) : undefined;
  const name = t?.kind === 'name' ? t.text : keyword;
  if (name === undefined || !(ALLOWED_TYPES.has(name) || s.opts.types?.has(name))) return undefined;
  s.pos++;
  return { names: keyword === undefined ? [str(name)] : [str('pg_catalog'), str(keyword)], typemod: -1 };
}

/**
 * primary := literal | NULL | TRUE | FALSE | clock word | function ( [list] ) | column | ( expression ).
 * A function named by a keyword is left to the parser (`operator(` starts other syntax).
 */
function primary(s: State): Node | undefined {
  const t = peek(s);
  if (t === undefined) return undefined;
  if (take(s, '(')) return nested(s, (st) => {
    const inner = expression(st);
    return inner && take(st, ')') ? inner : undefined;
  });
  if (t.kind === 'literal') return (s.pos++, literal(t.text));
  if (t.kind === 'keyword') {
    const clock = s.opts.immutable ? undefined : CLOCK_WORDS.get(t.text);
    if (clock !== undefined) return (s.pos++, { SQLValueFunction: { op: clock, typmod: -1 } });
    if (!CONSTANT_WORDS.has(t.text)) return undefined;
    s.pos++;
    return t.text === 'null' ? { A_Const: { isnull: true } } : { A_Const: { boolval: t.text === 'true' ? { boolval: true } : {} } };
  }
  if (t.kind !== 'name') return undefined;
  s.pos++;
  if (take(s, '(')) {
    if (UNRESERVED_KEYWORDS.has(t.text) || !allowedFunctions(s.opts.immutable === true, s.opts.growing, s.opts.allowFunctions).has(t.text)) return undefined;
    const args = take(s, ')') ? [] : list(s);
    return args && { FuncCall: { funcname: [str(t.text)], ...(args.length ? { args } : {}), funcformat: 'COERCE_EXPLICIT_CALL' } };
  }
  return s.opts.columns.has(t.text) ? { ColumnRef: { fields: [str(t.text)] } } : undefined;
}

/** A number (an int4, else the parser keeps its text) or a quoted string. */
function literal(text: string): Node {
  if (text.startsWith("'")) return { A_Const: { sval: { sval: text.slice(1, -1).replace(/''/g, "'") } } };
  if (/^\d+$/.test(text) && Number(text) <= INT4_MAX) return { A_Const: { ival: Number(text) === 0 ? {} : { ival: Number(text) } } };
  return { A_Const: { fval: { fval: text } } };
}
