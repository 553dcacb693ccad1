/**
 * Pending work: for each owner, the changes and statements that take its last snapshot to
 * its models. Pure; `migration`, `diff`, `check` and `watch` share it.
 */
import type { Config, Owner, Snapshot, SnapTable, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import { quoteLiteral } from '../shared/index.ts';
import type { Change } from './diff.ts';
import { diff } from './diff.ts';
import { withDistribution } from './distribution.ts';
import type { Statement } from './statement.ts';
import { plan } from './plan.ts';
import { archiveSchemaName, carryArchive, carryMigrations, compareText, renameHints, toSnapshot } from './snapshot.ts';

/** An OwnerPlan is one owner's pending migration: where it is, where the models want it, and how. */
export interface OwnerPlan {
  readonly owner: Owner;
  readonly prev: Snapshot;
  readonly next: Snapshot;
  readonly changes: readonly Change[];
  /**
   * The SQL statements of `changes`, planned on each read: a run over thousands of tables
   * renders each owner's statements once and lets them go, so read it once and keep the result.
   */
  readonly statements: readonly Statement[];
}

/** Every owner with models or a snapshot: `core` first, then orgs by name. */
export function ownersOf(ws: Workspace, snapshots: ReadonlyMap<Owner, Snapshot>): Owner[] {
  const orgs = new Set<Owner>([...ws.owners, ...snapshots.keys()]);
  orgs.delete(CORE);
  return [CORE, ...[...orgs].sort()];
}

/**
 * The pending plan of one owner, from its previous snapshot to its models. `others` gives the
 * other owners' snapshots (asked for only when core has changes) as the database holds them
 * when this migration runs: core's enums may type org columns, so a core enum change must
 * convert those columns too. They are
 * added to both sides of the diff, their foreign keys following core's declared renames as
 * PostgreSQL does; the owner's own snapshot (`next`) stays its own. An org's previous snapshot
 * is read the same way, so neither plan rebuilds a key that only follows a core rename.
 * With `distribution` configured, new tables are distributed after they are created.
 */
export function planOwner(ws: Workspace, owner: Owner, prev: Snapshot, others: () => readonly Snapshot[] = () => [], config: Pick<Config, 'distribution'> = {}): OwnerPlan {
  const next = carryMigrations(carryArchive(toSnapshot(ws, owner), prev), prev);
  // The other owners' tables take part in core's plan only through core's own changes (its
  // enums' usages, its renamed references): when it has none, they are not looked at.
  const hints = renameHints(ws, owner);
  if (owner === CORE && diff(prev, next, hints).length === 0) return { owner, prev, next, changes: [], statements: [] };
  const renames = coreRenames(ws);
  const foreign = owner === CORE ? others().filter((o) => o.owner !== CORE).flatMap((o) => o.tables.map((t) => followRenames(t, renames))) : [];
  const before = owner === CORE ? withTables(prev, foreign) : { ...prev, tables: prev.tables.map((t) => followRenames(t, renames)) };
  const after = withTables(next, foreign);
  const changes = shareExtensions(diff(before, after, hints), ws, owner, others);
  const statements = (): Statement[] => (changes.length === 0 ? [] : withDistribution(plan(changes, { prev: before, next: after }), changes, config));
  return {
    owner, prev, next, changes,
    get statements() {
      return statements();
    },
  };
}

/**
 * Extensions belong to the workspace, not to whoever declared them first: an extension this
 * owner adds or drops that another owner's snapshot declares (what the database holds for it)
 * is marked shared, so the plan never drops it, up or down. An extension this owner drops is
 * kept as well while another owner's models declare it (that owner's next migration needs it;
 * the owners' chains run independently, so it may run first).
 */
function shareExtensions(changes: Change[], ws: Workspace, owner: Owner, others: () => readonly Snapshot[]): Change[] {
  if (!changes.some((c) => c.kind === 'AddExtension' || c.kind === 'DropExtension')) return changes;
  const inSnapshots = new Map<string, Set<Owner>>();
  const inModels = new Map<string, Set<Owner>>();
  const add = (m: Map<string, Set<Owner>>, ext: string, by: Owner) => (m.get(ext) ?? m.set(ext, new Set()).get(ext)!).add(by);
  for (const s of others()) if (s.owner !== owner) for (const e of s.extensions) add(inSnapshots, e, s.owner);
  for (const f of ws.files) if (f.owner !== owner) for (const e of f.extensions) add(inModels, e.name, f.owner);
  return changes.map((c) => {
    if (c.kind !== 'AddExtension' && c.kind !== 'DropExtension') return c;
    const by = new Set([...(inSnapshots.get(c.name) ?? []), ...(c.kind === 'DropExtension' ? inModels.get(c.name) ?? [] : [])]);
    return by.size === 0 ? c : { ...c, sharedWith: [...by].sort(compareText) };
  });
}

function withTables(s: Snapshot, tables: readonly SnapTable[]): Snapshot {
  return tables.length === 0 ? s : { ...s, tables: [...s.tables, ...tables] };
}

/** Core's table and column renames (old → new per table) that its models declare and complete. */
interface CoreRenames {
  readonly tables: ReadonlyMap<string, string>;
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

function coreRenames(ws: Workspace): CoreRenames {
  const core = ws.files.filter((f) => f.owner === CORE).flatMap((f) => f.tables);
  const names = new Set(core.map((t) => t.name));
  const tables = new Map<string, string>();
  const columns = new Map<string, Map<string, string>>();
  for (const t of core) {
    if (t.renamedFrom !== undefined && !names.has(t.renamedFrom)) tables.set(t.renamedFrom, t.name);
    const own = new Set(t.columns.map((c) => c.name));
    const renamed = new Map(t.columns.flatMap((c) => (c.renamedFrom !== undefined && !own.has(c.renamedFrom) ? [[c.renamedFrom, c.name] as const] : [])));
    if (renamed.size > 0) columns.set(t.name, renamed);
  }
  return { tables, columns };
}

/**
 * An org table whose foreign keys name core's tables and columns by their new names, as
 * PostgreSQL follows a rename: core's plan must not rebuild them, nor the org's plan redo
 * them. The same object when no key changes.
 */
function followRenames(t: SnapTable, r: CoreRenames): SnapTable {
  if (r.tables.size === 0 && r.columns.size === 0) return t;
  const follow = (f: SnapTable['foreignKeys'][number]) => {
    const refTable = r.tables.get(f.refTable) ?? f.refTable;
    const columns = r.columns.get(refTable);
    return { ...f, refTable, refColumns: f.refColumns.map((c) => columns?.get(c) ?? c) };
  };
  const moved = t.foreignKeys.map(follow);
  if (moved.every((f, i) => f.refTable === t.foreignKeys[i].refTable && f.refColumns.every((c, j) => c === t.foreignKeys[i].refColumns[j]))) return t;
  return { ...t, foreignKeys: moved };
}

/**
 * Objects a core plan drops while another owner's snapshot still depends on them (a foreign
 * key to a dropped table or column, a column of a dropped enum, an expression naming a
 * removed enum value). Core migrations run first, so such a plan would fail; one line per
 * conflict.
 */
export function crossOwnerConflicts(p: OwnerPlan, others: readonly Snapshot[]): string[] {
  if (p.owner !== CORE) return [];
  const dropped = droppedObjects(p.changes);
  const out: string[] = [];
  const drops = dropped.tables.size + dropped.columns.size + dropped.enums.size + dropped.recreatedEnums.size > 0;
  for (const o of drops ? others.filter((x) => x.owner !== CORE) : []) {
    for (const t of o.tables) out.push(...tableConflicts(o.owner, t, dropped, false));
    for (const t of o.archived?.tables ?? []) out.push(...tableConflicts(o.owner, t, dropped, true));
  }
  out.push(...removedValueConflicts(p, others));
  return out;
}

/** What a core plan drops or recreates, by name (columns as `table\0column`). */
interface Dropped {
  readonly tables: ReadonlySet<string>;
  readonly columns: ReadonlySet<string>;
  readonly enums: ReadonlySet<string>;
  readonly recreatedEnums: ReadonlySet<string>;
}

function droppedObjects(changes: readonly Change[]): Dropped {
  const [tables, columns, enums, recreatedEnums] = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()];
  for (const c of changes) {
    if (c.kind === 'DropTable') tables.add(c.table.name);
    else if (c.kind === 'DropColumn') columns.add(`${c.table}\0${c.column.name}`);
    else if (c.kind === 'DropEnum') enums.add(c.enum.name);
    else if (c.kind === 'RecreateEnum') recreatedEnums.add(c.to.name);
  }
  return { tables, columns, enums, recreatedEnums };
}

/** The conflicts of one org table: foreign keys to dropped objects, columns of dropped (or, when archived, recreated) enums. */
function tableConflicts(owner: Owner, t: SnapTable, dropped: Dropped, archived: boolean): string[] {
  const what = archived ? `${owner}'s archived table "${t.name}" (schema ${archiveSchemaName(owner)})` : `${owner}'s table "${t.name}"`;
  const out: string[] = [];
  for (const fk of t.foreignKeys) {
    const gone = droppedTarget(dropped, fk.refTable, fk.refColumns);
    if (gone) out.push(`${what} still references ${gone} (foreign key "${fk.name}")`);
  }
  for (const c of t.columns) {
    const type = c.type.replace(/\[\]$/, '');
    if (!dropped.enums.has(type) && !(archived && dropped.recreatedEnums.has(type))) continue;
    out.push(archived ? `${what} has column "${c.name}" of the type "${type}"` : `${owner}'s column "${t.name}"."${c.name}" still has the type "${type}"`);
  }
  return out;
}

/**
 * Enum values a core plan removes while an org's default, check or partial index (in its
 * snapshot) still names them: the recreated enum cannot take the org's expression back.
 */
function removedValueConflicts(p: OwnerPlan, others: readonly Snapshot[]): string[] {
  if (!p.changes.some((ch) => ch.kind === 'RecreateEnum')) return [];
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

function droppedTarget(dropped: Dropped, table: string, columns: readonly string[]): string | undefined {
  if (dropped.tables.has(table)) return `"${table}"`;
  const column = columns.find((col) => dropped.columns.has(`${table}\0${col}`));
  return column === undefined ? undefined : `"${table}"."${column}"`;
}

/** True when an owner's models differ from its snapshot. */
export function hasChanges(p: OwnerPlan): boolean {
  return p.changes.length > 0;
}
