/**
 * Stage 3: check a parsed models.yaml against `schemas/models.schema.json`, then build the
 * model IR from its YAML nodes. Nodes with errors are dropped; the rest of the file still
 * becomes IR so later stages report what they can.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { buildDefault } from './defaults.ts';
import type { Diagnostic } from './diagnostics.ts';
import { error } from './diagnostics.ts';
import type {
  CheckDef, ColumnDef, EnumDef, ExtensionRef, Fragment, IndexDef, IndexMethod, LintSettings, ModelFile,
  ReferenceDef, ReferentialAction, SourceFile, Span, TableDef, Tenancy, UniqueDef,
} from './ir.ts';
import { schemaDiagnostics } from './json-schema.ts';
import type { ParsedDocument } from './parse.ts';
import { nodeSpan } from './parse.ts';
import { parseType } from './type-ref.ts';

/** An Entry is one key of a YAML map with its key and value nodes. */
interface Entry {
  readonly key: string;
  readonly keyNode: YamlNode;
  readonly value: YamlNode | null;
}

/** A Builder carries the file being built and collects diagnostics. */
interface Builder {
  readonly file: string;
  readonly owner: string;
  readonly diagnostics: Diagnostic[];
}

/** Validates a parsed models file and builds its IR. */
export function validate(parsed: ParsedDocument, source: SourceFile): { file?: ModelFile; diagnostics: Diagnostic[] } {
  const b: Builder = { file: source.path, owner: source.owner, diagnostics: schemaDiagnostics('models', parsed.doc, source.path) };
  const root = parsed.doc.contents as YAMLMap;
  const top = new Map(entries(root).map((e) => [e.key, e]));
  const file: ModelFile = {
    kind: 'file',
    path: source.path,
    owner: source.owner,
    tables: entries(top.get('tables')?.value).flatMap((e) => buildTable(b, e)),
    enums: entries(top.get('enums')?.value).flatMap((e) => buildEnum(b, e)),
    extensions: buildExtensions(b, top.get('extensions')?.value ?? null),
    lint: buildLint(b, top.get('lint')?.value ?? null),
  };
  return { file, diagnostics: b.diagnostics };
}

/** The string-keyed entries of a YAML map (none when the node is not a map). */
function entries(node: YamlNode | null | undefined): Entry[] {
  if (!isMap(node)) return [];
  return (node.items as Pair<YamlNode, YamlNode | null>[])
    .filter((p) => isScalar(p.key) && p.key.value !== null)
    .map((p) => ({ key: String((p.key as { value: unknown }).value), keyNode: p.key as YamlNode, value: p.value ?? null }));
}

function str(node: YamlNode | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function bool(node: YamlNode | null | undefined): boolean | undefined {
  return isScalar(node) && typeof node.value === 'boolean' ? node.value : undefined;
}

function strings(node: YamlNode | null | undefined): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out = node.items.map((n) => str(n as YamlNode));
  return out.every((s) => s !== undefined) && out.length > 0 ? (out as string[]) : undefined;
}

function fragment(b: Builder, node: YamlNode | null | undefined): Fragment | undefined {
  const sql = str(node);
  return sql === undefined || sql.trim() === '' ? undefined : { kind: 'fragment', sql, span: nodeSpan(b.file, node) };
}

function isName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name.length <= 128;
}

function buildTable(b: Builder, e: Entry): TableDef[] {
  if (!isName(e.key) || !isMap(e.value)) return [];
  const keys = new Map(entries(e.value).map((x) => [x.key, x]));
  const columns = entries(keys.get('columns')?.value).flatMap((c) => buildColumn(b, c));
  const pk = keys.get('primary_key');
  const pkColumns = strings(pk?.value);
  const tenant = str(keys.get('tenant')?.value);
  const table: TableDef = {
    kind: 'table',
    name: e.key,
    owner: b.owner,
    file: b.file,
    comment: str(keys.get('comment')?.value),
    columns,
    primaryKey: pk && pkColumns ? { columns: pkColumns, span: nodeSpan(b.file, pk.value) } : undefined,
    indexes: isSeq(keys.get('indexes')?.value) ? (keys.get('indexes')!.value as { items: unknown[] }).items.flatMap((n) => buildIndex(b, n as YamlNode)) : [],
    uniques: isSeq(keys.get('unique')?.value) ? (keys.get('unique')!.value as { items: unknown[] }).items.flatMap((n) => buildUnique(b, n as YamlNode)) : [],
    checks: entries(keys.get('checks')?.value).flatMap((c) => buildCheck(b, c)),
    tenant: tenant === 'global' ? 'global' : ('client' as Tenancy),
    rls: bool(keys.get('rls')?.value) ?? false,
    rlsExplicit: keys.has('rls'),
    renamedFrom: str(keys.get('renamed_from')?.value),
    lint: buildLint(b, keys.get('lint')?.value ?? null),
    span: nodeSpan(b.file, e.keyNode),
  };
  return [table];
}

function buildColumn(b: Builder, e: Entry): ColumnDef[] {
  if (!isName(e.key)) return [];
  const shorthand = str(e.value);
  if (shorthand !== undefined) return columnFromShorthand(b, e, shorthand);
  if (!isMap(e.value)) return [];
  const keys = new Map(entries(e.value).map((x) => [x.key, x]));
  const typeNode = keys.get('type')?.value;
  const typeText = str(typeNode);
  if (typeText === undefined) return [];
  if (typeText.trim().endsWith('?')) {
    b.diagnostics.push(error('invalid-type', nodeSpan(b.file, typeNode), `'${typeText}': the '?' suffix belongs to the shorthand form`, 'write nullable: true'));
    return [];
  }
  const parsed = parseType(typeText, nodeSpan(b.file, typeNode));
  if (parsed.diagnostic) b.diagnostics.push(parsed.diagnostic);
  if (!parsed.type) return [];
  const def = keys.has('default') ? buildDefault(keys.get('default')!.value, parsed.type, b.file) : { diagnostics: [] };
  b.diagnostics.push(...def.diagnostics);
  const onUpdate = keys.get('on_update');
  const column: ColumnDef = {
    kind: 'column',
    name: e.key,
    type: parsed.type,
    nullable: bool(keys.get('nullable')?.value) ?? false,
    primaryKey: bool(keys.get('primary_key')?.value) ?? false,
    unique: bool(keys.get('unique')?.value) ?? false,
    index: bool(keys.get('index')?.value) ?? false,
    default: def.value,
    references: buildReference(b, keys),
    comment: str(keys.get('comment')?.value),
    check: fragment(b, keys.get('check')?.value),
    onUpdateNow: str(onUpdate?.value) === 'now()',
    encrypted: bool(keys.get('encrypted')?.value) ?? false,
    renamedFrom: str(keys.get('renamed_from')?.value),
    lint: buildLint(b, keys.get('lint')?.value ?? null),
    span: nodeSpan(b.file, e.keyNode),
    valueSpan: nodeSpan(b.file, e.value),
  };
  return [column];
}

function columnFromShorthand(b: Builder, e: Entry, text: string): ColumnDef[] {
  const trimmed = text.trim();
  const nullable = trimmed.endsWith('?');
  const parsed = parseType(nullable ? trimmed.slice(0, -1) : trimmed, nodeSpan(b.file, e.value));
  if (parsed.diagnostic) b.diagnostics.push(parsed.diagnostic);
  if (!parsed.type) return [];
  const span = nodeSpan(b.file, e.keyNode);
  return [{
    kind: 'column', name: e.key, type: parsed.type, nullable, primaryKey: false, unique: false, index: false,
    onUpdateNow: false, encrypted: false, lint: { allow: {} }, span, valueSpan: nodeSpan(b.file, e.value),
  }];
}

const ACTIONS: readonly ReferentialAction[] = ['cascade', 'restrict', 'set null', 'set default', 'no action'];

function action(node: YamlNode | null | undefined): ReferentialAction | undefined {
  const s = str(node);
  return ACTIONS.find((a) => a === s);
}

function buildReference(b: Builder, keys: Map<string, Entry>): ReferenceDef | undefined {
  const ref = keys.get('references');
  if (ref === undefined) {
    if (keys.has('on_delete')) b.diagnostics.push(error('orphan-key', nodeSpan(b.file, keys.get('on_delete')!.keyNode), '`on_delete` only applies to a column with `references`'));
    return undefined;
  }
  const text = str(ref.value);
  const refKeys = new Map(entries(ref.value).map((x) => [x.key, x]));
  const parts = text !== undefined ? text.split('.') : [str(refKeys.get('table')?.value), str(refKeys.get('column')?.value)];
  const [table, column] = parts;
  if (parts.length !== 2 || table === undefined || column === undefined || !isName(table) || !isName(column)) return undefined;
  const outer = keys.get('on_delete');
  const inner = refKeys.get('on_delete');
  if (outer && inner) b.diagnostics.push(error('conflicting-key', nodeSpan(b.file, outer.keyNode), '`on_delete` is given twice: on the column and in `references`', 'keep one'));
  return {
    kind: 'reference',
    table,
    column,
    onDelete: action((inner ?? outer)?.value) ?? 'no action',
    onUpdate: action(refKeys.get('on_update')?.value) ?? 'no action',
    span: nodeSpan(b.file, ref.value),
  };
}

function buildIndex(b: Builder, node: YamlNode): IndexDef[] {
  if (!isMap(node)) return [];
  const keys = new Map(entries(node).map((x) => [x.key, x]));
  const columns = strings(keys.get('columns')?.value);
  if (!columns) return [];
  const name = str(keys.get('name')?.value);
  return [{
    kind: 'index',
    columns,
    unique: bool(keys.get('unique')?.value) ?? false,
    where: fragment(b, keys.get('where')?.value),
    using: (str(keys.get('using')?.value) as IndexMethod | undefined) ?? 'btree',
    name: name !== undefined && isName(name) ? name : undefined,
    span: nodeSpan(b.file, node),
  }];
}

function buildUnique(b: Builder, node: YamlNode): UniqueDef[] {
  const columns = strings(node);
  return columns ? [{ kind: 'unique', columns, span: nodeSpan(b.file, node) }] : [];
}

function buildCheck(b: Builder, e: Entry): CheckDef[] {
  const expr = fragment(b, e.value);
  return expr && isName(e.key) ? [{ kind: 'check', name: e.key, expr, span: nodeSpan(b.file, e.keyNode) }] : [];
}

function buildEnum(b: Builder, e: Entry): EnumDef[] {
  if (!isName(e.key)) return [];
  const keys = new Map(entries(e.value).map((x) => [x.key, x]));
  const valuesNode = isSeq(e.value) ? e.value : keys.get('values')?.value;
  const values = strings(valuesNode);
  if (!values || !isSeq(valuesNode)) return [];
  return [{
    kind: 'enum',
    name: e.key,
    owner: b.owner,
    file: b.file,
    values,
    renamedFrom: str(keys.get('renamed_from')?.value),
    span: nodeSpan(b.file, e.keyNode),
    valueSpans: valuesNode.items.map((n) => nodeSpan(b.file, n as YamlNode)),
  }];
}

function buildExtensions(b: Builder, node: YamlNode | null): ExtensionRef[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((n) => {
    const name = str(n as YamlNode);
    return name !== undefined && /^[a-z][a-z0-9_]{0,62}$/.test(name) ? [{ kind: 'extension' as const, name, span: nodeSpan(b.file, n as YamlNode) }] : [];
  });
}

function buildLint(b: Builder, node: YamlNode | null): LintSettings {
  const allow = entries(entries(node).find((e) => e.key === 'allow')?.value);
  const pairs = allow.flatMap((e) => {
    const reason = str(e.value);
    return reason !== undefined && reason.trim() !== '' ? [[e.key, reason] as const] : [];
  });
  return node === null ? { allow: {} } : { allow: Object.fromEntries(pairs), span: nodeSpan(b.file, node) as Span };
}
