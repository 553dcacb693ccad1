/**
 * The safety rules: lint rules over planned changes rather than models.
 * `destructive-change` reports what loses data; `unsafe-migration` reports what locks or
 * fails on a live table. Findings point at the models where the object still exists there,
 * at the owner's snapshot file otherwise.
 */
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { Change } from '../engine/index.ts';
import { enumsGainingValues } from '../engine/index.ts';
import { castable } from '../front/index.ts';
import type { Config, Owner, Severity, Span, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import type { Finding } from './rule.ts';
import { reportFindings } from './run.ts';

/** A SafetyContext is what a safety rule sees: the planned changes and where they come from. */
export interface SafetyContext {
  readonly changes: readonly Change[];
  readonly workspace: Workspace;
  readonly config: Config;
  readonly owner: Owner;
  /** `--allow-destructive`: destructive changes are intended. */
  readonly allowDestructive: boolean;
  /** The owner's snapshot file, where findings about objects gone from the models point. */
  readonly snapshotFile: string;
}

/** A SafetyRule is a lint rule over planned changes. */
export interface SafetyRule {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly description: string;
  check(ctx: SafetyContext, report: (finding: Finding) => void): void;
}

/** Lints planned changes with every safety rule, applying config severities and `lint.allow`. */
export function lintChanges(
  changes: readonly Change[],
  ctx: { workspace: Workspace; config: Config; owner: Owner; allowDestructive: boolean; snapshotFile: string },
): Diagnostic[] {
  const full: SafetyContext = { ...ctx, changes };
  const found = SAFETY_RULES.flatMap((rule) => {
    const findings: Finding[] = [];
    rule.check(full, (f) => void findings.push(f));
    return reportFindings(rule, findings, ctx);
  });
  return [...found, ...impossibleTypeChanges(full), ...enumValueConversions(full)];
}

/**
 * A column converted to an enum in the migration that adds values to that enum: PostgreSQL
 * refuses a value before the transaction that adds it commits, and the rows converted may
 * hold one. Every other use of a new value moves to the migration's concurrent part
 * (engine/enum-uses.ts); a conversion cannot, so it is an error no setting silences.
 */
function enumValueConversions(ctx: SafetyContext): Diagnostic[] {
  const gaining = enumsGainingValues(ctx.changes);
  if (gaining.size === 0) return [];
  return ctx.changes.flatMap((c) => {
    if (c.kind !== 'AlterColumn' || !c.kinds.includes('type')) return [];
    const target = c.to.type.replace(/(\[\])+$/, '');
    if (!gaining.has(target)) return [];
    return [error(
      'enum-value-conversion', columnSpan(ctx, c.table, c.to.name),
      `"${c.table}"."${c.to.name}" cannot change to the enum ${target} in the migration that adds values to ${target}: PostgreSQL accepts a new enum value only once the transaction that adds it has committed, and the rows converted may hold one`,
      `write the migration that adds the values first (leave the column's type as it is for now), then change the type in the next migration`,
    )];
  });
}

/**
 * Type changes PostgreSQL has no cast for (uuid to smallint): the migration would fail
 * whatever the rows. An error no setting silences, like the front end's.
 */
function impossibleTypeChanges(ctx: SafetyContext): Diagnostic[] {
  return ctx.changes.flatMap((c) => {
    if (c.kind !== 'AlterColumn' || !c.kinds.includes('type') || castable(c.from.type, c.to.type) !== false) return [];
    return [error('impossible-type-change', columnSpan(ctx, c.table, c.to.name), `"${c.table}"."${c.to.name}" cannot change from ${c.from.type} to ${c.to.type}: PostgreSQL has no cast between them`, 'add a column of the new type under another name (and drop the old one), instead of changing its type in place')];
  });
}

// ---------------------------------------------------------------------------
// Where a finding points.
// ---------------------------------------------------------------------------

function tableSpan(ctx: SafetyContext, table: string): Span {
  return ctx.workspace.tables.get(table)?.span ?? { file: ctx.snapshotFile, start: 0, end: 0 };
}

function columnSpan(ctx: SafetyContext, table: string, column: string): Span {
  const c = ctx.workspace.tables.get(table)?.columns.find((x) => x.name === column);
  return c?.span ?? tableSpan(ctx, table);
}

// ---------------------------------------------------------------------------
// Type conversions.
// ---------------------------------------------------------------------------

interface TypeInfo {
  readonly base: string;
  readonly params: readonly number[];
  readonly array: boolean;
}

const SERIAL: Readonly<Record<string, string>> = { serial: 'integer', bigserial: 'bigint' };
const INT_RANK: Readonly<Record<string, number>> = { smallint: 1, integer: 2, bigint: 3 };
const INT_DIGITS: Readonly<Record<string, number>> = { smallint: 5, integer: 10, bigint: 19 };
const STRINGS = new Set(['text', 'varchar', 'char']);

function typeInfo(type: string): TypeInfo {
  const m = /^(.*?)(?:\((\d+)(?:,\s*(\d+))?\))?((?:\[\])*)$/.exec(type);
  const base = m?.[1] ?? type;
  const params = [m?.[2], m?.[3]].filter((p) => p !== undefined).map(Number);
  return { base: SERIAL[base] ?? base, params, array: (m?.[4] ?? '') !== '' };
}

function sameType(a: TypeInfo, b: TypeInfo): boolean {
  return a.base === b.base && a.array === b.array && a.params.join() === b.params.join();
}

/** The maximum length a string type holds (text: unbounded). */
function stringLength(t: TypeInfo): number {
  return t.base === 'text' ? Infinity : t.params[0] ?? Infinity;
}

/** True when `to` cannot hold every value of `from` (or the conversion may fail). */
export function narrows(fromType: string, toType: string): boolean {
  const a = typeInfo(fromType);
  const b = typeInfo(toType);
  if (sameType(a, b)) return false;
  if (a.array !== b.array) return true;
  if (b.base === 'text') return false;
  if (STRINGS.has(a.base) && STRINGS.has(b.base)) return stringLength(b) < stringLength(a);
  if (a.base in INT_RANK && b.base in INT_RANK) return INT_RANK[b.base] < INT_RANK[a.base];
  if (b.base === 'numeric') return numericNarrows(a, b);
  if (a.base in INT_RANK && b.base === 'double precision') return a.base === 'bigint';
  if (a.base in INT_RANK && b.base === 'real') return a.base !== 'smallint';
  if (a.base === 'real' && b.base === 'double precision') return false;
  const lossless = [['timestamp', 'timestamptz'], ['timestamptz', 'timestamp'], ['date', 'timestamp'], ['date', 'timestamptz'], ['json', 'jsonb'], ['jsonb', 'json']];
  return !lossless.some(([x, y]) => a.base === x && b.base === y);
}

function numericNarrows(a: TypeInfo, b: TypeInfo): boolean {
  if (b.params.length === 0) return !(a.base in INT_DIGITS || a.base === 'numeric');
  const [p, s = 0] = b.params;
  if (a.base in INT_DIGITS) return p - s < INT_DIGITS[a.base];
  if (a.base !== 'numeric' || a.params.length === 0) return true;
  const [ap, as = 0] = a.params;
  return p - s < ap - as || s < as;
}

/** True when PostgreSQL rewrites the table to change a column from one type to the other. */
export function rewrites(fromType: string, toType: string): boolean {
  const a = typeInfo(fromType);
  const b = typeInfo(toType);
  if (sameType(a, b)) return false;
  if (a.array !== b.array) return true;
  if (a.base === 'varchar' && b.base === 'text') return false;
  if (a.base === 'varchar' && b.base === 'varchar') return stringLength(b) < stringLength(a);
  if (a.base === 'numeric' && b.base === 'numeric') {
    if (b.params.length === 0) return false;
    return a.params.length === 0 || (a.params[1] ?? 0) !== (b.params[1] ?? 0) || b.params[0] < a.params[0];
  }
  return true;
}

// ---------------------------------------------------------------------------
// The rules.
// ---------------------------------------------------------------------------

const RENAME_HINT = 'if it was renamed, declare `renamed_from`; if the loss is intended, rerun with --allow-destructive';

/** `destructive-change`: the plan drops a table, a column or an enum value, or narrows a column's type. */
export const destructiveChange: SafetyRule = {
  id: 'destructive-change',
  defaultSeverity: 'error',
  description: 'the plan drops a table, column or enum value, or narrows a type',
  check(ctx, report) {
    if (ctx.allowDestructive) return;
    for (const c of ctx.changes) {
      if (c.kind === 'DropTable') {
        const keep = ctx.owner === CORE ? '' : `; if its tool was removed, \`schemac uninstall ${ctx.owner}/<tool>\` archives its tables with their rows instead`;
        report({ span: tableSpan(ctx, c.table.name), message: `the plan drops table "${c.table.name}" and every row in it`, hint: RENAME_HINT + keep });
      } else if (c.kind === 'DropColumn') {
        report({ span: tableSpan(ctx, c.table), table: c.table, message: `the plan drops column "${c.column.name}" of "${c.table}" and its data`, hint: RENAME_HINT });
      } else if (c.kind === 'RecreateEnum') {
        const removed = c.from.values.filter((v) => !c.to.values.includes(v));
        if (removed.length === 0) continue;
        const span = ctx.workspace.enums.get(c.to.name)?.span ?? { file: ctx.snapshotFile, start: 0, end: 0 };
        report({ span, message: `the plan removes ${removed.map((v) => `'${v}'`).join(', ')} from enum "${c.to.name}": rows holding ${removed.length === 1 ? 'it' : 'them'} make the migration fail`, hint: 'update those rows first (edit the migration), then rerun with --allow-destructive' });
      } else if (c.kind === 'AlterColumn' && c.kinds.includes('type') && narrows(c.from.type, c.to.type)) {
        report({ span: columnSpan(ctx, c.table, c.to.name), table: c.table, column: c.to.name, message: `changing "${c.table}"."${c.to.name}" from ${c.from.type} to ${c.to.type} narrows the type: existing values may not fit`, hint: 'if every value fits, rerun with --allow-destructive' });
      }
    }
  },
};

/**
 * `unsafe-migration`: the plan adds a NOT NULL column without default to an existing table, or
 * rewrites a table. Indexes, keys, constraints, NOT NULL and volatile defaults on existing
 * tables are phased by the planner (`compiler/phase.ts`) and are not reported.
 */
export const unsafeMigration: SafetyRule = {
  id: 'unsafe-migration',
  defaultSeverity: 'warn',
  description: 'the plan adds a NOT NULL column without default to an existing table, or rewrites a table',
  check(ctx, report) {
    for (const c of ctx.changes) {
      if (c.kind === 'AddColumn' && !c.column.nullable && c.column.default === null && !/serial$/.test(c.column.type)) {
        report({ span: columnSpan(ctx, c.table, c.column.name), table: c.table, column: c.column.name, message: `adding NOT NULL column "${c.column.name}" without a default to existing table "${c.table}" fails when the table has rows`, hint: 'give it a default, or add it nullable, backfill, then make it NOT NULL' });
      } else if (c.kind === 'AlterColumn' && c.kinds.includes('type') && rewrites(c.from.type, c.to.type)) {
        report({ span: columnSpan(ctx, c.table, c.to.name), table: c.table, column: c.to.name, message: `changing "${c.table}"."${c.to.name}" from ${c.from.type} to ${c.to.type} rewrites the table under an ACCESS EXCLUSIVE lock`, hint: 'on a large table, add a new column, backfill it in batches, and switch over' });
      } else if (c.kind === 'RecreateEnum' && c.usages.length > 0) {
        const span = ctx.workspace.enums.get(c.to.name)?.span ?? { file: ctx.snapshotFile, start: 0, end: 0 };
        const tables = [...new Set(c.usages.map((u) => `"${u.table}"`))].join(', ');
        report({ span, message: `recreating enum "${c.to.name}" rewrites ${tables} under an ACCESS EXCLUSIVE lock`, hint: 'values can be appended without a rewrite; removing or reordering needs one' });
      }
    }
  },
};

/** Every safety rule, in the order of SPEC §4. */
export const SAFETY_RULES: readonly SafetyRule[] = [destructiveChange, unsafeMigration];
