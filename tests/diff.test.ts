import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Change, diff } from '../compiler/engine/diff.ts';
import { emptySnapshot, type Snapshot, type SnapTable } from '../compiler/ir.ts';
import { col, hints, NO_HINTS, snap, table } from './helpers/snapshots.ts';

const NONE = { indexes: [], checks: [] };
const kinds = (changes: readonly Change[]): string[] => changes.map((c) => c.kind);

const invoices = table('invoices', [col('amount', 'integer'), col('status', 'text', { default: "'pending'" })]);

test('identical snapshots have no changes', () => {
  assert.equal(diff(snap([invoices]), snap([invoices]), NO_HINTS), []);
});

test('a new table is created with its foreign keys, indexes, trigger and RLS as separate changes', () => {
  const t = table('a', [col('b_id', 'integer'), col('updated_at', 'timestamptz', { default: 'now()' })], {
    foreignKeys: [{ name: 'a_b_id_fkey', columns: ['b_id'], refTable: 'b', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
    indexes: [{ name: 'a_b_id_idx', columns: ['b_id'], unique: false, using: 'btree', where: null }],
    triggers: [{ name: 'a_set_updated_at', kind: 'set_updated_at', function: 'a_set_updated_at', columns: ['updated_at'] }],
    rls: { policy: 'a_tenant_isolation' },
  });
  const changes = diff(emptySnapshot('core'), snap([t]), NO_HINTS);
  assert.equal(changes, [
    { kind: 'AddTable', table: t },
    { kind: 'AddForeignKey', table: 'a', foreignKey: t.foreignKeys[0] },
    { kind: 'AddIndex', table: 'a', index: t.indexes[0] },
    { kind: 'AddTrigger', table: 'a', trigger: t.triggers[0] },
    { kind: 'EnableRls', table: 'a', rls: { policy: 'a_tenant_isolation' } },
  ]);
});

test('a dropped table drops its foreign keys first', () => {
  const t = table('a', [col('b_id', 'integer')], {
    foreignKeys: [{ name: 'a_b_id_fkey', columns: ['b_id'], refTable: 'b', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' }],
  });
  assert.equal(diff(snap([t]), emptySnapshot('core'), NO_HINTS), [
    { kind: 'DropForeignKey', table: 'a', foreignKey: t.foreignKeys[0] },
    { kind: 'DropTable', table: t },
  ]);
});

test('columns: add, drop, and alter with every kind', () => {
  const next = table('invoices', [
    col('amount', 'bigint', { nullable: true, default: '0', comment: 'cents' }),
    col('note', 'text', { nullable: true }),
  ]);
  const changes = diff(snap([invoices]), snap([next]), NO_HINTS);
  assert.equal(changes, [
    { kind: 'AlterColumn', table: 'invoices', from: invoices.columns[1], to: next.columns[1], kinds: ['type', 'nullable', 'default', 'comment'] },
    { kind: 'DropColumn', table: 'invoices', column: invoices.columns[2] },
    { kind: 'AddColumn', table: 'invoices', column: next.columns[2] },
  ]);
});

test('a changed constraint or index is a drop and an add; unchanged ones are left alone', () => {
  const base = (where: string | null, expr: string, onDelete: 'cascade' | 'restrict'): SnapTable =>
    table('t', [col('a', 'integer'), col('b', 'integer')], {
      foreignKeys: [{ name: 't_a_fkey', columns: ['a'], refTable: 'u', refColumns: ['id'], onDelete, onUpdate: 'no action' }],
      uniques: [{ name: 't_a_b_key', columns: ['a', 'b'] }],
      checks: [{ name: 't_a_check', expr }],
      indexes: [{ name: 't_b_idx', columns: ['b'], unique: false, using: 'btree', where }],
    });
  const a = base(null, 'a > 0', 'cascade');
  const b = base('b > 1', 'a >= 0', 'restrict');
  assert.equal(kinds(diff(snap([a]), snap([b]), NO_HINTS)), [
    'DropForeignKey', 'AddForeignKey', 'DropCheck', 'AddCheck', 'DropIndex', 'AddIndex',
  ]);
});

test('primary key, uniques, checks, indexes: adds and drops by name', () => {
  const a = table('t', [col('a', 'integer'), col('b', 'integer')], { primaryKey: null });
  const b = table('t', [col('a', 'integer'), col('b', 'integer')], {
    primaryKey: { name: 't_pkey', columns: ['a', 'b'] },
    uniques: [{ name: 't_b_key', columns: ['b'] }],
    checks: [{ name: 't_a_check', expr: 'a > 0' }],
    indexes: [{ name: 't_a_b_idx', columns: ['a', 'b'], unique: true, using: 'btree', where: 'a > 0' }],
  });
  assert.equal(diff(snap([a]), snap([b]), NO_HINTS), [
    { kind: 'AddPrimaryKey', table: 't', primaryKey: b.primaryKey! },
    { kind: 'AddUnique', table: 't', unique: b.uniques[0] },
    { kind: 'AddCheck', table: 't', check: b.checks[0] },
    { kind: 'AddIndex', table: 't', index: b.indexes[0] },
  ]);
  assert.equal(kinds(diff(snap([b]), snap([a]), NO_HINTS)), ['DropPrimaryKey', 'DropUnique', 'DropCheck', 'DropIndex']);
});

test('trigger, RLS and table comment changes', () => {
  const trig = { name: 't_set_updated_at', kind: 'set_updated_at' as const, function: 't_set_updated_at', columns: ['updated_at'] };
  const a = table('t', [col('updated_at', 'timestamptz')]);
  const b = table('t', [col('updated_at', 'timestamptz')], { triggers: [trig], rls: { policy: 't_tenant_isolation' }, comment: 'T' });
  assert.equal(diff(snap([a]), snap([b]), NO_HINTS), [
    { kind: 'AddTrigger', table: 't', trigger: trig },
    { kind: 'EnableRls', table: 't', rls: { policy: 't_tenant_isolation' } },
    { kind: 'SetTableComment', table: 't', from: null, to: 'T' },
  ]);
  assert.equal(kinds(diff(snap([b]), snap([a]), NO_HINTS)), ['DropTrigger', 'DisableRls', 'SetTableComment']);
});

test('extensions are added and dropped', () => {
  assert.equal(diff(snap([], { extensions: ['citext'] }), snap([], { extensions: ['pgcrypto'] }), NO_HINTS), [
    { kind: 'DropExtension', name: 'citext' },
    { kind: 'AddExtension', name: 'pgcrypto' },
  ]);
});

const statusTable = (type: string, dflt: string | null): SnapTable => table('orders', [col('status', type, { default: dflt })]);

test('enum: created and dropped', () => {
  const e = { name: 'color', values: ['red'] };
  assert.equal(diff(snap([]), snap([], { enums: [e] }), NO_HINTS), [{ kind: 'AddEnum', enum: e }]);
  assert.equal(diff(snap([], { enums: [e] }), snap([]), NO_HINTS), [{ kind: 'DropEnum', enum: e }]);
});

test('enum: values added in position become ADD VALUE … BEFORE/AFTER, in order', () => {
  const prev = snap([statusTable('status', "'new'")], { enums: [{ name: 'status', values: ['new', 'paid'] }] });
  const next = snap([statusTable('status', "'new'")], { enums: [{ name: 'status', values: ['draft', 'new', 'sent', 'paid', 'void'] }] });
  const usages = [{ table: 'orders', column: 'status', array: false, keepsType: true, upDefault: "'new'", downDefault: "'new'" }];
  assert.equal(diff(prev, next, NO_HINTS), [
    { kind: 'AddEnumValue', enum: 'status', value: 'draft', before: 'new', valuesBefore: ['new', 'paid'], usages, dependents: NONE },
    { kind: 'AddEnumValue', enum: 'status', value: 'sent', after: 'new', valuesBefore: ['draft', 'new', 'paid'], usages, dependents: NONE },
    { kind: 'AddEnumValue', enum: 'status', value: 'void', valuesBefore: ['draft', 'new', 'sent', 'paid'], usages, dependents: NONE },
  ]);
});

test('enum: a removed or reordered value recreates the type with the columns that use it', () => {
  const prev = snap([statusTable('status[]', null)], { enums: [{ name: 'status', values: ['a', 'b', 'c'] }] });
  const next = snap([statusTable('status[]', null)], { enums: [{ name: 'status', values: ['c', 'a'] }] });
  assert.equal(diff(prev, next, NO_HINTS), [
    {
      kind: 'RecreateEnum',
      from: { name: 'status', values: ['a', 'b', 'c'] },
      to: { name: 'status', values: ['c', 'a'] },
      usages: [{ table: 'orders', column: 'status', array: true, keepsType: true, upDefault: null, downDefault: null }],
      dependents: NONE,
    },
  ]);
});

test('enum: partial indexes and checks naming a converted column are its dependents', () => {
  const idx = (name: string, where: string) => ({ name, columns: ['id'], unique: false, using: 'btree' as const, where });
  const t = table('orders', [col('status', 'status'), col('n', 'integer')], {
    indexes: [idx('orders_open_idx', "status <> 'done'"), idx('orders_n_idx', 'n > 0'), idx('orders_q_idx', '"status" IS NOT NULL')],
    checks: [{ name: 'orders_status_check', expr: "status <> 'bad'" }, { name: 'orders_n_check', expr: 'n >= 0' }],
  });
  const prev = snap([t], { enums: [{ name: 'status', values: ['a', 'b'] }] });
  const next = snap([t], { enums: [{ name: 'status', values: ['b', 'a'] }] });
  const [change] = diff(prev, next, NO_HINTS);
  assert.is(change.kind, 'RecreateEnum');
  assert.equal(change.kind === 'RecreateEnum' && change.dependents, {
    indexes: [{ table: 'orders', index: t.indexes[0] }, { table: 'orders', index: t.indexes[2] }],
    checks: [{ table: 'orders', check: t.checks[0] }],
  });
});

test('enum: a changed default of a recreated column is set by the recreate, not by an AlterColumn', () => {
  const prev = snap([statusTable('status', "'a'")], { enums: [{ name: 'status', values: ['a', 'b'] }] });
  const next = snap([statusTable('status', "'b'")], { enums: [{ name: 'status', values: ['b'] }] });
  const changes = diff(prev, next, NO_HINTS);
  assert.equal(kinds(changes), ['RecreateEnum']);
  assert.equal(changes[0].kind === 'RecreateEnum' && changes[0].usages, [{ table: 'orders', column: 'status', array: false, keepsType: true, upDefault: "'b'", downDefault: "'a'" }]);
});

test('renames are taken only from hints; without one, a rename is a drop and an add', () => {
  const a = table('old_t', [col('x', 'integer')]);
  const b = table('new_t', [col('x', 'integer')]);
  assert.equal(kinds(diff(snap([a]), snap([b]), NO_HINTS)), ['DropTable', 'AddTable']);
  assert.equal(diff(snap([a]), snap([b]), hints({ tables: { new_t: 'old_t' } })), [
    { kind: 'RenameTable', from: 'old_t', to: 'new_t' },
    { kind: 'RenameConstraint', table: 'new_t', from: 'old_t_pkey', to: 'new_t_pkey' },
  ]);
});

test('a column rename carries its indexes and constraints along, renaming derived names', () => {
  const a = table('t', [col('old_c', 'integer')], {
    uniques: [{ name: 't_old_c_key', columns: ['old_c'] }],
    indexes: [{ name: 't_old_c_idx', columns: ['old_c'], unique: false, using: 'btree', where: null }],
  });
  const b = table('t', [col('new_c', 'bigint')], {
    uniques: [{ name: 't_new_c_key', columns: ['new_c'] }],
    indexes: [{ name: 't_new_c_idx', columns: ['new_c'], unique: false, using: 'btree', where: null }],
  });
  const changes = diff(snap([a]), snap([b]), hints({ columns: { 't.new_c': 'old_c' } }));
  assert.equal(changes, [
    { kind: 'RenameColumn', table: 't', from: 'old_c', to: 'new_c' },
    { kind: 'AlterColumn', table: 't', from: col('new_c', 'integer'), to: col('new_c', 'bigint'), kinds: ['type'] },
    { kind: 'RenameConstraint', table: 't', from: 't_old_c_key', to: 't_new_c_key' },
    { kind: 'RenameIndex', table: 't', from: 't_old_c_idx', to: 't_new_c_idx' },
  ]);
});

test('a column rename rewrites the checks and predicates that name it, so they are renamed, not rebuilt', () => {
  const a = table('t', [col('amount', 'integer')], {
    checks: [{ name: 't_amount_check', expr: "amount >= 0 AND 'amount' <> \"amount\"::text" }],
    indexes: [{ name: 't_amount_idx', columns: ['amount'], unique: false, using: 'btree', where: 'AMOUNT > 0' }],
  });
  const b = table('t', [col('total', 'integer')], {
    checks: [{ name: 't_total_check', expr: "total >= 0 AND 'amount' <> \"total\"::text" }],
    indexes: [{ name: 't_total_idx', columns: ['total'], unique: false, using: 'btree', where: 'total > 0' }],
  });
  assert.equal(diff(snap([a]), snap([b]), hints({ columns: { 't.total': 'amount' } })), [
    { kind: 'RenameColumn', table: 't', from: 'amount', to: 'total' },
    { kind: 'RenameConstraint', table: 't', from: 't_amount_check', to: 't_total_check' },
    { kind: 'RenameIndex', table: 't', from: 't_amount_idx', to: 't_total_idx' },
  ]);
});

test('an enum rename is applied before comparing its values and its columns', () => {
  const prev = snap([statusTable('old_status', null)], { enums: [{ name: 'old_status', values: ['a'] }] });
  const next = snap([statusTable('new_status', null)], { enums: [{ name: 'new_status', values: ['a', 'b'] }] });
  assert.equal(kinds(diff(prev, next, hints({ enums: { new_status: 'old_status' } }))), ['RenameEnum', 'AddEnumValue']);
});

test('a hint whose old name does not exist, or whose new name already existed, is ignored', () => {
  const a = table('t', [col('x', 'integer')]);
  const b = table('t', [col('x', 'integer'), col('y', 'integer')]);
  assert.equal(kinds(diff(snap([a]), snap([b]), hints({ columns: { 't.y': 'nope' }, tables: { t: 'zzz' } }))), ['AddColumn']);
  assert.equal(kinds(diff(snap([b]), snap([b]), hints({ columns: { 't.y': 'x' } }))), []);
});

test('diff is deterministic and independent of list order', () => {
  const t1 = table('b', [col('x', 'integer')], { indexes: [
    { name: 'b_z_idx', columns: ['x'], unique: false, using: 'gin', where: null },
    { name: 'b_a_idx', columns: ['x'], unique: false, using: 'hash', where: null },
  ] });
  const t2 = table('a', [col('y', 'integer')]);
  const one = diff(emptySnapshot('core'), snap([t1, t2]), NO_HINTS);
  const two = diff(emptySnapshot('core'), snap([t2, t1]), NO_HINTS);
  assert.equal(JSON.stringify(one), JSON.stringify(two));
  assert.equal(kinds(one), ['AddTable', 'AddTable', 'AddIndex', 'AddIndex']);
  assert.equal((one[2] as { index: { name: string } }).index.name, 'b_a_idx');
});

// ---------------------------------------------------------------------------
// Properties.
// ---------------------------------------------------------------------------

const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
const typeArb = fc.constantFrom('integer', 'bigint', 'text', 'varchar(20)', 'numeric(10,2)', 'jsonb', 'uuid', 'timestamptz', 'boolean');
const columnArb = fc.record({
  name: ident,
  type: typeArb,
  nullable: fc.boolean(),
  default: fc.option(fc.constantFrom('0', "'x'", 'now()'), { nil: null }),
  comment: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
});
const tableArb = fc.record({ name: ident, columns: fc.uniqueArray(columnArb, { selector: (c) => c.name, minLength: 1, maxLength: 5 }), rls: fc.boolean(), comment: fc.option(fc.string(), { nil: null }) })
  .map(({ name, columns, rls, comment }): SnapTable => ({
    ...table(name, columns, { primaryKey: null, comment, rls: rls ? { policy: `${name}_tenant_isolation` } : null }),
    columns,
    indexes: [{ name: `${name}_${columns[0].name}_idx`, columns: [columns[0].name], unique: false, using: 'btree', where: null }],
    uniques: columns.length > 1 ? [{ name: `${name}_${columns[1].name}_key`, columns: [columns[1].name] }] : [],
  }));
const snapshotArb = fc.record({
  tables: fc.uniqueArray(tableArb, { selector: (t) => t.name, maxLength: 4 }),
  enums: fc.uniqueArray(fc.record({ name: ident.map((n) => `e_${n}`), values: fc.uniqueArray(ident, { minLength: 1, maxLength: 4 }) }), { selector: (e) => e.name, maxLength: 3 }),
  extensions: fc.uniqueArray(fc.constantFrom('citext', 'pgcrypto', 'vector')),
}).map((s): Snapshot => snap(s.tables, { enums: s.enums, extensions: s.extensions }));

test('property: diff(s, s) is empty', () => {
  fc.assert(fc.property(snapshotArb, (s) => diff(s, s, NO_HINTS).length === 0));
});

test('property: diff(empty, s) creates everything and drops nothing; diff(s, empty) drops everything', () => {
  fc.assert(fc.property(snapshotArb, (s) => {
    const up = diff(emptySnapshot('core'), s, NO_HINTS);
    const down = diff(s, emptySnapshot('core'), NO_HINTS);
    const count = (cs: Change[], k: string): number => cs.filter((c) => c.kind === k).length;
    return up.every((c) => c.kind.startsWith('Add') || c.kind === 'EnableRls')
      && count(up, 'AddTable') === s.tables.length && count(up, 'AddEnum') === s.enums.length
      && count(up, 'AddExtension') === s.extensions.length
      && count(up, 'AddIndex') === s.tables.length
      && count(up, 'EnableRls') === s.tables.filter((t) => t.rls).length
      && down.every((c) => c.kind.startsWith('Drop'))
      && count(down, 'DropTable') === s.tables.length && count(down, 'DropEnum') === s.enums.length;
  }));
});

test('property: diff is deterministic', () => {
  fc.assert(fc.property(snapshotArb, snapshotArb, (a, b) => JSON.stringify(diff(a, b, NO_HINTS)) === JSON.stringify(diff(a, b, NO_HINTS))));
});

test.run();
