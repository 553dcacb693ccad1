/**
 * Parses the column types of the models.yaml language (`varchar(50)`, `numeric(10,2)`,
 * `acme_status[]`) into TypeRefs with canonical SQL text.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { BaseType, Span, TypeRef } from '../ir.ts';
import { closest } from '../shared/index.ts';

/** A TypeSpec says which modifiers a built-in type takes. */
interface TypeSpec {
  readonly base: Exclude<BaseType, 'enum'>;
  /** Allowed modifier counts, e.g. [1] for varchar(n), [0, 1, 2] for numeric. */
  readonly arity: readonly number[];
  /** Inclusive bounds of the first modifier. */
  readonly max?: number;
}

const SPECS: readonly TypeSpec[] = [
  ...(['smallint', 'integer', 'bigint', 'serial', 'bigserial', 'real', 'double precision', 'boolean', 'text', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'citext'] as const).map(
    (base) => ({ base, arity: [0] }),
  ),
  { base: 'numeric', arity: [0, 1, 2], max: 1000 },
  { base: 'varchar', arity: [1], max: 10485760 },
  { base: 'char', arity: [1], max: 10485760 },
  { base: 'vector', arity: [1], max: 16000 },
  { base: 'halfvec', arity: [1], max: 16000 },
  { base: 'sparsevec', arity: [1], max: 1000000000 },
];

/** The extension each extension-provided type needs declared in its file (or core's). */
export const TYPE_EXTENSIONS: Readonly<Partial<Record<string, string>>> = {
  vector: 'vector', halfvec: 'vector', sparsevec: 'vector', citext: 'citext',
};

/** The names of every built-in type, for hints. */
export const BUILTIN_TYPES: readonly string[] = SPECS.map((s) => s.base);

const ALIASES: Readonly<Record<string, string>> = {
  int: 'integer', int4: 'integer', int2: 'smallint', int8: 'bigint', bool: 'boolean', float: 'double precision',
  float8: 'double precision', float4: 'real', decimal: 'numeric', string: 'text', character: 'char',
  'character varying': 'varchar', 'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  datetime: 'timestamptz', serial4: 'serial', serial8: 'bigserial', double: 'double precision', uuid4: 'uuid',
};

const SHAPE = /^([A-Za-z_][A-Za-z0-9_]*(?: [a-z_][a-z0-9_]*)*)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?(\[\])?$/;

/** A TypeParser parses type texts into TypeRefs, as `parseType` does. */
export type TypeParser = (text: string, span: Span) => { type?: TypeRef; diagnostic?: Diagnostic };

/**
 * A `parseType` that parses each distinct text once (a file repeats a few types in every
 * table): a text seen before gets the same TypeRef, shared by the columns that write it.
 */
export function memoizedTypeParser(): TypeParser {
  const known = new Map<string, TypeRef>();
  return (text, span) => {
    const seen = known.get(text);
    if (seen !== undefined) return { type: seen };
    const parsed = parseType(text, span);
    if (parsed.type !== undefined) known.set(text, parsed.type);
    return parsed;
  };
}

/** Parses a type text into a TypeRef (`span`, where the text is, places its diagnostic); an unknown identifier is taken as an enum name (checked by resolve). */
export function parseType(text: string, span: Span): { type?: TypeRef; diagnostic?: Diagnostic } {
  const normalized = text.trim().replace(/\s+/g, ' ');
  const m = SHAPE.exec(normalized);
  if (m === null && /\([^)]*$/.test(normalized)) {
    return { diagnostic: error('invalid-type', span, `'${text}' is cut short`, 'a comma ends a value inside { }: quote the type, e.g. type: "numeric(10,2)"') };
  }
  if (m === null && /\[\]\[\]$/.test(normalized)) return { diagnostic: error('invalid-type', span, `'${text}': only one-dimensional arrays (T[]) are supported`) };
  if (m === null) return { diagnostic: badType(text, span) };
  const [, name, p1, p2, array] = m;
  const params = [p1, p2].filter((p) => p !== undefined).map(Number);
  const spec = SPECS.find((s) => s.base === name);
  if (spec === undefined) {
    if (ALIASES[name] !== undefined) return { diagnostic: error('unknown-type', span, `unknown type '${name}'`, `did you mean '${ALIASES[name]}'?`) };
    if (name.includes(' ') || params.length > 0) return { diagnostic: badType(text, span) };
    return { type: { kind: 'type', base: 'enum', params: [], array: array !== undefined, enumName: name, sql: name + (array ?? '') } };
  }
  const problem = paramProblem(spec, params);
  if (problem) return { diagnostic: error('invalid-type', span, `invalid type '${text}': ${problem}`) };
  const sql = `${spec.base}${params.length ? `(${params.join(',')})` : ''}${array ?? ''}`;
  return { type: { kind: 'type', base: spec.base, params, array: array !== undefined, sql } };
}

function paramProblem(spec: TypeSpec, params: readonly number[]): string | undefined {
  if (!spec.arity.includes(params.length)) {
    if (spec.arity.length === 1 && spec.arity[0] === 0) return `${spec.base} takes no size`;
    return spec.base === 'varchar' || spec.base === 'char'
      ? `${spec.base} needs a length, e.g. ${spec.base}(50) (or use text)`
      : `${spec.base} needs ${spec.arity.join(' or ')} modifier(s), e.g. ${spec.base}(${TYPE_EXTENSIONS[spec.base] === 'vector' ? 1536 : 10})`;
  }
  const [first, second] = params;
  if (first !== undefined && (first < 1 || first > (spec.max ?? Infinity))) return `${first} is out of range (1..${spec.max})`;
  if (second !== undefined && second > first) return `the scale ${second} exceeds the precision ${first}`;
  return undefined;
}

function badType(text: string, span: Span): Diagnostic {
  const word = text.trim().toLowerCase().replace(/\(.*$/, '').replace(/\[\]$/, '').replace(/\?$/, '');
  const guess = ALIASES[word] ?? closest(word, BUILTIN_TYPES);
  return error('unknown-type', span, `'${text}' is not a valid type`, guess ? `did you mean '${guess}'?` : `types: ${BUILTIN_TYPES.join(', ')}, an enum's name, or T[]`);
}

/** True when the type is one of the integer types (serials included). */
export function isIntegerType(t: TypeRef): boolean {
  return !t.array && ['smallint', 'integer', 'bigint', 'serial', 'bigserial'].includes(t.base);
}

/** The type a foreign key to a column of type `t` must have: serials become their integer types. */
export function referencingType(t: TypeRef): string {
  const sql = t.base === 'serial' ? 'integer' : t.base === 'bigserial' ? 'bigint' : t.base;
  return t.base === 'enum' ? t.sql : sql + (t.params.length ? `(${t.params.join(',')})` : '') + (t.array ? '[]' : '');
}
