/**
 * A recogniser for the SQL fragment shapes models files usually hold: the table's columns,
 * literals, comparisons, AND/OR/NOT, IS [NOT] NULL/TRUE/FALSE, [NOT] IN lists, [NOT]
 * BETWEEN, [NOT] LIKE/ILIKE, arithmetic, regular-expression matches, casts to allowed
 * types, calls to allowed functions, parentheses. It answers without the PostgreSQL parser
 * (WASM): 'accepted' only for a fragment the parser-based check (`sql-fragment.ts`) accepts
 * under the same options, 'unknown' for everything else, which that check then judges and
 * reports on. It never reports a problem itself.
 */
import { ALLOWED_FUNCTIONS, ALLOWED_TYPES, IMMUTABLE_FUNCTIONS } from './sql-allowlist.ts';
import type { FragmentOptions } from './sql-fragment.ts';
import { COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS, UNRESERVED_KEYWORDS } from './sql-keywords.ts';

/** The recogniser's answer: sure that the parser-based check accepts, or not sure. */
export type Recognition = 'accepted' | 'unknown';

/** What a fragment may refer to: the same options as the parser-based check. */
export type RecogniseOptions = Pick<FragmentOptions, 'columns' | 'allowFunctions' | 'types' | 'immutable'>;

/** Longer fragments, deeper nesting and longer names are left to the parser. */
const MAX_LENGTH = 2000;
const MAX_DEPTH = 32;
const MAX_NAME_LENGTH = 63;

const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
const MATCHES: ReadonlySet<string> = new Set(['~', '~*', '!~', '!~*', '||']);
const ADDITIVE: ReadonlySet<string> = new Set(['+', '-']);
const MULTIPLICATIVE: ReadonlySet<string> = new Set(['*', '/', '%']);
const OPERATORS: ReadonlySet<string> = new Set([...COMPARISONS, ...MATCHES, ...ADDITIVE, ...MULTIPLICATIVE]);

/** Keyword spellings of types a cast may name, and the name the parser gives them. */
const KEYWORD_TYPES: ReadonlyMap<string, string> = new Map([
  ['int', 'int4'], ['integer', 'int4'], ['smallint', 'int2'], ['bigint', 'int8'], ['real', 'float4'], ['float', 'float8'],
  ['decimal', 'numeric'], ['dec', 'numeric'], ['numeric', 'numeric'], ['boolean', 'bool'], ['varchar', 'varchar'],
  ['time', 'time'], ['timestamp', 'timestamp'], ['interval', 'interval'], ['json', 'json'],
]);

const CONSTANT_WORDS: ReadonlySet<string> = new Set(['null', 'true', 'false']);

/** SQL-syntax functions of the current time, which PostgreSQL refuses in index predicates. */
const CLOCK_WORDS: ReadonlySet<string> = new Set(['current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp']);

/** A Token is one lexical unit: a name (identifier or unreserved keyword, lower-cased), another keyword, a literal, an operator or punctuation. */
interface Token {
  readonly kind: 'name' | 'keyword' | 'literal' | 'operator' | 'punctuation';
  readonly text: string;
}

/** The parser's state: the tokens, the next one's index, the nesting, the options. */
interface State {
  readonly tokens: readonly Token[];
  pos: number;
  depth: number;
  readonly opts: RecogniseOptions;
}

/** Whether the parser-based check surely accepts `sql` under `opts` ('accepted'), or that check must decide ('unknown'). */
export function recogniseFragment(sql: string, opts: RecogniseOptions): Recognition {
  if (sql.length > MAX_LENGTH) return 'unknown';
  const tokens = tokenize(sql);
  if (tokens === undefined || tokens.length === 0) return 'unknown';
  const state: State = { tokens, pos: 0, depth: 0, opts };
  return expression(state) && state.pos === tokens.length ? 'accepted' : 'unknown';
}

const SPACE = /[ \t\n]+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?![\w.$])/y;
/** Printable ASCII only, quotes doubled: no escapes, no line breaks, nothing the scanner reads differently. */
const STRING = /'(?:[\x20-\x26\x28-\x7e]|'')*'/y;
const OPERATOR = /[~!@#^&|`?+\-*/%<>=]+/y;
const PUNCTUATION = /::|[(),]/y;

/** Splits the text into tokens, or undefined at anything outside the recognised subset. */
function tokenize(sql: string): Token[] | undefined {
  const tokens: Token[] = [];
  let pos = 0;
  const at = (re: RegExp) => ((re.lastIndex = pos), re.exec(sql)?.[0]);
  while (pos < sql.length) {
    const space = at(SPACE);
    if (space !== undefined) {
      pos += space.length;
      continue;
    }
    const text = at(WORD) ?? at(NUMBER) ?? at(STRING) ?? at(OPERATOR) ?? at(PUNCTUATION);
    const token = text === undefined ? undefined : classify(text);
    if (text === undefined || token === undefined) return undefined;
    tokens.push(token);
    pos += text.length;
  }
  return tokens;
}

function classify(text: string): Token | undefined {
  if (/^[A-Za-z_]/.test(text)) return word(text.toLowerCase());
  if (/^[0-9']/.test(text)) return { kind: 'literal', text };
  if (text === '::' || text === '(' || text === ')' || text === ',') return { kind: 'punctuation', text };
  return OPERATORS.has(text) ? { kind: 'operator', text } : undefined;
}

/** A word: a keyword other than an unreserved one, or a name (PostgreSQL truncates longer names, so those are left to it). */
function word(text: string): Token | undefined {
  if (COL_NAME_KEYWORDS.has(text) || TYPE_FUNC_NAME_KEYWORDS.has(text) || RESERVED_KEYWORDS.has(text)) return { kind: 'keyword', text };
  return text.length > MAX_NAME_LENGTH ? undefined : { kind: 'name', text };
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
function nested(s: State, inner: (s: State) => boolean): boolean {
  if (++s.depth > MAX_DEPTH) return false;
  const ok = inner(s);
  s.depth--;
  return ok;
}

/** expression := conjunction (OR conjunction)* */
function expression(s: State): boolean {
  return nested(s, (st) => {
    if (!conjunction(st)) return false;
    while (take(st, 'or')) if (!conjunction(st)) return false;
    return true;
  });
}

/** conjunction := negation (AND negation)* */
function conjunction(s: State): boolean {
  if (!negation(s)) return false;
  while (take(s, 'and')) if (!negation(s)) return false;
  return true;
}

/** negation := NOT negation | predicate */
function negation(s: State): boolean {
  return take(s, 'not') ? nested(s, negation) : predicate(s);
}

/** predicate := operand [comparison operand | IS [NOT] NULL|TRUE|FALSE | [NOT] IN (list) | [NOT] BETWEEN operand AND operand | [NOT] LIKE|ILIKE operand] */
function predicate(s: State): boolean {
  if (!operand(s)) return false;
  const next = peek(s);
  if (next?.kind === 'operator' && COMPARISONS.has(next.text)) {
    s.pos++;
    return operand(s);
  }
  if (take(s, 'is')) {
    take(s, 'not');
    return take(s, 'null') || take(s, 'true') || take(s, 'false');
  }
  const negated = take(s, 'not');
  if (take(s, 'in')) return take(s, '(') && list(s);
  if (take(s, 'between')) return operand(s) && take(s, 'and') && operand(s);
  if (take(s, 'like') || take(s, 'ilike')) return operand(s);
  return !negated;
}

/** list := expression (, expression)* ), the opening parenthesis already taken. */
function list(s: State): boolean {
  return nested(s, (st) => {
    if (!expression(st)) return false;
    while (take(st, ',')) if (!expression(st)) return false;
    return take(st, ')');
  });
}

/** operand := sum (match-operator sum)*, where a match operator is ~, ~*, !~, !~* or || */
function operand(s: State): boolean {
  return chain(s, MATCHES, (st) => chain(st, ADDITIVE, (su) => chain(su, MULTIPLICATIVE, unary)));
}

/** inner (operator inner)*, for one of the left-associative operator levels. */
function chain(s: State, operators: ReadonlySet<string>, inner: (s: State) => boolean): boolean {
  if (!inner(s)) return false;
  for (let t = peek(s); t?.kind === 'operator' && operators.has(t.text); t = peek(s)) {
    s.pos++;
    if (!inner(s)) return false;
  }
  return true;
}

/** unary := - unary | primary (:: type)* */
function unary(s: State): boolean {
  if (take(s, '-')) return nested(s, unary);
  if (!primary(s)) return false;
  while (take(s, '::')) if (!castType(s)) return false;
  return true;
}

/** A cast's target: an allowed type or one of the workspace's enums, as one word. */
function castType(s: State): boolean {
  const t = peek(s);
  const name = t?.kind === 'name' ? t.text : t?.kind === 'keyword' ? KEYWORD_TYPES.get(t.text) : undefined;
  if (name === undefined || !(ALLOWED_TYPES.has(name) || s.opts.types?.has(name))) return false;
  s.pos++;
  return true;
}

/**
 * primary := literal | NULL | TRUE | FALSE | clock word | function ( [list] ) | column | ( expression ).
 * A function named by a keyword is left to the parser (`operator(` starts other syntax).
 */
function primary(s: State): boolean {
  const t = peek(s);
  if (t === undefined) return false;
  if (take(s, '(')) return nested(s, (st) => expression(st) && take(st, ')'));
  const constant = t.kind === 'keyword' && (CONSTANT_WORDS.has(t.text) || (CLOCK_WORDS.has(t.text) && !s.opts.immutable));
  if (t.kind !== 'literal' && t.kind !== 'name' && !constant) return false;
  s.pos++;
  if (t.kind !== 'name') return true;
  if (take(s, '(')) return !UNRESERVED_KEYWORDS.has(t.text) && allowedFunction(s.opts, t.text) && (take(s, ')') || list(s));
  return s.opts.columns.has(t.text);
}

function allowedFunction(opts: RecogniseOptions, name: string): boolean {
  return (opts.allowFunctions ?? (opts.immutable ? IMMUTABLE_FUNCTIONS : ALLOWED_FUNCTIONS)).has(name);
}
