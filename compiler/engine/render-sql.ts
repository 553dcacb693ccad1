/**
 * The SQL text of every statement the planner emits, built from snapshot IR. Identifiers
 * go through `quoteIdent`, values through `quoteLiteral`; expressions the models wrote
 * (defaults, checks, index predicates) arrive in the snapshot as printed from their parse
 * trees (`front/sql-deparse.ts`), never as the models file spells them. Every dollar-quoted
 * body gets a tag that does not occur in it (`dollarTag`).
 */
import type {
  ReferentialAction, SnapCheck, SnapColumn, SnapEnum, SnapForeignKey, SnapIndex, SnapPrimaryKey, SnapRls,
  SnapTable, SnapTrigger, SnapUnique,
} from '../ir.ts';
import { quoteIdent, quoteLiteral, sequenceName } from '../shared/index.ts';
import type { EnumDependents, EnumUsage } from './diff.ts';
import { BUILTIN_TYPE } from './snapshot.ts';

const q = quoteIdent;

/** The SQL of a snapshot type: built-ins as written, enum names quoted; `serial` → `integer` when `forAlter`. */
export function typeSql(type: string, forAlter = false): string {
  const base = elementType(type);
  const suffix = type.slice(base.length);
  if (!isBuiltin(base)) return q(base) + suffix;
  if (!forAlter) return type;
  return (base === 'serial' ? 'integer' : base === 'bigserial' ? 'bigint' : base) + suffix;
}

/** True when a snapshot type is an enum (or an array of one). */
export function isEnumType(type: string): boolean {
  return !isBuiltin(elementType(type));
}

/** A type without its `[]` suffixes. */
function elementType(type: string): string {
  let base = type;
  while (base.endsWith('[]')) base = base.slice(0, -2);
  return base;
}

/** `BUILTIN_TYPE` answers by type text: a workspace has few distinct types and tens of thousands of columns. */
const builtinTypes = new Map<string, boolean>();

function isBuiltin(base: string): boolean {
  let builtin = builtinTypes.get(base);
  if (builtin === undefined) builtinTypes.set(base, (builtin = BUILTIN_TYPE.test(base)));
  return builtin;
}

/** A column definition: `"name" type NOT NULL DEFAULT expr`. */
export function columnSql(c: SnapColumn): string {
  const notNull = c.nullable ? '' : ' NOT NULL';
  const dflt = c.default === null ? '' : ` DEFAULT ${c.default}`;
  return `${q(c.name)} ${typeSql(c.type)}${notNull}${dflt}`;
}

/** `COMMENT ON TABLE "t" IS '…'` (NULL removes it). */
export function tableCommentSql(table: string, comment: string | null): string {
  return `COMMENT ON TABLE ${q(table)} IS ${comment === null ? 'NULL' : quoteLiteral(comment)};`;
}

/** `COMMENT ON COLUMN "t"."c" IS '…'` (NULL removes it). */
export function columnCommentSql(table: string, column: string, comment: string | null): string {
  return `COMMENT ON COLUMN ${q(table)}.${q(column)} IS ${comment === null ? 'NULL' : quoteLiteral(comment)};`;
}

/** `CREATE TABLE` with columns, primary key, uniques and checks inline, then its comments. */
export function createTableSql(t: SnapTable): string {
  const items = t.columns.map((c) => `  ${columnSql(c)}`);
  if (t.primaryKey) items.push(`  ${primaryKeyClause(t.primaryKey)}`);
  for (const u of t.uniques) items.push(`  ${uniqueClause(u)}`);
  for (const c of t.checks) items.push(`  ${checkClause(c)}`);
  const lines = [`CREATE TABLE ${q(t.name)} (\n${items.join(',\n')}\n);`];
  if (t.comment !== null) lines.push(tableCommentSql(t.name, t.comment));
  for (const c of t.columns) if (c.comment !== null) lines.push(columnCommentSql(t.name, c.name, c.comment));
  return lines.join('\n');
}

/** Recreates everything of a table but its foreign keys: table, indexes, trigger, RLS. */
export function recreateTableSql(t: SnapTable): string {
  return [
    createTableSql(t),
    ...t.indexes.map((i) => createIndexSql(t.name, i)),
    ...t.triggers.map((g) => createTriggerSql(t.name, g)),
    ...(t.rls ? [enableRlsSql(t.name, t.rls)] : []),
  ].join('\n');
}

/** `DROP TABLE`, and the trigger functions that die with it. */
export function dropTableSql(t: SnapTable): string {
  return [`DROP TABLE ${q(t.name)};`, ...t.triggers.map((g) => `DROP FUNCTION ${q(g.function)}();`)].join('\n');
}

function columnList(columns: readonly string[]): string {
  return `(${columns.map(q).join(', ')})`;
}

function primaryKeyClause(pk: SnapPrimaryKey): string {
  return `CONSTRAINT ${q(pk.name)} PRIMARY KEY ${columnList(pk.columns)}`;
}

function uniqueClause(u: SnapUnique): string {
  return `CONSTRAINT ${q(u.name)} UNIQUE ${columnList(u.columns)}`;
}

function checkClause(c: SnapCheck): string {
  return `CONSTRAINT ${q(c.name)} CHECK (${c.expr})`;
}

const ACTION_SQL: Readonly<Record<ReferentialAction, string>> = {
  cascade: 'CASCADE', restrict: 'RESTRICT', 'set null': 'SET NULL', 'set default': 'SET DEFAULT', 'no action': 'NO ACTION',
};

function foreignKeyClause(f: SnapForeignKey): string {
  const onDelete = f.onDelete === 'no action' ? '' : ` ON DELETE ${ACTION_SQL[f.onDelete]}`;
  const onUpdate = f.onUpdate === 'no action' ? '' : ` ON UPDATE ${ACTION_SQL[f.onUpdate]}`;
  return `CONSTRAINT ${q(f.name)} FOREIGN KEY ${columnList(f.columns)} REFERENCES ${q(f.refTable)} ${columnList(f.refColumns)}${onDelete}${onUpdate}`;
}

/** A named table constraint: primary key, foreign key, unique or check. */
export type SnapConstraint =
  | { readonly kind: 'primaryKey'; readonly value: SnapPrimaryKey }
  | { readonly kind: 'foreignKey'; readonly value: SnapForeignKey }
  | { readonly kind: 'unique'; readonly value: SnapUnique }
  | { readonly kind: 'check'; readonly value: SnapCheck };

/** `ALTER TABLE "t" ADD CONSTRAINT …`. */
export function addConstraintSql(table: string, c: SnapConstraint): string {
  const clause =
    c.kind === 'primaryKey' ? primaryKeyClause(c.value)
    : c.kind === 'foreignKey' ? foreignKeyClause(c.value)
    : c.kind === 'unique' ? uniqueClause(c.value)
    : checkClause(c.value);
  return `ALTER TABLE ${q(table)} ADD ${clause};`;
}

/** `ALTER TABLE "t" DROP CONSTRAINT "n"`. */
export function dropConstraintSql(table: string, name: string): string {
  return `ALTER TABLE ${q(table)} DROP CONSTRAINT ${q(name)};`;
}

/** `CREATE [UNIQUE] INDEX "n" ON "t" [USING m] (cols [opclass]) [WITH (p = n, …)] [WHERE (…)]`. */
export function createIndexSql(table: string, i: SnapIndex): string {
  const unique = i.unique ? 'UNIQUE ' : '';
  const using = i.using === 'btree' ? '' : ` USING ${i.using}`;
  const where = i.where === null ? '' : ` WHERE (${i.where})`;
  const columns = `(${i.columns.map((c) => (i.opclasses?.[c] === undefined ? q(c) : `${q(c)} ${q(i.opclasses[c])}`)).join(', ')})`;
  return `CREATE ${unique}INDEX ${q(i.name)} ON ${q(table)}${using} ${columns}${withSql(i.with)}${where};`;
}

/** ` WITH (m = 16, …)`: a name that is not a plain lower-case word is quoted, every value is an integer. */
function withSql(params: SnapIndex['with']): string {
  const entries = Object.entries(params ?? {});
  if (entries.length === 0) return '';
  return ` WITH (${entries.map(([k, v]) => {
    if (!Number.isSafeInteger(v)) throw new Error(`index parameter ${k} is not an integer`);
    return `${/^[a-z_][a-z0-9_]*$/.test(k) ? k : q(k)} = ${v}`;
  }).join(', ')})`;
}

/** `DROP INDEX "n"`. */
export function dropIndexSql(i: SnapIndex): string {
  return `DROP INDEX ${q(i.name)};`;
}

/** A dollar-quote tag `$<name>$` (or `$<name>_…$`) that does not occur in `body`, the whole text between the two tags. */
export function dollarTag(body: string, name = 'fn'): string {
  let tag = `$${name}$`;
  while (body.includes(tag)) tag = `${tag.slice(0, -1)}_$`;
  return tag;
}

/** `DO $tag$<body>$tag$;` with a tag the body cannot close. */
function doBlock(body: string): string {
  const tag = dollarTag(body, 'schemac');
  return `DO ${tag}${body}${tag};`;
}

/** The `on_update: now()` trigger: a plpgsql function setting each column to now(), and a BEFORE UPDATE trigger. */
export function createTriggerSql(table: string, g: SnapTrigger): string {
  const body = ['BEGIN', ...g.columns.map((c) => `  NEW.${q(c)} := now();`), '  RETURN NEW;', 'END;'].join('\n');
  const tag = dollarTag(`\n${body}\n`);
  return [
    `CREATE OR REPLACE FUNCTION ${q(g.function)}() RETURNS trigger LANGUAGE plpgsql AS ${tag}\n${body}\n${tag};`,
    `CREATE TRIGGER ${q(g.name)} BEFORE UPDATE ON ${q(table)} FOR EACH ROW EXECUTE FUNCTION ${q(g.function)}();`,
  ].join('\n');
}

/** Drops the trigger, then its function. */
export function dropTriggerSql(table: string, g: SnapTrigger): string {
  return `DROP TRIGGER ${q(g.name)} ON ${q(table)};\nDROP FUNCTION ${q(g.function)}();`;
}

/**
 * Enables and forces RLS and creates the policy on `client_id` = `app.client_id`. An unset or
 * reset setting reads as '' (not NULL) once a session has used it: NULLIF makes it match no row
 * instead of failing the `::uuid` cast.
 */
export function enableRlsSql(table: string, rls: SnapRls): string {
  const predicate = `${q('client_id')} = NULLIF(current_setting(${quoteLiteral('app.client_id')}, true), '')::uuid`;
  return [
    `ALTER TABLE ${q(table)} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${q(table)} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY ${q(rls.policy)} ON ${q(table)} USING (${predicate}) WITH CHECK (${predicate});`,
  ].join('\n');
}

/** Drops the policy and disables RLS. */
export function disableRlsSql(table: string, rls: SnapRls): string {
  return [
    `DROP POLICY ${q(rls.policy)} ON ${q(table)};`,
    `ALTER TABLE ${q(table)} NO FORCE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${q(table)} DISABLE ROW LEVEL SECURITY;`,
  ].join('\n');
}

/** `CREATE TYPE "e" AS ENUM (…)`. */
export function createEnumSql(e: SnapEnum): string {
  return `CREATE TYPE ${q(e.name)} AS ENUM (${e.values.map(quoteLiteral).join(', ')});`;
}

/** `DROP TYPE "e"`. */
export function dropEnumSql(name: string): string {
  return `DROP TYPE ${q(name)};`;
}

/**
 * Replaces enum `name` with one holding `values`: rename the old type, create the new one,
 * convert every column through text (its default, current on both sides as `downDefault`, is
 * dropped and the side's default restored), drop the old type. Partial indexes and checks
 * bound to the old type are dropped first and rebuilt last.
 */
export function recreateEnumSql(
  name: string, values: readonly string[], usages: readonly EnumUsage[], dependents: EnumDependents, side: 'up' | 'down',
): string {
  const old = `${name}_old`;
  const lines = [
    ...dependents.indexes.map((d) => dropIndexSql(d.index)),
    ...dependents.checks.map((d) => dropConstraintSql(d.table, d.check.name)),
    `ALTER TYPE ${q(name)} RENAME TO ${q(old)};`,
    createEnumSql({ name, values }),
  ];
  for (const u of usages) {
    const col = `ALTER TABLE ${q(u.table)} ALTER COLUMN ${q(u.column)}`;
    const restore = side === 'up' ? u.upDefault : u.downDefault;
    const arr = u.array ? '[]' : '';
    if (u.downDefault !== null) lines.push(`${col} DROP DEFAULT;`);
    lines.push(`${col} TYPE ${q(name)}${arr} USING ${q(u.column)}::text${arr}::${q(name)}${arr};`);
    if (restore !== null) lines.push(`${col} SET DEFAULT ${restore};`);
  }
  lines.push(dropEnumSql(old));
  lines.push(...dependents.checks.map((d) => addConstraintSql(d.table, { kind: 'check', value: d.check })));
  lines.push(...dependents.indexes.map((d) => createIndexSql(d.table, d.index)));
  return lines.join('\n');
}

/** `ALTER TYPE "e" ADD VALUE IF NOT EXISTS 'v' [BEFORE 'x' | AFTER 'y']`: a rerun finds the value there and goes on. */
export function addEnumValueSql(name: string, value: string, before?: string, after?: string): string {
  const position = before !== undefined ? ` BEFORE ${quoteLiteral(before)}` : after !== undefined ? ` AFTER ${quoteLiteral(after)}` : '';
  return `ALTER TYPE ${q(name)} ADD VALUE IF NOT EXISTS ${quoteLiteral(value)}${position};`;
}

/** The `USING` expression converting a column from one type to another (through text for enums). */
function usingSql(column: string, from: string, to: string): string {
  const target = typeSql(to, true);
  if (!isEnumType(from) && !isEnumType(to)) return `${q(column)}::${target}`;
  const arr = from.endsWith('[]') ? '[]' : '';
  return `${q(column)}::text${arr}::${target}`;
}

const SERIAL = /^(big)?serial$/;

/**
 * The ALTER statements taking column `from` to `to` for the given kinds of change. A type
 * change drops the default first (it may not cast) and sets the new one after; leaving
 * serial drops its `nextval` default, becoming serial creates and syncs a sequence, and
 * serial ↔ bigserial retypes the sequence too (else a bigserial column would still stop
 * at its integer sequence's end).
 */
export function alterColumnSql(table: string, from: SnapColumn, to: SnapColumn, kinds: readonly string[]): string {
  const col = `ALTER TABLE ${q(table)} ALTER COLUMN ${q(to.name)}`;
  const retype = kinds.includes('type');
  const [fromSerial, toSerial] = [SERIAL.test(from.type), SERIAL.test(to.type)];
  const dropFirst = retype && (from.default !== null || (fromSerial && !toSerial));
  const lines: string[] = [];
  if (dropFirst) lines.push(`${col} DROP DEFAULT;`);
  if (retype) lines.push(`${col} TYPE ${typeSql(to.type, true)} USING ${usingSql(to.name, from.type, to.type)};`);
  if (retype && fromSerial && toSerial) lines.push(sequenceTypeSql(table, to));
  if (retype && toSerial && !fromSerial) lines.push(...serialSequenceSql(table, to));
  else if (kinds.includes('default') || dropFirst) {
    if (to.default !== null) lines.push(`${col} SET DEFAULT ${to.default};`);
    else if (!dropFirst) lines.push(`${col} DROP DEFAULT;`);
  }
  if (kinds.includes('nullable')) lines.push(`${col} ${to.nullable ? 'DROP' : 'SET'} NOT NULL;`);
  if (kinds.includes('comment')) lines.push(columnCommentSql(table, to.name, to.comment));
  return lines.join('\n');
}

/**
 * The sequence of a serial column made `integer` or `bigint` as the column now is: found by
 * `pg_get_serial_sequence`, since a sequence keeps its name when its table or column is renamed.
 */
function sequenceTypeSql(table: string, c: SnapColumn): string {
  const type = c.type === 'bigserial' ? 'bigint' : 'integer';
  return doBlock(` BEGIN EXECUTE format('ALTER SEQUENCE %s AS ${type}', pg_get_serial_sequence(${quoteLiteral(q(table))}, ${quoteLiteral(c.name)})); END `);
}

/** What `serial` does for an existing column: a sequence owned by it, past its largest value, as its default. */
function serialSequenceSql(table: string, c: SnapColumn): string[] {
  const seq = sequenceName(table, c.name);
  const regclass = quoteLiteral(q(seq));
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${q(seq)} AS ${c.type === 'bigserial' ? 'bigint' : 'integer'} OWNED BY ${q(table)}.${q(c.name)};`,
    `SELECT setval(${regclass}, COALESCE(max(${q(c.name)}), 0) + 1, false) FROM ${q(table)};`,
    `ALTER TABLE ${q(table)} ALTER COLUMN ${q(c.name)} SET DEFAULT nextval(${regclass});`,
  ];
}

// ---------------------------------------------------------------------------
// Lock-aware forms (see compiler/phase.ts): each is safe to run again after a half-applied run.
// ---------------------------------------------------------------------------

/** `ALTER TABLE "t" ADD CONSTRAINT … NOT VALID`: checked for new rows only, with a brief lock and no scan. */
export function addConstraintNotValidSql(table: string, c: SnapConstraint): string {
  return addConstraintSql(table, c).replace(/;$/, ' NOT VALID;');
}

/** The same, skipped when the constraint already exists (for a file that may run twice). */
export function addConstraintNotValidOnceSql(table: string, c: SnapConstraint): string {
  return onlyIf(`NOT ${constraintExists(table, c.value.name)}`, addConstraintNotValidSql(table, c));
}

/** `ALTER TABLE "t" VALIDATE CONSTRAINT "n"`: scans under a lock that lets writes through. */
export function validateConstraintSql(table: string, name: string): string {
  return `ALTER TABLE ${q(table)} VALIDATE CONSTRAINT ${q(name)};`;
}

/**
 * A validated constraint made NOT VALID again, in one statement: dropped (if it exists) and
 * added back NOT VALID. A brief lock and no scan; the state it leaves is the same whatever
 * state it finds, so it runs again after any interruption.
 */
export function readdNotValidSql(table: string, c: SnapConstraint): string {
  return addConstraintNotValidSql(table, c).replace(/^ALTER TABLE ("(?:[^"]|"")*") ADD /, `ALTER TABLE $1 DROP CONSTRAINT IF EXISTS ${q(c.value.name)}, ADD `);
}

/** `ALTER TABLE "t" DROP CONSTRAINT IF EXISTS "n"`. */
export function dropConstraintIfExistsSql(table: string, name: string): string {
  return `ALTER TABLE ${q(table)} DROP CONSTRAINT IF EXISTS ${q(name)};`;
}

/** A `DO` block running `sql` when `condition` holds. */
function onlyIf(condition: string, sql: string): string {
  return doBlock(` BEGIN\n  IF ${condition} THEN\n    ${sql}\n  END IF;\nEND `);
}

function constraintExists(table: string, name: string): string {
  return `EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = ${quoteLiteral(q(table))}::regclass AND conname = ${quoteLiteral(name)})`;
}

/** The `CHECK (col IS NOT NULL)` named `check`. */
function notNullCheck(column: string, check: string): SnapConstraint {
  return { kind: 'check', value: { name: check, expr: `${q(column)} IS NOT NULL` } };
}

/**
 * Makes an existing column NOT NULL without a long lock: add the NOT VALID
 * `CHECK (col IS NOT NULL)` while the column is nullable and the check missing (the
 * transactional part may have added it already; a rerun may find it dropped), validate it
 * (a scan that lets writes through), then SET NOT NULL, which uses the validated check
 * instead of scanning, then drop the check. Every statement runs again after an interruption.
 */
export function setNotNullViaCheckSql(table: string, column: string, check: string): string {
  const nullable = `EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ${quoteLiteral(q(table))}::regclass AND attname = ${quoteLiteral(column)} AND NOT attnotnull)`;
  return [
    onlyIf(`${nullable} AND NOT ${constraintExists(table, check)}`, addConstraintNotValidSql(table, notNullCheck(column, check))),
    onlyIf(constraintExists(table, check), validateConstraintSql(table, check)),
    `ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} SET NOT NULL;`,
    dropConstraintIfExistsSql(table, check),
  ].join('\n');
}

/**
 * The reverse of `setNotNullViaCheckSql`, in one statement: DROP NOT NULL and drop the check
 * (whatever step an interrupted run stopped at); with `restoreCheck`, the NOT VALID check the
 * transactional part added is added back, so the next SET NOT NULL again needs no scan.
 */
export function dropNotNullViaCheckSql(table: string, column: string, check: string, restoreCheck: boolean): string {
  const add = restoreCheck ? `, ADD CONSTRAINT ${q(check)} CHECK (${q(column)} IS NOT NULL) NOT VALID` : '';
  return `ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)} DROP NOT NULL, DROP CONSTRAINT IF EXISTS ${q(check)}${add};`;
}

/**
 * `CREATE INDEX CONCURRENTLY IF NOT EXISTS`, preceded by a `DO` block that drops the INVALID
 * index an interrupted build leaves behind (a plain DROP INDEX: a `DO` block cannot run
 * CONCURRENTLY, and an invalid index serves no query, so only a brief lock is taken); a valid
 * index from an earlier run is kept.
 */
export function createIndexConcurrentlySql(table: string, i: SnapIndex): string {
  const regclass = `to_regclass(${quoteLiteral(q(i.name))})`;
  const invalid = `EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = ${regclass} AND NOT indisvalid)`;
  return [
    onlyIf(invalid, `DROP INDEX ${q(i.name)};`),
    createIndexSql(table, i).replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY IF NOT EXISTS '),
  ].join('\n');
}

/** `DROP INDEX CONCURRENTLY IF EXISTS "n"`. */
export function dropIndexConcurrentlySql(name: string): string {
  return `DROP INDEX CONCURRENTLY IF EXISTS ${q(name)};`;
}

/** Turns a built unique index into the primary key or unique constraint of the same name (once). */
export function attachConstraintSql(table: string, kind: 'primaryKey' | 'unique', name: string): string {
  const what = kind === 'primaryKey' ? 'PRIMARY KEY' : 'UNIQUE';
  return onlyIf(`NOT ${constraintExists(table, name)}`, `ALTER TABLE ${q(table)} ADD CONSTRAINT ${q(name)} ${what} USING INDEX ${q(name)};`);
}

/** The rows a backfill updates per transaction. */
export const BACKFILL_BATCH = 1000;

/**
 * Fills a new column of an existing table from its default expression, in batches of
 * `BACKFILL_BATCH` rows each committed on its own, so writers wait at most one batch. The
 * UPDATE's names are the table's columns, even one named like the block's counter.
 */
export function backfillSql(table: string, column: string, expr: string): string {
  const t = q(table);
  const c = q(column);
  const body = [
    '#variable_conflict use_column',
    'DECLARE n bigint;',
    'BEGIN',
    '  LOOP',
    `    UPDATE ${t} SET ${c} = ${expr} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${t} WHERE ${c} IS NULL LIMIT ${BACKFILL_BATCH}));`,
    '    GET DIAGNOSTICS n = ROW_COUNT;',
    '    COMMIT;',
    '    EXIT WHEN n = 0;',
    '  END LOOP;',
    'END;',
  ].join('\n');
  return doBlock(`\n${body}\n`);
}

// ---------------------------------------------------------------------------
// Archiving the tables of an uninstalled tool (`schemac uninstall`).
// ---------------------------------------------------------------------------

/** Moves a table (with its rows, indexes, constraints and owned sequences) and its trigger functions into `schema`. */
export function archiveTableSql(t: SnapTable, schema: string): string {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${q(schema)};`,
    `ALTER TABLE ${q(t.name)} SET SCHEMA ${q(schema)};`,
    ...t.triggers.map((g) => `ALTER FUNCTION ${q(g.function)}() SET SCHEMA ${q(schema)};`),
  ].join('\n');
}

/** Moves an archived table and its trigger functions back into `public`. */
export function restoreTableSql(t: SnapTable, schema: string): string {
  return [
    `ALTER TABLE ${q(schema)}.${q(t.name)} SET SCHEMA public;`,
    ...t.triggers.map((g) => `ALTER FUNCTION ${q(schema)}.${q(g.function)}() SET SCHEMA public;`),
  ].join('\n');
}

/** Moves an enum type into `schema` (the columns using it keep it). */
export function archiveEnumSql(name: string, schema: string): string {
  return `CREATE SCHEMA IF NOT EXISTS ${q(schema)};\nALTER TYPE ${q(name)} SET SCHEMA ${q(schema)};`;
}

/** Moves an archived enum type back into `public`. */
export function restoreEnumSql(name: string, schema: string): string {
  return `ALTER TYPE ${q(schema)}.${q(name)} SET SCHEMA public;`;
}
