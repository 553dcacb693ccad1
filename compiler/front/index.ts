/**
 * The front end's face: models files found (`discover`), read (`parse`, with the fast YAML
 * path), checked against the JSON Schema and turned into the model IR (`validate`), SQL
 * fragments recognised or checked with the PostgreSQL parser (loaded on first use) and
 * printed from their parse trees (`fragmentSql`, the only text migrations carry), and
 * names resolved across the workspace (`resolve`). The wiring is `compiler/index.ts`.
 */
export { compileGlob, DISCOVER_LIMITS, discover, matchGlob } from './discover.ts';
export type { Discovered, DiscoverLimits } from './discover.ts';
export { reservedOrgName } from './namespaces.ts';
export type { Glob } from './discover.ts';
export { createFileCache } from './file-cache.ts';
export type { FileCache, FileResult } from './file-cache.ts';
export { fragmentKey, readAccepted, rememberAccepted } from './fragment-cache.ts';
export { loadFragmentChecker } from './fragment-checker.ts';
export { defaultExpectation, fragmentTyping, typeFragment, typeParsedFragment } from './fragment-types.ts';
export type { TypingContext } from './fragment-types.ts';
export { fragmentSql, hasFragmentSql, rememberFragmentSql, UNCHECKED_SQL } from './fragment-sql.ts';
export { nodeAt, schemaDiagnostics } from './json-schema.ts';
export { effectiveOpclasses, indexParams } from './index-methods.ts';
export { castable } from './pg-types.ts';
export { decodeSource, nodeSpan, parseYaml, spanOf } from './parse.ts';
export type { YamlDocument } from './parse.ts';
export type { DeclaredName } from './resolve.ts';
export { combineExternalNames, declaredNames, externalFromModels, externalNames, externalNamesOf, forEachExplicitName, lookedUpNames, resolve, workspaceOf } from './resolve.ts';
export type { ExternalNames } from './resolve.ts';
export { ALLOWLIST_SALT } from './sql-allowlist.ts';
export { deparseExpression } from './sql-deparse.ts';
export type { FragmentOptions } from './sql-fragment.ts';
export { recogniseFragment, recogniseTree } from './sql-recognise.ts';
export { validate } from './validate.ts';
export { isMap, isScalar, isSeq, loadYaml } from './yaml-nodes.ts';
