/**
 * The lexer of the SQL fragment subset that the recogniser (`sql-recognise.ts`) accepts and the
 * fragment typing (`sql-expr.ts`) reads: words, unsigned numbers, plain string literals,
 * the operators of four precedence classes and `::`, `(`, `)`, `,`. Anything else is not
 * tokenised, and the caller leaves the fragment to the PostgreSQL parser.
 */
import { COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS } from './sql-keywords.ts';

/** A Token is one lexical unit: a name (identifier or unreserved keyword, lower-cased), another keyword, a literal, an operator or punctuation, and where it starts. */
export interface Token {
  readonly kind: 'name' | 'keyword' | 'literal' | 'operator' | 'punctuation';
  readonly text: string;
  readonly at: number;
}

export const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
export const MATCHES: ReadonlySet<string> = new Set(['~', '~*', '!~', '!~*', '||']);
export const ADDITIVE: ReadonlySet<string> = new Set(['+', '-']);
export const MULTIPLICATIVE: ReadonlySet<string> = new Set(['*', '/', '%']);
const OPERATORS: ReadonlySet<string> = new Set([...COMPARISONS, ...MATCHES, ...ADDITIVE, ...MULTIPLICATIVE]);

const SPACE = /[ \t\n]+/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?![\w.$])/y;
/** Printable ASCII only, quotes doubled: no escapes, no line breaks, nothing the scanner reads differently. */
const STRING = /'(?:[\x20-\x26\x28-\x7e]|'')*'/y;
const OPERATOR = /[~!@#^&|`?+\-*/%<>=]+/y;
const PUNCTUATION = /::|[(),]/y;

/** Splits the text into tokens, or undefined at anything outside the subset. */
export function tokenize(sql: string): Token[] | undefined {
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
    const token = text === undefined ? undefined : classify(text, pos);
    if (text === undefined || token === undefined) return undefined;
    tokens.push(token);
    pos += text.length;
  }
  return tokens;
}

function classify(text: string, at: number): Token | undefined {
  if (/^[A-Za-z_]/.test(text)) {
    const w = text.toLowerCase();
    const keyword = COL_NAME_KEYWORDS.has(w) || TYPE_FUNC_NAME_KEYWORDS.has(w) || RESERVED_KEYWORDS.has(w);
    return { kind: keyword ? 'keyword' : 'name', text: w, at };
  }
  if (/^[0-9']/.test(text)) return { kind: 'literal', text, at };
  if (text === '::' || text === '(' || text === ')' || text === ',') return { kind: 'punctuation', text, at };
  return OPERATORS.has(text) ? { kind: 'operator', text, at } : undefined;
}
