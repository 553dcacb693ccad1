/**
 * What `schemac verify` reads back after running new migrations on an image: not the whole
 * schema (at thousands of tables that takes longer than everything else), but the tables
 * the new files can have touched, read again and merged into what the image held. A table
 * is touched when the files' text names it, or one of its indexes, constraints, triggers,
 * trigger functions or policies, or a type of one of its columns that is not built in (no
 * migration changes `text`, and a new text column must not read back every table holding
 * one); every identifier counts,
 * so a name in a comment only reads one table more; a drop that cascades adds the tables
 * whose foreign keys reference a touched one. Text that builds SQL at run time (`EXECUTE`)
 * or drops a schema or an owner's objects can touch anything: then the whole schema is
 * read. `verify --full` reads everything, always.
 */
import type { MigrationFile } from '../../runtime/files.ts';
import { canonicalType, introspect, type LiveSchema, type LiveTable, tableNames } from '../../runtime/introspect.ts';
import type { Queryable } from '../../runtime/driver.ts';

/**
 * The names of the tables of `before` the files can touch; undefined when they may touch any.
 * `builtins` are the names of the built-in types (`builtinTypes`), which touch no table.
 */
export function touchedTables(files: readonly MigrationFile[], before: LiveSchema, builtins: ReadonlySet<string> = new Set()): Set<string> | undefined {
  const words = new Set<string>();
  let cascades = false;
  for (const f of files) {
    const text = `${f.up}\n${f.down}`;
    if (ANYTHING.test(text)) return undefined;
    cascades ||= CASCADE.test(text);
    for (const w of identifiers(text)) words.add(w);
  }
  const touched = new Set<string>();
  for (const t of before.tables) if (namesOf(t, builtins).some((n) => words.has(n))) touched.add(t.name);
  // A drop that cascades also drops the foreign keys of the tables that reference what it drops.
  if (cascades) for (const t of before.tables) if (t.foreignKeys.some((k) => touched.has(k.refTable))) touched.add(t.name);
  return touched;
}

/** SQL that can reach tables it does not name: built at run time, or dropping by schema or owner. */
const ANYTHING = /\bexecute\b|\bdrop\s+(?:schema|owned)\b|\ball\s+in\s+tablespace\b/i;
const CASCADE = /\bdrop\b[^;]*\bcascade\b/i;

/**
 * The live schema, reading only the tables in `touched` and those `before` did not hold;
 * every other table is taken from `before`.
 */
export async function scopedIntrospect(q: Queryable, before: LiveSchema, touched: ReadonlySet<string>): Promise<LiveSchema> {
  const names = await tableNames(q);
  const held = new Map(before.tables.map((t) => [t.name, t]));
  const read = names.filter((n) => touched.has(n) || !held.has(n));
  const fresh = await introspect(q, read);
  const got = new Map(fresh.tables.map((t) => [t.name, t]));
  const tables: LiveTable[] = names.map((n) => got.get(n) ?? held.get(n)!);
  return { tables, enums: fresh.enums, extensions: fresh.extensions };
}

/** The names of the built-in types (those of `pg_catalog`), as `typeName` gives them from a column's type. */
export async function builtinTypes(q: Queryable): Promise<Set<string>> {
  const rows = await q.query<{ name: string }>("select distinct format_type(oid, null) as name from pg_type where typnamespace = 'pg_catalog'::regnamespace");
  return new Set(rows.map((r) => typeName(canonicalType(r.name))));
}

/** A column type's name, without its modifiers and array brackets: `varchar(50)[]` → `varchar`. */
export function typeName(type: string): string {
  return type.replace(/(?:\[\])+$/, '').replace(/\([^)]*\)$/, '');
}

/** The names by which SQL can reach a table: its own and those of what hangs on it. */
function namesOf(t: LiveTable, builtins: ReadonlySet<string>): string[] {
  return [
    t.name,
    ...t.indexes.map((i) => i.name),
    ...(t.primaryKey ? [t.primaryKey.name] : []),
    ...t.foreignKeys.map((c) => c.name),
    ...t.uniques.map((c) => c.name),
    ...t.checks.map((c) => c.name),
    ...t.triggers.flatMap((g) => [g.name, g.function]),
    ...(t.policies ?? []),
    ...t.columns.map((c) => typeName(c.type)).filter((type) => !builtins.has(type)),
    ...t.columns.map((c) => `${t.name}_${c.name}_seq`),
  ];
}

/** Every identifier of a SQL text: quoted ones as written, bare words lower-cased. */
function identifiers(sql: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_$]*)/g;
  for (let m = re.exec(sql); m !== null; m = re.exec(sql)) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase());
  return out;
}
