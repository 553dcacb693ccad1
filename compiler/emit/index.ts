/**
 * The emitters' face: migration files (rendered in pieces), the Kysely types (an index and
 * one module per owner, sections cached for the watcher), ER diagrams, and the precompiled
 * Handlebars templates they render with.
 */
export { describeTypes, emitTypes, keptOwner, typesLayout, typesOutput } from './emit-types.ts';
export type { KeptOwner, NamedParts, NamesMemo, TypeFiles, TypeNames, TypesLayout, TypesOptions, TypesOutput, TypesOwner } from './emit-types.ts';
export { concurrentFileName, migrationFileName, migrationPieces, renderMigration, renderUp, slugify, splitPlan, timestamp } from './emit.ts';
export { erdFiles, renderErd } from './erd.ts';
export { defaultModel, expressible, PULLED_REASON, renderModelsFile, unsupportedColumns } from './models-file.ts';
export type { IndexExtras, PulledAllows, PullSource, Unsupported } from './models-file.ts';
export { render } from './templates.ts';
export { memorySectionCache } from './types-cache.ts';
