/**
 * What an SQL fragment may contain: functions, cast types, parse-tree nodes and operators.
 * Kept apart from the checker so the fragment cache can key on it without loading the parser.
 */

/** The functions a fragment may call (lower case, unqualified or `pg_catalog.`). */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  'now', 'lower', 'upper', 'length', 'char_length', 'character_length', 'octet_length', 'abs', 'btrim', 'ltrim', 'rtrim',
  'gen_random_uuid', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'mod', 'sign', 'left', 'right', 'substr', 'substring',
  'replace', 'strpos', 'position', 'concat', 'array_length', 'cardinality', 'jsonb_typeof', 'json_typeof',
  'jsonb_array_length', 'date_trunc', 'date_part', 'extract', 'timezone', 'to_char', 'num_nonnulls', 'num_nulls',
  'md5', 'starts_with', 'regexp_like', 'isfinite', 'similar_to_escape', 'like_escape',
]);

/** The functions an index predicate may call: IMMUTABLE ones only (PostgreSQL refuses the others there). */
export const IMMUTABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'lower', 'upper', 'length', 'char_length', 'character_length', 'octet_length', 'abs', 'btrim', 'ltrim', 'rtrim', 'round',
  'floor', 'ceil', 'ceiling', 'trunc', 'mod', 'sign', 'left', 'right', 'substr', 'substring', 'replace', 'strpos', 'position',
  'array_length', 'cardinality', 'jsonb_typeof', 'json_typeof', 'jsonb_array_length', 'md5', 'starts_with', 'regexp_like',
  'num_nonnulls', 'num_nulls', 'similar_to_escape', 'like_escape',
]);

/** The type names a cast may target (as the parser spells them), besides the workspace's enums. */
export const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  'int2', 'int4', 'int8', 'smallint', 'integer', 'bigint', 'numeric', 'decimal', 'float4', 'float8', 'real', 'bool', 'boolean',
  'text', 'varchar', 'bpchar', 'char', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb',
  'bytea', 'inet', 'cidr', 'vector', 'citext',
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
export const ALLOWLIST_SALT: string = [ALLOWED_FUNCTIONS, IMMUTABLE_FUNCTIONS, ALLOWED_TYPES, ALLOWED_NODES, ALLOWED_OPERATORS]
  .map((set) => [...set].sort().join(','))
  .join('|');
