/**
 * fast-check arbitraries of workspace evolutions: an initial workspace (core with `clients`,
 * one or two orgs) and a few steps of edits. Arbitraries produce small integer "choices" that
 * `buildSequence` interprets against the current model, so shrinking the choices shrinks the
 * workspaces; every version is repaired to stay valid.
 */
import fc from 'fast-check';
import type { MColumn, MDefault, MTable, MWorkspace } from './model.ts';
import { castable } from '../../compiler/front/pg-types.ts';
import { BUILTIN_TYPES, checkFor, defaultsFor, refType, repair, whereFor } from './model.ts';

/** A ColumnSpec is the choices that make one column. */
export interface ColumnSpec {
  name: number; type: number; nullable: boolean; dflt: number; check: boolean; unique: boolean; index: boolean;
  ref: number; comment: number; onUpdate: boolean;
}

/** A TableSpec is the choices that make one table. */
export interface TableSpec {
  owner: number; name: number; client: boolean; rls: boolean; comment: number; pk: number;
  columns: ColumnSpec[]; indexes: Array<{ a: number; b: number; kind: number }>; unique: number; checks: number;
}

/** An Edit is one change between two versions; its numbers pick what it applies to. */
export interface Edit { kind: EditKind; a: number; b: number; c: number; column: ColumnSpec }

const EDIT_KINDS = [
  'addColumn', 'dropColumn', 'renameColumn', 'changeType', 'toggleNull', 'changeDefault', 'addTable', 'dropTable', 'renameTable',
  'addEnumValue', 'dropEnumValue', 'reorderEnum', 'addEnum', 'addIndex', 'dropIndex', 'addUnique', 'dropUnique', 'addCheck', 'dropCheck',
  'toggleRls', 'setComment', 'toggleOnUpdate', 'addRef', 'dropRef', 'toggleColumnUnique', 'phased',
] as const;
/** An EditKind is what an edit does. */
export type EditKind = (typeof EDIT_KINDS)[number];

/**
 * A SequenceSpec is an initial workspace and the edit steps after it, and the moves of the
 * walk down and up the chain of applied files once they are all applied (see `walk.ts`).
 */
export interface SequenceSpec { orgs: number; enums: number[]; tables: TableSpec[]; steps: Edit[][]; walk: number[] }

const COLUMN_NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda_x', 'mu'];
const TABLE_NAMES = ['items', 'orders', 'notes', 'tags', 'events', 'logs', 'files', 'jobs'];
const COMMENTS = [undefined, 'A plain comment.', "It's quoted: 'x' and \"y\".", 'naïve — ☃ ünïcødé', 'two\nlines', ''];
const PK_TYPES = ['serial', 'bigserial', 'uuid', 'integer', 'bigint', 'text'];
const ENUM_VALUES = ['draft', 'open', 'paid', 'void', 'late', "o'neil", 'two words'];

/** Related types a column may change to (widening, narrowing and across families). */
const TYPE_MOVES: Readonly<Record<string, readonly string[]>> = {
  smallint: ['integer', 'bigint', 'numeric'], integer: ['smallint', 'bigint', 'numeric(10,2)', 'text', 'double precision'],
  bigint: ['integer', 'numeric', 'text'], numeric: ['numeric(10,2)', 'integer', 'double precision'], 'numeric(10,2)': ['numeric', 'integer', 'bigint'],
  real: ['double precision', 'numeric'], 'double precision': ['real', 'numeric'], boolean: ['text', 'varchar(5)'],
  text: ['varchar(40)', 'varchar(5)', 'char(3)', 'varchar(1)'], 'varchar(5)': ['varchar(40)', 'text', 'varchar(1)'], 'varchar(40)': ['varchar(5)', 'text', 'char(3)'],
  'varchar(1)': ['varchar(40)', 'text'], 'char(3)': ['text', 'varchar(40)', 'char(1)'], 'char(1)': ['char(3)', 'text'],
  uuid: ['text'], date: ['timestamp', 'timestamptz'], time: ['text'], timestamp: ['timestamptz', 'date'], timestamptz: ['timestamp', 'date'],
  interval: ['text'], json: ['jsonb'], jsonb: ['json', 'text'], bytea: ['bytea'], inet: ['text'], 'text[]': ['varchar(40)[]'], 'varchar(40)[]': ['text[]'],
  'integer[]': ['integer[]'],
};

const columnSpec: fc.Arbitrary<ColumnSpec> = fc.record({
  name: fc.nat(COLUMN_NAMES.length - 1), type: fc.nat(40), nullable: fc.boolean(), dflt: fc.nat(5), check: fc.boolean(),
  unique: fc.boolean(), index: fc.boolean(), ref: fc.nat(12), comment: fc.nat(COMMENTS.length - 1), onUpdate: fc.boolean(),
});

const tableSpec: fc.Arbitrary<TableSpec> = fc.record({
  owner: fc.nat(2), name: fc.nat(TABLE_NAMES.length - 1), client: fc.boolean(), rls: fc.boolean(), comment: fc.nat(COMMENTS.length - 1),
  pk: fc.nat(PK_TYPES.length - 1), columns: fc.array(columnSpec, { minLength: 1, maxLength: 5 }),
  indexes: fc.array(fc.record({ a: fc.nat(7), b: fc.nat(7), kind: fc.nat(3) }), { maxLength: 2 }), unique: fc.nat(7), checks: fc.nat(7),
});

/** Edits of any kind; one in eight is a change PostgreSQL must apply to a table that exists (and holds a row): it is phased. */
const editKind: fc.Arbitrary<EditKind> = fc.oneof({ arbitrary: fc.constantFrom(...EDIT_KINDS), weight: 7 }, { arbitrary: fc.constant('phased' as const), weight: 1 });

const edit: fc.Arbitrary<Edit> = fc.record({ kind: editKind, a: fc.nat(50), b: fc.nat(50), c: fc.nat(50), column: columnSpec });

/** An evolution: an initial workspace and one to three steps of one to four edits; then one to four moves of the walk. */
export function sequenceArb(opts: { maxSteps?: number; maxMoves?: number } = {}): fc.Arbitrary<SequenceSpec> {
  return fc.record({
    orgs: fc.nat(1),
    enums: fc.array(fc.nat(8), { maxLength: 3 }),
    tables: fc.array(tableSpec, { maxLength: 4 }),
    steps: fc.array(fc.array(edit, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: opts.maxSteps ?? 3 }),
    walk: (opts.maxMoves ?? 4) > 0 ? fc.array(fc.nat(1000), { minLength: 1, maxLength: opts.maxMoves ?? 4 }) : fc.constant([]),
  });
}

// ---------------------------------------------------------------------------
// Interpretation.
// ---------------------------------------------------------------------------

const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The versions a sequence describes: version 1 is the initial workspace, then one per step. */
export function buildSequence(spec: SequenceSpec): MWorkspace[] {
  const first = initial(spec);
  const versions = [first];
  for (const step of spec.steps) {
    const next = clone(versions[versions.length - 1]);
    clearRenames(next);
    retired.clear();
    for (const e of step) applyEdit(next, e);
    versions.push(repair(keepCastable(versions[versions.length - 1], repair(next))));
  }
  return versions;
}

/**
 * A column that keeps its name across a step but changes to a type PostgreSQL cannot cast
 * to (a uuid dropped and re-added as smallint) keeps its old type: schemac refuses the
 * change (impossible-type-change), as tests/static-type-checks.test.ts shows.
 */
function keepCastable(prev: MWorkspace, next: MWorkspace): MWorkspace {
  for (const t of next.tables) {
    const before = prev.tables.find((x) => x.name === (t.renamedFrom ?? t.name));
    for (const c of t.columns) {
      const old = before?.columns.find((x) => x.name === (c.renamedFrom ?? c.name));
      if (old !== undefined && old.type !== c.type && castable(old.type, c.type) === false) c.type = old.type;
    }
  }
  return next;
}

/** Columns dropped during the current step (`table.column`): a rename never reuses their names. */
const retired = new Set<string>();

function clientsTable(): MTable {
  return {
    name: 'clients', owner: 'core', tenant: 'global', comment: 'Tenants.', rls: false, indexes: [], uniques: [], checks: {},
    columns: [
      { name: 'id', type: 'uuid', nullable: false, primaryKey: true, default: { kind: 'fn', fn: 'gen_random_uuid()' } },
      { name: 'name', type: 'varchar(200)', nullable: false },
    ],
  };
}

function initial(spec: SequenceSpec): MWorkspace {
  const orgs = spec.orgs === 0 ? ['acme'] : ['acme', 'globex'];
  const owners = ['core', ...orgs];
  const ws: MWorkspace = { orgs, tables: [clientsTable()], enums: [] };
  spec.enums.forEach((n, i) => {
    const owner = owners[n % owners.length];
    const name = `${owner === 'core' ? '' : `${owner}_`}${['status', 'kind', 'level'][i]}`;
    ws.enums.push({ name, owner, values: ENUM_VALUES.slice(n % 3, (n % 3) + 2 + (n % 2)) });
  });
  for (const t of spec.tables) addTable(ws, t, owners[t.owner % owners.length]);
  return repair(ws);
}

function tableName(owner: string, base: string): string {
  return owner === 'core' ? base : `${owner}_${base}`;
}

function addTable(ws: MWorkspace, t: TableSpec, owner: string): void {
  const name = tableName(owner, TABLE_NAMES[t.name]);
  if (ws.tables.some((x) => x.name === name)) return;
  const pkType = PK_TYPES[t.pk];
  const pk: MColumn = { name: 'id', type: pkType, nullable: false, primaryKey: true, ...(pkType === 'uuid' ? { default: { kind: 'fn', fn: 'gen_random_uuid()' } as MDefault } : {}) };
  const table: MTable = { name, owner, tenant: t.client ? 'client' : 'global', comment: COMMENTS[t.comment], columns: [pk], indexes: [], uniques: [], checks: {}, rls: t.client && t.rls };
  if (t.client) table.columns.push({ name: 'client_id', type: 'uuid', nullable: false, ref: { table: 'clients', column: 'id', onDelete: 'cascade' }, index: true });
  ws.tables.push(table);
  for (const c of t.columns) table.columns.push(makeColumn(ws, table, c));
  const names = table.columns.map((c) => c.name);
  for (const i of t.indexes) {
    const cols = [...new Set([pick(names, i.a)!, ...(i.kind === 1 ? [pick(names, i.b)!] : [])])];
    const first = table.columns.find((c) => c.name === cols[0])!;
    table.indexes.push(i.kind === 3 ? { columns: [first.name], using: (['gin', 'brin', 'hash'] as const)[i.b % 3] } : { columns: cols, ...(i.kind === 2 ? { where: whereFor(first.name, first.type) } : {}), ...(i.b % 3 === 0 ? { unique: true } : {}) });
  }
  if (t.unique % 3 === 0 && names.length > 2) table.uniques.push([names[1], names[2]]);
  const checked = pick(table.columns, t.checks)!;
  const check = checkFor(checked.name, checked.type);
  if (check && t.checks % 2 === 0) table.checks[`${checked.name}_ok`] = check;
}

function columnType(ws: MWorkspace, table: MTable, n: number): string {
  const enums = ws.enums.filter((e) => e.owner === 'core' || e.owner === table.owner).map((e) => e.name);
  const choices = [...BUILTIN_TYPES, ...enums, ...enums.map((e) => `${e}[]`).slice(0, 1), 'timestamptz', 'jsonb'];
  return choices[n % choices.length];
}

function makeColumn(ws: MWorkspace, table: MTable, s: ColumnSpec): MColumn {
  const existing = new Set(table.columns.map((c) => c.name));
  const name = [...COLUMN_NAMES.slice(s.name), ...COLUMN_NAMES].find((n) => !existing.has(n)) ?? `c${table.columns.length}`;
  const col: MColumn = { name, type: columnType(ws, table, s.type), nullable: s.nullable };
  if (s.ref % 3 === 0 && table.name !== 'clients') {
    const targets = ws.tables.filter((t) => (t.owner === 'core' || t.owner === table.owner));
    const target = pick(targets, s.ref);
    const pk = target?.columns.find((c) => c.primaryKey);
    if (target && pk) {
      col.type = refType(pk.type);
      col.ref = { table: target.name, column: pk.name, onDelete: (['cascade', 'set null', 'restrict', 'no action'] as const)[s.ref % 4] };
    }
  }
  const defaults = defaultsFor(ws, col.type);
  if (s.dflt > 1 && defaults.length && !col.ref) col.default = defaults[s.dflt % defaults.length];
  if (s.check) col.check = checkFor(name, col.type);
  if (s.unique && s.dflt % 2 === 0) col.unique = true;
  if (s.index) col.index = true;
  if (COMMENTS[s.comment] !== undefined) col.comment = COMMENTS[s.comment];
  if (s.onUpdate && (col.type === 'timestamptz' || col.type === 'timestamp')) col.onUpdate = true;
  return col;
}

function clearRenames(ws: MWorkspace): void {
  for (const t of ws.tables) {
    delete t.renamedFrom;
    for (const c of t.columns) delete c.renamedFrom;
  }
}

/** Columns an edit may touch: not a primary key, not the tenant's client_id. */
function editable(t: MTable): MColumn[] {
  return t.columns.filter((c) => !c.primaryKey && c.name !== 'client_id');
}

function userTables(ws: MWorkspace): MTable[] {
  return ws.tables.filter((t) => t.name !== 'clients');
}

function applyEdit(ws: MWorkspace, e: Edit): void {
  const t = pick(ws.tables, e.a);
  const col = t && pick(editable(t), e.b);
  switch (e.kind) {
    case 'addColumn':
      if (t) t.columns.push(makeColumn(ws, t, e.column));
      return;
    case 'dropColumn':
      if (t && col) t.columns = t.columns.filter((c) => c !== col), retired.add(`${t.name}.${col.name}`);
      return;
    case 'renameColumn': {
      if (!t || !col) return;
      const free = (n: string) => !t.columns.some((c) => c.name === n) && !retired.has(`${t.name}.${n}`);
      const name = COLUMN_NAMES.find((n, i) => i >= e.c % COLUMN_NAMES.length && free(n)) ?? `${col.name}_v2`;
      renameColumn(t, col, name);
      return;
    }
    case 'changeType':
      if (col && !col.ref) changeType(ws, col, e.c);
      return;
    case 'toggleNull':
      if (col) col.nullable = !col.nullable;
      return;
    case 'changeDefault': {
      if (!col || col.ref) return;
      const options = defaultsFor(ws, col.type);
      col.default = e.c % 3 === 0 || options.length === 0 ? undefined : options[e.c % options.length];
      if (col.default === undefined) delete col.default;
      return;
    }
    case 'addTable':
      addTable(ws, { owner: e.a, name: e.b % TABLE_NAMES.length, client: e.c % 2 === 0, rls: e.c % 4 === 0, comment: e.c % COMMENTS.length, pk: e.b % PK_TYPES.length, columns: [e.column], indexes: [], unique: 1, checks: e.c }, ['core', ...ws.orgs][e.a % (ws.orgs.length + 1)]);
      return;
    case 'dropTable': {
      const victim = pick(userTables(ws), e.a);
      if (victim) ws.tables = ws.tables.filter((x) => x !== victim);
      return;
    }
    case 'renameTable': {
      const victim = pick(userTables(ws), e.a);
      if (victim) renameTable(ws, victim, e.c);
      return;
    }
    default:
      applyObjectEdit(ws, e, t, col);
  }
}

function applyObjectEdit(ws: MWorkspace, e: Edit, t: MTable | undefined, col: MColumn | undefined): void {
  const en = pick(ws.enums, e.a);
  switch (e.kind) {
    case 'addEnumValue':
      if (en) en.values.splice(e.b % (en.values.length + 1), 0, pick(ENUM_VALUES.filter((v) => !en.values.includes(v)), e.c) ?? 'extra');
      return;
    case 'dropEnumValue':
      if (en && en.values.length > 1) en.values.splice(e.b % en.values.length, 1);
      return;
    case 'reorderEnum':
      if (en && en.values.length > 1) en.values.reverse();
      return;
    case 'addEnum': {
      const owner = ['core', ...ws.orgs][e.a % (ws.orgs.length + 1)];
      const name = `${owner === 'core' ? '' : `${owner}_`}${['mood', 'phase', 'tier'][e.b % 3]}`;
      if (!ws.enums.some((x) => x.name === name)) ws.enums.push({ name, owner, values: ENUM_VALUES.slice(e.c % 4, (e.c % 4) + 2) });
      return;
    }
    case 'addIndex':
      if (t && col) t.indexes.push(e.c % 3 === 0 ? { columns: [col.name], where: whereFor(col.name, col.type) } : e.c % 3 === 1 ? { columns: [col.name], using: (['gin', 'brin', 'hash'] as const)[e.b % 3] } : { columns: [col.name], unique: e.c % 2 === 0 });
      return;
    case 'dropIndex':
      if (t && t.indexes.length) t.indexes.splice(e.b % t.indexes.length, 1);
      if (col) delete col.index;
      return;
    case 'addUnique': {
      const other = t && pick(t.columns.filter((c) => c !== col), e.c);
      if (t && col && other) t.uniques.push([col.name, other.name]);
      return;
    }
    case 'dropUnique':
      if (t && t.uniques.length) t.uniques.splice(e.b % t.uniques.length, 1);
      return;
    case 'addCheck': {
      const check = col && checkFor(col.name, col.type);
      if (t && col && check) (e.c % 2 ? (col.check = check) : (t.checks[`${col.name}_ok`] = check));
      return;
    }
    case 'dropCheck':
      if (col) delete col.check;
      if (t) delete t.checks[Object.keys(t.checks)[e.c % Math.max(1, Object.keys(t.checks).length)]];
      return;
    case 'toggleRls':
      if (t) t.rls = !t.rls;
      return;
    case 'setComment':
      if (col) col.comment = COMMENTS[e.c % COMMENTS.length];
      else if (t) t.comment = COMMENTS[e.c % COMMENTS.length];
      if (col?.comment === undefined) delete col?.comment;
      return;
    case 'toggleOnUpdate':
      if (col) col.onUpdate = !col.onUpdate;
      return;
    case 'addRef': {
      const target = t && t.name !== 'clients' ? pick(ws.tables.filter((x) => x.owner === 'core' || x.owner === t.owner), e.c) : undefined;
      const pk = target?.columns.find((c) => c.primaryKey);
      if (t && target && pk) t.columns.push({ name: refColumnName(target), type: refType(pk.type), nullable: e.c % 2 === 0, ref: { table: target.name, column: pk.name, onDelete: e.c % 2 === 0 ? 'set null' : 'cascade' } });
      return;
    }
    case 'dropRef':
      if (col) delete col.ref;
      return;
    case 'toggleColumnUnique':
      if (col) col.unique = !col.unique;
      return;
    case 'phased':
      if (t) phasedEdit(ws, t, e);
      return;
    default:
      return;
  }
}

/**
 * One change the planner phases on a table that exists (the oracle seeds one row per table
 * first): an index on a column, NOT NULL on a nullable column, a foreign key, a check, a
 * unique constraint, or a column with a volatile default (`e.c` picks which).
 */
function phasedEdit(ws: MWorkspace, t: MTable, e: Edit): void {
  const cols = editable(t).filter((c) => !c.ref && c.type !== 'json');
  const col = pick(cols, e.b);
  const fresh = (base: string) => [base, `${base}_2`, `${base}_3`].find((n) => !t.columns.some((c) => c.name === n) && !retired.has(`${t.name}.${n}`));
  switch (e.c % 6) {
    case 0:
      if (col) t.indexes.push({ columns: [col.name] });
      return;
    case 1: {
      const nullable = pick(cols.filter((c) => c.nullable), e.b);
      if (nullable) nullable.nullable = false;
      return;
    }
    case 2: {
      const target = pick(ws.tables.filter((x) => x.owner === 'core' || x.owner === t.owner), e.b);
      const pk = target?.columns.find((c) => c.primaryKey);
      const name = target && fresh(refColumnName(target));
      if (t.name !== 'clients' && target && pk && name) t.columns.push({ name, type: refType(pk.type), nullable: true, ref: { table: target.name, column: pk.name, onDelete: 'set null' } });
      return;
    }
    case 3: {
      const checked = pick(cols.filter((c) => checkFor(c.name, c.type) !== undefined), e.b);
      if (checked) checked.check = checkFor(checked.name, checked.type);
      return;
    }
    case 4:
      if (col) col.unique = true;
      return;
    default: {
      const name = fresh('tracking');
      if (name) t.columns.push({ name, type: 'uuid', nullable: e.b % 2 === 0, default: { kind: 'fn', fn: 'gen_random_uuid()' } });
    }
  }
}

/** A foreign key column's name: the target table without its owner prefix, then `_ref` (`acme_items_3` → `items_3_ref`). */
function refColumnName(target: MTable): string {
  const bare = target.owner === 'core' ? target.name : target.name.slice(target.owner.length + 1);
  return `${bare}_ref`;
}

function changeType(ws: MWorkspace, col: MColumn, n: number): void {
  const enumMoves = ws.enums.some((e) => e.name === col.type) ? ['text'] : [];
  const moves = [...(TYPE_MOVES[col.type] ?? []), ...enumMoves];
  const to = pick(moves, n);
  if (to === undefined) return;
  col.type = to;
}

function renameColumn(t: MTable, col: MColumn, name: string): void {
  const old = col.name;
  col.renamedFrom = old;
  col.name = name;
  const swap = (c: string) => (c === old ? name : c);
  t.indexes = t.indexes.map((i) => ({ ...i, columns: i.columns.map(swap), ...(i.where ? { where: i.where.replace(new RegExp(`^${old} `), `${name} `) } : {}) }));
  t.uniques = t.uniques.map((u) => u.map(swap));
  for (const [k, expr] of Object.entries(t.checks)) if (expr.startsWith(`${old} `)) t.checks[k] = expr.replace(`${old} `, `${name} `);
  if (col.check) col.check = col.check.replace(`${old} `, `${name} `);
}

function renameTable(ws: MWorkspace, t: MTable, n: number): void {
  const base = TABLE_NAMES[n % TABLE_NAMES.length];
  const name = tableName(t.owner, `${base}_${n % 7}`);
  if (ws.tables.some((x) => x.name === name)) return;
  const old = t.name;
  t.renamedFrom = old;
  t.name = name;
  for (const x of ws.tables) for (const c of x.columns) if (c.ref?.table === old) c.ref.table = name;
}
