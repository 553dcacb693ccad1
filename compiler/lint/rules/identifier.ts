/**
 * `identifier`: every name is snake_case, fits PostgreSQL's 63-byte limit (names derived
 * from it too: keys, indexes, checks, triggers, policies) and is not a reserved word.
 */
import type { Span, TableDef, Workspace } from '../../ir.ts';
import * as names from '../../shared/index.ts';
import { isReservedWord } from '../reserved-words.ts';
import type { Finding, SchemaRule } from '../rule.ts';
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
    visitNames(workspace, (what, name, span, table, column, derived, extra) => {
      if (obviouslyFine(name, derived, extra)) return;
      const finding = checkName(thing(what, name, span, table, column, derived, extra));
      if (finding !== undefined) report(finding);
    });
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

/** Where a name is visited: the arguments of `thing`. */
type Visit = (
  what: string, name: string, span: Span, table: string | undefined, column: string | undefined, derived: boolean,
  extra?: { label?: boolean; reservedOk?: boolean; fix?: string },
) => void;

/**
 * True when `checkName` would find nothing, decided without building the NamedThing (this
 * runs for every name of the workspace): a name of at most 21 UTF-16 units is at most 63 bytes.
 */
function obviouslyFine(name: string, derived: boolean, extra?: { label?: boolean; reservedOk?: boolean }): boolean {
  const fits = name.length * 3 <= names.MAX_IDENTIFIER_BYTES || names.identifierBytes(name) <= names.MAX_IDENTIFIER_BYTES;
  if (derived || extra?.label) return fits;
  return fits && SNAKE_CASE.test(name) && (extra?.reservedOk === true || !isReservedWord(name));
}

/** Visits every name of the workspace, declared and derived. */
function visitNames(ws: Workspace, add: Visit): void {
  for (const table of allTables(ws)) tableNames(table, add);
  for (const e of allEnums(ws)) {
    add('enum name', e.name, e.span, undefined, undefined, false);
    e.values.forEach((v, i) => add(`value of enum ${e.name}`, v, e.valueSpans[i] ?? e.span, undefined, undefined, false, { label: true }));
  }
}

/** A NamedThing; every one has the same shape (no spreads: this runs for every name of the workspace). */
function thing(
  what: string, name: string, span: Span, table: string | undefined, column: string | undefined, derived: boolean,
  extra?: { label?: boolean; reservedOk?: boolean; fix?: string },
): NamedThing {
  return { what, name, span, table, column, derived, label: extra?.label, reservedOk: extra?.reservedOk, fix: extra?.fix };
}

/** Constraint names never appear alone in a query: a reserved word is fine. */
const NAMED = { reservedOk: true } as const;
const NAME_FIX = 'give the constraint an explicit, shorter `name:`, or shorten the table or column names';
const INDEX_FIX = 'give the index an explicit, shorter `name:`, or shorten the table or column names';
const COLUMN_INDEX_FIX = (column: string): string =>
  `replace \`index: true\` with an entry \`- { columns: [${column}], name: <shorter name> }\` under \`indexes:\`, or shorten the column name`;

function tableNames(table: TableDef, add: Visit): void {
  const t = table.name;
  add('table name', t, table.span, t, undefined, false);
  if (names.identifierBytes(t) > names.MAX_IDENTIFIER_BYTES) return;
  const pkColumn = table.primaryKey === undefined ? table.columns.find((c) => c.primaryKey) : undefined;
  const pkName = table.primaryKey?.name ?? pkColumn?.constraintNames?.primaryKey;
  if (pkName !== undefined) add('primary key name', pkName, table.primaryKey?.span ?? pkColumn?.span ?? table.span, t, pkColumn?.name, false, NAMED);
  else if (table.primaryKey || pkColumn) {
    add('derived primary key name', names.pkeyName(t), table.primaryKey?.span ?? table.span, t, undefined, true);
  }
  for (const c of table.columns) {
    const column = c.name;
    add('column name', column, c.span, t, column, false);
    if (names.identifierBytes(column) > names.MAX_IDENTIFIER_BYTES) continue;
    const named = c.constraintNames;
    if (c.references?.name !== undefined) add('foreign key name', c.references.name, c.references.span, t, column, false, NAMED);
    else if (c.references) add('derived foreign key name', names.fkeyName(t, [column]), c.span, t, column, true);
    if (c.unique && named?.unique !== undefined) add('unique constraint name', named.unique, c.span, t, column, false, NAMED);
    else if (c.unique) add('derived unique constraint name', names.uniqueName(t, [column]), c.span, t, column, true);
    if (c.index) add('derived index name', names.indexName(t, [column]), c.span, t, column, true, { fix: COLUMN_INDEX_FIX(column) });
    if (c.check && named?.check !== undefined) add('check constraint name', named.check, c.check.span, t, column, false, NAMED);
    else if (c.check) add('derived check constraint name', names.checkName(t, column), c.span, t, column, true);
  }
  tableLevelNames(table, add);
}

function tableLevelNames(table: TableDef, add: Visit): void {
  const t = table.name;
  for (const u of table.uniques) {
    if (u.name !== undefined) add('unique constraint name', u.name, u.span, t, undefined, false, NAMED);
    else add('derived unique constraint name', names.uniqueName(t, u.columns), u.span, t, undefined, true);
  }
  for (const fk of table.foreignKeys ?? []) {
    if (fk.name !== undefined) add('foreign key name', fk.name, fk.span, t, undefined, false, NAMED);
    else add('derived foreign key name', names.fkeyName(t, fk.columns), fk.span, t, undefined, true, { fix: NAME_FIX });
  }
  for (const i of table.indexes) {
    if (i.name !== undefined) add('index name', i.name, i.span, t, undefined, false);
    else add('derived index name', names.indexName(t, i.columns), i.span, t, undefined, true, { fix: INDEX_FIX });
  }
  for (const c of table.checks) {
    add('check name', c.name, c.span, t, undefined, false, { reservedOk: true });
    if (c.constraintName !== undefined) add('check constraint name', c.constraintName, c.span, t, undefined, false, NAMED);
    else add('derived check constraint name', names.checkName(t, c.name), c.span, t, undefined, true);
  }
  const onUpdate = table.columns.find((c) => c.onUpdateNow);
  if (onUpdate) add('derived trigger name', names.updatedAtTriggerName(t), onUpdate.span, t, onUpdate.name, true);
  if (table.rls) add('derived policy name', names.rlsPolicyName(t), table.span, t, undefined, true);
}
