/**
 * Type parsers that make both drivers return what `generated/db.ts` declares: int8 and
 * numeric (and their arrays) as strings, interval as its text, bytea as Buffer, and
 * arrays of enums and extension types as `string[]`. The oids of those last ones exist
 * only per database, so the first result that carries an unknown user-created oid is
 * completed by one `pg_type` lookup, remembered per pool or PGlite instance.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** A Parser turns one value's text into what the application sees. */
export type Parser = (text: string) => unknown;

/** The first oid PostgreSQL assigns to objects created after initdb (enums, extension types). */
const FIRST_USER_OID = 16384;

const identity: Parser = (text) => text;

function pgParser(oid: number): Parser {
  return pg.types.getTypeParser(oid as Parameters<typeof pg.types.getTypeParser>[0], 'text') as Parser;
}

/** pg-types' array parser as it is at run time (its type declaration differs). */
const arrayParser = pg.types.arrayParser as unknown as { create(text: string, transform: Parser): { parse(): unknown[] } };

/** Parses PostgreSQL array text into its elements as strings (`null` for NULL). */
export const parseStringArray: Parser = (text) => arrayParser.create(text, identity).parse();

/** Overrides of pg's defaults, for both drivers: interval(1186) as text, interval[](1187) and numeric[](1231) as strings. */
const SHARED: Readonly<Record<number, Parser>> = { 1186: identity, 1187: parseStringArray, 1231: parseStringArray };

/** PGlite's parsers made pg-compatible: int8 and numeric as strings, bytea as Buffer. */
const PGLITE: Readonly<Record<number, Parser>> = {
  ...SHARED,
  20: identity,
  1016: parseStringArray,
  1700: identity,
  17: pgParser(17),
  1001: pgParser(1001),
};

/** A TypeCache remembers, for one database, which user-created type oids are arrays. */
export interface TypeCache {
  readonly userTypes: Map<number, boolean>;
  /** PGlite's per-query parsers: the fixed ones plus one per known user array type. */
  readonly pgliteParsers: Record<number, Parser>;
}

/** A fresh, empty TypeCache. */
export function typeCache(): TypeCache {
  return { userTypes: new Map(), pgliteParsers: { ...PGLITE } };
}

const caches = new WeakMap<object, TypeCache>();

/** The TypeCache of one pool or PGlite instance (created on first use). */
export function cacheFor(owner: object): TypeCache {
  let cache = caches.get(owner);
  if (cache === undefined) caches.set(owner, (cache = typeCache()));
  return cache;
}

/** The PGlite parsers to start an instance with (user arrays are added per query). */
export function pgliteParsers(): Record<number, Parser> {
  return { ...PGLITE };
}

/** pg's `types` option (Pool, Client or one query): the overrides, then the cache's arrays, then pg's defaults. */
export function pgTypes(cache: TypeCache): pg.CustomTypesConfig {
  const getTypeParser = (oid: number, format?: 'text' | 'binary'): Parser => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary') as Parser;
    return SHARED[oid] ?? (cache.userTypes.get(oid) === true ? parseStringArray : (pg.types.getTypeParser(oid, 'text') as Parser));
  };
  return { getTypeParser: getTypeParser as pg.CustomTypesConfig['getTypeParser'] };
}

/** A result's column: its name and type oid, as both drivers report it. */
export interface FieldInfo {
  readonly name: string;
  readonly dataTypeID: number;
}

/** Runs a catalog query on the same database; resolves to its rows. */
export type Lookup = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Completes rows whose columns have a user-created type not seen before: looks the oids
 * up, remembers them, and parses the array ones (the driver returned their text).
 */
export async function completeRows(rows: Record<string, unknown>[], fields: readonly FieldInfo[], cache: TypeCache, lookup: Lookup): Promise<void> {
  const fresh = [...new Set(fields.map((f) => f.dataTypeID))].filter((oid) => oid >= FIRST_USER_OID && !cache.userTypes.has(oid));
  if (fresh.length === 0) return;
  const arrays = await arrayOids(fresh, lookup);
  if (arrays === undefined) return;
  for (const oid of fresh) {
    cache.userTypes.set(oid, arrays.has(oid));
    if (arrays.has(oid)) cache.pgliteParsers[oid] = parseStringArray;
  }
  const columns = fields.filter((f) => arrays.has(f.dataTypeID)).map((f) => f.name);
  for (const row of rows) {
    for (const c of columns) if (typeof row[c] === 'string') row[c] = parseStringArray(row[c] as string);
  }
}

async function arrayOids(oids: readonly number[], lookup: Lookup): Promise<Set<number> | undefined> {
  try {
    const rows = await lookup(
      "select oid::text as oid from pg_type where oid = any(string_to_array($1, ',')::oid[]) and typcategory = 'A' and typelem <> 0",
      [oids.join(',')],
    );
    return new Set(rows.map((r) => Number(r.oid)));
  } catch {
    return undefined;
  }
}

/** A pg Client, PoolClient or Pool: anything that runs a query config. */
export type PgTarget = Pick<pg.Client, 'query'> | Pick<pg.Pool, 'query'>;

/** Runs one query on pg with the runtime's parsers and completes its rows (also each result of a script). */
export async function pgQuery(target: PgTarget, cache: TypeCache, sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
  const run = target.query.bind(target) as (config: pg.QueryConfig) => Promise<pg.QueryResult | pg.QueryResult[]>;
  const result = await run({ text: sql, values: [...params], types: pgTypes(cache) });
  const lookup: Lookup = async (s, p) => ((await run({ text: s, values: p })) as pg.QueryResult).rows;
  for (const r of Array.isArray(result) ? result : [result]) await completeRows(r.rows ?? [], r.fields ?? [], cache, lookup);
  return (Array.isArray(result) ? result[result.length - 1] : result) as pg.QueryResult;
}

/** Runs one query on PGlite with the runtime's parsers and completes its rows. */
export async function pgliteQuery<R>(db: PGlite, sql: string, params: readonly unknown[]): Promise<{ rows: R[]; command?: string; affectedRows?: number }> {
  const cache = cacheFor(db);
  const result = await db.query<R>(sql, [...params], { parsers: cache.pgliteParsers });
  const lookup: Lookup = async (s, p) => (await db.query<Record<string, unknown>>(s, p)).rows;
  await completeRows(result.rows as Record<string, unknown>[], result.fields, cache, lookup);
  return result;
}
