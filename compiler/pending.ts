/**
 * Pending work: for each owner, the changes and statements that take its last snapshot to
 * its models. Pure; `migration`, `diff`, `check` and `watch` share it.
 */
import type { Config } from './config.ts';
import type { Change } from './diff.ts';
import { diff } from './diff.ts';
import { withDistribution } from './distribution.ts';
import type { Owner, SnapTable, Snapshot, Workspace } from './ir.ts';
import { CORE } from './ir.ts';
import type { Statement } from './plan.ts';
import { plan } from './plan.ts';
import { quoteLiteral } from './sql.ts';
import { archiveSchemaName, carryArchive, renameHints, toSnapshot } from './snapshot.ts';

/** An OwnerPlan is one owner's pending migration: where it is, where the models want it, and how. */
export interface OwnerPlan {
  readonly owner: Owner;
  readonly prev: Snapshot;
  readonly next: Snapshot;
  readonly changes: readonly Change[];
  readonly statements: readonly Statement[];
}

/** Every owner with models or a snapshot: `core` first, then orgs by name. */
export function ownersOf(ws: Workspace, snapshots: ReadonlyMap<Owner, Snapshot>): Owner[] {
  const orgs = new Set<Owner>([...ws.owners, ...snapshots.keys()]);
  orgs.delete(CORE);
  return [CORE, ...[...orgs].sort()];
}

/**
 * The pending plan of one owner, from its previous snapshot to its models. `others` are the
 * other owners' snapshots as the database holds them when this migration runs: core's enums
 * may type org columns, so a core enum change must convert those columns too. They are
 * added, unchanged, to both sides of the diff; the owner's own snapshot (`next`) stays its own.
 * With `distribution` configured, new tables are distributed after they are created.
 */
export function planOwner(ws: Workspace, owner: Owner, prev: Snapshot, others: readonly Snapshot[] = [], config: Pick<Config, 'distribution'> = {}): OwnerPlan {
  const next = carryArchive(toSnapshot(ws, owner), prev);
  const foreign = owner === CORE ? others.filter((o) => o.owner !== CORE).flatMap((o) => o.tables) : [];
  const before = withTables(prev, foreign);
  const after = withTables(next, foreign);
  const changes = diff(before, after, renameHints(ws, owner));
  const statements = changes.length === 0 ? [] : withDistribution(plan(changes, { prev: before, next: after }), changes, config);
  return { owner, prev, next, changes, statements };
}

function withTables(s: Snapshot, tables: readonly SnapTable[]): Snapshot {
  return tables.length === 0 ? s : { ...s, tables: [...s.tables, ...tables] };
}

/**
 * Objects a core plan drops while another owner's snapshot still depends on them (a foreign
 * key to a dropped table or column, a column of a dropped enum, an expression naming a
 * removed enum value). Core migrations run first, so such a plan would fail; one line per
 * conflict.
 */
export function crossOwnerConflicts(p: OwnerPlan, others: readonly Snapshot[]): string[] {
  if (p.owner !== CORE) return [];
  const out: string[] = [];
  for (const o of others.filter((x) => x.owner !== CORE)) {
    const archived = o.archived?.tables ?? [];
    for (const t of [...o.tables, ...archived]) {
      const what = archived.includes(t) ? `${o.owner}'s archived table "${t.name}" (schema ${archiveSchemaName(o.owner)})` : `${o.owner}'s table "${t.name}"`;
      for (const fk of t.foreignKeys) {
        const gone = droppedTarget(p, fk.refTable, fk.refColumns);
        if (gone) out.push(`${what} still references ${gone} (foreign key "${fk.name}")`);
      }
      for (const c of t.columns) {
        const type = c.type.replace(/\[\]$/, '');
        const recreated = archived.includes(t) && p.changes.some((ch) => ch.kind === 'RecreateEnum' && ch.to.name === type);
        if (recreated || p.changes.some((ch) => ch.kind === 'DropEnum' && ch.enum.name === type)) out.push(archived.includes(t) ? `${what} has column "${c.name}" of the type "${type}"` : `${o.owner}'s column "${t.name}"."${c.name}" still has the type "${type}"`);
      }
    }
  }
  out.push(...removedValueConflicts(p, others));
  return out;
}

/**
 * Enum values a core plan removes while an org's default, check or partial index (in its
 * snapshot) still names them: the recreated enum cannot take the org's expression back.
 */
function removedValueConflicts(p: OwnerPlan, others: readonly Snapshot[]): string[] {
  const orgOf = new Map(others.filter((o) => o.owner !== CORE).flatMap((o) => o.tables.map((t) => [t.name, o.owner] as const)));
  const out: string[] = [];
  for (const ch of p.changes) {
    if (ch.kind !== 'RecreateEnum') continue;
    const removed = ch.from.values.filter((v) => !ch.to.values.includes(v)).map(quoteLiteral);
    const named = (expr: string | null) => removed.find((v) => expr !== null && expr.includes(v));
    const report = (table: string, what: string, expr: string | null) => {
      const org = orgOf.get(table);
      const value = named(expr);
      if (org !== undefined && value !== undefined) out.push(`${org}'s ${what} still names the value ${value} of the enum "${ch.to.name}" (${expr})`);
    };
    for (const u of ch.usages) report(u.table, `column "${u.table}"."${u.column}" in its default`, u.upDefault);
    for (const { table, check } of ch.dependents.checks) report(table, `check "${check.name}" on "${table}"`, check.expr);
    for (const { table, index } of ch.dependents.indexes) report(table, `index "${index.name}" on "${table}" in its predicate`, index.where);
  }
  return out;
}

function droppedTarget(p: OwnerPlan, table: string, columns: readonly string[]): string | undefined {
  if (p.changes.some((c) => c.kind === 'DropTable' && c.table.name === table)) return `"${table}"`;
  const column = columns.find((col) => p.changes.some((c) => c.kind === 'DropColumn' && c.table === table && c.column.name === col));
  return column === undefined ? undefined : `"${table}"."${column}"`;
}

/** True when an owner's models differ from its snapshot. */
export function hasChanges(p: OwnerPlan): boolean {
  return p.changes.length > 0;
}
