/**
 * SQL fragments as expression trees for typing: `Expr`, made either by `parseExpr` (the
 * shapes the recogniser `sql-recognise.ts` accepts, parsed with PostgreSQL's precedence,
 * without the WASM parser) or by `exprFromTree` (the PostgreSQL parser's tree, for the
 * others). Every node carries its offset in the fragment.
 */
import type { PgType } from './literals.ts';
import { ADDITIVE, COMPARISONS, MATCHES, MULTIPLICATIVE, type Token, tokenize } from './sql-tokens.ts';

/** An Expr is one node of a fragment's expression; `at` is its offset in the fragment's text. */
export type Expr =
  | { readonly k: 'column'; readonly name: string; readonly at: number }
  | { readonly k: 'string'; readonly text: string; readonly at: number }
  | { readonly k: 'number'; readonly text: string; readonly at: number }
  | { readonly k: 'bool'; readonly value: boolean; readonly at: number }
  | { readonly k: 'null'; readonly at: number }
  | { readonly k: 'op'; readonly op: string; readonly left?: Expr; readonly right: Expr; readonly at: number }
  | { readonly k: 'any'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly at: number }
  | { readonly k: 'bool-op'; readonly what: 'AND' | 'OR' | 'NOT'; readonly args: readonly Expr[]; readonly at: number }
  | { readonly k: 'is-null'; readonly arg: Expr; readonly at: number }
  | { readonly k: 'in'; readonly op: '=' | '<>'; readonly arg: Expr; readonly list: readonly Expr[]; readonly at: number }
  | { readonly k: 'between'; readonly negated: boolean; readonly arg: Expr; readonly low: Expr; readonly high: Expr; readonly at: number }
  | { readonly k: 'is-truth'; readonly what: string; readonly arg: Expr; readonly at: number }
  | { readonly k: 'cast'; readonly arg: Expr; readonly type: CastTarget; readonly at: number }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly at: number }
  | { readonly k: 'clock'; readonly type: PgType; readonly at: number }
  | { readonly k: 'case'; readonly arg?: Expr; readonly whens: ReadonlyArray<{ readonly cond: Expr; readonly result: Expr }>; readonly otherwise?: Expr; readonly at: number }
  | { readonly k: 'common'; readonly what: 'COALESCE' | 'GREATEST' | 'LEAST'; readonly args: readonly Expr[]; readonly at: number }
  | { readonly k: 'nullif'; readonly left: Expr; readonly right: Expr; readonly at: number }
  | { readonly k: 'array'; readonly elements: readonly Expr[]; readonly at: number }
  | { readonly k: 'subscript'; readonly arg: Expr; readonly indexes: readonly Expr[]; readonly slice: boolean; readonly at: number }
  | { readonly k: 'collate'; readonly arg: Expr; readonly collation: string; readonly at: number }
  | { readonly k: 'opaque'; readonly what: string; readonly args: readonly Expr[]; readonly at: number };

/** A CastTarget is the type a cast names: a known PgType with its modifiers, or a name that is not one. */
export type CastTarget =
  | { readonly kind: 'type'; readonly type: PgType; readonly typmods: readonly number[] }
  | { readonly kind: 'name'; readonly name: string };

// ---------------------------------------------------------------------------
// The recogniser's shapes, parsed.
// ---------------------------------------------------------------------------

interface Cursor {
  readonly tokens: readonly Token[];
  pos: number;
  depth: number;
}

const MAX_DEPTH = 32;

/** Keyword spellings of cast types and the type PostgreSQL gives them. */
const KEYWORD_TYPES: ReadonlyMap<string, PgType> = new Map([
  ['int', 'int4'], ['integer', 'int4'], ['smallint', 'int2'], ['bigint', 'int8'], ['real', 'float4'], ['float', 'float8'],
  ['decimal', 'numeric'], ['dec', 'numeric'], ['numeric', 'numeric'], ['boolean', 'bool'], ['varchar', 'varchar'],
  ['time', 'time'], ['timestamp', 'timestamp'], ['interval', 'interval'], ['json', 'json'],
]);

const CLOCKS: ReadonlyMap<string, PgType> = new Map([
  ['current_date', 'date'], ['current_time', 'timetz'], ['current_timestamp', 'timestamptz'], ['localtime', 'time'], ['localtimestamp', 'timestamp'],
]);

/**
 * The expression tree of a fragment in the recogniser's shapes, with PostgreSQL's precedence
 * (OR < AND < NOT < comparison < IN/BETWEEN/LIKE < other operators < + - < * / % < unary
 * minus < ::); undefined for anything else, which the PostgreSQL parser then reads.
 */
export function parseExpr(sql: string): Expr | undefined {
  if (sql.length > 2000) return undefined;
  const tokens = tokenize(sql);
  if (tokens === undefined || tokens.length === 0) return undefined;
  const c: Cursor = { tokens, pos: 0, depth: 0 };
  const e = expression(c);
  return e !== undefined && c.pos === tokens.length ? e : undefined;
}

function peek(c: Cursor): Token | undefined {
  return c.tokens[c.pos];
}

function take(c: Cursor, text: string): Token | undefined {
  const t = peek(c);
  if (t === undefined || t.kind === 'name' || t.kind === 'literal' || t.text !== text) return undefined;
  c.pos++;
  return t;
}

function nested<T>(c: Cursor, inner: () => T | undefined): T | undefined {
  if (++c.depth > MAX_DEPTH) return undefined;
  const out = inner();
  c.depth--;
  return out;
}

function expression(c: Cursor): Expr | undefined {
  return nested(c, () => boolChain(c, 'or', 'OR', () => boolChain(c, 'and', 'AND', () => negation(c))));
}

function boolChain(c: Cursor, word: string, what: 'AND' | 'OR', inner: () => Expr | undefined): Expr | undefined {
  const first = inner();
  if (first === undefined) return undefined;
  // PostgreSQL appends to a left operand that is the same connective, parenthesised or not.
  const flat = first.k === 'bool-op' && first.what === what;
  const args = flat ? [...first.args] : [first];
  let at = flat ? first.at : -1;
  for (let t = take(c, word); t !== undefined; t = take(c, word)) {
    if (at < 0) at = t.at;
    const next = inner();
    if (next === undefined) return undefined;
    args.push(next);
  }
  return args.length === 1 && !flat ? first : { k: 'bool-op', what, args, at };
}

function negation(c: Cursor): Expr | undefined {
  const not = take(c, 'not');
  if (not === undefined) return predicate(c);
  const arg = nested(c, () => negation(c));
  return arg && { k: 'bool-op', what: 'NOT', args: [arg], at: not.at };
}

function predicate(c: Cursor): Expr | undefined {
  const left = operand(c);
  if (left === undefined) return undefined;
  const next = peek(c);
  if (next?.kind === 'operator' && COMPARISONS.has(next.text)) {
    c.pos++;
    const right = operand(c);
    return right && { k: 'op', op: next.text === '!=' ? '<>' : next.text, left, right, at: next.at };
  }
  const is = take(c, 'is');
  if (is !== undefined) {
    const not = take(c, 'not') !== undefined;
    if (take(c, 'null')) return not ? { k: 'bool-op', what: 'NOT', args: [{ k: 'is-null', arg: left, at: is.at }], at: is.at } : { k: 'is-null', arg: left, at: is.at };
    const word = take(c, 'true') ?? take(c, 'false');
    return word && { k: 'is-truth', what: `IS ${not ? 'NOT ' : ''}${word.text.toUpperCase()}`, arg: left, at: is.at };
  }
  const not = take(c, 'not');
  const keyword = take(c, 'in') ?? take(c, 'between') ?? take(c, 'like') ?? take(c, 'ilike');
  if (keyword === undefined) return not ? undefined : left;
  const negated = not !== undefined;
  const at = not?.at ?? keyword.at;
  if (keyword.text === 'in') return take(c, '(') ? inList(c, left, negated, at) : undefined;
  if (keyword.text === 'between') {
    const low = operand(c);
    const high = low && take(c, 'and') ? operand(c) : undefined;
    return high && between(left, low!, high, negated, at);
  }
  const pattern = operand(c);
  const op = `${negated ? '!' : ''}${keyword.text === 'like' ? '~~' : '~~*'}`;
  return pattern && { k: 'op', op, left, right: pattern, at };
}

function inList(c: Cursor, left: Expr, negated: boolean, at: number): Expr | undefined {
  const items = list(c);
  return items && { k: 'in', op: negated ? '<>' : '=', arg: left, list: items, at };
}

/** `x [NOT] BETWEEN a AND b` (typed as `x >= a AND x <= b`, or `x < a OR x > b`). */
function between(arg: Expr, low: Expr, high: Expr, negated: boolean, at: number): Expr {
  return { k: 'between', negated, arg, low, high, at };
}

function list(c: Cursor): Expr[] | undefined {
  return nested(c, () => {
    const items: Expr[] = [];
    do {
      const e = expression(c);
      if (e === undefined) return undefined;
      items.push(e);
    } while (take(c, ','));
    return take(c, ')') ? items : undefined;
  });
}

function operand(c: Cursor): Expr | undefined {
  return chain(c, MATCHES, () => chain(c, ADDITIVE, () => chain(c, MULTIPLICATIVE, () => unary(c))));
}

function chain(c: Cursor, operators: ReadonlySet<string>, inner: () => Expr | undefined): Expr | undefined {
  let left = inner();
  for (let t = peek(c); left !== undefined && t?.kind === 'operator' && operators.has(t.text); t = peek(c)) {
    c.pos++;
    const right = inner();
    left = right && { k: 'op', op: t.text, left, right, at: t.at };
  }
  return left;
}

function unary(c: Cursor): Expr | undefined {
  const minus = take(c, '-');
  if (minus !== undefined) {
    const arg = nested(c, () => unary(c));
    if (arg === undefined) return undefined;
    if (arg.k === 'number') return { k: 'number', text: negate(arg.text), at: minus.at };
    const right = arg.k === 'string' || arg.k === 'null' || arg.k === 'bool' ? { ...arg, at: minus.at } : arg;
    return { k: 'op', op: '-', right, at: minus.at };
  }
  let e = primary(c);
  for (let cast = take(c, '::'); e !== undefined && cast !== undefined; cast = take(c, '::')) {
    const type = castType(c);
    e = type && { k: 'cast', arg: e, type, at: cast.at };
  }
  return e;
}

/** PostgreSQL folds a minus into the number it precedes (and moves any other constant it precedes to the minus). */
function negate(text: string): string {
  return text.startsWith('-') ? text.slice(1) : `-${text}`;
}

function castType(c: Cursor): CastTarget | undefined {
  const t = peek(c);
  if (t === undefined) return undefined;
  const keyword = t.kind === 'keyword' ? KEYWORD_TYPES.get(t.text) : undefined;
  if (t.kind !== 'name' && keyword === undefined) return undefined;
  c.pos++;
  return keyword !== undefined ? { kind: 'type', type: keyword, typmods: [] } : namedType(t.text, []);
}

function primary(c: Cursor): Expr | undefined {
  const t = peek(c);
  if (t === undefined) return undefined;
  if (take(c, '(')) return nested(c, () => {
    const e = expression(c);
    return e && take(c, ')') ? e : undefined;
  });
  c.pos++;
  if (t.kind === 'literal') return t.text.startsWith("'") ? { k: 'string', text: t.text.slice(1, -1).replace(/''/g, "'"), at: t.at } : { k: 'number', text: t.text, at: t.at };
  if (t.kind === 'keyword') {
    if (t.text === 'null') return { k: 'null', at: t.at };
    if (t.text === 'true' || t.text === 'false') return { k: 'bool', value: t.text === 'true', at: t.at };
    const clock = CLOCKS.get(t.text);
    return clock === undefined ? undefined : { k: 'clock', type: clock, at: t.at };
  }
  if (t.kind !== 'name') return undefined;
  if (!take(c, '(')) return { k: 'column', name: t.text, at: t.at };
  if (take(c, ')')) return { k: 'call', name: t.text, args: [], at: t.at };
  const args = list(c);
  return args && { k: 'call', name: t.text, args, at: t.at };
}

/** Whether the expression refers to a column anywhere. */
export function refersToColumn(e: Expr): boolean {
  if (e.k === 'column') return true;
  return children(e).some(refersToColumn);
}

/** The expressions directly below `e`. */
function children(e: Expr): readonly Expr[] {
  switch (e.k) {
    case 'op': return e.left ? [e.left, e.right] : [e.right];
    case 'any': case 'nullif': return [e.left, e.right];
    case 'bool-op': case 'call': case 'common': case 'opaque': return 'args' in e ? e.args : [];
    case 'is-null': case 'is-truth': case 'cast': case 'collate': return [e.arg];
    case 'in': return [e.arg, ...e.list];
    case 'between': return [e.arg, e.low, e.high];
    case 'case': return [...(e.arg ? [e.arg] : []), ...e.whens.flatMap((w) => [w.cond, w.result]), ...(e.otherwise ? [e.otherwise] : [])];
    case 'array': return e.elements;
    case 'subscript': return [e.arg, ...e.indexes];
    default: return [];
  }
}

// ---------------------------------------------------------------------------
// The PostgreSQL parser's tree.
// ---------------------------------------------------------------------------

type Node = Record<string, unknown>;

/** The names PostgreSQL's catalog gives the types a cast may name, besides enums. */
const TYPE_NAMES: ReadonlySet<string> = new Set([
  'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'bool', 'text', 'varchar', 'bpchar', 'uuid', 'date', 'time', 'timetz',
  'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'cidr', 'vector', 'halfvec', 'sparsevec', 'citext', 'name',
]);

/** A cast target from the type's name: a known type, or a name that is no type of the catalog (an enum, or nothing). */
export function namedType(name: string, typmods: readonly number[]): CastTarget {
  return TYPE_NAMES.has(name) ? { kind: 'type', type: name, typmods } : { kind: 'name', name };
}

/** The Expr of a node of the PostgreSQL parser's tree; `shift` is subtracted from its locations. */
export function exprFromTree(node: unknown, shift: number): Expr {
  const [kind, body] = Object.entries((node ?? {}) as Node)[0] ?? ['', {}];
  const b = (body ?? {}) as Node;
  const at = typeof b.location === 'number' && b.location >= 0 ? b.location - shift : -1;
  const sub = (n: unknown) => exprFromTree(n, shift);
  const many = (n: unknown) => (Array.isArray(n) ? n.map(sub) : []);
  switch (kind) {
    case 'A_Const': return constant(b, at);
    case 'ColumnRef': return { k: 'column', name: strings(b.fields).join('.'), at };
    case 'A_Expr': return aExpr(b, at, sub, many);
    case 'BoolExpr': {
      const what = b.boolop === 'AND_EXPR' ? 'AND' : b.boolop === 'OR_EXPR' ? 'OR' : 'NOT';
      return { k: 'bool-op', what, args: many(b.args), at };
    }
    case 'NullTest': {
      const test: Expr = { k: 'is-null', arg: sub(b.arg), at };
      return b.nulltesttype === 'IS_NOT_NULL' ? { k: 'bool-op', what: 'NOT', args: [test], at } : test;
    }
    case 'BooleanTest': return { k: 'is-truth', what: String(b.booltesttype).replace(/_/g, ' '), arg: sub(b.arg), at };
    case 'TypeCast': {
      const arg = sub(b.arg);
      return { k: 'cast', arg, type: castTarget((b.typeName ?? {}) as Node), at: at >= 0 ? at : arg.at };
    }
    case 'FuncCall': {
      const parts = strings(b.funcname);
      return { k: 'call', name: (parts[parts.length - 1] ?? '').toLowerCase(), args: many(b.args), at };
    }
    case 'SQLValueFunction': return sqlValue(String(b.op), at);
    case 'CaseExpr': {
      const whens = (Array.isArray(b.args) ? b.args : []).map((w) => {
        const when = ((w as Node).CaseWhen ?? {}) as Node;
        return { cond: sub(when.expr), result: sub(when.result) };
      });
      return { k: 'case', arg: b.arg === undefined ? undefined : sub(b.arg), whens, otherwise: b.defresult === undefined ? undefined : sub(b.defresult), at };
    }
    case 'CoalesceExpr': return { k: 'common', what: 'COALESCE', args: many(b.args), at };
    case 'MinMaxExpr': return { k: 'common', what: b.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST', args: many(b.args), at };
    case 'A_ArrayExpr': return { k: 'array', elements: many(b.elements), at };
    case 'A_Indirection': return indirection(b, sub);
    case 'CollateClause': return { k: 'collate', arg: sub(b.arg), collation: strings(b.collname).join('.'), at };
    default: return { k: 'opaque', what: kind, args: [], at };
  }
}

function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.map((n) => ((n as Node).String as { sval?: string } | undefined)?.sval ?? '*') : [];
}

function constant(b: Node, at: number): Expr {
  if (b.isnull) return { k: 'null', at };
  if (b.ival !== undefined) return { k: 'number', text: String((b.ival as { ival?: number }).ival ?? 0), at };
  if (b.fval !== undefined) return { k: 'number', text: String((b.fval as { fval?: string }).fval), at };
  if (b.sval !== undefined) return { k: 'string', text: String((b.sval as { sval?: string }).sval ?? ''), at };
  if (b.boolval !== undefined) return { k: 'bool', value: (b.boolval as { boolval?: boolean }).boolval === true, at };
  return { k: 'opaque', what: 'bit string', args: [], at };
}

function aExpr(b: Node, at: number, sub: (n: unknown) => Expr, many: (n: unknown) => Expr[]): Expr {
  const op = strings(b.name).join('.');
  const left = b.lexpr === undefined ? undefined : sub(b.lexpr);
  const rightList = ((b.rexpr as Node | undefined)?.List as Node | undefined)?.items;
  switch (b.kind) {
    case 'AEXPR_OP':
      return { k: 'op', op, left, right: sub(b.rexpr), at };
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      return { k: 'any', op, left: left!, right: sub(b.rexpr), at };
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT':
      return { k: 'op', op: '=', left, right: sub(b.rexpr), at };
    case 'AEXPR_NULLIF':
      return { k: 'nullif', left: left!, right: sub(b.rexpr), at };
    case 'AEXPR_IN':
      return op === '=' || op === '<>' ? { k: 'in', op, arg: left!, list: many(rightList), at } : { k: 'opaque', what: `IN with ${op}`, args: [], at };
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR':
      return { k: 'op', op, left, right: sub(b.rexpr), at };
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM': {
      const [low, high] = many(rightList);
      return between(left!, low, high, String(b.kind).includes('NOT'), at);
    }
    default:
      return { k: 'opaque', what: String(b.kind), args: [], at };
  }
}

function castTarget(t: Node): CastTarget {
  const parts = strings(t.names);
  const name = parts.length === 2 && parts[0] === 'pg_catalog' ? parts[1] : parts.length === 1 ? parts[0] : parts.join('.');
  const typmods = (Array.isArray(t.typmods) ? t.typmods : []).map((m) => Number((((m as Node).A_Const as Node | undefined)?.ival as { ival?: number } | undefined)?.ival ?? NaN));
  const array = Array.isArray(t.arrayBounds) && t.arrayBounds.length > 0;
  const target = name === 'interval' && typmods.length > 0 ? ({ kind: 'name', name: 'interval with fields' } as const) : namedType(name, typmods.some(Number.isNaN) ? [] : typmods);
  if (!array) return target;
  return target.kind === 'type' ? { kind: 'type', type: `${target.type}[]`, typmods: target.typmods } : { kind: 'name', name: `${target.name}[]` };
}

function sqlValue(op: string, at: number): Expr {
  const m = /^SVFOP_(CURRENT_DATE|CURRENT_TIME|CURRENT_TIMESTAMP|LOCALTIME|LOCALTIMESTAMP)(_N)?$/.exec(op);
  const type = m && CLOCKS.get(m[1].toLowerCase());
  return type ? { k: 'clock', type, at } : { k: 'opaque', what: op, args: [], at };
}

function indirection(b: Node, sub: (n: unknown) => Expr): Expr {
  const arg = sub(b.arg);
  let e = arg;
  for (const step of Array.isArray(b.indirection) ? b.indirection : []) {
    const idx = (step as Node).A_Indices as Node | undefined;
    if (idx === undefined) return { k: 'opaque', what: 'field selection', args: [e], at: arg.at };
    const indexes = [idx.lidx, idx.uidx].filter((x) => x !== undefined).map(sub);
    e = { k: 'subscript', arg: e, indexes, slice: idx.is_slice === true, at: arg.at };
  }
  return e;
}
