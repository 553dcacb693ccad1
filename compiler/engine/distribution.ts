/**
 * Distribution over a Citus cluster (`distribution: { engine: citus, column }` in the config):
 * after a plan creates tables, each new tenant table becomes a distributed table sharded by
 * the distribution column and each new global table a reference table copied to every node.
 * Pure: a post-plan step over the changes and the planned statements.
 *
 * Each call is guarded by whether the citus extension is installed (a `DO` block), so the same
 * file applies on plain PostgreSQL and PGlite (`schemac verify`), where the tables stay plain.
 * A down section drops the tables without `undistribute_table` first: dropping a distributed
 * table drops its shards, where undistributing would copy every row back to the coordinator.
 */
import type { Config, Distribution, SnapTable } from '../ir.ts';
import { quoteIdent as q, quoteLiteral } from '../shared/index.ts';
import type { Change } from './diff.ts';
import type { Statement } from './statement.ts';

/** The Citus calls for the tables `changes` create: reference tables first, then distributed tables. */
export function distributionStatements(changes: readonly Change[], config: Pick<Config, 'distribution'>): Statement[] {
  const d = config.distribution;
  if (d === undefined) return [];
  const added = changes.flatMap((c) => (c.kind === 'AddTable' ? [c.table] : []));
  return [
    ...added.filter((t) => t.tenant === 'global').map(referenceTable),
    ...added.filter((t) => t.tenant === 'client').map((t) => distributedTable(t, d)),
  ];
}

/**
 * The plan's statements with the Citus calls placed right after the last `CREATE TABLE`:
 * every new table exists, and no foreign key, index, trigger or policy has been added yet
 * (Citus propagates those to the shards when they come after).
 */
export function withDistribution(statements: readonly Statement[], changes: readonly Change[], config: Pick<Config, 'distribution'>): Statement[] {
  const extra = distributionStatements(changes, config);
  if (extra.length === 0) return [...statements];
  const created = new Set(changes.flatMap((c) => (c.kind === 'AddTable' ? [createTablePrefix(c.table.name)] : [])));
  const last = statements.reduce((at, s, i) => ([...created].some((p) => s.sql.startsWith(p)) ? i : at), -1);
  const at = last === -1 ? statements.length : last + 1;
  return [...statements.slice(0, at), ...extra, ...statements.slice(at)];
}

function createTablePrefix(table: string): string {
  return `CREATE TABLE ${q(table)} (`;
}

/** The table as a `regclass` literal: quoted, so any name resolves to exactly this table. */
function regclass(table: string): string {
  return quoteLiteral(q(table));
}

/**
 * `PERFORM call` only where the citus extension is installed, as a `DO` block (on PostgreSQL
 * without Citus the function does not exist, so a plain SELECT would not even parse). The
 * dollar-quote tag is one the body does not contain.
 */
export function ifCitus(call: string): string {
  let tag = 'citus';
  for (let n = 1; call.includes(`$${tag}$`); n++) tag = `citus${n}`;
  return `DO $${tag}$ BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus') THEN PERFORM ${call}; END IF; END $${tag}$;`;
}

/**
 * The settings a transactional section of a migration runs with when `distribution:` is
 * configured (SET LOCAL: they end with the file's transaction; inert placeholders without
 * Citus). Sequential modify mode: every tenant table references the reference table
 * `clients`, and Citus refuses to touch a reference table after a parallel operation on a
 * distributed table that references it in the same transaction. Unsafe triggers: Citus
 * refuses triggers on reference and on distributed tables without it; the `updated_at`
 * triggers only set a column of the row they fire for.
 */
export const CITUS_SECTION_SETTINGS = "SET LOCAL citus.multi_shard_modify_mode TO 'sequential'; SET LOCAL citus.enable_unsafe_triggers TO on;";

function distributedTable(t: SnapTable, d: Distribution): Statement {
  return {
    sql: ifCitus(`create_distributed_table(${regclass(t.name)}, ${quoteLiteral(d.column)})`),
    reverse: '',
    comment: `Distribute table ${q(t.name)} by ${q(d.column)} (Citus)`,
    transactional: true,
    altersExisting: false,
  };
}

function referenceTable(t: SnapTable): Statement {
  return {
    sql: ifCitus(`create_reference_table(${regclass(t.name)})`),
    reverse: '',
    comment: `Replicate table ${q(t.name)} to every node as a reference table (Citus)`,
    transactional: true,
    altersExisting: false,
  };
}
