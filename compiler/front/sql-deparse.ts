/**
 * Prints the parse tree of an SQL fragment (the PostgreSQL parser's JSON, or the same tree
 * built by the recogniser) back to SQL text: the only text a migration ever carries for a
 * fragment, never the string the models file holds. The printer knows the nodes a fragment
 * may contain (`ALLOWED_NODES`) and PostgreSQL's operator precedence; it parenthesises a
 * child only where the grammar would otherwise read another tree, names are quoted the way
 * `quote_ident` quotes them, and literals are rendered so that they mean the same whatever
 * `standard_conforming_strings` is (a backslash or a line break makes an `E'…'` literal).
 * Its promise, held by its property test: parsing the printed text gives the same tree,
 * locations aside.
 */
import { quoteLiteral } from '../shared/index.ts';
import { COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS, UNRESERVED_KEYWORDS } from './sql-keywords.ts';

/** A node of the parser's JSON tree: `{ Kind: { …fields } }`. */
export type SqlNode = Readonly<Record<string, unknown>>;

/** The printed text, or why the tree cannot be printed faithfully. */
export type Deparsed = { readonly sql: string } | { readonly problem: string };

/** Prints an expression tree; a shape the printer does not know is a problem, never a guess. */
export function deparseExpression(node: unknown): Deparsed {
  try {
    return { sql: expr(node).text };
  } catch (e) {
    if (e instanceof Unprintable) return { problem: e.message };
    throw e;
  }
}

/** A shape the printer refuses (caught in `deparseExpression`). */
class Unprintable extends Error {}

function refuse(what: string): never {
  throw new Unprintable(what);
}

/**
 * Binding strength of what a printed piece is, from gram.y's precedence declarations
 * (weakest first); PRIMARY is a piece nothing can split.
 */
const OR = 1, AND = 2, NOT = 3, IS = 4, COMPARE = 5, LIKE = 6, OTHER_OP = 7, ADD = 8, MUL = 9, EXP = 10, AT = 11, COLLATE = 12,
  UMINUS = 13, CAST = 14, PRIMARY = 15;

/** A printed piece and how strongly it binds. */
interface Piece {
  readonly text: string;
  readonly level: number;
}

const piece = (text: string, level: number): Piece => ({ text, level });

/** `p` as it may stand where at least `min` binds: in parentheses when it binds more weakly. */
function at(p: Piece, min: number): string {
  return p.level >= min ? p.text : `(${p.text})`;
}

/** The node's kind and fields; anything else is refused. */
function unwrap(node: unknown): [string, Record<string, unknown>] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) refuse('an expression was expected');
  const keys = Object.keys(node);
  if (keys.length !== 1 || !/^[A-Z]/.test(keys[0])) refuse('an expression was expected');
  const body = (node as Record<string, unknown>)[keys[0]];
  if (body === null || typeof body !== 'object') refuse(`a malformed ${keys[0]}`);
  return [keys[0], body as Record<string, unknown>];
}

function list(value: unknown): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) refuse('a list was expected');
  return value;
}

function expr(node: unknown): Piece {
  const [kind, b] = unwrap(node);
  switch (kind) {
    case 'A_Const': return constant(b);
    case 'ColumnRef': return piece(list(b.fields).map(field).join('.'), PRIMARY);
    case 'A_Expr': return operatorExpr(b);
    case 'BoolExpr': return boolExpr(b);
    case 'NullTest': return piece(`${at(expr(b.arg), IS + 1)} IS ${b.nulltesttype === 'IS_NOT_NULL' ? 'NOT ' : ''}NULL`, IS);
    case 'BooleanTest': return piece(`${at(expr(b.arg), IS + 1)} ${BOOLEAN_TESTS[String(b.booltesttype)] ?? refuse('an unknown IS test')}`, IS);
    case 'TypeCast': return piece(`${at(expr(b.arg), CAST)}::${typeName(b.typeName)}`, CAST);
    case 'CollateClause': return piece(`${at(expr(b.arg), COLLATE)} COLLATE ${qualified(b.collname)}`, COLLATE);
    case 'FuncCall': return functionCall(b);
    case 'SQLValueFunction': return piece(valueFunction(b), PRIMARY);
    case 'CaseExpr': return caseExpr(b);
    case 'A_ArrayExpr': return piece(`ARRAY[${list(b.elements).map(item).join(', ')}]`, PRIMARY);
    case 'CoalesceExpr': return piece(`COALESCE(${list(b.args).map(item).join(', ')})`, PRIMARY);
    case 'MinMaxExpr': return piece(`${b.op === 'IS_LEAST' ? 'LEAST' : b.op === 'IS_GREATEST' ? 'GREATEST' : refuse('an unknown GREATEST/LEAST')}(${list(b.args).map(item).join(', ')})`, PRIMARY);
    case 'A_Indirection': return indirection(b);
    default: return refuse(`this construct (${kind})`);
  }
}

/** An expression standing alone (a list item, an argument, inside brackets): no parentheses needed. */
function item(node: unknown): string {
  return expr(node).text;
}

const BOOLEAN_TESTS: Readonly<Record<string, string>> = {
  IS_TRUE: 'IS TRUE', IS_NOT_TRUE: 'IS NOT TRUE', IS_FALSE: 'IS FALSE', IS_NOT_FALSE: 'IS NOT FALSE',
  IS_UNKNOWN: 'IS UNKNOWN', IS_NOT_UNKNOWN: 'IS NOT UNKNOWN',
};

/** A number as the scanner reads one (decimal, exponent, hex, octal, binary; `_` separators), optionally negated. */
const NUMERIC = /^-?(?:(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+)$/;

function constant(b: Record<string, unknown>): Piece {
  if (b.isnull === true) return piece('NULL', PRIMARY);
  const value = (field: string) => (b[field] as Record<string, unknown> | undefined)?.[field];
  if (b.ival !== undefined) {
    const n = value('ival') ?? 0;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) refuse('a malformed integer');
    return piece(String(n), n < 0 ? UMINUS : PRIMARY);
  }
  if (b.fval !== undefined) {
    const f = value('fval');
    if (typeof f !== 'string' || !NUMERIC.test(f)) refuse('a malformed number');
    return piece(f, f.startsWith('-') ? UMINUS : PRIMARY);
  }
  if (b.sval !== undefined) return piece(quoteLiteral(String(value('sval') ?? '')), PRIMARY);
  if (b.boolval !== undefined) return piece(value('boolval') === true ? 'TRUE' : 'FALSE', PRIMARY);
  if (b.bsval !== undefined) {
    const s = String(value('bsval') ?? '');
    if (/^b[01]*$/.test(s)) return piece(`B'${s.slice(1)}'`, PRIMARY);
    if (/^x[0-9A-Fa-f]*$/.test(s)) return piece(`X'${s.slice(1)}'`, PRIMARY);
    refuse('a malformed bit string');
  }
  return refuse('a constant of an unknown kind');
}

function field(node: unknown): string {
  const [kind, b] = unwrap(node);
  if (kind === 'A_Star') return '*';
  if (kind !== 'String') refuse(`a name was expected, not ${kind}`);
  return quoteName(String(b.sval ?? ''));
}

/** A dotted name (function, type, collation), each part quoted as needed. */
function qualified(names: unknown): string {
  const parts = list(names);
  if (parts.length === 0) refuse('an empty name');
  return parts.map((p) => {
    const [kind, b] = unwrap(p);
    if (kind !== 'String') refuse('a name was expected');
    return quoteName(String(b.sval ?? ''));
  }).join('.');
}

const KEYWORDS_TO_QUOTE: ReadonlySet<string> = new Set([...COL_NAME_KEYWORDS, ...TYPE_FUNC_NAME_KEYWORDS, ...RESERVED_KEYWORDS]);

/**
 * A name as PostgreSQL's `quote_ident` writes it: bare when it is lower case, simple and not
 * a keyword (unreserved ones are names anywhere), else in double quotes with quotes doubled.
 * A name holding a control character or a line break is refused: no printed text spans lines.
 */
export function quoteName(name: string): string {
  if (name === '' || /[\x00-\x1f\x7f\u0085\u2028\u2029]/.test(name)) refuse('a name may not be empty or hold a control character or a line break');
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !KEYWORDS_TO_QUOTE.has(name) && name !== 'operator') return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `op` names of the comparison operators (gram.y's '<' '>' '=' LESS_EQUALS GREATER_EQUALS NOT_EQUALS). */
const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '<', '>', '<=', '>=']);
const LEVEL_OF: Readonly<Record<string, number>> = { '+': ADD, '-': ADD, '*': MUL, '/': MUL, '%': MUL, '^': EXP };

function operatorName(b: Record<string, unknown>): string {
  const names = list(b.name);
  if (names.length !== 1) refuse('a qualified operator');
  const [kind, s] = unwrap(names[0]);
  const op = String(s.sval ?? '');
  if (kind !== 'String' || !/^[~!@#^&|`?+\-*/%<>=]+$/.test(op) || op.includes('--') || op.includes('/*')) refuse('a malformed operator');
  return op;
}

function operatorExpr(b: Record<string, unknown>): Piece {
  switch (b.kind) {
    case 'AEXPR_OP': return plainOperator(b);
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      return piece(`${at(expr(b.lexpr), OTHER_OP + 1)} ${operatorName(b)} ${b.kind === 'AEXPR_OP_ANY' ? 'ANY' : 'ALL'} (${item(b.rexpr)})`, OTHER_OP);
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT':
      return piece(`${at(expr(b.lexpr), IS + 1)} IS ${b.kind === 'AEXPR_NOT_DISTINCT' ? 'NOT ' : ''}DISTINCT FROM ${at(expr(b.rexpr), IS + 1)}`, IS);
    case 'AEXPR_NULLIF': return piece(`NULLIF(${item(b.lexpr)}, ${item(b.rexpr)})`, PRIMARY);
    case 'AEXPR_IN': return inList(b);
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
    case 'AEXPR_SIMILAR':
      return patternMatch(b);
    case 'AEXPR_BETWEEN':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN_SYM':
      return between(b);
    default: return refuse(`an operator expression of kind ${String(b.kind)}`);
  }
}

/** `l op r`, or a prefix `op r`: the operator's own precedence decides the parentheses. */
function plainOperator(b: Record<string, unknown>): Piece {
  const op = operatorName(b);
  if (b.lexpr === undefined) {
    // A prefix operator: its operand binds at least as tightly as a cast, so it never starts with an operator character.
    return piece(`${op}${at(expr(b.rexpr), CAST)}`, op === '-' || op === '+' ? UMINUS : OTHER_OP);
  }
  if (COMPARISONS.has(op)) return piece(`${at(expr(b.lexpr), COMPARE + 1)} ${op} ${at(expr(b.rexpr), COMPARE + 1)}`, COMPARE);
  const level = LEVEL_OF[op] ?? OTHER_OP;
  return piece(`${at(expr(b.lexpr), level)} ${op} ${at(expr(b.rexpr), level + 1)}`, level);
}

function inList(b: Record<string, unknown>): Piece {
  const op = operatorName(b);
  if (op !== '=' && op !== '<>') refuse('a malformed IN');
  const [kind, items] = unwrap(b.rexpr);
  if (kind !== 'List') refuse('IN with a subquery');
  return piece(`${at(expr(b.lexpr), LIKE + 1)} ${op === '<>' ? 'NOT ' : ''}IN (${list(items.items).map(item).join(', ')})`, LIKE);
}

const PATTERN_OPERATORS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  AEXPR_LIKE: { '~~': 'LIKE', '!~~': 'NOT LIKE' },
  AEXPR_ILIKE: { '~~*': 'ILIKE', '!~~*': 'NOT ILIKE' },
  AEXPR_SIMILAR: { '~': 'SIMILAR TO', '!~': 'NOT SIMILAR TO' },
};

/** `l [NOT] LIKE|ILIKE|SIMILAR TO p [ESCAPE e]`; the parser wraps SIMILAR's pattern (and an ESCAPE) in a function call. */
function patternMatch(b: Record<string, unknown>): Piece {
  const words = PATTERN_OPERATORS[String(b.kind)][operatorName(b)] ?? refuse('a malformed pattern match');
  const left = at(expr(b.lexpr), LIKE + 1);
  const escape = escapeCall(b.rexpr, b.kind === 'AEXPR_SIMILAR' ? 'similar_to_escape' : 'like_escape');
  if (b.kind === 'AEXPR_SIMILAR' && escape === undefined) refuse('SIMILAR TO without its pattern call');
  if (escape === undefined) return piece(`${left} ${words} ${at(expr(b.rexpr), LIKE + 1)}`, LIKE);
  const [pattern, esc] = escape;
  return piece(`${left} ${words} ${at(expr(pattern), LIKE + 1)}${esc === undefined ? '' : ` ESCAPE ${at(expr(esc), LIKE + 1)}`}`, LIKE);
}

/** The arguments of `pg_catalog.<name>(pattern[, escape])` as the parser writes it for ESCAPE. */
function escapeCall(node: unknown, name: string): [unknown, unknown?] | undefined {
  const [kind, b] = unwrap(node);
  if (kind !== 'FuncCall' || names(b.funcname).join('.') !== `pg_catalog.${name}` || !plainCall(b)) return undefined;
  const args = list(b.args);
  if (args.length === 2) return [args[0], args[1]];
  return args.length === 1 && name === 'similar_to_escape' ? [args[0]] : undefined;
}

function between(b: Record<string, unknown>): Piece {
  const [kind, items] = unwrap(b.rexpr);
  const bounds = kind === 'List' ? list(items.items) : [];
  if (bounds.length !== 2) refuse('a malformed BETWEEN');
  const words = { AEXPR_BETWEEN: 'BETWEEN', AEXPR_NOT_BETWEEN: 'NOT BETWEEN', AEXPR_BETWEEN_SYM: 'BETWEEN SYMMETRIC', AEXPR_NOT_BETWEEN_SYM: 'NOT BETWEEN SYMMETRIC' }[String(b.kind)];
  return piece(`${at(expr(b.lexpr), LIKE + 1)} ${words} ${lowerBound(expr(bounds[0]))} AND ${at(expr(bounds[1]), LIKE + 1)}`, LIKE);
}

/** BETWEEN's lower bound is gram.y's `b_expr`, which has no COLLATE, AT TIME ZONE, IS, comparison or boolean. */
function lowerBound(p: Piece): string {
  return p.level >= OTHER_OP && p.level !== AT && p.level !== COLLATE ? p.text : `(${p.text})`;
}

function boolExpr(b: Record<string, unknown>): Piece {
  const args = list(b.args);
  if (b.boolop === 'NOT_EXPR') {
    if (args.length !== 1) refuse('a malformed NOT');
    return piece(`NOT ${at(expr(args[0]), NOT)}`, NOT);
  }
  const [word, level] = b.boolop === 'AND_EXPR' ? ['AND', AND] : b.boolop === 'OR_EXPR' ? ['OR', OR] : refuse('an unknown boolean operator');
  if (args.length < 2) refuse(`a malformed ${word}`);
  // The parser flattens `a AND b AND c` into one node: a nested node of the same operator was parenthesised.
  return piece(args.map((a) => at(expr(a), level + 1)).join(` ${word} `), level);
}

function names(value: unknown): string[] {
  return list(value).map((n) => {
    const [kind, b] = unwrap(n);
    return kind === 'String' ? String(b.sval ?? '') : '*';
  });
}

/** A call with none of the aggregate or window decorations (the checker refuses those). */
function plainCall(b: Record<string, unknown>): boolean {
  return b.agg_order === undefined && b.agg_filter === undefined && b.over === undefined && b.agg_within_group !== true &&
    b.agg_star !== true && b.agg_distinct !== true;
}

function functionCall(b: Record<string, unknown>): Piece {
  if (!plainCall(b)) refuse('an aggregate or window call');
  const args = list(b.args);
  if (b.funcformat === 'COERCE_SQL_SYNTAX') return sqlSyntaxCall(names(b.funcname).join('.'), args);
  if (b.funcformat !== undefined && b.funcformat !== 'COERCE_EXPLICIT_CALL') refuse('a call of an unknown form');
  const printed = args.map((a, i) => (b.func_variadic === true && i === args.length - 1 ? `VARIADIC ${item(a)}` : item(a)));
  if (b.func_variadic === true && args.length === 0) refuse('a malformed VARIADIC call');
  return piece(`${qualified(b.funcname)}(${printed.join(', ')})`, PRIMARY);
}

const TRIM: Readonly<Record<string, string>> = { 'pg_catalog.btrim': 'BOTH', 'pg_catalog.ltrim': 'LEADING', 'pg_catalog.rtrim': 'TRAILING' };

/** Functions PostgreSQL spells with SQL syntax (`EXTRACT(day FROM x)`): printed in that syntax, so the tree is the same. */
function sqlSyntaxCall(name: string, args: readonly unknown[]): Piece {
  const n = args.length;
  const tight = (node: unknown) => at(expr(node), CAST);
  if (name === 'pg_catalog.extract' && n === 2) {
    const [kind, field] = unwrap(args[0]);
    if (kind !== 'A_Const' || field.sval === undefined) refuse('EXTRACT of a field that is not a name');
    return piece(`EXTRACT(${item(args[0])} FROM ${tight(args[1])})`, PRIMARY);
  }
  if (name === 'pg_catalog.position' && n === 2) return piece(`POSITION(${lowerBound(expr(args[1]))} IN ${lowerBound(expr(args[0]))})`, PRIMARY);
  if (name === 'pg_catalog.substring' && (n === 2 || n === 3)) {
    return piece(`SUBSTRING(${tight(args[0])} FROM ${tight(args[1])}${n === 3 ? ` FOR ${tight(args[2])}` : ''})`, PRIMARY);
  }
  if (TRIM[name] !== undefined && (n === 1 || n === 2)) {
    return piece(`TRIM(${TRIM[name]} ${n === 2 ? `${tight(args[1])} ` : ''}FROM ${tight(args[0])})`, PRIMARY);
  }
  if (name === 'pg_catalog.timezone' && n === 2) return piece(`${at(expr(args[1]), AT)} AT TIME ZONE ${at(expr(args[0]), AT + 1)}`, AT);
  if (name === 'pg_catalog.timezone' && n === 1) return piece(`${at(expr(args[0]), AT)} AT LOCAL`, AT);
  return refuse(`the SQL syntax of ${name}()`);
}

const VALUE_FUNCTIONS: Readonly<Record<string, string>> = {
  SVFOP_CURRENT_DATE: 'CURRENT_DATE', SVFOP_CURRENT_TIME: 'CURRENT_TIME', SVFOP_CURRENT_TIME_N: 'CURRENT_TIME',
  SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP', SVFOP_CURRENT_TIMESTAMP_N: 'CURRENT_TIMESTAMP', SVFOP_LOCALTIME: 'LOCALTIME',
  SVFOP_LOCALTIME_N: 'LOCALTIME', SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP', SVFOP_LOCALTIMESTAMP_N: 'LOCALTIMESTAMP',
  SVFOP_CURRENT_ROLE: 'CURRENT_ROLE', SVFOP_CURRENT_USER: 'CURRENT_USER', SVFOP_USER: 'USER', SVFOP_SESSION_USER: 'SESSION_USER',
  SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG', SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
};

function valueFunction(b: Record<string, unknown>): string {
  const op = String(b.op);
  const word = VALUE_FUNCTIONS[op] ?? refuse(`an unknown SQL value function ${op}`);
  if (!op.endsWith('_N')) return word;
  if (typeof b.typmod !== 'number' || !Number.isSafeInteger(b.typmod)) refuse('a malformed precision');
  return `${word}(${b.typmod})`;
}

function caseExpr(b: Record<string, unknown>): Piece {
  const whens = list(b.args).map((w) => {
    const [kind, c] = unwrap(w);
    if (kind !== 'CaseWhen') refuse('a malformed CASE');
    return ` WHEN ${item(c.expr)} THEN ${item(c.result)}`;
  });
  if (whens.length === 0) refuse('CASE without WHEN');
  const subject = b.arg === undefined ? '' : ` ${item(b.arg)}`;
  const otherwise = b.defresult === undefined ? '' : ` ELSE ${item(b.defresult)}`;
  return piece(`CASE${subject}${whens.join('')}${otherwise} END`, PRIMARY);
}

/** `(arg)[i]`, `(arg).field`; a bare column keeps its subscripts without parentheses. */
function indirection(b: Record<string, unknown>): Piece {
  const steps = list(b.indirection);
  if (steps.length === 0) refuse('an empty indirection');
  const printed = steps.map((s) => {
    const [kind, i] = unwrap(s);
    if (kind === 'String') return `.${quoteName(String(i.sval ?? ''))}`;
    if (kind !== 'A_Indices') refuse(`an indirection through ${kind}`);
    const upper = i.uidx === undefined ? '' : item(i.uidx);
    if (i.is_slice !== true) return i.uidx === undefined ? refuse('a malformed subscript') : `[${upper}]`;
    return `[${i.lidx === undefined ? '' : item(i.lidx)}:${upper}]`;
  });
  const [argKind] = unwrap(b.arg);
  const bare = argKind === 'ColumnRef' && printed[0].startsWith('[');
  return piece(`${bare ? expr(b.arg).text : `(${item(b.arg)})`}${printed.join('')}`, PRIMARY);
}

/** Types PostgreSQL spells with keywords: `pg_catalog.<name>` as the keywords that mean it. */
const TYPE_WORDS: Readonly<Record<string, { readonly word: string; readonly modifiers: boolean; readonly suffix?: string }>> = {
  int2: { word: 'smallint', modifiers: false }, int4: { word: 'integer', modifiers: false }, int8: { word: 'bigint', modifiers: false },
  float4: { word: 'real', modifiers: false }, float8: { word: 'double precision', modifiers: false },
  bool: { word: 'boolean', modifiers: false }, numeric: { word: 'numeric', modifiers: true }, varchar: { word: 'varchar', modifiers: true },
  time: { word: 'time', modifiers: true }, timetz: { word: 'time', modifiers: true, suffix: ' with time zone' },
  timestamp: { word: 'timestamp', modifiers: true }, timestamptz: { word: 'timestamp', modifiers: true, suffix: ' with time zone' },
  json: { word: 'json', modifiers: false }, interval: { word: 'interval', modifiers: false },
};

function typeName(node: unknown): string {
  if (node === null || typeof node !== 'object') refuse('a malformed type');
  const t = node as Record<string, unknown>;
  if (t.setof === true || t.pct_type === true || (t.typemod !== undefined && t.typemod !== -1)) refuse('this kind of type');
  const parts = names(t.names);
  const modifiers = list(t.typmods).map((m) => expr(m));
  const integers = modifiers.every((m) => /^\d+$/.test(m.text));
  const bounds = list(t.arrayBounds).map((a) => {
    const [kind, i] = unwrap(a);
    const n = i.ival ?? 0;
    if (kind !== 'Integer' || typeof n !== 'number' || !Number.isSafeInteger(n)) refuse('a malformed array bound');
    return n < 0 ? '[]' : `[${n}]`;
  });
  const spelled = parts.length === 2 && parts[0] === 'pg_catalog' ? TYPE_WORDS[parts[1]] : undefined;
  const mods = modifiers.length === 0 ? '' : `(${modifiers.map((m) => m.text).join(', ')})`;
  let base: string;
  if (spelled !== undefined && (modifiers.length === 0 || (spelled.modifiers && integers))) base = `${spelled.word}${mods}${spelled.suffix ?? ''}`;
  else if (parts.join('.') === 'pg_catalog.bpchar' && modifiers.length === 1 && integers) base = `character${mods}`;
  else base = `${qualified(t.names)}${mods}`;
  return `${base}${bounds.join('')}`;
}
