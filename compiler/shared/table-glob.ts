/**
 * The config's `ignore:` entries: table-name globs (`*` any run of characters, `?` one)
 * naming tables schemac does not manage, which `diff --db`, `pull` and `verify` skip.
 */

/** Whether a table name matches a glob of `ignore:` (`*` any run, `?` one character; the rest literal). */
export function matchesTableGlob(glob: string, table: string): boolean {
  const body = [...glob].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`).test(table);
}

/** Whether any glob of `ignore:` covers the table. */
export function isIgnoredTable(globs: readonly string[] | undefined, table: string): boolean {
  return (globs ?? []).some((g) => matchesTableGlob(g, table));
}
