/**
 * The linter's face: the schema rules over the Workspace IR (`run.ts`, one file per rule
 * under `rules/`), the safety rules over a plan's changes (`safety.ts`), and the reserved
 * words a name must avoid.
 */
export { isReservedWord } from './reserved-words.ts';
export { isLockedFor, LOCKED_RULES, lintWorkspace, RULE_IDS } from './run.ts';
export { lintChanges } from './safety.ts';
