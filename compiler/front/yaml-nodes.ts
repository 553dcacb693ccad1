/**
 * YAML node kinds without loading the `yaml` package, which only files outside the fast
 * path's subset need. The package tags every node with its kind under registered symbols
 * (`Symbol.for('yaml.node.type')`), so the checks below equal its own `isMap`, `isSeq` …
 * on its nodes and on the fast path's, which carry the same tags. `loadYaml` loads the
 * package itself, once, when a file needs the full parser.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const NODE_TYPE = Symbol.for('yaml.node.type');

const ALIAS = Symbol.for('yaml.alias');
/** The kind tag of a map node. */
export const MAP = Symbol.for('yaml.map');
/** The kind tag of a map's key–value pair. */
export const PAIR = Symbol.for('yaml.pair');
/** The kind tag of a scalar node. */
export const SCALAR = Symbol.for('yaml.scalar');
/** The kind tag of a sequence node. */
export const SEQ = Symbol.for('yaml.seq');

function kind(node: unknown): unknown {
  return node !== null && typeof node === 'object' ? (node as Record<symbol, unknown>)[NODE_TYPE] : undefined;
}

/** Whether a value is a YAML alias node (`*name`). */
export const isAlias = ((node: unknown) => kind(node) === ALIAS) as typeof Yaml.isAlias;
/** Whether a value is a YAML map node. */
export const isMap = ((node: unknown) => kind(node) === MAP) as typeof Yaml.isMap;
/** Whether a value is a key–value pair of a YAML map. */
export const isPair = ((node: unknown) => kind(node) === PAIR) as typeof Yaml.isPair;
/** Whether a value is a YAML scalar node. */
export const isScalar = ((node: unknown) => kind(node) === SCALAR) as typeof Yaml.isScalar;
/** Whether a value is a YAML sequence node. */
export const isSeq = ((node: unknown) => kind(node) === SEQ) as typeof Yaml.isSeq;
/** Whether a value is a YAML map or sequence node. */
export const isCollection = ((node: unknown) => kind(node) === MAP || kind(node) === SEQ) as typeof Yaml.isCollection;

/** A prototype carrying a node kind tag, for nodes built without the package. */
export function taggedPrototype(tag: symbol): object {
  return Object.create(Object.prototype, { [NODE_TYPE]: { value: tag } }) as object;
}

let yaml: typeof Yaml | undefined;

/** The `yaml` package, loaded on first use. */
export function loadYaml(): typeof Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml;
}
