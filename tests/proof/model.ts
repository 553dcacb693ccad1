/**
 * The proof's model of a workspace: a plain, serializable description of tables, columns and
 * enums per owner, the repairs that keep it valid, and its rendering as models.yaml files.
 */
import { stringify } from 'yaml';
import { indexable } from '../../compiler/front/index-methods.ts';
import { parseType } from '../../compiler/front/type-ref.ts';

/** A column default as the models.yaml language writes it. */
export type MDefault =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'fn'; readonly fn: string }
  | { readonly kind: 'sql'; readonly sql: string };

/** An MRef is a column's foreign key: always to a single-column primary key. */
export interface MRef { table: string; column: string; onDelete: 'cascade' | 'set null' | 'restrict' | 'no action' }

/** An MColumn is one column of the model. */
export interface MColumn {
  name: string;
  type: string;
  nullable: boolean;
  primaryKey?: boolean;
  default?: MDefault;
  check?: string;
  unique?: boolean;
  index?: boolean;
  ref?: MRef;
  comment?: string;
  onUpdate?: boolean;
  renamedFrom?: string;
}

/** An MIndex is an entry of a table's `indexes` list. */
export interface MIndex { columns: string[]; unique?: boolean; where?: string; using?: 'gin' | 'brin' | 'hash' }

/** An MTable is one table of the model. */
export interface MTable {
  name: string;
  owner: string;
  tenant: 'client' | 'global';
  comment?: string;
  columns: MColumn[];
  indexes: MIndex[];
  uniques: string[][];
  checks: Record<string, string>;
  rls: boolean;
  renamedFrom?: string;
}

/** An MEnum is one enum of the model. */
export interface MEnum { name: string; owner: string; values: string[] }

/** An MWorkspace is every owner's tables and enums; `clients` (core, uuid id) is always present. */
export interface MWorkspace { orgs: string[]; tables: MTable[]; enums: MEnum[] }

/** Types whose values have no btree equality (no unique, no plain index). */
const NO_BTREE = new Set(['json']);

/** True when `type` names an enum of the workspace (or an array of one). */
export function enumOf(ws: MWorkspace, type: string): MEnum | undefined {
  return ws.enums.find((e) => e.name === type.replace(/\[\]$/, ''));
}

/** The base of a type text: `varchar(5)` → `varchar`, `text[]` → `text[]`. */
export function baseOf(type: string): string {
  return type.replace(/\(.*\)/, '');
}

const INT = new Set(['smallint', 'integer', 'bigint', 'serial', 'bigserial']);
const NUM = new Set([...INT, 'numeric', 'real', 'double precision']);
const STR = new Set(['text', 'varchar', 'char']);

/** Literal and function defaults valid for a type (enums: its first value). */
export function defaultsFor(ws: MWorkspace, type: string): MDefault[] {
  const e = enumOf(ws, type);
  if (e) return type.endsWith('[]') ? [{ kind: 'literal', value: [e.values[0]] }] : e.values.slice(0, 2).map((v) => ({ kind: 'literal', value: v }));
  const b = baseOf(type);
  const lit = (...values: unknown[]): MDefault[] => values.map((value) => ({ kind: 'literal', value }));
  if (b === 'serial' || b === 'bigserial') return [];
  if (INT.has(b)) return [...lit(0, 7), { kind: 'sql', sql: '1 + 2' }];
  if (b === 'numeric') return type === 'numeric' ? lit(1, 2.5) : lit(0, 12.5);
  if (b === 'real' || b === 'double precision') return lit(1.5);
  if (b === 'boolean') return lit(true, false);
  if (b === 'text') return [...lit('hello', "it's"), { kind: 'sql', sql: "'a' || 'b'" }];
  if (b === 'varchar' || b === 'char') return lit('a');
  if (b === 'uuid') return [{ kind: 'fn', fn: 'gen_random_uuid()' }, ...lit('00000000-0000-0000-0000-000000000001')];
  if (b === 'date') return [{ kind: 'fn', fn: 'current_date' }, ...lit('2024-01-01')];
  if (b === 'timestamp' || b === 'timestamptz') return [{ kind: 'fn', fn: 'now()' }, ...lit('2024-01-01T00:00:00Z')];
  if (b === 'time') return lit('12:00');
  if (b === 'interval') return lit('1 day');
  if (b === 'json' || b === 'jsonb') return lit({}, { a: 1 }, [1, 2]);
  if (b === 'inet') return lit('127.0.0.1');
  if (b === 'bytea') return lit('abc');
  if (b === 'text[]' || b === 'varchar[]') return lit(['a', 'b'], []);
  if (b === 'integer[]') return lit([1, 2]);
  return [];
}

/** A check expression valid for a column of `type`, or undefined. */
export function checkFor(column: string, type: string): string | undefined {
  const b = baseOf(type);
  if (NUM.has(b)) return `${column} >= 0`;
  if (STR.has(b)) return `${column} <> ''`;
  return undefined;
}

/** A partial-index predicate over `column` of `type`. */
export function whereFor(column: string, type: string): string {
  return NUM.has(baseOf(type)) ? `${column} > 0` : `${column} IS NOT NULL`;
}

/** The type a foreign key column has when it references a primary key of `type`. */
export function refType(type: string): string {
  return type === 'serial' ? 'integer' : type === 'bigserial' ? 'bigint' : type;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when `from` may reference `to` (core, or the same org). */
export function visible(from: string, to: string): boolean {
  return to === 'core' || to === from;
}

/** Makes the model valid after generation or edits: drops what no longer fits. */
export function repair(ws: MWorkspace): MWorkspace {
  for (const e of ws.enums) e.values = [...new Set(e.values)];
  ws.enums = ws.enums.filter((e) => e.values.length > 0);
  for (const t of ws.tables) repairTable(ws, t);
  return ws;
}

function repairTable(ws: MWorkspace, t: MTable): void {
  const seen = new Set<string>();
  t.columns = t.columns.filter((c) => !seen.has(c.name) && seen.add(c.name));
  if (!t.columns.some((c) => c.primaryKey)) t.columns.unshift({ name: 'id', type: 'serial', nullable: false, primaryKey: true });
  for (const c of t.columns) repairColumn(ws, t, c);
  const has = (n: string) => t.columns.find((c) => c.name === n);
  const indexable = (n: string) => has(n) !== undefined && !NO_BTREE.has(baseOf(has(n)!.type));
  if (!has('client_id')) t.rls = false;
  t.tenant = has('client_id') ? 'client' : 'global';
  const keys = new Set<string>();
  const fresh = (cols: readonly string[]) => {
    const k = cols.join(',');
    return !keys.has(k) && (keys.add(k), true);
  };
  t.indexes = t.indexes.filter((i) => {
    if (i.using !== undefined) return i.columns.length === 1 && !i.unique && has(i.columns[0]) !== undefined && methodFits(i.using, has(i.columns[0])!.type) && fresh(i.columns);
    return i.columns.length > 0 && i.columns.every(indexable) && new Set(i.columns).size === i.columns.length && fresh(i.columns);
  });
  for (const i of t.indexes) if (i.where && !has(whereColumn(i.where))) delete i.where;
  for (const c of t.columns) if (c.index && keys.has(c.name)) delete c.index;
  const ukeys = new Set<string>();
  t.uniques = t.uniques.filter((u) => u.length > 1 && u.every(indexable) && new Set(u).size === u.length && !ukeys.has(u.join(',')) && ukeys.add(u.join(',')));
  for (const [name, expr] of Object.entries(t.checks)) {
    const col = has(whereColumn(expr));
    if (!col || checkFor(col.name, col.type) !== expr) delete t.checks[name];
  }
}

/** Whether the index method has an operator class for the type (as lint decides). */
function methodFits(method: 'gin' | 'brin' | 'hash', type: string): boolean {
  const t = parseType(type, { file: '', start: 0, end: 0 }).type;
  return t !== undefined && indexable(method, t);
}

/** The column a generated predicate starts with. */
function whereColumn(expr: string): string {
  return expr.split(' ')[0];
}

function repairColumn(ws: MWorkspace, t: MTable, c: MColumn): void {
  const e = enumOf(ws, c.type);
  if (!e && !isBuiltin(c.type)) c.type = 'text';
  if (c.primaryKey) c.nullable = false;
  if (e && enumOf(ws, c.type)!.owner !== t.owner && enumOf(ws, c.type)!.owner !== 'core') c.type = 'text';
  if (c.default && !defaultsFor(ws, c.type).some((d) => sameJson(d, c.default))) delete c.default;
  if (c.check && checkFor(c.name, c.type) !== c.check) delete c.check;
  if (c.onUpdate && !['timestamp', 'timestamptz'].includes(c.type)) delete c.onUpdate;
  if (NO_BTREE.has(baseOf(c.type))) delete c.unique, delete c.index;
  if (c.primaryKey) delete c.unique;
  if (c.ref) {
    const target = ws.tables.find((x) => x.name === c.ref!.table);
    const pk = target?.columns.find((x) => x.primaryKey);
    if (!target || !pk || !visible(t.owner, target.owner) || pk.name !== c.ref.column || refType(pk.type) !== c.type) delete c.ref;
    else if (c.ref.onDelete === 'set null' && !c.nullable) c.ref.onDelete = 'cascade';
  }
}

/** Types the generator may give a column. */
export const BUILTIN_TYPES = [
  'smallint', 'integer', 'bigint', 'numeric', 'numeric(10,2)', 'real', 'double precision', 'boolean', 'text', 'varchar(5)', 'varchar(40)',
  'char(3)', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'text[]', 'integer[]',
] as const;

function isBuiltin(type: string): boolean {
  return (BUILTIN_TYPES as readonly string[]).includes(type) || ['serial', 'bigserial', 'varchar(1)', 'varchar(200)', 'char(1)', 'varchar(40)[]'].includes(type);
}

// ---------------------------------------------------------------------------
// Rendering.
// ---------------------------------------------------------------------------

/** The config every generated workspace uses: rules irrelevant to the oracle are off. */
export const PROOF_CONFIG = `lint:
  rules:
    require-timestamps: "off"
    fk-needs-index: "off"
    prefer-jsonb: "off"
    prefer-timestamptz: "off"
    unsafe-migration: "off"
    tenant-unique: "off"
`;

/** The models.yaml path of an owner. */
export function modelsPath(owner: string): string {
  return owner === 'core' ? 'schemas/core/models.yaml' : `schemas/custom_tools/${owner}/proof/models.yaml`;
}

/** Every file of the workspace: workspace-relative path → text. */
export function renderWorkspace(ws: MWorkspace): Record<string, string> {
  const files: Record<string, string> = { 'schemac.config.yaml': `${PROOF_CONFIG}${exposeLine(ws)}` };
  for (const owner of ['core', ...ws.orgs]) {
    const tables = ws.tables.filter((t) => t.owner === owner);
    const enums = ws.enums.filter((e) => e.owner === owner);
    if (owner !== 'core' && tables.length === 0 && enums.length === 0) continue;
    files[modelsPath(owner)] = renderModels(tables, enums);
  }
  return files;
}

/** The config's `expose`: the core columns the orgs' foreign keys reference (the core team exposes what its orgs use). */
function exposeLine(ws: MWorkspace): string {
  const core = new Set(ws.tables.filter((t) => t.owner === 'core').map((t) => t.name));
  const used = ws.tables.filter((t) => t.owner !== 'core').flatMap((t) => t.columns.flatMap((c) => (c.ref && core.has(c.ref.table) ? [`${c.ref.table}.${c.ref.column}`] : [])));
  return `expose: [${[...new Set(['clients.id', ...used])].sort().join(', ')}]\n`;
}

function renderModels(tables: readonly MTable[], enums: readonly MEnum[]): string {
  const doc: Record<string, unknown> = { tables: Object.fromEntries(tables.map((t) => [t.name, renderTable(t)])) };
  if (enums.length) doc.enums = Object.fromEntries(enums.map((e) => [e.name, [...e.values]]));
  return stringify(doc, { lineWidth: 0 });
}

function renderTable(t: MTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (t.comment !== undefined) out.comment = t.comment;
  if (t.tenant === 'global') out.tenant = 'global';
  if (t.rls) out.rls = true;
  if (t.renamedFrom) out.renamed_from = t.renamedFrom;
  out.columns = Object.fromEntries(t.columns.map((c) => [c.name, renderColumn(c)]));
  if (t.indexes.length) out.indexes = t.indexes.map((i) => ({ columns: i.columns, ...(i.unique ? { unique: true } : {}), ...(i.where ? { where: i.where } : {}), ...(i.using ? { using: i.using } : {}) }));
  if (t.uniques.length) out.unique = t.uniques;
  if (Object.keys(t.checks).length) out.checks = t.checks;
  return out;
}

function renderColumn(c: MColumn): unknown {
  const m: Record<string, unknown> = { type: c.type };
  if (c.nullable) m.nullable = true;
  if (c.primaryKey) m.primary_key = true;
  if (c.unique) m.unique = true;
  if (c.index) m.index = true;
  if (c.default) m.default = c.default.kind === 'fn' ? c.default.fn : c.default.kind === 'sql' ? { sql: c.default.sql } : literal(c.default.value);
  if (c.ref) m.references = { table: c.ref.table, column: c.ref.column, on_delete: c.ref.onDelete };
  if (c.check) m.check = c.check;
  if (c.comment !== undefined) m.comment = c.comment;
  if (c.onUpdate) m.on_update = 'now()';
  if (c.renamedFrom) m.renamed_from = c.renamedFrom;
  const keys = Object.keys(m);
  if (keys.length === 1 || (keys.length === 2 && c.nullable)) return `${c.type}${c.nullable ? '?' : ''}`;
  return m;
}

/** A literal default that a function name or number-like string would not be misread as. */
function literal(value: unknown): unknown {
  if (typeof value === 'string' && /^[a-z_]+\(.*\)$/i.test(value)) return { value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && ('sql' in value || 'value' in value)) return { value };
  return value;
}
