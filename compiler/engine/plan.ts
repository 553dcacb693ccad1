/**
 * The plan stage: turns changes into ordered SQL statements, each with its reverse for
 * `migrate:down`. Statements are ordered by dependency (extensions and types before tables,
 * tables before foreign keys, drops of dependents before what they depend on); within a
 * phase the diff's deterministic order is kept.
 */
import { assertNever, type Snapshot } from '../ir.ts';
import { quoteIdent as q } from '../shared/index.ts';
import type { Change, ChangeKind } from './diff.ts';
import { addedValueLiterals, deferValueUses } from './enum-uses.ts';
import type { Rank } from './phase.ts';
import { lateKeys, phaseChange } from './phase.ts';
import {
  addConstraintSql, addEnumValueSql, alterColumnSql, archiveEnumSql, archiveTableSql, columnCommentSql,
  columnSql, createEnumSql, createIndexSql, createTableSql, createTriggerSql, disableRlsSql, dropConstraintSql,
  dropEnumSql, dropIndexSql, dropTableSql, dropTriggerSql, enableRlsSql, recreateEnumSql, recreateTableSql,
  restoreEnumSql, restoreTableSql, type SnapConstraint, tableCommentSql,
} from './render-sql.ts';
import type { Statement } from './statement.ts';

/** What the planner knows besides the changes: both sides of the diff. */
export interface PlanContext {
  readonly prev: Snapshot;
  readonly next: Snapshot;
}

/**
 * The dependency phase of every change kind; statements run in phase order. Renames come
 * first: every later change (and every reverse, which runs before the renames are undone)
 * speaks the new names.
 */
const PHASES: readonly ChangeKind[] = [
  'AddExtension', 'RestoreEnum', 'RestoreTable', 'RenameEnum', 'RenameTable', 'RenameColumn', 'RenameConstraint', 'RenameIndex', 'AddEnum',
  'DisableRls', 'DropTrigger', 'DropIndex', 'DropForeignKey', 'DropCheck', 'DropUnique', 'DropPrimaryKey', 'DropTable',
  'DropColumn', 'AddEnumValue', 'RecreateEnum', 'AddTable', 'AddColumn', 'AlterColumn', 'AddPrimaryKey', 'AddUnique', 'AddCheck',
  'AddForeignKey', 'AddIndex', 'AddTrigger', 'EnableRls', 'SetTableComment', 'DropEnum', 'ArchiveTable', 'ArchiveEnum', 'DropExtension',
];

/** The position of every change kind in `PHASES`. */
const PHASE_OF: ReadonlyMap<ChangeKind, number> = new Map(PHASES.map((kind, i) => [kind, i]));

/** Orders changes by dependency phase (stable within a phase). */
export function orderChanges(changes: readonly Change[]): Change[] {
  const buckets: Change[][] = PHASES.map(() => []);
  for (const c of changes) buckets[PHASE_OF.get(c.kind)!].push(c);
  return buckets.flat();
}

/**
 * Plans the SQL statements for `changes`, in dependency order: the transactional statements,
 * then the `concurrent` ones that phasing moved to the follow-up file (among them the uses of
 * enum values the transactional file adds; see `enum-uses.ts`).
 */
export function plan(changes: readonly Change[], ctx: PlanContext): Statement[] {
  const existing = existingTables(changes, ctx.prev);
  const tables: Tables = { existing, created: createdTables(changes) };
  const phaseCtx = { existing, lateKeys: lateKeys(changes, existing) };
  const literals = addedValueLiterals(changes);
  const main: Statement[] = [];
  const later: Record<Rank, Statement[]> = { 0: [], 1: [], 2: [], 3: [], 4: [] };
  for (const ordered of orderChanges(changes)) {
    const deferred = literals.length === 0 ? undefined : deferValueUses(ordered, literals);
    for (const l of deferred?.later ?? []) later[l.rank].push(l.statement);
    const change = deferred === undefined ? ordered : deferred.change;
    if (change === undefined) continue;
    const phased = phaseChange(change, phaseCtx);
    if (phased === undefined) {
      main.push(planChange(change, tables));
      continue;
    }
    main.push(...phased.now);
    for (const l of phased.later) later[l.rank].push(l.statement);
  }
  return [...main, ...Object.values(later).flat()];
}

/** The tables a plan finds (`existing`) and those it creates: any other table a statement names existed before it too (another owner's). */
interface Tables {
  readonly existing: ReadonlySet<string>;
  readonly created: ReadonlySet<string>;
}

/** The tables that exist before the plan runs: the previous snapshot's, under their new names, and those it restores. */
function existingTables(changes: readonly Change[], prev: Snapshot): Set<string> {
  const existing = new Set(prev.tables.map((t) => t.name));
  for (const c of changes) {
    if (c.kind === 'RenameTable') existing.add(c.to);
    else if (c.kind === 'RestoreTable') existing.add(c.table.name);
  }
  return existing;
}

/** The tables `changes` create. */
function createdTables(changes: readonly Change[]): Set<string> {
  return new Set(changes.flatMap((c) => (c.kind === 'AddTable' ? [c.table.name] : [])));
}

/**
 * A transactional statement, made by a constructor and not an object literal: an owner's
 * statements all live until its migration is rendered, and V8 allocates the objects of a
 * literal whose objects outlive a young collection directly in the old generation, where
 * those of every owner (and the SQL they hold) would stay as garbage until a full collection.
 */
class Step implements Statement {
  readonly sql: string;
  readonly reverse: string;
  readonly comment: string;
  readonly transactional: boolean;
  readonly altersExisting: boolean;

  constructor(comment: string, sql: string, reverse: string, altersExisting: boolean) {
    this.sql = sql;
    this.reverse = reverse;
    this.comment = comment.replace(/[\r\n]+/g, ' ');
    this.transactional = true;
    this.altersExisting = altersExisting;
  }
}

function step(comment: string, sql: string, reverse: string, altersExisting: boolean): Statement {
  return new Step(comment, sql, reverse, altersExisting);
}

/**
 * An extension other owners declare too: installed if missing (up), never dropped, since it
 * belongs to the workspace. `installs` says which side creates it: `up` for an owner that now
 * declares it (the down keeps it), `down` for one that no longer does (the up keeps it).
 */
function keepExtension(name: string, owners: readonly string[], installs: 'up' | 'down'): Statement {
  const create = `CREATE EXTENSION IF NOT EXISTS ${q(name)};`;
  const keep = `-- nothing to run: ${owners.join(', ')} declare${owners.length === 1 ? 's' : ''} it too`;
  const stays = `Keep extension ${q(name)} (the workspace's: ${owners.join(', ')} declare${owners.length === 1 ? 's' : ''} it too)`;
  if (installs === 'up') return { ...step(`Install extension ${q(name)}`, create, keep, false), reverseComment: stays };
  return { ...step(stays, keep, create, false), reverseComment: `Install extension ${q(name)}` };
}

const NOUN = { primaryKey: 'primary key', foreignKey: 'foreign key', unique: 'unique constraint', check: 'check constraint' } as const;

function addConstraint(table: string, k: SnapConstraint, altersExisting: boolean): Statement {
  const what = `${NOUN[k.kind]} ${q(k.value.name)} on ${q(table)}`;
  return step(`Add ${what}`, addConstraintSql(table, k), dropConstraintSql(table, k.value.name), altersExisting);
}

function dropConstraint(table: string, k: SnapConstraint): Statement {
  const what = `${NOUN[k.kind]} ${q(k.value.name)} on ${q(table)}`;
  return step(`Drop ${what}`, dropConstraintSql(table, k.value.name), addConstraintSql(table, k), true);
}

function planChange(c: Change, { existing, created }: Tables): Statement {
  switch (c.kind) {
    case 'AddExtension':
      if (c.sharedWith !== undefined) return keepExtension(c.name, c.sharedWith, 'up');
      return step(`Install extension ${q(c.name)}`, `CREATE EXTENSION IF NOT EXISTS ${q(c.name)};`, `DROP EXTENSION IF EXISTS ${q(c.name)};`, false);
    case 'DropExtension':
      if (c.sharedWith !== undefined) return keepExtension(c.name, c.sharedWith, 'down');
      return step(`Remove extension ${q(c.name)}`, `DROP EXTENSION IF EXISTS ${q(c.name)};`, `CREATE EXTENSION IF NOT EXISTS ${q(c.name)};`, false);
    case 'AddEnum':
      return step(`Create enum ${q(c.enum.name)}`, createEnumSql(c.enum), dropEnumSql(c.enum.name), false);
    case 'DropEnum':
      return step(`Drop enum ${q(c.enum.name)}`, dropEnumSql(c.enum.name), createEnumSql(c.enum), true);
    case 'RenameEnum':
      return step(`Rename enum ${q(c.from)} to ${q(c.to)}`, `ALTER TYPE ${q(c.from)} RENAME TO ${q(c.to)};`, `ALTER TYPE ${q(c.to)} RENAME TO ${q(c.from)};`, true);
    case 'AddEnumValue':
      return step(
        `Add value ${c.value} to enum ${q(c.enum)} (usable only after this transaction commits; the down migration recreates the type)`,
        addEnumValueSql(c.enum, c.value, c.before, c.after),
        recreateEnumSql(c.enum, c.valuesBefore, c.usages, c.dependents, 'down'),
        true,
      );
    case 'RecreateEnum':
      return step(
        `Recreate enum ${q(c.to.name)} with values ${c.to.values.join(', ')} (values removed or reordered; columns converted through text)`,
        recreateEnumSql(c.to.name, c.to.values, c.usages, c.dependents, 'up'),
        recreateEnumSql(c.from.name, c.from.values, c.usages, c.dependents, 'down'),
        true,
      );
    case 'AddTable':
      return step(`Create table ${q(c.table.name)}`, createTableSql(c.table), `DROP TABLE ${q(c.table.name)};`, false);
    case 'DropTable':
      return step(`Drop table ${q(c.table.name)} (the down migration recreates it empty)`, dropTableSql(c.table), recreateTableSql(c.table), true);
    case 'RenameTable':
      return step(`Rename table ${q(c.from)} to ${q(c.to)}`, `ALTER TABLE ${q(c.from)} RENAME TO ${q(c.to)};`, `ALTER TABLE ${q(c.to)} RENAME TO ${q(c.from)};`, true);
    case 'AddColumn':
    case 'DropColumn': {
      const add = [`ALTER TABLE ${q(c.table)} ADD COLUMN ${columnSql(c.column)};`, ...(c.column.comment === null ? [] : [columnCommentSql(c.table, c.column.name, c.column.comment)])].join('\n');
      const drop = `ALTER TABLE ${q(c.table)} DROP COLUMN ${q(c.column.name)};`;
      return c.kind === 'AddColumn'
        ? step(`Add column ${q(c.column.name)} to ${q(c.table)}`, add, drop, existing.has(c.table))
        : step(`Drop column ${q(c.column.name)} from ${q(c.table)} (the down migration re-adds it; its data is not restored)`, drop, add, true);
    }
    case 'RenameColumn':
      return step(
        `Rename column ${q(c.from)} of ${q(c.table)} to ${q(c.to)}`,
        `ALTER TABLE ${q(c.table)} RENAME COLUMN ${q(c.from)} TO ${q(c.to)};`,
        `ALTER TABLE ${q(c.table)} RENAME COLUMN ${q(c.to)} TO ${q(c.from)};`,
        true,
      );
    case 'AlterColumn':
      return step(
        `Alter column ${q(c.to.name)} of ${q(c.table)}: ${c.kinds.join(', ')}`,
        alterColumnSql(c.table, c.from, c.to, c.kinds),
        alterColumnSql(c.table, c.to, c.from, c.kinds),
        true,
      );
    case 'AddPrimaryKey':
      return addConstraint(c.table, { kind: 'primaryKey', value: c.primaryKey }, existing.has(c.table));
    case 'AddForeignKey':
      // The referenced table is locked too: any table this plan does not create existed before it, whoever owns it.
      return addConstraint(c.table, { kind: 'foreignKey', value: c.foreignKey }, existing.has(c.table) || !created.has(c.foreignKey.refTable));
    case 'AddUnique':
      return addConstraint(c.table, { kind: 'unique', value: c.unique }, existing.has(c.table));
    case 'AddCheck':
      return addConstraint(c.table, { kind: 'check', value: c.check }, existing.has(c.table));
    case 'DropPrimaryKey':
      return dropConstraint(c.table, { kind: 'primaryKey', value: c.primaryKey });
    case 'DropForeignKey':
      return dropConstraint(c.table, { kind: 'foreignKey', value: c.foreignKey });
    case 'DropUnique':
      return dropConstraint(c.table, { kind: 'unique', value: c.unique });
    case 'DropCheck':
      return dropConstraint(c.table, { kind: 'check', value: c.check });
    case 'RenameConstraint':
      return step(
        `Rename constraint ${q(c.from)} of ${q(c.table)} to ${q(c.to)}`,
        `ALTER TABLE ${q(c.table)} RENAME CONSTRAINT ${q(c.from)} TO ${q(c.to)};`,
        `ALTER TABLE ${q(c.table)} RENAME CONSTRAINT ${q(c.to)} TO ${q(c.from)};`,
        true,
      );
    case 'AddIndex':
      return step(`Create index ${q(c.index.name)} on ${q(c.table)}`, createIndexSql(c.table, c.index), dropIndexSql(c.index), existing.has(c.table));
    case 'DropIndex':
      return step(`Drop index ${q(c.index.name)} on ${q(c.table)}`, dropIndexSql(c.index), createIndexSql(c.table, c.index), true);
    case 'RenameIndex':
      return step(`Rename index ${q(c.from)} to ${q(c.to)}`, `ALTER INDEX ${q(c.from)} RENAME TO ${q(c.to)};`, `ALTER INDEX ${q(c.to)} RENAME TO ${q(c.from)};`, true);
    case 'AddTrigger':
      return step(`Create trigger ${q(c.trigger.name)} on ${q(c.table)} (sets ${c.trigger.columns.join(', ')} to now() on update)`, createTriggerSql(c.table, c.trigger), dropTriggerSql(c.table, c.trigger), existing.has(c.table));
    case 'DropTrigger':
      return step(`Drop trigger ${q(c.trigger.name)} on ${q(c.table)}`, dropTriggerSql(c.table, c.trigger), createTriggerSql(c.table, c.trigger), true);
    case 'EnableRls':
      return step(`Enable row-level security on ${q(c.table)}`, enableRlsSql(c.table, c.rls), disableRlsSql(c.table, c.rls), existing.has(c.table));
    case 'DisableRls':
      return step(`Disable row-level security on ${q(c.table)}`, disableRlsSql(c.table, c.rls), enableRlsSql(c.table, c.rls), true);
    case 'SetTableComment':
      return step(`Set the comment of table ${q(c.table)}`, tableCommentSql(c.table, c.to), tableCommentSql(c.table, c.from), existing.has(c.table));
    case 'ArchiveTable':
      return { ...step(`Archive table ${q(c.table.name)} into schema ${q(c.schema)} (its rows are kept)`, archiveTableSql(c.table, c.schema), restoreTableSql(c.table, c.schema), true), reverseComment: `Restore table ${q(c.table.name)} from schema ${q(c.schema)}` };
    case 'RestoreTable':
      return { ...step(`Restore table ${q(c.table.name)} from schema ${q(c.schema)} with its rows`, restoreTableSql(c.table, c.schema), archiveTableSql(c.table, c.schema), true), reverseComment: `Archive table ${q(c.table.name)} into schema ${q(c.schema)}` };
    case 'ArchiveEnum':
      return { ...step(`Archive enum ${q(c.enum.name)} into schema ${q(c.schema)}`, archiveEnumSql(c.enum.name, c.schema), restoreEnumSql(c.enum.name, c.schema), true), reverseComment: `Restore enum ${q(c.enum.name)} from schema ${q(c.schema)}` };
    case 'RestoreEnum':
      return { ...step(`Restore enum ${q(c.enum.name)} from schema ${q(c.schema)}`, restoreEnumSql(c.enum.name, c.schema), archiveEnumSql(c.enum.name, c.schema), true), reverseComment: `Archive enum ${q(c.enum.name)} into schema ${q(c.schema)}` };
    default:
      return assertNever(c);
  }
}
