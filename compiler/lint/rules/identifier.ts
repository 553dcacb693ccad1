/**
 * `identifier`: every name is snake_case, fits PostgreSQL's 63-byte limit (names derived
 * from it too: keys, indexes, checks, triggers, policies) and is not a reserved word.
 */
import type { Span, TableDef, Workspace } from '../../ir.ts';
import * as names from '../../names.ts';
import type { Finding, SchemaRule } from '../rule.ts';
import { isReservedWord } from '../reserved-words.ts';
import { allEnums, allTables } from '../walk.ts';

const SNAKE_CASE = /^[a-z_][a-z0-9_]*$/;

/** A NamedThing is one identifier the rule checks, and where it came from. */
interface NamedThing {
  readonly what: string;
  readonly name: string;
  readonly span: Span;
  readonly table?: string;
  readonly column?: string;
  /** Derived names are only checked for length; declared ones for everything. */
  readonly derived: boolean;
  /** Enum labels are strings, not identifiers: only their length is limited. */
  readonly label?: boolean;
  /** Names that never appear alone in a query (check names) may be reserved words. */
  readonly reservedOk?: boolean;
  /** How to shorten a derived name, when there is a better way than renaming. */
  readonly fix?: string;
}

/** The identifier rule. */
export const identifier: SchemaRule = {
  id: 'identifier',
  defaultSeverity: 'error',
  description: `Names are snake_case (${SNAKE_CASE.source}), at most ${names.MAX_IDENTIFIER_BYTES} bytes including derived constraint, index, trigger and policy names, and not PostgreSQL reserved words.`,
  check({ workspace }, report) {
    for (const thing of namedThings(workspace)) {
      const finding = checkName(thing);
      if (finding !== undefined) report(finding);
    }
  },
};

function checkName(t: NamedThing): Finding | undefined {
  const bytes = names.identifierBytes(t.name);
  if (!t.derived && !t.label && !SNAKE_CASE.test(t.name)) {
    const at = { span: t.span, table: t.table, column: t.column };
    return { ...at, message: `${t.what} '${t.name}' is not snake_case`, hint: `use lower case letters, digits and underscores, e.g. '${toSnakeCase(t.name)}'` };
  }
  if (bytes > names.MAX_IDENTIFIER_BYTES) {
    const at = { span: t.span, table: t.table, column: t.column };
    return { ...at, message: `${t.what} '${t.name}' is ${bytes} bytes, over PostgreSQL's ${names.MAX_IDENTIFIER_BYTES}-byte limit`, hint: lengthHint(t) };
  }
  if (!t.derived && !t.label && !t.reservedOk && isReservedWord(t.name)) {
    const at = { span: t.span, table: t.table, column: t.column };
    return { ...at, message: `${t.what} '${t.name}' is a reserved word in PostgreSQL`, hint: `rename it (e.g. '${t.name}_value' or a more specific name): reserved words must be quoted in every query` };
  }
  return undefined;
}

function lengthHint(t: NamedThing): string {
  if (t.label) return 'shorten the enum value';
  if (!t.derived) return 'shorten the name: PostgreSQL would silently truncate it';
  return t.fix ?? 'shorten the table or column names so that the derived name fits';
}

/** Lower-cases, turns camelCase humps and other characters into underscores. */
export function toSnakeCase(name: string): string {
  const s = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function namedThings(ws: Workspace): NamedThing[] {
  const things: NamedThing[] = [];
  for (const table of allTables(ws)) tableNames(table, things);
  for (const e of allEnums(ws)) {
    things.push(thing('enum name', e.name, e.span, undefined, undefined, false));
    e.values.forEach((v, i) => things.push(thing(`value of enum ${e.name}`, v, e.valueSpans[i] ?? e.span, undefined, undefined, false, { label: true })));
  }
  return things;
}

/** A NamedThing; every one has the same shape (no spreads: this runs for every name of the workspace). */
function thing(
  what: string, name: string, span: Span, table: string | undefined, column: string | undefined, derived: boolean,
  extra?: { label?: boolean; reservedOk?: boolean; fix?: string },
): NamedThing {
  return { what, name, span, table, column, derived, label: extra?.label, reservedOk: extra?.reservedOk, fix: extra?.fix };
}

const INDEX_FIX = 'give the index an explicit, shorter `name:`, or shorten the table or column names';
const COLUMN_INDEX_FIX = (column: string): string =>
  `replace \`index: true\` with an entry \`- { columns: [${column}], name: <shorter name> }\` under \`indexes:\`, or shorten the column name`;

function tableNames(table: TableDef, things: NamedThing[]): void {
  const t = table.name;
  things.push(thing('table name', t, table.span, t, undefined, false));
  if (names.identifierBytes(t) > names.MAX_IDENTIFIER_BYTES) return;
  if (table.primaryKey || table.columns.some((c) => c.primaryKey)) {
    things.push(thing('derived primary key name', names.pkeyName(t), table.primaryKey?.span ?? table.span, t, undefined, true));
  }
  for (const c of table.columns) {
    const column = c.name;
    things.push(thing('column name', column, c.span, t, column, false));
    if (names.identifierBytes(column) > names.MAX_IDENTIFIER_BYTES) continue;
    if (c.references) things.push(thing('derived foreign key name', names.fkeyName(t, [column]), c.span, t, column, true));
    if (c.unique) things.push(thing('derived unique constraint name', names.uniqueName(t, [column]), c.span, t, column, true));
    if (c.index) things.push(thing('derived index name', names.indexName(t, [column]), c.span, t, column, true, { fix: COLUMN_INDEX_FIX(column) }));
    if (c.check) things.push(thing('derived check constraint name', names.checkName(t, column), c.span, t, column, true));
  }
  tableLevelNames(table, things);
}

function tableLevelNames(table: TableDef, things: NamedThing[]): void {
  const t = table.name;
  for (const u of table.uniques) things.push(thing('derived unique constraint name', names.uniqueName(t, u.columns), u.span, t, undefined, true));
  for (const i of table.indexes) {
    if (i.name !== undefined) things.push(thing('index name', i.name, i.span, t, undefined, false));
    else things.push(thing('derived index name', names.indexName(t, i.columns), i.span, t, undefined, true, { fix: INDEX_FIX }));
  }
  for (const c of table.checks) {
    things.push(thing('check name', c.name, c.span, t, undefined, false, { reservedOk: true }));
    things.push(thing('derived check constraint name', names.checkName(t, c.name), c.span, t, undefined, true));
  }
  const onUpdate = table.columns.find((c) => c.onUpdateNow);
  if (onUpdate) things.push(thing('derived trigger name', names.updatedAtTriggerName(t), onUpdate.span, t, onUpdate.name, true));
  if (table.rls) things.push(thing('derived policy name', names.rlsPolicyName(t), table.span, t, undefined, true));
}
