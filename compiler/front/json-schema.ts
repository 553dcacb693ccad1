/**
 * Checks a parsed YAML document against one of schemac's JSON Schemas and maps every ajv
 * error back to the YAML node it is about (an unknown key's own span, with a hint).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import { closest } from '../shared/index.ts';
import type { YamlDocument } from './parse.ts';
import { nodeSpan } from './parse.ts';
import * as validators from './schema-validators.js';
import { isMap, isScalar, isSeq } from './yaml-nodes.ts';

/** A SchemaName names one of schemac's JSON Schemas (precompiled by scripts/gen-validators.mjs). */
export type SchemaName = 'models' | 'config';

/** At most this many schema diagnostics per file: past that, more add nothing. */
const MAX_SCHEMA_ERRORS = 100;

/** Validates the document's plain value; one diagnostic per relevant ajv error, pointed at its node. */
export function schemaDiagnostics(schema: SchemaName, doc: YamlDocument, file: string): Diagnostic[] {
  const validate: ValidateFunction = validators[schema];
  const value = doc.toJS({ maxAliasCount: 0 }) as unknown;
  if (validate(value)) return [];
  const errors = relevantErrors(validate.errors ?? []);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const d = toDiagnostic(e, doc, file);
    const key = `${d.span.start}:${d.message}`;
    if (!seen.has(key)) seen.add(key), out.push(d);
  }
  return out.slice(0, MAX_SCHEMA_ERRORS);
}

/**
 * A value that fits no branch of an `anyOf` gets one error naming the branches; a value
 * that fits a branch by type gets that branch's errors, not the other branches' type errors
 * (an `anyOf` inside it that fails is the one reported).
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const isUmbrella = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  const umbrellaPaths = new Set(errors.filter(isUmbrella).map((e) => e.instancePath));
  const kept = errors.filter((e) => !isUmbrella(e) && e.keyword !== 'if' && e.keyword !== 'propertyNames' && !(e.keyword === 'type' && umbrellaPaths.has(e.instancePath)));
  const under = (e: ErrorObject, path: string) => path.startsWith(`${e.instancePath}/`);
  const umbrellas = errors.filter(
    (e) => isUmbrella(e) && !kept.some((k) => k.instancePath === e.instancePath || under(e, k.instancePath)) &&
      !errors.some((u) => isUmbrella(u) && under(e, u.instancePath)),
  );
  return [...kept, ...umbrellas];
}

/** The JSON Schema type name of a plain value. */
export function jsonType(data: unknown): string {
  if (data === null || data === undefined) return 'null';
  if (Array.isArray(data)) return 'array';
  if (typeof data === 'number') return Number.isInteger(data) ? 'integer' : 'number';
  return typeof data;
}

function decode(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The YAML node at a JSON pointer (or its nearest existing ancestor, `exact` false), with the key node of its last segment. */
export function nodeAt(doc: YamlDocument, instancePath: string): { node: YamlNode | null; key?: YamlNode; exact: boolean } {
  let node = doc.contents as YamlNode | null;
  let key: YamlNode | undefined;
  for (const raw of instancePath.split('/').slice(1)) {
    const seg = decode(raw);
    const child = isMap(node) ? node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg) : undefined;
    const item = isSeq(node) ? (node.items[Number(seg)] as YamlNode | undefined) : undefined;
    if (child !== undefined) {
      key = child.key as YamlNode;
      node = (child.value as YamlNode | null) ?? key;
    } else if (item !== undefined) {
      key = undefined;
      node = item;
    } else return { node, key, exact: false };
  }
  return { node, key, exact: true };
}

/** The key node named `name` of a map node. */
function keyNode(node: YamlNode | null, name: string): YamlNode | undefined {
  return isMap(node) ? (node.items.find((p) => isScalar(p.key) && String(p.key.value) === name)?.key as YamlNode | undefined) : undefined;
}

function toDiagnostic(e: ErrorObject, doc: YamlDocument, file: string): Diagnostic {
  const { node, key } = nodeAt(doc, e.instancePath);
  const parent = (e.parentSchema ?? {}) as { title?: string; description?: string; properties?: Record<string, unknown> };
  const what = parent.title ?? 'this map';
  const params = e.params as Record<string, unknown>;
  const propertyName = (e as { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return error('invalid-name', nodeSpan(file, keyNode(node, propertyName) ?? node), `'${propertyName}' is not a valid name${describe(parent)}`);
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const guess = closest(name, Object.keys(parent.properties ?? {}));
      const allowed = Object.keys(parent.properties ?? {}).filter((k) => k !== '$schema');
      const hint = /^\s*\d+\s*\)$/.test(name)
        ? 'a comma ends a value inside { }: quote a type with a comma, e.g. type: "numeric(10,2)"'
        : guess ? `did you mean '${guess}'?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined;
      return error('unknown-key', nodeSpan(file, keyNode(node, name) ?? node), `unknown key '${name}' in ${what}`, hint);
    }
    case 'required':
      return error('missing-key', nodeSpan(file, key ?? node), `${what} is missing the required key '${String(params.missingProperty)}'`);
    case 'type':
      return error('wrong-type', nodeSpan(file, node), `expected ${article(String(params.type))} here, got ${article(jsonType(e.data))}${describe(parent)}`);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = closest(String(e.data), allowed);
      return error('invalid-value', nodeSpan(file, node), `'${String(e.data)}' is not one of: ${allowed.join(', ')}`, guess ? `did you mean '${guess}'?` : undefined);
    }
    case 'propertyNames':
      return error('invalid-name', nodeSpan(file, keyNode(node, String(params.propertyName)) ?? node), `'${String(params.propertyName)}' is not a valid name`);
    case 'uniqueItems': {
      const item = isSeq(node) ? (node.items[Number(params.i)] as YamlNode | undefined) : undefined;
      return error('duplicate-value', nodeSpan(file, item ?? node), `'${String(Array.isArray(e.data) ? e.data[Number(params.i)] : '')}' appears more than once in this list`);
    }
    case 'minItems':
    case 'minProperties':
      return error('invalid-value', nodeSpan(file, node), `this ${e.keyword === 'minItems' ? 'list' : 'map'} must not be empty${describe(parent)}`);
    case 'pattern':
      return error('invalid-value', nodeSpan(file, key && node === key ? key : node), `'${String(e.data)}' is not valid${describe(parent)}`);
    case 'anyOf':
    case 'oneOf':
      return error('wrong-type', nodeSpan(file, node), `expected ${branchNames(e.schema)}, got ${article(jsonType(e.data))}`, parent.description);
    case 'minLength':
      return error('invalid-value', nodeSpan(file, node), `this value must not be empty${describe(parent)}`);
    default:
      return error('schema', nodeSpan(file, node), `${e.message ?? 'invalid value'}${describe(parent)}`);
  }
}

function branchNames(branches: unknown): string {
  const list = Array.isArray(branches) ? (branches as Array<{ title?: string; type?: string | string[] }>) : [];
  const names = list.map((b) => {
    const types = (Array.isArray(b.type) ? b.type : b.type ? [b.type] : []).map(article);
    return b.title && types.length === 1 ? `${types[0]} (${b.title})` : types.join(' or ') || (b.title ?? 'a value');
  });
  return names.length > 0 ? names.join(' or ') : 'a different value';
}

function describe(parent: { description?: string; title?: string }): string {
  const d = parent.description;
  return d ? ` (${parent.title ? `${parent.title}: ` : ''}${d.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())})` : '';
}

function article(type: string): string {
  const noun = type === 'object' ? 'map' : type === 'array' ? 'list' : type === 'null' ? 'nothing' : type;
  return noun === 'nothing' ? noun : /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}
