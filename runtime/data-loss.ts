/**
 * What a down would destroy, found before anything runs: the tables and columns holding
 * rows that the down sections of the files to revert would drop. The statements are read
 * with the real PostgreSQL parser (statements inside `DO` blocks too): `DROP TABLE`,
 * `ALTER TABLE … DROP COLUMN`, `TRUNCATE`, and `DROP SCHEMA`, `DROP TYPE`/`DOMAIN` and
 * `DROP EXTENSION` with `CASCADE` (which drop the tables, or the columns of the types, with
 * them). Renames, moves between schemas and objects the down itself creates are followed
 * through the files in the order they run, so a table renamed back by one file and dropped
 * by the next is still the table holding the rows. Rows are counted on the database as it
 * is, at most `ROW_LIMIT + 1` per table or column.
 *
 * Not seen: SQL built at run time (`EXECUTE` of a string), and data changed without a drop
 * (`DELETE`, `UPDATE`, a column's type narrowed).
 */
import { parsePlPgSQLSync, parseSync } from 'libpg-query';
import { quoteIdent } from '../compiler/shared/index.ts';
import { type Queryable, toDbError } from './driver.ts';
import { loadExpressionParser } from './expr.ts';
import { hasSql, type MigrationFile } from './files.ts';
import type { DataDrop } from './run-types.ts';
import { excerpt, locateStatements } from './statements.ts';

/** Rows are counted up to one more than this; more is "more than ROW_LIMIT". */
export const ROW_LIMIT = 1_000_000;

export type { DataDrop } from './run-types.ts';

/**
 * The tables and columns holding rows that reverting `files`, in this order, would drop (in
 * the order it would). `q` must be outside a transaction block: each count runs in a
 * transaction of its own, rolled back.
 */
export async function dataDrops(q: Queryable, files: readonly MigrationFile[]): Promise<DataDrop[]> {
  if (!files.some((f) => hasSql(f.down))) return [];
  await loadExpressionParser();
  const sim = new Simulation(q);
  for (const f of files) for (const e of effectsOf(f)) await sim.apply(e);
  const tables = new Set(sim.losses.filter((l) => l.column === undefined).map((l) => l.oid));
  const out: DataDrop[] = [];
  for (const loss of sim.losses) {
    if (loss.column !== undefined && tables.has(loss.oid)) continue;
    const drop = await counted(q, loss);
    if (drop !== undefined && drop.rows !== 0) out.push(drop);
  }
  return out;
}

/** The number as a message says it: `1,234`, or `more than 1,000,000`. */
export function rowCount(rows: number): string {
  return rows > ROW_LIMIT ? `more than ${ROW_LIMIT.toLocaleString('en-US')}` : rows.toLocaleString('en-US');
}

/** One line of a refusal: `table "clients" holds 3 rows (file:line: statement)`. */
export function describeDrop(d: DataDrop): string {
  const table = d.schema === 'public' ? quoteIdent(d.table) : `${quoteIdent(d.schema)}.${quoteIdent(d.table)}`;
  const what = d.column === undefined ? `table ${table}` : `column ${table}.${quoteIdent(d.column)}`;
  const rows = d.rows === null
    ? `may hold rows: they cannot be counted (${d.why})`
    : d.column === undefined
      ? `holds ${rowCount(d.rows)} row${d.rows === 1 ? '' : 's'}`
      : `holds a value in ${rowCount(d.rows)} row${d.rows === 1 ? '' : 's'}`;
  return `${what} ${rows} (${d.file}:${d.line}: ${d.statement})`;
}

// ---------------------------------------------------------------------------
// What the statements do, read from the parse trees.
// ---------------------------------------------------------------------------

/** A relation's name: unqualified names are found in `public` (every migration pins `search_path` to it). */
interface Name {
  readonly schema: string;
  readonly name: string;
}

/** Where a statement is: the file, its line there, the statement shortened. */
interface At {
  readonly file: string;
  readonly line: number;
  readonly statement: string;
}

/** An Effect is what one statement does to the tables and columns that matter here. */
type Effect =
  | { readonly kind: 'drop-table'; readonly rel: Name; readonly at: At }
  | { readonly kind: 'truncate'; readonly rel: Name; readonly cascade: boolean; readonly at: At }
  | { readonly kind: 'drop-column'; readonly rel: Name; readonly column: string; readonly at: At }
  | { readonly kind: 'drop-schema'; readonly schema: string; readonly at: At }
  | { readonly kind: 'drop-type'; readonly type: readonly string[]; readonly at: At }
  | { readonly kind: 'drop-extension'; readonly name: string; readonly at: At }
  | { readonly kind: 'create-table'; readonly rel: Name }
  | { readonly kind: 'rename-table'; readonly rel: Name; readonly to: Name }
  | { readonly kind: 'rename-column'; readonly rel: Name; readonly from: string; readonly to: string }
  | { readonly kind: 'add-column'; readonly rel: Name; readonly column: string };

type Node = Record<string, unknown>;

/** The effects of a file's down section, in order; none when the parser rejects it (PostgreSQL would too). */
function effectsOf(file: MigrationFile): Effect[] {
  if (!hasSql(file.down)) return [];
  let stmts: { stmt?: Node; stmt_location?: number; stmt_len?: number }[];
  try {
    stmts = (parseSync(file.down).stmts ?? []) as typeof stmts;
  } catch {
    return [];
  }
  const located = locateStatements(file.down, stmts);
  return stmts.flatMap((s, i) => {
    const { sql, line } = located[i]!;
    return statementEffects(s.stmt ?? {}, { file: file.name, line: file.downLine + line - 1, statement: excerpt(sql, 160) });
  });
}

function statementEffects(stmt: Node, at: At): Effect[] {
  const [type] = Object.keys(stmt);
  const n = (stmt[type] ?? {}) as Node;
  switch (type) {
    case 'DropStmt': return dropEffects(n, at);
    case 'TruncateStmt': {
      const cascade = n.behavior === 'DROP_CASCADE';
      return relations(n.relations).map((rel): Effect => ({ kind: 'truncate', rel, cascade, at }));
    }
    case 'AlterTableStmt': return n.objtype === 'OBJECT_TABLE' ? alterTableEffects(n, at) : [];
    case 'RenameStmt': return renameEffects(n);
    case 'AlterObjectSchemaStmt': {
      const rel = n.objectType === 'OBJECT_TABLE' ? rangeVar(n.relation) : undefined;
      return rel === undefined ? [] : [{ kind: 'rename-table', rel, to: { schema: String(n.newschema), name: rel.name } }];
    }
    case 'CreateStmt': {
      const rel = rangeVar(n.relation);
      return rel === undefined ? [] : [{ kind: 'create-table', rel }];
    }
    case 'CreateTableAsStmt': {
      const rel = rangeVar((n.into as Node | undefined)?.rel);
      return rel === undefined ? [] : [{ kind: 'create-table', rel }];
    }
    case 'DoStmt': return doEffects(n, at);
    default: return [];
  }
}

function dropEffects(n: Node, at: At): Effect[] {
  const objects = (n.objects as unknown[] | undefined) ?? [];
  const cascade = n.behavior === 'DROP_CASCADE';
  switch (n.removeType) {
    case 'OBJECT_TABLE':
      return objects.flatMap((o): Effect[] => {
        const rel = qualified(names((o as Node).List ? ((o as Node).List as Node).items : o));
        return rel === undefined ? [] : [{ kind: 'drop-table', rel, at }];
      });
    case 'OBJECT_SCHEMA':
      return cascade ? objects.map((o): Effect => ({ kind: 'drop-schema', schema: names([o])[0], at })) : [];
    case 'OBJECT_TYPE': case 'OBJECT_DOMAIN':
      return cascade ? objects.map((o): Effect => ({ kind: 'drop-type', type: names(((o as Node).TypeName as Node | undefined)?.names), at })) : [];
    case 'OBJECT_EXTENSION':
      return cascade ? objects.map((o): Effect => ({ kind: 'drop-extension', name: names([o])[0], at })) : [];
    default:
      return [];
  }
}

function alterTableEffects(n: Node, at: At): Effect[] {
  const rel = rangeVar(n.relation);
  if (rel === undefined) return [];
  return ((n.cmds as Node[] | undefined) ?? []).flatMap((c): Effect[] => {
    const cmd = (c.AlterTableCmd ?? {}) as Node;
    if (cmd.subtype === 'AT_DropColumn') return [{ kind: 'drop-column', rel, column: String(cmd.name), at }];
    const def = ((cmd.def as Node | undefined)?.ColumnDef as Node | undefined);
    if (cmd.subtype === 'AT_AddColumn' && def !== undefined) return [{ kind: 'add-column', rel, column: String(def.colname) }];
    return [];
  });
}

function renameEffects(n: Node): Effect[] {
  const rel = rangeVar(n.relation);
  if (rel === undefined) return [];
  if (n.renameType === 'OBJECT_TABLE') return [{ kind: 'rename-table', rel, to: { schema: rel.schema, name: String(n.newname) } }];
  if (n.renameType === 'OBJECT_COLUMN' && n.relationType === 'OBJECT_TABLE') {
    return [{ kind: 'rename-column', rel, from: String(n.subname), to: String(n.newname) }];
  }
  return [];
}

/** The statements a plpgsql `DO` block runs as written (conditions are taken as true; `EXECUTE` of a string is not seen). */
function doEffects(n: Node, at: At): Effect[] {
  const args = ((n.args as Node[] | undefined) ?? []).map((a) => (a.DefElem ?? {}) as Node);
  const [language, body] = ['language', 'as'].map((name) => {
    const arg = args.find((d) => d.defname === name)?.arg;
    return arg === undefined ? undefined : names([arg])[0];
  });
  if ((language !== undefined && language !== 'plpgsql') || body === undefined) return [];
  let tag = '$schemac_do$';
  while (body.includes(tag)) tag = `$${tag.slice(1, -1)}_$`;
  let tree: unknown;
  try {
    tree = parsePlPgSQLSync(`CREATE FUNCTION pg_temp.schemac_do() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`);
  } catch {
    return [];
  }
  return embeddedSql(tree).flatMap((sql) => {
    try {
      return (parseSync(sql).stmts ?? []).flatMap((s) => statementEffects((s.stmt ?? {}) as Node, at));
    } catch {
      return [];
    }
  });
}

/** The SQL of every `PLpgSQL_stmt_execsql` in a plpgsql parse tree, in order. */
function embeddedSql(x: unknown): string[] {
  if (Array.isArray(x)) return x.flatMap(embeddedSql);
  if (x === null || typeof x !== 'object') return [];
  const o = x as Node;
  const exec = o.PLpgSQL_stmt_execsql as Node | undefined;
  const query = ((exec?.sqlstmt as Node | undefined)?.PLpgSQL_expr as Node | undefined)?.query;
  if (typeof query === 'string') return [query];
  return Object.values(o).flatMap(embeddedSql);
}

/** `String` nodes (or a List of them) as names; missing ones as "\0". */
function names(list: unknown): string[] {
  const items = Array.isArray(list) ? list : [];
  return items.map((x) => (((x as Node | undefined)?.String as { sval?: string } | undefined)?.sval ?? '\0'));
}

/** `[schema?, name]` (or a catalog-qualified name) as a Name; undefined for anything else. */
function qualified(parts: readonly string[]): Name | undefined {
  if (parts.length === 1) return { schema: 'public', name: parts[0] };
  if (parts.length === 2 || parts.length === 3) return { schema: parts.at(-2)!, name: parts.at(-1)! };
  return undefined;
}

function rangeVar(x: unknown): Name | undefined {
  const r = ((x as Node | undefined)?.RangeVar ?? x) as Node | undefined;
  if (r === undefined || typeof r.relname !== 'string') return undefined;
  return { schema: typeof r.schemaname === 'string' ? r.schemaname : 'public', name: r.relname };
}

function relations(list: unknown): Name[] {
  return ((list as unknown[] | undefined) ?? []).flatMap((r) => rangeVar(r) ?? []);
}

// ---------------------------------------------------------------------------
// Following the names through the down, against the database's catalog.
// ---------------------------------------------------------------------------

/** A Loss is a table (by oid) or one of its columns (by its name in the database now) that a statement drops. */
interface Loss {
  readonly oid: string;
  readonly column?: string;
  readonly at: At;
}

/** A table now in the database (its oid), one the down creates, or no table. */
type Rel = string | 'new' | null;

const key = (n: Name) => `${n.schema}\0${n.name}`;

/**
 * The tables and columns as the down leaves them, statement by statement: names are looked up
 * in the catalog on first use and followed through renames, moves, creates and drops after.
 */
class Simulation {
  readonly losses: Loss[] = [];
  readonly #q: Queryable;
  /** Relation name → what it names at this point of the down (absent: as in the catalog). */
  readonly #rels = new Map<string, Rel>();
  /** `oid\0column` → the column's name in the database, a column the down adds, or none (absent: as in the catalog). */
  readonly #cols = new Map<string, string | 'new' | null>();
  /** Tables dropped so far, and tables moved: oid → their name now. */
  readonly #dropped = new Set<string>();
  readonly #moved = new Map<string, Name>();

  constructor(q: Queryable) {
    this.#q = q;
  }

  async apply(e: Effect): Promise<void> {
    switch (e.kind) {
      case 'create-table': return void this.#rels.set(key(e.rel), 'new');
      case 'rename-table': {
        const rel = await this.#rel(e.rel);
        this.#rels.set(key(e.rel), null);
        this.#rels.set(key(e.to), rel);
        if (rel !== null && rel !== 'new') this.#moved.set(rel, e.to);
        return;
      }
      case 'drop-table': {
        const rel = await this.#rel(e.rel);
        this.#rels.set(key(e.rel), null);
        return this.#lose(rel, undefined, e.at);
      }
      case 'truncate': {
        const rel = await this.#rel(e.rel);
        if (rel === null || rel === 'new') return;
        for (const oid of e.cascade ? await this.#referencing(rel) : [rel]) this.#lose(oid, undefined, e.at, false);
        return;
      }
      case 'add-column': case 'rename-column': case 'drop-column': return this.#column(e);
      case 'drop-schema': return this.#dropSchema(e.schema, e.at);
      case 'drop-type': case 'drop-extension': return this.#dropTypeColumns(e);
    }
  }

  async #column(e: Extract<Effect, { kind: 'add-column' | 'rename-column' | 'drop-column' }>): Promise<void> {
    const rel = await this.#rel(e.rel);
    if (rel === null || rel === 'new') return;
    if (e.kind === 'add-column') return void this.#cols.set(`${rel}\0${e.column}`, 'new');
    const from = e.kind === 'drop-column' ? e.column : e.from;
    const col = await this.#col(rel, from);
    this.#cols.set(`${rel}\0${from}`, null);
    if (e.kind === 'rename-column') return void this.#cols.set(`${rel}\0${e.to}`, col);
    if (col !== null && col !== 'new') this.#lose(rel, col, e.at);
  }

  #lose(rel: Rel, column: string | undefined, at: At, drops = true): void {
    if (rel === null || rel === 'new' || this.#dropped.has(rel)) return;
    if (drops && column === undefined) this.#dropped.add(rel);
    if (!this.losses.some((l) => l.oid === rel && l.column === column)) this.losses.push({ oid: rel, column, at });
  }

  async #rel(n: Name): Promise<Rel> {
    const k = key(n);
    if (!this.#rels.has(k)) {
      const rows = await this.#q.query<{ oid: string }>(
        `select c.oid::text as oid from pg_class c join pg_namespace s on s.oid = c.relnamespace
          where s.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')`, [n.schema, n.name]);
      this.#rels.set(k, rows[0]?.oid ?? null);
    }
    return this.#rels.get(k)!;
  }

  async #col(rel: string, name: string): Promise<string | 'new' | null> {
    const k = `${rel}\0${name}`;
    if (!this.#cols.has(k)) {
      const rows = await this.#q.query<{ attname: string }>(
        'select attname from pg_attribute where attrelid = $1::oid and attname = $2 and attnum > 0 and not attisdropped', [rel, name]);
      this.#cols.set(k, rows[0]?.attname ?? null);
    }
    return this.#cols.get(k)!;
  }

  /** The table and every table whose foreign keys reach it (TRUNCATE … CASCADE empties them all). */
  async #referencing(oid: string): Promise<string[]> {
    const seen = [oid];
    for (let i = 0; i < seen.length; i++) {
      const rows = await this.#q.query<{ oid: string }>(
        "select distinct conrelid::text as oid from pg_constraint where contype = 'f' and confrelid = $1::oid", [seen[i]]);
      for (const r of rows) if (!seen.includes(r.oid)) seen.push(r.oid);
    }
    return seen;
  }

  async #dropSchema(schema: string, at: At): Promise<void> {
    const rows = await this.#q.query<{ oid: string; relname: string }>(
      `select c.oid::text as oid, c.relname from pg_class c join pg_namespace s on s.oid = c.relnamespace
        where s.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition`, [schema]);
    const here = new Set(rows.filter((r) => !this.#moved.has(r.oid)).map((r) => r.oid));
    for (const [oid, name] of this.#moved) if (name.schema === schema) here.add(oid);
    for (const oid of here) this.#lose(oid, undefined, at);
    for (const k of this.#rels.keys()) if (k.startsWith(`${schema}\0`)) this.#rels.set(k, null);
  }

  /** The columns of a type dropped with CASCADE (and of its domains and arrays), or of an extension's types. */
  async #dropTypeColumns(e: Extract<Effect, { kind: 'drop-type' | 'drop-extension' }>): Promise<void> {
    const seed = e.kind === 'drop-type'
      ? { sql: 'select to_regtype($1)::oid as oid where to_regtype($1) is not null', param: e.type.map(quoteIdent).join('.') }
      : {
          sql: `select d.objid as oid from pg_depend d join pg_extension x on x.oid = d.refobjid
                 where x.extname = $1 and d.classid = 'pg_type'::regclass and d.refclassid = 'pg_extension'::regclass and d.deptype = 'e'`,
          param: e.name,
        };
    const rows = await this.#q.query<{ oid: string; attname: string }>(
      `with recursive types(oid) as (${seed.sql}
         union select t.oid from pg_type t join types on t.typbasetype = types.oid),
       every_type as (select oid from types union select t.typarray from pg_type t join types on t.oid = types.oid where t.typarray <> 0)
       select a.attrelid::text as oid, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid
        where c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped
          and a.atttypid in (select oid from every_type)`, [seed.param]);
    for (const r of rows) if (this.#cols.get(`${r.oid}\0${r.attname}`) !== null) this.#lose(r.oid, r.attname, e.at);
  }
}

/** The loss with its table's name and its rows counted; undefined when the table is gone meanwhile. */
async function counted(q: Queryable, loss: Loss): Promise<DataDrop | undefined> {
  const [rel] = await q.query<{ nspname: string; relname: string; forced: boolean }>(
    `select s.nspname, c.relname, c.relforcerowsecurity as forced from pg_class c join pg_namespace s on s.oid = c.relnamespace
      where c.oid = $1::oid`, [loss.oid]);
  if (rel === undefined) return undefined;
  const table = `${quoteIdent(rel.nspname)}.${quoteIdent(rel.relname)}`;
  const where = loss.column === undefined ? '' : ` where ${quoteIdent(loss.column)} is not null`;
  const base = {
    file: loss.at.file, line: loss.at.line, statement: loss.at.statement, schema: rel.nspname, table: rel.relname,
    ...(loss.column === undefined ? {} : { column: loss.column }),
  };
  const first = await countRows(q, table, where, false);
  const rows = typeof first === 'number' || !rel.forced ? first : await countRows(q, table, where, true);
  return typeof rows === 'number' ? { ...base, rows } : { ...base, rows: null, why: typeof first === 'number' ? rows.why : first.why };
}

/**
 * Rows of `table` (matching `where`), at most ROW_LIMIT + 1, with row-level security off (a
 * policy would hide rows; with it off, PostgreSQL refuses instead). The table's owner is held
 * to forced row-level security even so: `unforce` lifts it for the count, rolled back after
 * (its lock is the one the down's drop takes anyway, bounded by a lock timeout).
 */
async function countRows(q: Queryable, table: string, where: string, unforce: boolean): Promise<number | { why: string }> {
  await q.exec('begin');
  try {
    await q.query("select set_config('row_security', 'off', true), set_config('lock_timeout', '5s', true)");
    if (unforce) await q.exec(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
    const [row] = await q.query<{ n: number }>(`select count(*)::int as n from (select 1 from ${table}${where} limit ${ROW_LIMIT + 1}) s`);
    return Number(row.n);
  } catch (e) {
    return { why: toDbError(e).message };
  } finally {
    await q.exec('rollback').catch(() => {});
  }
}
