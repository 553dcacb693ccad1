/**
 * The unit the planner produces and the emitter renders: one step of a migration. Its own
 * module, so that the planner (`plan.ts`) and the phasing of changes to existing tables
 * (`phase.ts`), which both make statements, do not import each other for it.
 */

/** A Statement is one step of a migration: its SQL, the SQL that undoes it, and how to run it. */
export interface Statement {
  /** One or more SQL statements, each ending in ';'. */
  readonly sql: string;
  /** The SQL that undoes `sql` in `migrate:down`; null when it cannot be undone. */
  readonly reverse: string | null;
  /** Why the statement cannot be undone (when `reverse` is null). */
  readonly irreversible?: string;
  /** One line describing the step; becomes `-- <comment>` in the migration file. */
  readonly comment: string;
  /** False when the statement cannot run inside a transaction block. */
  readonly transactional: boolean;
  /** True when it touches an object that existed before the migration (locks: `SET lock_timeout`). */
  readonly altersExisting: boolean;
  /** True when it belongs to the owner's follow-up `-- schemac:no-transaction` file (see `phase.ts`). */
  readonly concurrent?: boolean;
  /** The down comment, when inverting `comment` would read wrong. */
  readonly reverseComment?: string;
}
