/**
 * Enum values added and used by one migration. PostgreSQL adds a value inside a transaction
 * (`ALTER TYPE … ADD VALUE IF NOT EXISTS`, since version 12) but refuses to use it before that
 * transaction commits. So the value is added in the transactional file and every use of it (a
 * default, a check, a partial index predicate) moves to the follow-up `-- schemac:no-transaction`
 * file, in forms that run again after any failure: `SET DEFAULT`, a constraint added NOT VALID
 * once and then validated, an index built concurrently, a backfill in batches. What the
 * transactional file still does of the change is the change rewritten without the use. A
 * conversion of rows to the enum cannot be moved and is refused by the lint
 * (`enum-value-conversion` in lint/safety.ts). Pure.
 */
import type { SnapColumn, SnapTable } from '../ir.ts';
import { quoteIdent as q, quoteLiteral } from '../shared/index.ts';
import type { AlterColumn, AlterKind, Change } from './diff.ts';
import type { Phased } from './phase.ts';
import { addLater, buildIndex, fillLater, later } from './phase.ts';

/** Why a use waits for the concurrent part, as its comments say. */
const WHY = 'it names an enum value the transactional part adds';
/** When a constraint that uses a new value is added. */
const ONCE = 'once the enum value it names is committed';

/** A Deferred change: what the transactional file still does (undefined: nothing) and the uses moved to the concurrent part. */
export interface Deferred {
  readonly change?: Change;
  readonly later: Phased['later'];
}

/** The quoted literals of the enum values `changes` add to existing enums (empty when none). */
export function addedValueLiterals(changes: readonly Change[]): string[] {
  return changes.flatMap((c) => (c.kind === 'AddEnumValue' ? [quoteLiteral(c.value)] : []));
}

/**
 * The enums that gain values in `changes`, by name: a column converted to one of them would
 * need the new values before they are committed.
 */
export function enumsGainingValues(changes: readonly Change[]): Set<string> {
  return new Set(changes.flatMap((c) => (c.kind === 'AddEnumValue' ? [c.enum] : [])));
}

/**
 * The change split around its uses of `literals` (an expression naming one, as text: a value
 * spelled like it elsewhere is moved too, which is harmless); undefined when it uses none.
 */
export function deferValueUses(c: Change, literals: readonly string[]): Deferred | undefined {
  const uses = (expr: string | null): boolean => expr !== null && literals.some((l) => expr.includes(l));
  switch (c.kind) {
    case 'AddTable':
      return deferInTable(c.table, uses);
    case 'AddColumn': {
      const { column } = c;
      if (!uses(column.default)) return undefined;
      const bare: SnapColumn = { ...column, nullable: true, default: null };
      return { change: { ...c, column: bare }, later: [setDefault(c.table, column.name, column.default!, null), ...fillLater(c.table, column.name, column.default!, column.nullable)] };
    }
    case 'AlterColumn':
      return uses(c.to.default) ? deferDefault(c) : undefined;
    case 'AddCheck':
      return uses(c.check.expr) ? { later: addLater(c.table, { kind: 'check', value: c.check }, ONCE) } : undefined;
    case 'AddIndex':
      return uses(c.index.where) ? { later: [{ rank: 1, statement: buildIndex(c.table, c.index) }] } : undefined;
    default:
      return undefined;
  }
}

/** A new table created without the defaults and checks that use a new value; those are added to it later. */
function deferInTable(t: SnapTable, uses: (expr: string | null) => boolean): Deferred | undefined {
  const defaults = t.columns.filter((c) => uses(c.default));
  const checks = t.checks.filter((k) => uses(k.expr));
  if (defaults.length + checks.length === 0) return undefined;
  const table: SnapTable = {
    ...t,
    columns: t.columns.map((c) => (uses(c.default) ? { ...c, default: null } : c)),
    checks: t.checks.filter((k) => !uses(k.expr)),
  };
  return {
    change: { kind: 'AddTable', table },
    later: [
      ...defaults.map((c) => setDefault(t.name, c.name, c.default!, null)),
      ...checks.flatMap((k) => addLater(t.name, { kind: 'check', value: k }, ONCE)),
    ],
  };
}

/**
 * A column whose new default uses a new value: the transactional file keeps its old default
 * (none when its type changes: the old one may not fit the new type) and does the rest of
 * the change; the concurrent part sets the new default.
 */
function deferDefault(c: AlterColumn): Deferred {
  const kept = c.kinds.includes('type') ? null : c.from.default;
  const to: SnapColumn = { ...c.to, default: kept };
  const others = c.kinds.filter((k) => k !== 'default');
  const kinds: AlterKind[] = kept === c.from.default ? others : [...others, 'default'];
  return { change: kinds.length === 0 ? undefined : { ...c, to, kinds }, later: [setDefault(c.table, c.to.name, c.to.default!, kept)] };
}

/** `SET DEFAULT` in the concurrent part (runs again as it is); its reverse restores `before`. */
function setDefault(table: string, column: string, dflt: string, before: string | null): Phased['later'][number] {
  const col = `ALTER TABLE ${q(table)} ALTER COLUMN ${q(column)}`;
  const reverse = before === null ? `${col} DROP DEFAULT;` : `${col} SET DEFAULT ${before};`;
  return {
    rank: 0,
    statement: later(`Set the default of ${q(column)} of ${q(table)} (in this part: ${WHY})`, `${col} SET DEFAULT ${dflt};`, reverse, `Restore the default of ${q(column)} of ${q(table)}`),
  };
}
