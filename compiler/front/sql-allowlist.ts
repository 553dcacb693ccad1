/**
 * What an SQL fragment may contain: functions, cast types, parse-tree nodes and operators.
 * Kept apart from the checker so the fragment cache can key on it without loading the parser.
 */

/** The functions a fragment may call (lower case, unqualified or `pg_catalog.`). */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  'now', 'lower', 'upper', 'length', 'char_length', 'character_length', 'octet_length', 'abs', 'btrim', 'ltrim', 'rtrim',
  'gen_random_uuid', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'mod', 'sign', 'left', 'right', 'substr', 'substring',
  'strpos', 'position', 'array_length', 'cardinality', 'jsonb_typeof', 'json_typeof',
  'jsonb_array_length', 'date_trunc', 'date_part', 'extract', 'timezone', 'to_char', 'num_nonnulls', 'num_nulls',
  'starts_with', 'regexp_like', 'isfinite', 'similar_to_escape', 'like_escape',
]);

/** The functions an index predicate may call: IMMUTABLE ones only (PostgreSQL refuses the others there). */
export const IMMUTABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'lower', 'upper', 'length', 'char_length', 'character_length', 'octet_length', 'abs', 'btrim', 'ltrim', 'rtrim', 'round',
  'floor', 'ceil', 'ceiling', 'trunc', 'mod', 'sign', 'left', 'right', 'substr', 'substring', 'strpos', 'position',
  'array_length', 'cardinality', 'jsonb_typeof', 'json_typeof', 'jsonb_array_length', 'starts_with', 'regexp_like',
  'num_nonnulls', 'num_nulls', 'similar_to_escape', 'like_escape',
]);

/**
 * Functions whose result can be much longer than their arguments (`repeat('x', 1e8)`,
 * `replace` or `format` nested a few times): one INSERT could make the server allocate
 * gigabytes. A fragment may call one only when the config names it in
 * `fragments.allow_functions`; true when the function is IMMUTABLE (index predicates).
 */
export const GROWING_FUNCTIONS: ReadonlyMap<string, boolean> = new Map([
  ['repeat', true], ['lpad', true], ['rpad', true], ['replace', true], ['translate', true], ['md5', true],
  ['concat', false], ['concat_ws', false], ['format', false],
]);

/** The type names a cast may target (as the parser spells them), besides the workspace's enums. */
export const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  'int2', 'int4', 'int8', 'smallint', 'integer', 'bigint', 'numeric', 'decimal', 'float4', 'float8', 'real', 'bool', 'boolean',
  'text', 'varchar', 'bpchar', 'char', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb',
  'bytea', 'inet', 'cidr', 'vector', 'halfvec', 'sparsevec', 'citext',
]);

/** The parse-tree nodes an expression may contain. */
export const ALLOWED_NODES: ReadonlySet<string> = new Set([
  'A_Const', 'ColumnRef', 'A_Expr', 'BoolExpr', 'NullTest', 'BooleanTest', 'TypeCast', 'TypeName', 'FuncCall',
  'SQLValueFunction', 'CaseExpr', 'CaseWhen', 'A_ArrayExpr', 'CoalesceExpr', 'MinMaxExpr', 'NullIfExpr',
  'A_Indirection', 'A_Indices', 'CollateClause', 'String', 'Integer', 'Float', 'Boolean', 'List',
]);

/** The operators an expression may use. */
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  '=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '^', '||', '~', '~*', '!~', '!~*', '~~', '!~~', '~~*',
  '!~~*', '@>', '<@', '&&', '?', '?|', '?&', '->', '->>', '#>', '#>>', '@@', '<->', '<=>', '<#>',
  'BETWEEN', 'NOT BETWEEN', 'BETWEEN SYMMETRIC', 'NOT BETWEEN SYMMETRIC',
]);

/** A fingerprint of every list above: cached verdicts are void when any list changes. */
export const ALLOWLIST_SALT: string = [ALLOWED_FUNCTIONS, IMMUTABLE_FUNCTIONS, new Set(GROWING_FUNCTIONS.keys()), ALLOWED_TYPES, ALLOWED_NODES, ALLOWED_OPERATORS]
  .map((set) => [...set].sort().join(','))
  .join('|');

/**
 * The functions a fragment may call: the allowlist (or `override`, a test's), plus the
 * string-growing functions the config allows (`growing`), IMMUTABLE ones only where
 * `immutable` (index predicates).
 */
export function allowedFunctions(immutable: boolean, growing: readonly string[] = [], override?: ReadonlySet<string>): ReadonlySet<string> {
  const base = override ?? (immutable ? IMMUTABLE_FUNCTIONS : ALLOWED_FUNCTIONS);
  if (growing.length === 0) return base;
  const key = `${immutable}|${growing.join(',')}`;
  let set = override === undefined ? withGrowing.get(key) : undefined;
  if (set === undefined) {
    set = new Set([...base, ...growing.filter((f) => GROWING_FUNCTIONS.has(f) && (!immutable || GROWING_FUNCTIONS.get(f)))]);
    if (override === undefined) withGrowing.set(key, set);
  }
  return set;
}

const withGrowing = new Map<string, ReadonlySet<string>>();
