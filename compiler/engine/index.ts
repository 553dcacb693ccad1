/**
 * The engine's face: snapshots (the schema IR of each owner, read and written), the diff of
 * two snapshots into changes, the plan of changes into statements (phased for tables that
 * already exist, distributed for Citus), each owner's pending plan, the disk state of what
 * was generated before, and `schemac.sum`.
 */
export { CITUS_SECTION_SETTINGS } from './distribution.ts';
export { diff } from './diff.ts';
export type { Change } from './diff.ts';
export { enumsGainingValues } from './enum-uses.ts';
export { crossOwnerConflicts, hasChanges, ownersOf, planOwner } from './pending.ts';
export type { OwnerPlan } from './pending.ts';
export { plan } from './plan.ts';
export { archiveSchemaName, carryArchive, carryMigrations, compareText, renameHints, serializeSnapshot, toSnapshot } from './snapshot.ts';
export type { Statement } from './statement.ts';
export type { SumMismatches } from './sum.ts';
export { checkSum, existingHashes, forgetHashedTexts, hashBytes, hashText, renderSum, renderSumOfHashes, textOfBytes } from './sum.ts';
export { chainAfter, checkSnapshotSum, fileExists, headerOwner, migrationPath, readDiskState, readIfExists, removeFiles, renderSnapshotSum, snapshotOf, snapshotPath, snapshotSumPath, sumPath, workspaceFiles, writeFiles } from './workspace-state.ts';
export type { DiskState, Known, OutputFile, OutsideRecall, OutsideVisitor, ReadBefore } from './workspace-state.ts';
