/**
 * What a live database holds, in the snapshot IR: `introspect.ts` reads it, `compare.ts`
 * compares it with a snapshot.
 */
import type { SnapEnum, SnapTable } from '../compiler/ir.ts';

/** A LiveTable is a SnapTable read from a database, with the RLS facts a snapshot cannot hold. */
export interface LiveTable extends SnapTable {
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
  /** Names of every policy on the table, sorted. */
  readonly policies: readonly string[];
}

/** A LiveSchema is what a database's `public` schema holds (schemac's own table left out). */
export interface LiveSchema {
  readonly tables: LiveTable[];
  readonly enums: SnapEnum[];
  readonly extensions: string[];
}
