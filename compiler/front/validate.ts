/**
 * Stage 3: check a parsed models.yaml against `schemas/models.schema.json`, then build the
 * model IR from its YAML nodes. Nodes with errors are dropped; the rest of the file still
 * becomes IR so later stages report what they can.
 */
import type { Node as YamlNode, Pair } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import { CORE } from '../ir.ts';
import type {
  CheckDef, ColumnConstraintNames, ColumnDef, DefaultDef, EnumDef, ExtensionRef, ForeignKeyDef, Fragment, IndexDef, IndexMethod,
  LintSettings, ModelFile, ReferenceDef, ReferentialAction, SourceFile, Span, TableDef, Tenancy, TypeRef, UniqueDef,
} from '../ir.ts';
import { buildDefault } from './defaults.ts';
import { schemaDiagnostics } from './json-schema.ts';
import type { ParsedDocument } from './parse.ts';
import { nodeEnd, nodeSpan, nodeStart } from './parse.ts';
import type { TypeParser } from './type-ref.ts';
import { memoizedTypeParser } from './type-ref.ts';
import { isMap, isScalar, isSeq } from './yaml-nodes.ts';

/** A YamlPair is one key and value of a YAML map node. */
type YamlPair = Pair<unknown, unknown>;

/** A Builder carries the file being built, collects diagnostics and parses its column types. */
interface Builder {
  readonly file: string;
  readonly owner: string;
  readonly diagnostics: Diagnostic[];
  readonly parseType: TypeParser;
}

/** The lint settings of a node without a `lint:` key: nothing allowed (shared, never changed). */
const NO_LINT: LintSettings = Object.freeze({ allow: Object.freeze({}) });

const NO_PAIRS: readonly YamlPair[] = [];

/** Validates a parsed models file and builds its IR. */
export function validate(parsed: ParsedDocument, source: SourceFile): { file?: ModelFile; diagnostics: Diagnostic[] } {
  const diagnostics = schemaDiagnostics('models', parsed.doc, source.path);
  const b: Builder = { file: source.path, owner: source.owner, diagnostics, parseType: memoizedTypeParser() };
  const top = pairsOf(parsed.doc.contents);
  const file: ModelFile = {
    kind: 'file',
    path: source.path,
    owner: source.owner,
    tables: buildTables(b, valueAt(top, 'tables')),
    enums: buildEnums(b, valueAt(top, 'enums')),
    extensions: buildExtensions(b, valueAt(top, 'extensions') ?? null),
    lint: buildLint(b, valueAt(top, 'lint') ?? null),
  };
  return { file, diagnostics: b.diagnostics };
}

/** The pairs of a map node; none when the node is not a map. */
function pairsOf(node: unknown): readonly YamlPair[] {
  return isMap(node) ? node.items : NO_PAIRS;
}

/** A pair's key as text; undefined when the key is missing, null or not a scalar. */
function keyOf(pair: YamlPair): string | undefined {
  const key = pair.key;
  if (!isScalar(key)) return undefined;
  const value = key.value;
  return typeof value === 'string' ? value : value === null ? undefined : String(value);
}

/** The pair of `key` among a map's pairs (keys are unique: the parser refuses duplicates). */
function pairAt(pairs: readonly YamlPair[], key: string): YamlPair | undefined {
  for (const p of pairs) if (keyOf(p) === key) return p;
  return undefined;
}

/** The value node of `key` among a map's pairs: undefined when the key is absent, null when it has no value. */
function valueAt(pairs: readonly YamlPair[], key: string): YamlNode | null | undefined {
  const p = pairAt(pairs, key);
  return p === undefined ? undefined : valueOf(p);
}

function valueOf(pair: YamlPair): YamlNode | null {
  return (pair.value as YamlNode | null | undefined) ?? null;
}

function str(node: YamlNode | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function bool(node: YamlNode | null | undefined): boolean | undefined {
  return isScalar(node) && typeof node.value === 'boolean' ? node.value : undefined;
}

function strings(node: YamlNode | null | undefined): string[] | undefined {
  if (!isSeq(node) || node.items.length === 0) return undefined;
  const out = node.items.map((n) => str(n as YamlNode));
  return out.includes(undefined) ? undefined : (out as string[]);
}

function fragment(b: Builder, node: YamlNode | null | undefined): Fragment | undefined {
  const sql = str(node);
  return sql === undefined || sql.trim() === '' ? undefined : { kind: 'fragment', sql, span: nodeSpan(b.file, node) };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isName(name: string): boolean {
  return name.length <= 128 && NAME.test(name);
}

/**
 * What `build` makes of each entry of a map node whose key is a name (nothing when the node
 * is not a map; other keys are the schema check's to report).
 */
function namedEntries<T>(node: YamlNode | null | undefined, build: (name: string, keyNode: YamlNode, value: YamlNode | null) => T | undefined): T[] {
  return built(pairsOf(node).map((p) => {
    const name = keyOf(p);
    return name !== undefined && isName(name) ? build(name, p.key as YamlNode, valueOf(p)) : undefined;
  }));
}

/**
 * The items that were built, in an array of their exact size: the IR keeps one list per
 * table and column list, and a list grown by `push` keeps room for more.
 */
function built<T>(items: (T | undefined)[]): T[] {
  return items.includes(undefined) ? items.filter((x): x is T => x !== undefined) : (items as T[]);
}

function buildTables(b: Builder, node: YamlNode | null | undefined): TableDef[] {
  return namedEntries(node, (name, keyNode, value) => (isMap(value) ? buildTable(b, name, keyNode, value.items) : undefined));
}

function buildTable(b: Builder, name: string, keyNode: YamlNode, keys: readonly YamlPair[]): TableDef {
  const pk = pairAt(keys, 'primary_key');
  const pkNode = pk && valueOf(pk);
  const pkColumns = pk && (strings(pkNode) ?? (isMap(pkNode) ? strings(valueAt(pkNode.items, 'columns')) : undefined));
  const foreignKeys = listOf(valueAt(keys, 'foreign_keys'), (n) => buildForeignKey(b, n));
  const tenant = str(valueAt(keys, 'tenant'));
  const rls = pairAt(keys, 'rls');
  if (rls && b.owner !== CORE && bool(valueOf(rls)) === false) b.diagnostics.push(orgRlsOff(b, name, rls));
  return {
    kind: 'table',
    name,
    owner: b.owner,
    file: b.file,
    comment: str(valueAt(keys, 'comment')),
    columns: buildColumns(b, valueAt(keys, 'columns')),
    primaryKey: pk && pkColumns ? { columns: pkColumns, span: nodeSpan(b.file, pkNode), ...nameIn(pkNode) } : undefined,
    indexes: listOf(valueAt(keys, 'indexes'), (n) => buildIndex(b, n)),
    uniques: listOf(valueAt(keys, 'unique'), (n) => buildUnique(b, n)),
    checks: buildChecks(b, valueAt(keys, 'checks')),
    ...(foreignKeys.length > 0 ? { foreignKeys } : {}),
    tenant: tenant === 'global' ? 'global' : ('client' as Tenancy),
    rls: bool(rls && valueOf(rls)) ?? false,
    rlsExplicit: rls !== undefined,
    renamedFrom: str(valueAt(keys, 'renamed_from')),
    lint: buildLint(b, valueAt(keys, 'lint') ?? null),
    span: nodeSpan(b.file, keyNode),
  };
}

/** An org's table may not turn row-level security off: every org table with a client_id has it, enabled and forced. */
function orgRlsOff(b: Builder, table: string, rls: YamlPair): Diagnostic {
  return error(
    'invalid-rls', nodeSpan(b.file, rls.key as YamlNode),
    `table '${table}' sets rls: false, but an org's tables cannot turn row-level security off`,
    "remove `rls: false`: every org table with a client_id gets row-level security, enabled and forced, so one client never sees another's rows",
  );
}

/** What `build` makes of each item of a list node (nothing when the node is not a list). */
function listOf<T>(node: YamlNode | null | undefined, build: (item: YamlNode) => T | undefined): T[] {
  return isSeq(node) ? built(node.items.map((item) => build(item as YamlNode))) : [];
}

function buildColumns(b: Builder, node: YamlNode | null | undefined): ColumnDef[] {
  return namedEntries(node, (name, keyNode, value) => {
    if (SYSTEM_COLUMNS.has(name)) b.diagnostics.push(error('reserved-column', nodeSpan(b.file, keyNode), `'${name}' is the name of a system column every PostgreSQL table has`, `system columns: ${[...SYSTEM_COLUMNS].join(', ')}; rename the column`));
    return buildColumn(b, name, keyNode, value);
  });
}

/** The names of the columns PostgreSQL gives every table: a column of the same name cannot be created. */
const SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['tableoid', 'xmin', 'cmin', 'xmax', 'cmax', 'ctid']);

function buildColumn(b: Builder, name: string, keyNode: YamlNode, value: YamlNode | null): ColumnDef | undefined {
  const shorthand = str(value);
  if (shorthand !== undefined) return columnFromShorthand(b, name, keyNode, value!, shorthand);
  if (!isMap(value)) return undefined;
  const keys = new ColumnKeys(value.items);
  const typeNode = valueIn(keys.type);
  const typeText = str(typeNode);
  if (typeText === undefined) return undefined;
  if (typeText.trim().endsWith('?')) {
    b.diagnostics.push(error('invalid-type', nodeSpan(b.file, typeNode), `'${typeText}': the '?' suffix belongs to the shorthand form`, 'write nullable: true'));
    return undefined;
  }
  const type = columnType(b, typeText, typeNode!);
  if (type === undefined) return undefined;
  const defaultValue = keys.default && buildDefault(valueOf(keys.default), type, b.file, b.diagnostics);
  const fields: ColumnFields = {
    name,
    type,
    nullable: bool(valueIn(keys.nullable)) ?? false,
    primaryKey: flag(valueIn(keys.primaryKey)),
    unique: flag(valueIn(keys.unique)),
    index: bool(valueIn(keys.index)) ?? false,
    default: defaultValue,
    references: buildReference(b, keys.references, keys.onDelete),
    comment: str(valueIn(keys.comment)),
    check: fragment(b, sqlOf(valueIn(keys.check))),
    constraintNames: constraintNames(keys),
    onUpdateNow: str(valueIn(keys.onUpdate)) === 'now()',
    encrypted: bool(valueIn(keys.encrypted)) ?? false,
    renamedFrom: str(valueIn(keys.renamedFrom)),
    lint: buildLint(b, valueIn(keys.lint) ?? null),
  };
  return new Column(fields, b.file, keyNode, value, typeNode!);
}

/** What a column declares: a ColumnDef without its places. */
type ColumnFields = Omit<ColumnDef, 'kind' | 'span' | 'valueSpan' | 'typeSpan'>;

/**
 * A ColumnDef as validate builds it. A large workspace has hundreds of thousands of columns:
 * each keeps the offsets of its three places in its file (its key, its value and its type)
 * and makes their Spans when they are read, by a check or a lint rule, instead of holding
 * three Span objects for the whole run.
 */
class Column implements ColumnDef {
  readonly kind = 'column' as const;
  readonly name: string;
  readonly type: TypeRef;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly index: boolean;
  readonly default?: DefaultDef;
  readonly references?: ReferenceDef;
  readonly comment?: string;
  readonly check?: Fragment;
  readonly constraintNames?: ColumnConstraintNames;
  readonly onUpdateNow: boolean;
  readonly encrypted: boolean;
  readonly renamedFrom?: string;
  readonly lint: LintSettings;
  private readonly file: string;
  private readonly keyStart: number;
  private readonly keyEnd: number;
  private readonly valueStart: number;
  private readonly valueEnd: number;
  private readonly typeStart: number;
  private readonly typeEnd: number;

  constructor(f: ColumnFields, file: string, keyNode: YamlNode, valueNode: YamlNode, typeNode: YamlNode) {
    this.name = f.name;
    this.type = f.type;
    this.nullable = f.nullable;
    this.primaryKey = f.primaryKey;
    this.unique = f.unique;
    this.index = f.index;
    this.default = f.default;
    this.references = f.references;
    this.comment = f.comment;
    this.check = f.check;
    if (f.constraintNames !== undefined) this.constraintNames = f.constraintNames;
    this.onUpdateNow = f.onUpdateNow;
    this.encrypted = f.encrypted;
    this.renamedFrom = f.renamedFrom;
    this.lint = f.lint;
    this.file = file;
    this.keyStart = nodeStart(keyNode);
    this.keyEnd = nodeEnd(keyNode);
    this.valueStart = nodeStart(valueNode);
    this.valueEnd = nodeEnd(valueNode);
    this.typeStart = nodeStart(typeNode);
    this.typeEnd = nodeEnd(typeNode);
  }

  get span(): Span {
    return place(this.file, this.keyStart, this.keyEnd);
  }

  get valueSpan(): Span {
    return place(this.file, this.valueStart, this.valueEnd);
  }

  get typeSpan(): Span {
    return place(this.file, this.typeStart, this.typeEnd);
  }
}

/**
 * A Span made from offsets when it is read: most die young, and they are made apart from the
 * spans `nodeSpan` makes for the IR, which live as long as it does.
 */
function place(file: string, start: number, end: number): Span {
  return { file, start, end };
}

/**
 * The pairs of a column map that validate reads, found in one pass over its pairs (a
 * column is read for many keys, most of them absent). Other keys are the schema check's.
 */
class ColumnKeys {
  type?: YamlPair;
  nullable?: YamlPair;
  primaryKey?: YamlPair;
  unique?: YamlPair;
  index?: YamlPair;
  default?: YamlPair;
  references?: YamlPair;
  onDelete?: YamlPair;
  comment?: YamlPair;
  check?: YamlPair;
  onUpdate?: YamlPair;
  encrypted?: YamlPair;
  renamedFrom?: YamlPair;
  lint?: YamlPair;

  constructor(pairs: readonly YamlPair[]) {
    for (const p of pairs) this.take(p);
  }

  private take(p: YamlPair): void {
    switch (keyOf(p)) {
      case 'type': this.type = p; break;
      case 'nullable': this.nullable = p; break;
      case 'primary_key': this.primaryKey = p; break;
      case 'unique': this.unique = p; break;
      case 'index': this.index = p; break;
      case 'default': this.default = p; break;
      case 'references': this.references = p; break;
      case 'on_delete': this.onDelete = p; break;
      case 'comment': this.comment = p; break;
      case 'check': this.check = p; break;
      case 'on_update': this.onUpdate = p; break;
      case 'encrypted': this.encrypted = p; break;
      case 'renamed_from': this.renamedFrom = p; break;
      case 'lint': this.lint = p; break;
    }
  }
}

/** The value node of a pair, when there is one. */
function valueIn(pair: YamlPair | undefined): YamlNode | null | undefined {
  return pair === undefined ? undefined : valueOf(pair);
}

/** The parsed type of a column (written at `node`), or undefined after reporting why it is not one. */
function columnType(b: Builder, text: string, node: YamlNode): TypeRef | undefined {
  const parsed = b.parseType(text, place(b.file, nodeStart(node), nodeEnd(node)));
  if (parsed.diagnostic) b.diagnostics.push(parsed.diagnostic);
  return parsed.type;
}

function columnFromShorthand(b: Builder, name: string, keyNode: YamlNode, value: YamlNode, text: string): ColumnDef | undefined {
  const trimmed = text.trim();
  const nullable = trimmed.endsWith('?');
  const type = columnType(b, nullable ? trimmed.slice(0, -1) : trimmed, value);
  if (type === undefined) return undefined;
  const fields: ColumnFields = { name, type, nullable, primaryKey: false, unique: false, index: false, onUpdateNow: false, encrypted: false, lint: NO_LINT };
  return new Column(fields, b.file, keyNode, value, value);
}

const ACTIONS: readonly ReferentialAction[] = ['cascade', 'restrict', 'set null', 'set default', 'no action'];

function action(node: YamlNode | null | undefined): ReferentialAction | undefined {
  const s = str(node);
  return ACTIONS.find((a) => a === s);
}

function buildReference(b: Builder, ref: YamlPair | undefined, outer: YamlPair | undefined): ReferenceDef | undefined {
  if (ref === undefined) {
    if (outer) b.diagnostics.push(error('orphan-key', nodeSpan(b.file, outer.key as YamlNode), '`on_delete` only applies to a column with `references`'));
    return undefined;
  }
  const refNode = valueOf(ref);
  const text = str(refNode);
  const refKeys = pairsOf(refNode);
  const parts = text !== undefined ? text.split('.') : [str(valueAt(refKeys, 'table')), str(valueAt(refKeys, 'column'))];
  const [table, column] = parts;
  if (parts.length !== 2 || table === undefined || column === undefined || !isName(table) || !isName(column)) return undefined;
  const inner = pairAt(refKeys, 'on_delete');
  if (outer && inner) b.diagnostics.push(error('conflicting-key', nodeSpan(b.file, outer.key as YamlNode), '`on_delete` is given twice: on the column and in `references`', 'keep one'));
  const onDelete = inner ?? outer;
  return {
    kind: 'reference',
    table,
    column,
    onDelete: (onDelete && action(valueOf(onDelete))) ?? 'no action',
    onUpdate: action(valueAt(refKeys, 'on_update')) ?? 'no action',
    ...nameIn(refNode),
    span: nodeSpan(b.file, refNode),
  };
}

/** `true`, or a map (`{ name }`): the column has the constraint. */
function flag(node: YamlNode | null | undefined): boolean {
  return bool(node) ?? isMap(node);
}

/** The `name:` of a map node, as `{ name }` when it is a valid one; `{}` otherwise. */
function nameIn(node: YamlNode | null | undefined): { name?: string } {
  const name = isMap(node) ? str(valueAt(node.items, 'name')) : undefined;
  return name !== undefined && isName(name) ? { name } : {};
}

/** The expression of a check: the string itself, or the `sql:` of a map. */
function sqlOf(node: YamlNode | null | undefined): YamlNode | null | undefined {
  return isMap(node) ? valueAt(node.items, 'sql') : node;
}

/** The explicit names of a column's primary key, unique and check constraints; undefined when none is named. */
function constraintNames(keys: ColumnKeys): ColumnConstraintNames | undefined {
  const primaryKey = nameIn(valueIn(keys.primaryKey)).name;
  const unique = nameIn(valueIn(keys.unique)).name;
  const check = nameIn(valueIn(keys.check)).name;
  if (primaryKey === undefined && unique === undefined && check === undefined) return undefined;
  return { ...(primaryKey !== undefined ? { primaryKey } : {}), ...(unique !== undefined ? { unique } : {}), ...(check !== undefined ? { check } : {}) };
}

/** An entry of `foreign_keys`: `{ columns, references: { table, columns }, on_delete?, on_update?, name? }`. */
function buildForeignKey(b: Builder, node: YamlNode): ForeignKeyDef | undefined {
  if (!isMap(node)) return undefined;
  const keys = node.items as readonly YamlPair[];
  const columns = strings(valueAt(keys, 'columns'));
  const refNode = valueAt(keys, 'references');
  const refKeys = pairsOf(refNode);
  const table = str(valueAt(refKeys, 'table'));
  const refColumns = strings(valueAt(refKeys, 'columns'));
  if (!columns || !refColumns || table === undefined || !isName(table)) return undefined;
  return {
    kind: 'foreignKey',
    columns,
    table,
    refColumns,
    onDelete: action(valueAt(keys, 'on_delete')) ?? 'no action',
    onUpdate: action(valueAt(keys, 'on_update')) ?? 'no action',
    ...nameIn(node),
    span: nodeSpan(b.file, node),
    refSpan: nodeSpan(b.file, refNode),
  };
}

function buildIndex(b: Builder, node: YamlNode): IndexDef | undefined {
  if (!isMap(node)) return undefined;
  const keys = node.items as readonly YamlPair[];
  const columns = strings(valueAt(keys, 'columns'));
  if (!columns) return undefined;
  const name = str(valueAt(keys, 'name'));
  return {
    kind: 'index',
    columns,
    unique: bool(valueAt(keys, 'unique')) ?? false,
    where: fragment(b, valueAt(keys, 'where')),
    using: (str(valueAt(keys, 'using')) as IndexMethod | undefined) ?? 'btree',
    name: name !== undefined && isName(name) ? name : undefined,
    opclasses: buildOpclasses(b, columns, valueAt(keys, 'opclass')),
    with: buildIndexParams(b, valueAt(keys, 'with')),
    span: nodeSpan(b.file, node),
  };
}

/** `opclass:` as column → class: one name for a one-column index, or a map (the schema checks the shapes). */
function buildOpclasses(b: Builder, columns: readonly string[], node: YamlNode | null | undefined): IndexDef['opclasses'] {
  const one = str(node);
  if (one !== undefined) {
    if (columns.length === 1) return { [columns[0]]: { name: one, span: nodeSpan(b.file, node) } };
    b.diagnostics.push(error('invalid-index', nodeSpan(b.file, node), `one opclass for an index of ${columns.length} columns`, `write a map column → opclass, e.g. opclass: { ${columns[0]}: ${one} }`));
    return undefined;
  }
  if (!isMap(node)) return undefined;
  const out: Record<string, { name: string; span: IndexDef['span'] }> = {};
  for (const pair of node.items as readonly YamlPair[]) {
    const column = keyOf(pair);
    const value = valueOf(pair);
    const opclass = str(value);
    if (column !== undefined && opclass !== undefined) out[column] = { name: opclass, span: nodeSpan(b.file, value) };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `with:` as parameter → value, checked per method by index-methods.ts. */
function buildIndexParams(b: Builder, node: YamlNode | null | undefined): IndexDef['with'] {
  if (!isMap(node)) return undefined;
  const params: Record<string, unknown> = {};
  for (const pair of node.items as readonly YamlPair[]) {
    const key = keyOf(pair);
    const value = valueOf(pair);
    if (key !== undefined) params[key] = isScalar(value) ? value.value : undefined;
  }
  return { params, span: nodeSpan(b.file, node) };
}

function buildUnique(b: Builder, node: YamlNode): UniqueDef | undefined {
  const columns = strings(node) ?? (isMap(node) ? strings(valueAt(node.items, 'columns')) : undefined);
  return columns ? { kind: 'unique', columns, ...nameIn(node), span: nodeSpan(b.file, node) } : undefined;
}

function buildChecks(b: Builder, node: YamlNode | null | undefined): CheckDef[] {
  return namedEntries(node, (name, keyNode, value): CheckDef | undefined => {
    const expr = fragment(b, sqlOf(value));
    const constraintName = nameIn(value).name;
    return expr && { kind: 'check', name, expr, ...(constraintName !== undefined ? { constraintName } : {}), span: nodeSpan(b.file, keyNode) };
  });
}

function buildEnums(b: Builder, node: YamlNode | null | undefined): EnumDef[] {
  return namedEntries(node, (name, keyNode, value) => buildEnum(b, name, keyNode, value));
}

function buildEnum(b: Builder, name: string, keyNode: YamlNode, value: YamlNode | null): EnumDef | undefined {
  const keys = pairsOf(value);
  const valuesNode = isSeq(value) ? value : valueAt(keys, 'values');
  const values = strings(valuesNode);
  if (!values || !isSeq(valuesNode)) return undefined;
  return {
    kind: 'enum',
    name,
    owner: b.owner,
    file: b.file,
    values,
    renamedFrom: str(valueAt(keys, 'renamed_from')),
    span: nodeSpan(b.file, keyNode),
    valueSpans: valuesNode.items.map((n) => nodeSpan(b.file, n as YamlNode)),
  };
}

function buildExtensions(b: Builder, node: YamlNode | null): ExtensionRef[] {
  return listOf(node, (n) => {
    const name = str(n);
    return name !== undefined && /^[a-z][a-z0-9_]{0,62}$/.test(name) ? { kind: 'extension' as const, name, span: nodeSpan(b.file, n) } : undefined;
  });
}

function buildLint(b: Builder, node: YamlNode | null): LintSettings {
  if (node === null) return NO_LINT;
  const allowed: Array<[string, string]> = [];
  for (const p of pairsOf(valueAt(pairsOf(node), 'allow'))) {
    const rule = keyOf(p);
    const reason = str(valueOf(p));
    if (rule !== undefined && reason !== undefined && reason.trim() !== '') allowed.push([rule, reason]);
  }
  return { allow: Object.fromEntries(allowed), span: nodeSpan(b.file, node) };
}
