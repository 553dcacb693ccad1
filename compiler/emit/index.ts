/**
 * The emitters' face: migration files (rendered in pieces), the Kysely types of `db.ts`
 * (one section per owner, cached for the watcher), ER diagrams, and the precompiled
 * Handlebars templates they render with.
 */
export { emitTypes, renderAhead } from './emit-types.ts';
export type { NamesMemo, RenderedOwner, TypeNames } from './emit-types.ts';
export { concurrentFileName, migrationFileName, migrationPieces, renderMigration, renderUp, slugify, splitPlan, timestamp } from './emit.ts';
export { erdFiles, renderErd } from './erd.ts';
export { defaultModel, expressible, PULLED_REASON, renderModelsFile, unsupportedColumns } from './models-file.ts';
export type { IndexExtras, PulledAllows, PullSource, Unsupported } from './models-file.ts';
export { render } from './templates.ts';
export { memorySectionCache } from './types-cache.ts';
