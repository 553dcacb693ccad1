/**
 * The SQL text of every statement the planner emits, built from snapshot IR. Identifiers
 * go through `quoteIdent`, values through `quoteLiteral`; expressions the models wrote
 * (defaults, checks, index predicates) are emitted as written, already parsed and checked.
 */
import type { EnumDependents, EnumUsage } from './diff.ts';
import type {
  ReferentialAction, SnapCheck, SnapColumn, SnapEnum, SnapForeignKey, SnapIndex, SnapPrimaryKey, SnapRls, SnapTable, SnapTrigger, SnapUnique,
} from './ir.ts';
import { BUILTIN_TYPE } from './snapshot.ts';
import { quoteIdent, quoteLiteral } from './sql.ts';

const q = quoteIdent;

/** The SQL of a snapshot type: built-ins as written, enum names quoted; `serial` → `integer` when `forAlter`. */
export function typeSql(type: string, forAlter = false): string {
  const base = type.replace(/(\[\])+$/, '');
  const suffix = type.slice(base.length);
  if (!BUILTIN_TYPE.test(base)) return q(base) + suffix;
  if (!forAlter) return type;
  return (base === 'serial' ? 'integer' : base === 'bigserial' ? 'bigint' : base) + suffix;
}

/** True when a snapshot type is an enum (or an array of one). */
export function isEnumType(type: string): boolean {
  return !BUILTIN_TYPE.test(type.replace(/(\[\])+$/, ''));
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
  const items = [
    ...t.columns.map(columnSql),
    ...(t.primaryKey ? [primaryKeyClause(t.primaryKey)] : []),
    ...t.uniques.map(uniqueClause),
    ...t.checks.map(checkClause),
  ];
  const comments = [
    ...(t.comment === null ? [] : [tableCommentSql(t.name, t.comment)]),
    ...t.columns.filter((c) => c.comment !== null).map((c) => columnCommentSql(t.name, c.name, c.comment)),
  ];
  return [`CREATE TABLE ${q(t.name)} (\n${items.map((i) => `  ${i}`).join(',\n')}\n);`, ...comments].join('\n');
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

/** `CREATE [UNIQUE] INDEX "n" ON "t" [USING m] (cols) [WHERE (…)]`. */
export function createIndexSql(table: string, i: SnapIndex): string {
  const unique = i.unique ? 'UNIQUE ' : '';
  const using = i.using === 'btree' ? '' : ` USING ${i.using}`;
  const where = i.where === null ? '' : ` WHERE (${i.where})`;
  return `CREATE ${unique}INDEX ${q(i.name)} ON ${q(table)}${using} ${columnList(i.columns)}${where};`;
}

/** `DROP INDEX "n"`. */
export function dropIndexSql(i: SnapIndex): string {
  return `DROP INDEX ${q(i.name)};`;
}

/** A dollar-quote tag that does not occur in `body`. */
function dollarTag(body: string): string {
  let tag = '$fn$';
  while (body.includes(tag)) tag = `${tag.slice(0, -1)}_$`;
  return tag;
}

/** The `on_update: now()` trigger: a plpgsql function setting each column to now(), and a BEFORE UPDATE trigger. */
export function createTriggerSql(table: string, g: SnapTrigger): string {
  const body = ['BEGIN', ...g.columns.map((c) => `  NEW.${q(c)} := now();`), '  RETURN NEW;', 'END;'].join('\n');
  const tag = dollarTag(body);
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

/** `ALTER TYPE "e" ADD VALUE 'v' [BEFORE 'x' | AFTER 'y']`. */
export function addEnumValueSql(name: string, value: string, before?: string, after?: string): string {
  const position = before !== undefined ? ` BEFORE ${quoteLiteral(before)}` : after !== undefined ? ` AFTER ${quoteLiteral(after)}` : '';
  return `ALTER TYPE ${q(name)} ADD VALUE ${quoteLiteral(value)}${position};`;
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
 * serial drops its `nextval` default, becoming serial creates and syncs a sequence.
 */
export function alterColumnSql(table: string, from: SnapColumn, to: SnapColumn, kinds: readonly string[]): string {
  const col = `ALTER TABLE ${q(table)} ALTER COLUMN ${q(to.name)}`;
  const retype = kinds.includes('type');
  const [fromSerial, toSerial] = [SERIAL.test(from.type), SERIAL.test(to.type)];
  const dropFirst = retype && (from.default !== null || (fromSerial && !toSerial));
  const lines: string[] = [];
  if (dropFirst) lines.push(`${col} DROP DEFAULT;`);
  if (retype) lines.push(`${col} TYPE ${typeSql(to.type, true)} USING ${usingSql(to.name, from.type, to.type)};`);
  if (retype && toSerial && !fromSerial) lines.push(...serialSequenceSql(table, to));
  else if (kinds.includes('default') || dropFirst) {
    if (to.default !== null) lines.push(`${col} SET DEFAULT ${to.default};`);
    else if (!dropFirst) lines.push(`${col} DROP DEFAULT;`);
  }
  if (kinds.includes('nullable')) lines.push(`${col} ${to.nullable ? 'DROP' : 'SET'} NOT NULL;`);
  if (kinds.includes('comment')) lines.push(columnCommentSql(table, to.name, to.comment));
  return lines.join('\n');
}

/** What `serial` does for an existing column: a sequence owned by it, past its largest value, as its default. */
function serialSequenceSql(table: string, c: SnapColumn): string[] {
  const seq = `${table}_${c.name}_seq`;
  const regclass = quoteLiteral(q(seq));
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${q(seq)} AS ${c.type === 'bigserial' ? 'bigint' : 'integer'} OWNED BY ${q(table)}.${q(c.name)};`,
    `SELECT setval(${regclass}, COALESCE(max(${q(c.name)}), 0) + 1, false) FROM ${q(table)};`,
    `ALTER TABLE ${q(table)} ALTER COLUMN ${q(c.name)} SET DEFAULT nextval(${regclass});`,
  ];
}
