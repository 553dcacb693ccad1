/**
 * Column defaults: a YAML literal type-checked against the column's type, an allowlisted
 * function call, `{value: ...}` (forced literal) or `{sql: ...}` (an expression).
 */
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { error, warning } from '../diagnostics.ts';
import type { AllowedFunction, DefaultDef, Span, TypeRef } from '../ir.ts';
import { inputProblem, jsonProblem } from './literals.ts';
import { nodeSpan } from './parse.ts';
import { columnPgType } from './pg-types.ts';
import { isMap, isScalar, isSeq } from './yaml-nodes.ts';

/** Which column base types each allowlisted default function fits. */
const FUNCTIONS: Readonly<Record<AllowedFunction, readonly string[]>> = {
  'now()': ['timestamptz', 'timestamp', 'date', 'time'],
  current_timestamp: ['timestamptz', 'timestamp', 'date', 'time'],
  current_date: ['date', 'timestamp', 'timestamptz'],
  'gen_random_uuid()': ['uuid'],
};

const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/** The names of the allowlisted default functions. */
const FUNCTION_NAMES = new Set(Object.keys(FUNCTIONS) as AllowedFunction[]);

/**
 * Builds a column's default from its YAML node; undefined for none (or `null`) and for a
 * default with problems, which are added to `diagnostics`.
 */
export function buildDefault(node: YamlNode | null, type: TypeRef, file: string, diagnostics: Diagnostic[]): DefaultDef | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return undefined;
  const span = nodeSpan(file, node);
  if (type.base === 'serial' || type.base === 'bigserial') {
    diagnostics.push(error('invalid-default', span, `a ${type.base} column gets its default from its sequence; remove the default`));
    return undefined;
  }
  if (isMap(node) && node.items.length === 1 && isScalar(node.items[0].key)) {
    const key = String(node.items[0].key.value);
    const inner = node.items[0].value as YamlNode | null;
    if (key === 'sql') return sqlDefault(inner, span, file, diagnostics);
    if (key === 'value') return literalDefault(inner, type, file, span, diagnostics, true);
  }
  if (isScalar(node) && typeof node.value === 'string') {
    const fn = asFunction(node.value);
    if (fn !== undefined) return functionDefault(fn, type, span, diagnostics);
  }
  return literalDefault(node, type, file, span, diagnostics);
}

function asFunction(text: string): AllowedFunction | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, '') as AllowedFunction;
  return FUNCTION_NAMES.has(t) ? t : undefined;
}

function functionDefault(fn: AllowedFunction, type: TypeRef, span: Span, diagnostics: Diagnostic[]): DefaultDef | undefined {
  const fits = !type.array && FUNCTIONS[fn].includes(type.base);
  if (!fits) {
    diagnostics.push(error('invalid-default', span, `${fn} does not fit the ${type.sql} column`, `${fn} fits ${FUNCTIONS[fn].join(', ')}; write {value: "${fn}"} for the literal text`));
    return undefined;
  }
  return { kind: 'function', fn, span };
}

function sqlDefault(inner: YamlNode | null, span: Span, file: string, diagnostics: Diagnostic[]): DefaultDef | undefined {
  if (!isScalar(inner) || typeof inner.value !== 'string' || inner.value.trim() === '') {
    diagnostics.push(error('invalid-default', inner ? nodeSpan(file, inner) : span, '`sql:` takes an SQL expression as a string'));
    return undefined;
  }
  const fragment = { kind: 'fragment' as const, sql: inner.value, span: nodeSpan(file, inner) };
  return { kind: 'sql', fragment, span };
}

function literalDefault(node: YamlNode | null, type: TypeRef, file: string, span: Span, diagnostics: Diagnostic[], forced = false): DefaultDef | undefined {
  const value = plain(node);
  const problem = literalProblem(value, type);
  if (problem !== undefined) {
    diagnostics.push(error('invalid-default', nodeSpan(file, node), `default ${show(value)} ${problem}`, literalHint(type)));
    return undefined;
  }
  if (typeof value === 'string' && !forced && /^[a-z_][a-z0-9_]*\s*\(.*\)$/is.test(value.trim())) {
    diagnostics.push(warning('default-looks-like-call', nodeSpan(file, node), `default '${value}' is stored as literal text, not called`, 'write {sql: "..."} to call a function, or {value: "..."} to keep the text and silence this'));
  }
  return { kind: 'literal', value, span };
}

function plain(node: YamlNode | null): unknown {
  if (node === null) return null;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((n) => plain(n as YamlNode | null));
  if (isMap(node)) return Object.fromEntries(node.items.map((p) => [String((p.key as { value?: unknown })?.value), plain(p.value as YamlNode | null)]));
  return null;
}

function show(value: unknown): string {
  const s = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function literalHint(type: TypeRef): string | undefined {
  if (type.base === 'json' || type.base === 'jsonb') return undefined;
  return `a literal default of this ${type.sql} column is ${expectation(type)}; write {sql: "..."} for an expression`;
}

function expectation(type: TypeRef): string {
  if (type.array) return 'a list';
  const byBase: Partial<Record<string, string>> = {
    smallint: 'an integer', integer: 'an integer', bigint: 'an integer', numeric: 'a number', real: 'a number',
    'double precision': 'a number', boolean: 'true or false', uuid: 'a UUID string', date: "a date 'YYYY-MM-DD'",
    timestamp: 'an ISO timestamp string', timestamptz: 'an ISO timestamp string', time: "a time 'HH:MM[:SS]'",
    inet: 'an IP address string', vector: 'a list of numbers', halfvec: 'a list of numbers',
    sparsevec: "a sparse vector string '{1:0.5,3:2}/5'", enum: "one of the enum's values",
  };
  return byBase[type.base] ?? 'a string';
}

/**
 * Why a literal does not fit the type, or undefined when it does: the text the migration
 * gives PostgreSQL (a number as written, a string quoted) must be a value its input takes.
 */
export function literalProblem(value: unknown, type: TypeRef): string | undefined {
  if (type.array) {
    if (type.base === 'json' || type.base === 'jsonb') return `cannot be written as a literal: a default of this ${type.sql} column is written {sql: "ARRAY['{}']::${type.sql}"}`;
    if (!Array.isArray(value)) return `is not a list (the column is ${type.sql})`;
    const element: TypeRef = { ...type, array: false, sql: type.sql.replace(/\[\]$/, '') };
    for (const v of value) {
      const p = literalProblem(v, element);
      if (p !== undefined) return `has an element ${show(v)} that ${p}`;
    }
    return undefined;
  }
  return scalarProblem(value, type);
}

function scalarProblem(value: unknown, type: TypeRef): string | undefined {
  const not = `is not ${expectation(type)} (the column is ${type.sql})`;
  switch (type.base) {
    case 'smallint': case 'integer': case 'bigint': return integerProblem(value, type.base) ?? undefined;
    case 'numeric': return typeof value === 'number' && Number.isFinite(value) ? pgProblem(String(value), type) : not;
    case 'real': case 'double precision': return typeof value !== 'number' ? not : Number.isFinite(value) ? pgProblem(String(value), type) : `is not a finite number: write {sql: "'NaN'::${type.sql}"} for PostgreSQL's special values`;
    case 'boolean': return typeof value === 'boolean' ? undefined : not;
    case 'json': case 'jsonb': return jsonProblem(JSON.stringify(value) ?? 'null');
    case 'vector': case 'halfvec': return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? pgProblem(`[${value.join(',')}]`, type) : not;
    case 'serial': case 'bigserial': return 'is not allowed on a serial column';
    default: return typeof value === 'string' ? stringProblem(value, type) : not;
  }
}

function integerProblem(value: unknown, base: string): string | undefined {
  if (typeof value !== 'number' && typeof value !== 'bigint') return `is not an integer (the column is ${base})`;
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return `is not an integer (the column is ${base})`;
  const [min, max] = INT_RANGES[base];
  const v = BigInt(value);
  return v < min || v > max ? `is out of range for ${base}` : undefined;
}

/** What PostgreSQL's input of the column's type says of `text`. */
function pgProblem(text: string, type: TypeRef): string | undefined {
  const { type: t, typmods } = columnPgType(type);
  return inputProblem(text, t, { typmods });
}

function stringProblem(value: string, type: TypeRef): string | undefined {
  switch (type.base) {
    case 'varchar': case 'char': return [...value].length > type.params[0] ? `is longer than ${type.params[0]} characters` : undefined;
    case 'enum': case 'text': case 'citext': return undefined;
    default: return pgProblem(value, type);
  }
}
