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
  const at = { span: t.span, table: t.table, column: t.column };
  const bytes = names.identifierBytes(t.name);
  if (!t.derived && !t.label && !SNAKE_CASE.test(t.name)) {
    return { ...at, message: `${t.what} '${t.name}' is not snake_case`, hint: `use lower case letters, digits and underscores, e.g. '${toSnakeCase(t.name)}'` };
  }
  if (bytes > names.MAX_IDENTIFIER_BYTES) {
    return { ...at, message: `${t.what} '${t.name}' is ${bytes} bytes, over PostgreSQL's ${names.MAX_IDENTIFIER_BYTES}-byte limit`, hint: lengthHint(t) };
  }
  if (!t.derived && !t.label && !t.reservedOk && isReservedWord(t.name)) {
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
  for (const table of allTables(ws)) things.push(...tableNames(table));
  for (const e of allEnums(ws)) {
    things.push({ what: 'enum name', name: e.name, span: e.span, derived: false });
    e.values.forEach((v, i) => things.push({ what: `value of enum ${e.name}`, name: v, span: e.valueSpans[i] ?? e.span, derived: false, label: true }));
  }
  return things;
}

const INDEX_FIX = 'give the index an explicit, shorter `name:`, or shorten the table or column names';
const COLUMN_INDEX_FIX = (column: string): string =>
  `replace \`index: true\` with an entry \`- { columns: [${column}], name: <shorter name> }\` under \`indexes:\`, or shorten the column name`;

function tableNames(table: TableDef): NamedThing[] {
  const t = table.name;
  const own = { table: t, derived: false };
  const derived = { table: t, derived: true };
  const things: NamedThing[] = [{ ...own, what: 'table name', name: t, span: table.span }];
  if (names.identifierBytes(t) > names.MAX_IDENTIFIER_BYTES) return things;
  if (table.primaryKey || table.columns.some((c) => c.primaryKey)) {
    things.push({ ...derived, what: 'derived primary key name', name: names.pkeyName(t), span: table.primaryKey?.span ?? table.span });
  }
  for (const c of table.columns) {
    const col = { ...derived, column: c.name, span: c.span };
    things.push({ ...own, column: c.name, what: 'column name', name: c.name, span: c.span });
    if (names.identifierBytes(c.name) > names.MAX_IDENTIFIER_BYTES) continue;
    if (c.references) things.push({ ...col, what: 'derived foreign key name', name: names.fkeyName(t, [c.name]) });
    if (c.unique) things.push({ ...col, what: 'derived unique constraint name', name: names.uniqueName(t, [c.name]) });
    if (c.index) things.push({ ...col, what: 'derived index name', name: names.indexName(t, [c.name]), fix: COLUMN_INDEX_FIX(c.name) });
    if (c.check) things.push({ ...col, what: 'derived check constraint name', name: names.checkName(t, c.name) });
  }
  things.push(...tableLevelNames(table));
  return things;
}

function tableLevelNames(table: TableDef): NamedThing[] {
  const t = table.name;
  const derived = { table: t, derived: true };
  const things: NamedThing[] = [];
  for (const u of table.uniques) things.push({ ...derived, what: 'derived unique constraint name', name: names.uniqueName(t, u.columns), span: u.span });
  for (const i of table.indexes) {
    if (i.name !== undefined) things.push({ table: t, derived: false, what: 'index name', name: i.name, span: i.span });
    else things.push({ ...derived, what: 'derived index name', name: names.indexName(t, i.columns), span: i.span, fix: INDEX_FIX });
  }
  for (const c of table.checks) {
    things.push({ table: t, derived: false, reservedOk: true, what: 'check name', name: c.name, span: c.span });
    things.push({ ...derived, what: 'derived check constraint name', name: names.checkName(t, c.name), span: c.span });
  }
  const onUpdate = table.columns.find((c) => c.onUpdateNow);
  if (onUpdate) things.push({ ...derived, column: onUpdate.name, what: 'derived trigger name', name: names.updatedAtTriggerName(t), span: onUpdate.span });
  if (table.rls) things.push({ ...derived, what: 'derived policy name', name: names.rlsPolicyName(t), span: table.span });
  return things;
}
