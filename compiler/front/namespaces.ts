/**
 * Who may take which name in the shared database: each org owns the names that start with
 * `<org>_` (and none inside a longer org's prefix), some org names and prefixes are the
 * platform's, and no table or enum may take the name of a built-in type or of a type an
 * allowed extension creates (it would be mistaken for the type, or stop the extension's install).
 */

/** Why an org may not be called `org` (the platform or PostgreSQL uses the name), or undefined. */
export function reservedOrgName(org: string): string | undefined {
  if (org === 'core') return "'core' is reserved for the core team";
  if (org === 'schemac') return "'schemac' is reserved for schemac's own objects (schemac_migrations)";
  if (org === 'public' || org === 'information_schema') return `'${org}' is a PostgreSQL schema`;
  if (org.startsWith('pg')) return "names starting with 'pg' are reserved for PostgreSQL's own objects";
  if (org.startsWith('archive')) return "names starting with 'archive' are reserved for the archive schemas of uninstalled tools";
  return undefined;
}

/** The prefixes no org's object may start with: schemac's own objects, PostgreSQL's catalogs. */
const RESERVED_PREFIXES: readonly string[] = ['schemac_', 'pg_'];

/** The reserved prefix `name` starts with, if any. */
export function reservedPrefix(name: string): string | undefined {
  return RESERVED_PREFIXES.find((p) => name.startsWith(p));
}

/**
 * The types of PostgreSQL's `pg_catalog` (PostgreSQL 15, array and catalog row types
 * aside) and the SQL names of built-in types: a table (whose row type takes its name) or an
 * enum named like one would be told apart from it only by its schema.
 */
export const BUILTIN_TYPE_NAMES: ReadonlySet<string> = new Set([
  // base types
  'aclitem', 'bit', 'bool', 'box', 'bpchar', 'bytea', 'char', 'cid', 'cidr', 'circle', 'date', 'float4', 'float8',
  'gtsvector', 'inet', 'int2', 'int2vector', 'int4', 'int8', 'interval', 'json', 'jsonb', 'jsonpath', 'line', 'lseg',
  'macaddr', 'macaddr8', 'money', 'name', 'numeric', 'oid', 'oidvector', 'path', 'pg_brin_bloom_summary',
  'pg_brin_minmax_multi_summary', 'pg_dependencies', 'pg_lsn', 'pg_mcv_list', 'pg_ndistinct', 'pg_node_tree',
  'pg_snapshot', 'point', 'polygon', 'refcursor', 'regclass', 'regcollation', 'regconfig', 'regdictionary',
  'regnamespace', 'regoper', 'regoperator', 'regproc', 'regprocedure', 'regrole', 'regtype', 'text', 'tid', 'time',
  'timestamp', 'timestamptz', 'timetz', 'tsquery', 'tsvector', 'txid_snapshot', 'uuid', 'varbit', 'varchar', 'xid',
  'xid8', 'xml',
  // range and multirange types
  'daterange', 'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'datemultirange', 'int4multirange',
  'int8multirange', 'nummultirange', 'tsmultirange', 'tstzmultirange',
  // pseudo-types
  'any', 'anyarray', 'anycompatible', 'anycompatiblearray', 'anycompatiblemultirange', 'anycompatiblenonarray',
  'anycompatiblerange', 'anyelement', 'anyenum', 'anymultirange', 'anynonarray', 'anyrange', 'cstring', 'event_trigger',
  'fdw_handler', 'index_am_handler', 'internal', 'language_handler', 'pg_ddl_command', 'record', 'table_am_handler',
  'trigger', 'tsm_handler', 'unknown', 'void',
  // SQL names and aliases
  'bigint', 'bigserial', 'boolean', 'character', 'dec', 'decimal', 'double', 'float', 'int', 'integer', 'real',
  'serial', 'serial2', 'serial4', 'serial8', 'smallint', 'smallserial',
]);

/** The types each well-known extension creates (an extension not listed is taken to create a type of its own name). */
export const EXTENSION_TYPES: Readonly<Record<string, readonly string[]>> = {
  vector: ['vector', 'halfvec', 'sparsevec'],
  citext: ['citext'],
  pg_trgm: ['gtrgm'],
  pgcrypto: [],
  hstore: ['hstore', 'ghstore'],
  ltree: ['ltree', 'lquery', 'ltxtquery', 'ltree_gist'],
  cube: ['cube'],
  seg: ['seg'],
  isn: ['ean13', 'isbn', 'isbn13', 'ismn', 'ismn13', 'issn', 'issn13', 'upc'],
  lo: ['lo'],
  postgis: ['geometry', 'geography', 'box2d', 'box3d', 'spheroid'],
};

/** The type names the extensions create. */
export function extensionTypeNames(extensions: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const x of extensions) for (const t of EXTENSION_TYPES[x] ?? [x]) if (!out.has(t)) out.set(t, x);
  return out;
}

/**
 * The org whose namespace holds `name`: the longest org `o` such that `name` starts with
 * `o_` (with orgs acme and acme_corp, `acme_corp_x` is acme_corp's), or undefined.
 */
export function namespaceOwner(name: string, orgs: ReadonlySet<string>): string | undefined {
  for (let i = name.lastIndexOf('_'); i > 0; i = name.lastIndexOf('_', i - 1)) {
    const prefix = name.slice(0, i);
    if (orgs.has(prefix)) return prefix;
  }
  return undefined;
}
