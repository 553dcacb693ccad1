/**
 * The data a migration run returns, on its own (only `ir.ts` behind it), so that the
 * package's declarations of `migrateToLatest` reach neither the drivers nor `pg`.
 */
import type { Owner } from '../compiler/ir.ts';

/** A MigrationErrorKind says why a run stopped. */
export type MigrationErrorKind =
  | 'connect' | 'lock-timeout' | 'lock-lost' | 'ledger' | 'checksum' | 'out-of-order'
  | 'unknown-target' | 'irreversible' | 'missing-file' | 'failed' | 'database' | 'malformed' | 'refused'
  | 'destructive' | 'dependents' | 'baselined' | 'drift';

/** A MigrationError is why a run stopped: a message naming the file, statement and PostgreSQL's words. */
export interface MigrationError {
  readonly kind: MigrationErrorKind;
  readonly message: string;
  readonly file?: string;
  readonly statement?: string;
  readonly line?: number;
  /** PostgreSQL's SQLSTATE, when the database said no. */
  readonly code?: string;
  /** A refused destructive down (`destructive`): the tables and columns holding rows it would drop. */
  readonly drops?: readonly DataDrop[];
  /** A refused baseline (`drift`): how the database differs from the snapshots. */
  readonly drift?: readonly string[];
}

/** A DataDrop is a table or column holding rows that a down would drop, and the statement that would. */
export interface DataDrop {
  /** The migration file, the line in it and the statement (shortened) that drops it. */
  readonly file: string;
  readonly line: number;
  readonly statement: string;
  /** The table as the database names it now. */
  readonly schema: string;
  readonly table: string;
  /** The column, when the drop is of a column. */
  readonly column?: string;
  /** The rows of the table (of a column: the rows with a value in it), at most ROW_LIMIT + 1; null when they cannot be counted. */
  readonly rows: number | null;
  /** Why the rows cannot be counted (`rows` null). */
  readonly why?: string;
}

/** A MigrationStatus is what happened to one file in a run. */
export type MigrationStatus = 'applied' | 'reverted' | 'failed' | 'skipped';

/** A MigrationResult is one file's outcome; `skipped` files were planned but not reached. */
export interface MigrationResult {
  readonly name: string;
  readonly owner: Owner;
  readonly status: MigrationStatus;
  readonly ms: number;
}

/**
 * An OwnerStatus says how one owner's chain ended: `done` (every planned file ran),
 * `failed` (a file failed; the chain's later files were skipped), `refused` (refused before
 * anything of it ran), `blocked` (not run because the run stopped elsewhere: core failed,
 * or a revert failed).
 */
export type OwnerStatus = 'done' | 'failed' | 'refused' | 'blocked';

/** An OwnerOutcome is one owner's part of a run: what ran, what failed and why, what was skipped. */
export interface OwnerOutcome {
  readonly owner: Owner;
  readonly status: OwnerStatus;
  /** The files applied (or reverted), in order. */
  readonly done: readonly string[];
  /** The file that failed, when one did. */
  readonly failed?: string;
  /** The planned files that did not run. */
  readonly skipped: readonly string[];
  /** Why the chain stopped (failed or refused). */
  readonly error?: MigrationError;
}

/**
 * A MigrationRun is the data a run returns: every planned file's result, one outcome per
 * owner with planned files (core first, then the orgs by name), and the error of the run
 * when any chain did not finish (core's, else the first org's, naming the others).
 */
export interface MigrationRun {
  readonly results: MigrationResult[];
  readonly owners: OwnerOutcome[];
  readonly error?: MigrationError;
}
