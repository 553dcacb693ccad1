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

/** `'value'`, or `E'value'` when it holds a backslash; NUL is refused. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a literal cannot contain NUL');
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}
