/**
 * Small pieces every folder may use: derived names and identifier limits, SQL quoting,
 * "did you mean", durations (`3s`), paths, `mkdir -p`, the process's streams (`Io`), atomic file writes (staging), stage timings
 * and the workspaces a cache folder must not lie in.
 */
export { cacheDir, insideWorkspace, workspaceRoot } from './cache-guard.ts';
export { durationProblem, formatDuration, parseDuration } from './duration.ts';
export { useColor } from './io.ts';
export { makeDirs } from './make-dirs.ts';
export type { Io } from './io.ts';
export {
  checkName, fkeyName, identifierBytes, indexName, MAX_IDENTIFIER_BYTES, pkeyName, rlsPolicyName, sequenceName,
  uniqueName, updatedAtTriggerName,
} from './names.ts';
export { modelsSchemaPath, toPosix } from './paths.ts';
export { PINNED_SETTINGS, pinnedSettingsSql, quoteIdent, quoteLiteral } from './sql.ts';
export { createStaging } from './staging.ts';
export { isIgnoredTable, matchesTableGlob } from './table-glob.ts';
export { candidateIndex, closest, suggest, suggester, SUGGEST_LIMITS } from './suggest.ts';
export type { CandidateIndex, SuggestLimits, Suggester, SuggestWork } from './suggest.ts';
export { trace } from './trace.ts';
