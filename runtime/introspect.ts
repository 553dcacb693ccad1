/**
 * Reads the live `public` schema from pg_catalog into the snapshot IR (`SnapTable`,
 * `SnapEnum`, extensions), so a database can be compared with `generated/snapshots/`.
 * The comparison itself is `compareSchema` in `runtime/compare.ts`, re-exported here.
 */
import type { IndexMethod, ReferentialAction, SnapColumn, SnapForeignKey, SnapIndex, SnapTable, SnapTrigger } from '../compiler/ir.ts';
import type { Queryable } from './driver.ts';
import { loadExpressionParser } from './expr.ts';
import type { LiveSchema, LiveTable } from './live-schema.ts';
import { LOCK_TABLE } from './lock.ts';

export { compareSchema, withoutIgnored } from './compare.ts';
export type { LiveSchema, LiveTable } from './live-schema.ts';

/** The migrations ledger: never part of a compared schema. */
export const LEDGER_TABLE = 'schemac_migrations';

/**
 * Reads the live `public` schema (minus `schemac_migrations` and `schemac_lock`) into the
 * snapshot IR; with `only`, just the tables of those names (enums and extensions whole).
 */
export async function introspect(q: Queryable, only?: readonly string[]): Promise<LiveSchema> {
  await loadExpressionParser();
  const read = <R>(sql: string) => (only === undefined ? q.query<R>(sql) : q.query<R>(sql.replace(PUBLIC_TABLES, `${PUBLIC_TABLES}${ONLY_NAMED}`), [JSON.stringify(only)]));
  const tables = await read<TableRow>(TABLES_SQL);
  const columns = await read<ColumnRow>(COLUMNS_SQL);
  const constraints = await read<ConstraintRow>(CONSTRAINTS_SQL);
  const indexes = await read<IndexRow>(INDEXES_SQL);
  const triggers = await read<TriggerRow>(TRIGGERS_SQL);
  const policies = await read<{ table: string; name: string }>(POLICIES_SQL);
  const enums = await q.query<{ name: string; values: string[] }>(ENUMS_SQL);
  const extensions = (await q.query<{ name: string }>(EXTENSIONS_SQL)).map((r) => r.name);
  const [columnsOf, constraintsOf, indexesOf, triggersOf, policiesOf] = [byTable(columns), byTable(constraints), byTable(indexes), byTable(triggers), byTable(policies)];
  return {
    tables: tables.map((t) =>
      buildTable(t, {
        columns: columnsOf(t.name),
        constraints: constraintsOf(t.name),
        indexes: indexesOf(t.name),
        triggers: triggersOf(t.name),
        policies: policiesOf(t.name).map((p) => p.name).sort(),
      }),
    ),
    enums: enums.map((e) => ({ name: e.name, values: pgArray(e.values) })),
    extensions: extensions.sort(),
  };
}

/** The rows of each table, in their order, grouped once (a filter per table is quadratic at thousands of tables). */
function byTable<T extends { table: string }>(rows: readonly T[]): (name: string) => T[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const group = groups.get(r.table);
    if (group) group.push(r);
    else groups.set(r.table, [r]);
  }
  return (name) => groups.get(name) ?? [];
}

interface TableRow { name: string; comment: string | null; rls_enabled: boolean; rls_forced: boolean }
interface ColumnRow {
  table: string; name: string; formatted: string; is_enum: boolean; base_name: string; is_array: boolean;
  not_null: boolean; default: string | null; comment: string | null; owns_sequence: boolean;
}
interface ConstraintRow {
  table: string; name: string; type: 'p' | 'f' | 'u' | 'c' | 'x'; columns: string[]; ref_table: string | null;
  ref_columns: string[] | null; on_delete: string; on_update: string; def: string;
}
interface IndexRow {
  table: string; name: string; columns: string[]; unique: boolean; method: string; predicate: string | null;
  /** Per key column, its operator class when not its type's default ('' when default). */
  opclasses: string[] | string; reloptions: string[] | string | null;
}
interface TriggerRow { table: string; name: string; function: string; source: string | null }

interface TableParts {
  columns: ColumnRow[];
  constraints: ConstraintRow[];
  indexes: IndexRow[];
  triggers: TriggerRow[];
  policies: string[];
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function buildTable(t: TableRow, parts: TableParts): LiveTable {
  const cons = (type: ConstraintRow['type']) => parts.constraints.filter((c) => c.type === type).sort(byName);
  const pk = cons('p')[0];
  const columns = parts.columns.map(toColumn);
  return {
    name: t.name,
    comment: t.comment,
    tenant: columns.some((c) => c.name === 'client_id') ? 'client' : 'global',
    columns,
    primaryKey: pk ? { name: pk.name, columns: pgArray(pk.columns) } : null,
    foreignKeys: cons('f').map(toForeignKey),
    uniques: cons('u').map((c) => ({ name: c.name, columns: pgArray(c.columns) })),
    checks: cons('c').map((c) => ({ name: c.name, expr: checkBody(c.def) })),
    indexes: parts.indexes.map(toIndex).sort(byName),
    triggers: parts.triggers.map(toTrigger).sort(byName),
    rls: t.rls_enabled || parts.policies.length ? { policy: parts.policies[0] ?? '' } : null,
    rlsEnabled: t.rls_enabled,
    rlsForced: t.rls_forced,
    policies: parts.policies,
  };
}

function toColumn(c: ColumnRow): SnapColumn {
  const serial = c.owns_sequence && c.default !== null && /^nextval\(/i.test(c.default);
  const type = c.is_enum ? `${c.base_name}${c.is_array ? '[]' : ''}` : canonicalType(c.formatted);
  const serialType = type === 'integer' ? 'serial' : type === 'bigint' ? 'bigserial' : undefined;
  return {
    name: c.name,
    type: serial && serialType ? serialType : type,
    nullable: !c.not_null,
    default: serial && serialType ? null : c.default,
    comment: c.comment,
  };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  'character varying': 'varchar',
  character: 'char',
  bpchar: 'char',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
};

/** schemac's canonical type text for `format_type()` output: `character varying(50)` → `varchar(50)`. */
export function canonicalType(formatted: string): string {
  const m = /^(.*?)(\(\s*\d+(?:\s*,\s*\d+)?\s*\))?((?:\[\])*)$/.exec(formatted.trim());
  if (!m) return formatted;
  const [, base, mods = '', array] = m;
  const stripped = base.replace(/\(\s*\d+\s*\)/, '').trim();
  const name = TYPE_NAMES[stripped] ?? stripped;
  return `${name}${mods.replace(/\s+/g, '')}${array}`;
}

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default',
};

function toForeignKey(c: ConstraintRow): SnapForeignKey {
  return {
    name: c.name,
    columns: pgArray(c.columns),
    refTable: c.ref_table ?? '',
    refColumns: pgArray(c.ref_columns ?? []),
    onDelete: ACTIONS[c.on_delete] ?? 'no action',
    onUpdate: ACTIONS[c.on_update] ?? 'no action',
  };
}

/** `CHECK ((amount >= 0))` → `(amount >= 0)`; NOT VALID / NO INHERIT suffixes dropped. */
export function checkBody(def: string): string {
  let body = def.replace(/^CHECK\s*/i, '').replace(/\s+(NOT VALID|NO INHERIT)\s*$/gi, '').trim();
  while (wrappedInParens(body)) body = body.slice(1, -1).trim();
  return body;
}

/** Whether the whole text is one parenthesized group (quotes respected). */
function wrappedInParens(s: string): boolean {
  if (!s.startsWith('(') || !s.endsWith(')')) return false;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) quote = ch === quote ? null : quote;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < s.length - 1) return false;
  }
  return depth === 0;
}

function toIndex(i: IndexRow): SnapIndex {
  const columns = pgArray(i.columns);
  const classes = pgArray(i.opclasses);
  const opclasses = Object.fromEntries(columns.map((c, n) => [c, classes[n] ?? '']).filter(([, o]) => o !== ''));
  const params = pgArray(i.reloptions).map((o) => o.split('=')).map(([k, v]) => [k, /^-?\d+$/.test(v ?? '') ? Number(v) : v] as const);
  return {
    name: i.name,
    columns,
    unique: i.unique,
    using: i.method as IndexMethod,
    where: i.predicate,
    ...(Object.keys(opclasses).length > 0 ? { opclasses } : {}),
    ...(params.length > 0 ? { with: Object.fromEntries(params.sort(([a], [b]) => (a < b ? -1 : 1))) as Record<string, number> } : {}),
  };
}

function toTrigger(t: TriggerRow): SnapTrigger {
  const columns = [...(t.source ?? '').matchAll(/new\s*\.\s*("(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\s*:?=\s*now\s*\(\s*\)/gi)]
    .map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1].toLowerCase()));
  return { name: t.name, kind: 'set_updated_at', function: t.function, columns: [...new Set(columns)].sort() };
}

/** `pg` parses `name[]`/`text[]` arrays; PGlite too; a `{a,b}` string (unknown array type) is split. */
function pgArray(v: string[] | string | null): string[] {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string' || v === '{}' || v === '') return [];
  return v.slice(1, -1).split(',').map((s) => s.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1'));
}

const PUBLIC_TABLES = `
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname not in ('${LEDGER_TABLE}', '${LOCK_TABLE}')
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`;

/** The names of the tables `introspect` reads, in its order. */
export async function tableNames(q: Queryable): Promise<string[]> {
  return (await q.query<{ name: string }>(`select c.relname::text as name ${PUBLIC_TABLES} order by c.relname`)).map((r) => r.name);
}

/** Narrows PUBLIC_TABLES to the names in `$1` (a JSON array). */
const ONLY_NAMED = `\n    and c.relname::text in (select jsonb_array_elements_text($1::jsonb))`;

const TABLES_SQL = `
  select c.relname::text as name, obj_description(c.oid, 'pg_class') as comment,
         c.relrowsecurity as rls_enabled, c.relforcerowsecurity as rls_forced
  ${PUBLIC_TABLES}
  order by c.relname`;

const COLUMNS_SQL = `
  select c.relname::text as table, a.attname::text as name, format_type(a.atttypid, a.atttypmod) as formatted,
         coalesce(et.typtype, t.typtype) = 'e' as is_enum, coalesce(et.typname, t.typname)::text as base_name,
         et.oid is not null as is_array, a.attnotnull as not_null, pg_get_expr(ad.adbin, ad.adrelid) as default,
         col_description(c.oid, a.attnum) as comment,
         exists (select 1 from pg_depend dep join pg_class s on s.oid = dep.objid and s.relkind = 'S'
                 where dep.refobjid = c.oid and dep.refobjsubid = a.attnum and dep.deptype = 'a') as owns_sequence
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  join pg_type t on t.oid = a.atttypid
  left join pg_type et on et.oid = t.typelem and t.typcategory = 'A'
  left join pg_attrdef ad on ad.adrelid = c.oid and ad.adnum = a.attnum
  where c.oid in (select c.oid ${PUBLIC_TABLES})
  order by c.relname, a.attnum`;

const CONSTRAINTS_SQL = `
  select c.relname::text as table, con.conname::text as name, con.contype::text as type,
         array(select a.attname::text from unnest(con.conkey) with ordinality k(num, ord)
               join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord) as columns,
         rc.relname::text as ref_table,
         array(select a.attname::text from unnest(con.confkey) with ordinality k(num, ord)
               join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord) as ref_columns,
         con.confdeltype::text as on_delete, con.confupdtype::text as on_update,
         pg_get_constraintdef(con.oid) as def
  from pg_constraint con join pg_class c on c.oid = con.conrelid
  left join pg_class rc on rc.oid = con.confrelid
  where c.oid in (select c.oid ${PUBLIC_TABLES}) and con.contype in ('p', 'f', 'u', 'c', 'x')
  order by c.relname, con.conname`;

const INDEXES_SQL = `
  select c.relname::text as table, ic.relname::text as name,
         array(select case when k.num = 0 then pg_get_indexdef(i.indexrelid, k.ord::int, true) else a.attname::text end
               from unnest(i.indkey::int2[]) with ordinality k(num, ord)
               left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.num
               where k.ord <= i.indnkeyatts order by k.ord) as columns,
         i.indisunique as unique, am.amname::text as method, pg_get_expr(i.indpred, i.indrelid) as predicate,
         array(select case when oc.opcdefault then '' else oc.opcname::text end
               from unnest(i.indclass::oid[]) with ordinality k(oid, ord) join pg_opclass oc on oc.oid = k.oid
               where k.ord <= i.indnkeyatts order by k.ord) as opclasses,
         ic.reloptions::text[] as reloptions
  from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
  join pg_am am on am.oid = ic.relam
  where c.oid in (select c.oid ${PUBLIC_TABLES})
    and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))
  order by c.relname, ic.relname`;

const TRIGGERS_SQL = `
  select c.relname::text as table, tg.tgname::text as name, p.proname::text as function, p.prosrc as source
  from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_proc p on p.oid = tg.tgfoid
  where c.oid in (select c.oid ${PUBLIC_TABLES}) and not tg.tgisinternal
  order by c.relname, tg.tgname`;

const POLICIES_SQL = `
  select c.relname::text as table, pol.polname::text as name
  from pg_policy pol join pg_class c on c.oid = pol.polrelid
  where c.oid in (select c.oid ${PUBLIC_TABLES})`;

const ENUMS_SQL = `
  select t.typname::text as name, array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as values
  from pg_type t join pg_namespace n on n.oid = t.typnamespace
  where n.nspname = 'public' and t.typtype = 'e'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
  order by t.typname`;

const EXTENSIONS_SQL = `select extname::text as name from pg_extension where extname <> 'plpgsql' order by extname`;
