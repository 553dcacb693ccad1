/**
 * The only two ways a name or a value becomes SQL text. Every identifier goes through
 * `quoteIdent`, every literal through `quoteLiteral`: hostile names and values never
 * become SQL.
 */

/** `"name"`, with embedded quotes doubled; NUL is refused (PostgreSQL cannot store it). */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot contain NUL');
  return name.includes('"') ? `"${name.replace(/"/g, '""')}"` : `"${name}"`;
}

/** Characters a plain literal may not hold: a backslash, control characters and line breaks of any kind. */
const NEEDS_ESCAPES = /[\\\x00-\x1f\x7f\u0085\u2028\u2029]/;

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * `'value'`, or `E'value'` with escapes when it holds a backslash, a control character or a
 * line break; NUL is refused. Both forms mean the same whether `standard_conforming_strings`
 * is on or off (a quote is always doubled, never backslashed), and the text never spans two
 * lines, so no line of a migration file starts inside a literal.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a literal cannot contain NUL');
  const body = value.replace(/'/g, "''");
  if (!NEEDS_ESCAPES.test(value)) return `'${body}'`;
  const escaped = body.replace(/[\\\x00-\x1f\x7f\u0085\u2028\u2029]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `E'${escaped}'`;
}

/**
 * The session settings a migration's text is written for, pinned at the top of each section
 * of every migration file (so `psql -f` reads it as schemac wrote it) and by the runner on
 * its session: string literals read with standard-conforming strings (a database set to
 * `standard_conforming_strings = off` would read backslashes as escapes), the file's bytes
 * as UTF-8, function bodies checked when created, and unqualified names found in `public`
 * (after `pg_catalog`, and before a session's temporary tables).
 */
export const PINNED_SETTINGS: ReadonlyArray<readonly [name: string, value: string]> = [
  ['standard_conforming_strings', 'on'],
  ['client_encoding', 'UTF8'],
  ['check_function_bodies', 'on'],
  ['search_path', 'public, pg_temp'],
];

/** The pinned settings as one line of SET statements. */
export function pinnedSettingsSql(): string {
  return PINNED_SETTINGS.map(([name, value]) => `SET ${name} = ${name === 'search_path' ? value : quoteLiteral(value)};`).join(' ');
}
