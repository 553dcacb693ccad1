/**
 * Lock-aware phasing: the changes that would block writes on a table that already exists are
 * planned in a safe form instead. What takes only a brief lock stays in the transactional
 * migration; what scans or builds (validating a constraint, building an index, backfilling a
 * column) goes to a follow-up `-- schemac:no-transaction` file, every statement of which can
 * run again after a half-applied run. The down section of that file brings the database back
 * to the state right after the transactional file (a validated constraint becomes NOT VALID
 * again, a NOT NULL goes back to its NOT VALID check), so down then up never scans under an
 * exclusive lock; each of its statements runs again after an interruption too. Pure.
 */
import type { SnapIndex } from '../ir.ts';
import { identifierBytes, MAX_IDENTIFIER_BYTES, quoteIdent as q } from '../shared/index.ts';
import type { AddColumn, AddForeignKey, AddPrimaryKey, AddUnique, AlterColumn, Change } from './diff.ts';
import type { Statement } from './statement.ts';
import {
  addConstraintNotValidOnceSql, addConstraintNotValidSql, alterColumnSql, attachConstraintSql, backfillSql,
  columnCommentSql, columnSql, createIndexConcurrentlySql, dropConstraintIfExistsSql, dropIndexConcurrentlySql,
  dropNotNullViaCheckSql, readdNotValidSql, setNotNullViaCheckSql, type SnapConstraint, validateConstraintSql,
} from './render-sql.ts';

/** When a follow-up statement runs: NOT NULL and backfills, index builds, constraint attaches, late foreign keys, validations. */
export type Rank = 0 | 1 | 2 | 3 | 4;

/** A Phased change: statements for the transactional file now, and follow-up statements by rank. */
export interface Phased {
  readonly now: readonly Statement[];
  readonly later: readonly { readonly rank: Rank; readonly statement: Statement }[];
}

/** What phasing needs to know about the plan: tables that existed before it, and keys it builds concurrently. */
export interface PhaseContext {
  readonly existing: ReadonlySet<string>;
  /** `table\0col,col` of every unique or primary key built concurrently (a foreign key to one must wait for it). */
  readonly lateKeys: ReadonlySet<string>;
}

/** The `lateKeys` of a plan: the uniques and primary keys it adds to existing tables. */
export function lateKeys(changes: readonly Change[], existing: ReadonlySet<string>): Set<string> {
  const keys = new Set<string>();
  for (const c of changes) {
    if (c.kind === 'AddUnique' && existing.has(c.table)) keys.add(keyOf(c.table, c.unique.columns));
    else if (c.kind === 'AddPrimaryKey' && existing.has(c.table)) keys.add(keyOf(c.table, c.primaryKey.columns));
  }
  return keys;
}

function keyOf(table: string, columns: readonly string[]): string {
  return `${table}\0${columns.join(',')}`;
}

/** The safe form of a change, or undefined when its plain form does not block writes for long. */
export function phaseChange(c: Change, ctx: PhaseContext): Phased | undefined {
  switch (c.kind) {
    case 'AddForeignKey':
      return phaseForeignKey(c, ctx);
    case 'AddCheck':
      return ctx.existing.has(c.table) ? validateLater(c.table, { kind: 'check', value: c.check }) : undefined;
    case 'AlterColumn':
      return phaseNotNull(c, ctx);
    case 'AddColumn':
      return phaseVolatileDefault(c, ctx);
    case 'AddIndex':
      return ctx.existing.has(c.table) ? { now: [], later: [{ rank: 1, statement: buildIndex(c.table, c.index) }] } : undefined;
    case 'AddUnique':
    case 'AddPrimaryKey':
      return ctx.existing.has(c.table) ? phaseKey(c) : undefined;
    default:
      return undefined;
  }
}

/** A statement of the concurrent part: `reverse` brings the database back to the state before it ('' when there is nothing to undo). */
export function later(comment: string, sql: string, reverse: string, reverseComment?: string): Statement {
  return { sql, reverse, comment, transactional: false, altersExisting: true, concurrent: true, ...(reverseComment ? { reverseComment } : {}) };
}

function now(comment: string, sql: string, reverse: string): Statement {
  return { sql, reverse, comment, transactional: true, altersExisting: true };
}

const NOUN = { primaryKey: 'primary key', foreignKey: 'foreign key', unique: 'unique constraint', check: 'check constraint' } as const;

/**
 * A constraint added NOT VALID now (new rows are checked at once), validated later without
 * blocking writes; the validation's reverse makes it NOT VALID again (dropped and re-added in
 * one statement: a brief lock, no scan), as the transactional part left it.
 */
function validateLater(table: string, k: SnapConstraint): Phased {
  const what = `${NOUN[k.kind]} ${q(k.value.name)} on ${q(table)}`;
  const drop = dropConstraintIfExistsSql(table, k.value.name);
  const validate = later(`Validate ${what}`, validateConstraintSql(table, k.value.name), readdNotValidSql(table, k), `Make ${what} NOT VALID again (dropped and re-added: no scan)`);
  return {
    now: [now(`Add ${what} (NOT VALID: checked for new rows now, validated in the concurrent part)`, addConstraintNotValidSql(table, k), drop)],
    later: [{ rank: 4, statement: validate }],
  };
}

/**
 * A constraint added and validated in the concurrent part alone (a foreign key to a key built
 * there, a check naming an enum value the transactional part adds): added NOT VALID once,
 * then validated; its down drops it, as it was before the concurrent part.
 */
export function addLater(table: string, k: SnapConstraint, why: string): Phased['later'] {
  const what = `${NOUN[k.kind]} ${q(k.value.name)} on ${q(table)}`;
  const add = later(`Add ${what} (NOT VALID, ${why})`, addConstraintNotValidOnceSql(table, k), dropConstraintIfExistsSql(table, k.value.name), `Drop ${what}`);
  return [{ rank: 3, statement: add }, { rank: 4, statement: later(`Validate ${what}`, validateConstraintSql(table, k.value.name), '') }];
}

function phaseForeignKey(c: AddForeignKey, ctx: PhaseContext): Phased | undefined {
  const k: SnapConstraint = { kind: 'foreignKey', value: c.foreignKey };
  const late = ctx.lateKeys.size > 0 && ctx.lateKeys.has(keyOf(c.foreignKey.refTable, c.foreignKey.refColumns));
  if (!late) return ctx.existing.has(c.table) ? validateLater(c.table, k) : undefined;
  return { now: [], later: addLater(c.table, k, 'once the key it references exists') };
}

/** The temporary `CHECK (col IS NOT NULL)` behind a NOT NULL: `<table>_<column>_not_null`, shortened to fit 63 bytes. */
export function notNullCheckName(table: string, column: string): string {
  const name = `${table}_${column}_not_null`;
  if (identifierBytes(name) <= MAX_IDENTIFIER_BYTES) return name;
  let hash = 0;
  for (const ch of name) hash = (Math.imul(hash, 31) + ch.codePointAt(0)!) >>> 0;
  const suffix = `_${hash.toString(16).padStart(8, '0')}_not_null`;
  let head = name.slice(0, MAX_IDENTIFIER_BYTES - suffix.length);
  while (identifierBytes(head + suffix) > MAX_IDENTIFIER_BYTES) head = head.slice(0, -1);
  return head + suffix;
}

function notNullCheck(table: string, column: string): SnapConstraint {
  return { kind: 'check', value: { name: notNullCheckName(table, column), expr: `${q(column)} IS NOT NULL` } };
}

/**
 * SET NOT NULL on an existing column: a NOT VALID check now; later validate it, SET NOT NULL
 * (no scan) and drop it. The later step's reverse drops NOT NULL and adds the NOT VALID check
 * back, as the transactional part left them.
 */
function phaseNotNull(c: AlterColumn, ctx: PhaseContext): Phased | undefined {
  if (!ctx.existing.has(c.table) || !c.kinds.includes('nullable') || c.to.nullable || c.kinds.includes('type')) return undefined;
  const kinds = c.kinds.filter((k) => k !== 'nullable');
  const check = notNullCheck(c.table, c.to.name);
  const col = `column ${q(c.to.name)} of ${q(c.table)}`;
  const sql = [...(kinds.length ? [alterColumnSql(c.table, c.from, c.to, kinds)] : []), addConstraintNotValidSql(c.table, check)].join('\n');
  const reverse = [dropConstraintIfExistsSql(c.table, check.value.name), ...(kinds.length ? [alterColumnSql(c.table, c.to, c.from, kinds)] : [])].join('\n');
  const label = kinds.length ? `${kinds.join(', ')}; ` : '';
  return {
    now: [{ ...now(`Alter ${col}: ${label}NOT VALID check ${q(check.value.name)} ahead of NOT NULL`, sql, reverse), reverseComment: `Revert ${col}: ${label}drop the check ${q(check.value.name)}` }],
    later: [{ rank: 0, statement: setNotNull(c.table, c.to.name, check.value.name, true) }],
  };
}

/**
 * SET NOT NULL through a validated check. `checkBefore`: the transactional part added the
 * check (NOT VALID), so the reverse adds it back; otherwise the reverse leaves none.
 */
function setNotNull(table: string, column: string, check: string, checkBefore: boolean): Statement {
  return later(
    `Set ${q(column)} of ${q(table)} NOT NULL (through ${checkBefore ? 'the' : 'a'} validated check ${q(check)}, then drop the check)`,
    setNotNullViaCheckSql(table, column, check),
    dropNotNullViaCheckSql(table, column, check, checkBefore),
    checkBefore ? `Drop NOT NULL of ${q(column)} of ${q(table)}, back to its NOT VALID check ${q(check)}` : `Drop NOT NULL of ${q(column)} of ${q(table)}`,
  );
}

/** Defaults PostgreSQL evaluates per row: adding a column with one rewrites the table under an exclusive lock. */
const VOLATILE = /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|nextval)\s*\(/i;

/** True when a default is volatile (now() and CURRENT_TIMESTAMP are stable: PostgreSQL stores their value once, with no rewrite). */
export function isVolatileDefault(expr: string | null): boolean {
  return expr !== null && VOLATILE.test(expr.replace(/'(?:[^']|'')*'/g, "''"));
}

/**
 * A new column of an existing table with a volatile default: add it bare and set the default
 * now; later backfill, then NOT NULL through a check added only after the backfill (a NOT VALID
 * check still applies to updates of old rows, which would fail while they hold NULL).
 */
function phaseVolatileDefault(c: AddColumn, ctx: PhaseContext): Phased | undefined {
  const dflt = c.column.default;
  if (!ctx.existing.has(c.table) || dflt === null || !isVolatileDefault(dflt)) return undefined;
  const col = `ALTER TABLE ${q(c.table)} ALTER COLUMN ${q(c.column.name)}`;
  const sql = [
    `ALTER TABLE ${q(c.table)} ADD COLUMN ${columnSql({ ...c.column, nullable: true, default: null })};`,
    `${col} SET DEFAULT ${dflt};`,
    ...(c.column.comment === null ? [] : [columnCommentSql(c.table, c.column.name, c.column.comment)]),
  ].join('\n');
  return {
    now: [now(`Add column ${q(c.column.name)} to ${q(c.table)} (nullable and without its volatile default first: no table rewrite)`, sql, `ALTER TABLE ${q(c.table)} DROP COLUMN ${q(c.column.name)};`)],
    later: fillLater(c.table, c.column.name, dflt, c.column.nullable),
  };
}

/**
 * The later steps of a column added bare: backfill the rows from the default, in batches
 * (its reverse leaves the values: the column is still there after the down, and a rerun
 * skips filled rows), then NOT NULL through a check added only after the backfill (a NOT VALID
 * check still applies to updates of old rows, which would fail while they hold NULL).
 */
export function fillLater(table: string, column: string, dflt: string, nullable: boolean): Phased['later'] {
  const backfill = later(`Backfill ${q(column)} of ${q(table)} from its default, in batches`, backfillSql(table, column, dflt), '');
  if (nullable) return [{ rank: 0, statement: backfill }];
  return [{ rank: 0, statement: backfill }, { rank: 0, statement: setNotNull(table, column, notNullCheckName(table, column), false) }];
}

/** A unique or primary key on an existing table: build its index concurrently, then attach it as the constraint. */
function phaseKey(c: AddUnique | AddPrimaryKey): Phased {
  const [kind, key] = c.kind === 'AddUnique' ? (['unique', c.unique] as const) : (['primaryKey', c.primaryKey] as const);
  const index: SnapIndex = { name: key.name, columns: key.columns, unique: true, using: 'btree', where: null };
  const what = `${NOUN[kind]} ${q(key.name)} on ${q(c.table)}`;
  const attach = later(`Add ${what} using its index`, attachConstraintSql(c.table, kind, key.name), dropConstraintIfExistsSql(c.table, key.name), `Drop ${what}`);
  return { now: [], later: [{ rank: 1, statement: buildIndex(c.table, index) }, { rank: 2, statement: attach }] };
}

export function buildIndex(table: string, index: SnapIndex): Statement {
  return later(
    `Create index ${q(index.name)} on ${q(table)} concurrently (a rerun first drops an invalid leftover of an interrupted build)`,
    createIndexConcurrentlySql(table, index),
    dropIndexConcurrentlySql(index.name),
    `Drop index ${q(index.name)} on ${q(table)} concurrently`,
  );
}
