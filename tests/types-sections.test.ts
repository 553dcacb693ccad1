import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TypesOptions, TypesOwner } from '../compiler/emit/emit-types.ts';
import { emitTypes as emitTypeFiles } from '../compiler/emit/emit-types.ts';
import type { SectionCache } from '../compiler/emit/types-cache.ts';
import { memorySectionCache } from '../compiler/emit/types-cache.ts';
import { allocateNames, type NamesMemo, type TypeNames } from '../compiler/emit/types-section.ts';
import type { SnapColumn, SnapEnum, Snapshot, SnapTable } from '../compiler/ir.ts';
import { allText, assertTypeFixtures } from './helpers/type-files.ts';
import { TRICKY_SNAPSHOTS } from './typecheck/tricky.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function column(name: string, type: string, extra: Partial<SnapColumn> = {}): SnapColumn {
  return { name, type, nullable: false, default: null, comment: null, ...extra };
}

function table(name: string, columns: SnapColumn[], extra: Partial<SnapTable> = {}): SnapTable {
  return { name, comment: null, tenant: 'client', columns, primaryKey: null, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null, ...extra };
}

function snapshot(owner: string, tables: SnapTable[], enums: SnapEnum[] = []): Snapshot {
  return { version: 1, owner, extensions: [], enums, tables };
}

/** Every type file's text together (see `allText`). */
function emitTypes(owners: readonly TypesOwner[], opts?: TypesOptions): string {
  return allText(emitTypeFiles(owners, opts));
}

/** A memory cache that counts the sections rendered (every render is stored). */
function countingCache(): SectionCache & { renders: string[] } {
  const inner = memorySectionCache();
  const renders: string[] = [];
  return {
    renders,
    get: (s) => inner.get(s),
    set: (s, section) => {
      renders.push(s.owner);
      inner.set(s, section);
    },
  };
}

test('clashes, quoted keys, multi-line comments and every helper match tests/typecheck/tricky-db.ts and tricky-db/ (UPDATE=1 rewrites them)', () => {
  const files = emitTypeFiles(TRICKY_SNAPSHOTS, { path: 'tricky-db.ts' });
  assertTypeFixtures(files, path.join(ROOT, 'tests', 'typecheck'), 'tricky-db.ts');
  assert.equal([...files.modules.keys()], ['core', 'acme', 'beta'], 'an owner with nothing has no module');
  assert.match(files.index, "export type { AcmeInvoices, AcmeInvoicesRow, AcmeInvoicesUpdate, AcmeStatus, NewAcmeInvoices } from './tricky-db/core.js';");
  assert.match(files.modules.get('acme')!, "import type { AcmeStatus as AcmeStatus_core, Db } from './core.js';");
  assert.is(emitTypes(TRICKY_SNAPSHOTS, { path: 'tricky-db.ts', cache: memorySectionCache() }), allText(files));
});

// The base workspace of the cache tests: acme holds the only bigint, zeta names an enum nobody declares.
const CORE = snapshot('core', [table('clients', [column('id', 'uuid'), column('plan', 'client_plan')])], [{ name: 'client_plan', values: ['free', 'pro'] }]);
const ACME = snapshot(
  'acme',
  [
    table('acme_invoices', [column('id', 'serial'), column('total', 'bigint', { comment: 'In cents' }), column('status', 'acme_status'), column('data', 'jsonb', { nullable: true })], { comment: 'Invoices' }),
    table('acme_notes', [column('id', 'integer'), column('plan', 'client_plan[]')]),
  ],
  [{ name: 'acme_status', values: ['draft', 'paid'] }],
);
const ZETA = snapshot('zeta', [table('zeta_jobs', [column('id', 'integer'), column('kind', 'shared_kind', { nullable: true })])]);
const BASE = [CORE, ACME, ZETA];

/** Replaces one owner's snapshot by a changed copy; the other owners keep their objects. */
function replace(snapshots: readonly Snapshot[], owner: string, change: (s: Snapshot) => Snapshot): Snapshot[] {
  const found = snapshots.some((s) => s.owner === owner);
  const next = snapshots.map((s) => (s.owner === owner ? change(s) : s));
  return found ? next : [...next, change(snapshot(owner, []))];
}

function changeColumn(s: Snapshot, tableName: string, columnName: string, patch: Partial<SnapColumn>): Snapshot {
  const tables = s.tables.map((t) => (t.name !== tableName ? t : { ...t, columns: t.columns.map((c) => (c.name === columnName ? { ...c, ...patch } : c)) }));
  return { ...s, tables };
}

const CHANGES: [string, (base: readonly Snapshot[]) => Snapshot[]][] = [
  ['a column type', (b) => replace(b, 'acme', (s) => changeColumn(s, 'acme_invoices', 'total', { type: 'numeric(12,2)' }))],
  ['a column becoming nullable', (b) => replace(b, 'acme', (s) => changeColumn(s, 'acme_invoices', 'status', { nullable: true }))],
  ['a column default', (b) => replace(b, 'acme', (s) => changeColumn(s, 'acme_invoices', 'status', { default: "'draft'" }))],
  ['a column comment', (b) => replace(b, 'acme', (s) => changeColumn(s, 'acme_invoices', 'total', { comment: 'In cents\nnever negative' }))],
  ['a table comment', (b) => replace(b, 'acme', (s) => ({ ...s, tables: s.tables.map((t) => ({ ...t, comment: t.comment === null ? null : 'Bills */' })) }))],
  ['an enum value', (b) => replace(b, 'acme', (s) => ({ ...s, enums: [{ name: 'acme_status', values: ['draft', 'paid', 'void'] }] }))],
  ['a column name', (b) => replace(b, 'acme', (s) => changeColumn(s, 'acme_invoices', 'data', { name: 'data-blob' }))],
  ['a table of another owner taking an interface name', (b) => replace(b, 'core', (s) => ({ ...s, tables: [...s.tables, table('acme__invoices', [column('id', 'integer')])] }))],
  ['a table of another owner taking an alias name', (b) => replace(b, 'zeta', (s) => ({ ...s, tables: [...s.tables, table('acme__notes_row', [column('id', 'integer')])] }))],
  ['an enum of another owner taking an enum name', (b) => replace(b, 'core', (s) => ({ ...s, enums: [...s.enums, { name: 'acme-status', values: ['x'] }] }))],
  ['an enum of another owner taking a table name', (b) => replace(b, 'core', (s) => ({ ...s, enums: [...s.enums, { name: 'acme_invoices', values: ['x'] }] }))],
  ['an enum a column names being declared by another owner', (b) => replace(b, 'core', (s) => ({ ...s, enums: [...s.enums, { name: 'shared_kind', values: ['x'] }] }))],
  ['an enum a column of another owner uses being renamed by a clash', (b) => replace(b, 'beta', (s) => ({ ...s, enums: [{ name: 'client-plan', values: ['x'] }] }))],
  ['the only user of a helper type changing', (b) => replace(b, 'acme', (s) => changeColumn(s, 'acme_invoices', 'data', { type: 'text' }))],
  ['an owner changing while another holds the only bigint', (b) => replace(b, 'core', (s) => changeColumn(s, 'clients', 'id', { type: 'integer' }))],
  ['an owner emptied', (b) => replace(b, 'zeta', (s) => ({ ...s, tables: [] }))],
  ['an owner added', (b) => replace(b, 'omega', (s) => ({ ...s, tables: [table('omega_things', [column('id', 'serial')])] }))],
];

for (const [what, change] of CHANGES) {
  test(`a cached emitTypes follows ${what} exactly as a fresh render`, () => {
    const cache = memorySectionCache();
    const before = emitTypes(BASE, { cache });
    const changed = change(BASE);
    const got = emitTypes(changed, { cache });
    assert.is(got, emitTypes(changed));
    assert.is.not(got, before);
    assert.is(emitTypes(BASE, { cache }), before, 'and back');
  });
}

test('a cached clash that goes away gives the plain names back', () => {
  const clashing = replace(BASE, 'acme', (s) => ({ ...s, tables: [...s.tables, table('acme__invoices', [column('id', 'integer')])] }));
  const cache = memorySectionCache();
  assert.match(emitTypes(clashing, { cache }), 'export interface AcmeInvoicesTable {');
  const got = emitTypes(BASE, { cache });
  assert.is(got, emitTypes(BASE));
  assert.match(got, 'export interface AcmeInvoices {');
});

test('a cached emitTypes renders only the owners whose snapshot or names changed', () => {
  const cache = countingCache();
  const first = emitTypes(BASE, { cache });
  assert.equal(cache.renders, ['core', 'acme', 'zeta']);
  assert.is(emitTypes([ZETA, CORE, ACME], { cache }), first);
  assert.equal(cache.renders.length, 3);
  emitTypes(replace(BASE, 'zeta', (s) => changeColumn(s, 'zeta_jobs', 'id', { type: 'bigint' })), { cache });
  assert.equal(cache.renders.slice(3), ['zeta']);
  emitTypes(replace(BASE, 'core', (s) => ({ ...s, tables: [...s.tables, table('acme__invoices', [column('id', 'integer')])] })), { cache });
  assert.equal(cache.renders.slice(4), ['core'], 'a name another module exports too changes the index, not the modules');
  emitTypes(replace(BASE, 'core', (s) => ({ ...s, enums: [...s.enums, { name: 'client-plan', values: ['x'] }] })), { cache });
  assert.equal(cache.renders.slice(5), ['core', 'acme'], 'the enum acme imports from core is renamed');
});

/** A seeded pseudo-random generator (a linear congruential one), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const WORDS = ['a', 'a_b', 'a__b', 'a_b_row', 'new_a', 'date', 'json', 'db', 'odd-name', "it's", '1st', 'status'];
const TYPES = ['integer', 'serial', 'bigint', 'bigint[]', 'numeric(8,2)', 'text', 'text[]', 'jsonb', 'timestamptz', 'timestamptz[]', 'bytea', 'nope'];
const COMMENTS = [null, null, 'one', 'two\nlines', 'a\n\n*/ b', '  '];

function randomSnapshot(owner: string, rnd: () => number): Snapshot {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const sep = owner === 'core' ? '__' : pick(['_', '-']);
  const prefix = owner === 'core' ? pick(['acme', 'zeta', 'core']) : owner;
  const enumNames = new Set(Array.from({ length: Math.floor(rnd() * 3) }, () => `${prefix}${sep}${pick(['status', 'kind', 'a_b'])}`));
  const enumTypes = ['acme_status', 'zeta-kind', 'core__kind', 'acme_a_b[]'];
  const tableNames = new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => `${prefix}${sep}${pick(WORDS)}`));
  const tables = [...tableNames].map((name) => {
    const columns = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(WORDS)))].map((c) =>
      column(c, rnd() < 0.3 ? pick(enumTypes) : pick(TYPES), { nullable: rnd() < 0.3, default: rnd() < 0.2 ? '0' : null, comment: pick(COMMENTS) }),
    );
    return table(name, columns, { comment: pick(COMMENTS) });
  });
  return snapshot(owner, tables, [...enumNames].map((name) => ({ name, values: ['x', "y'z"] })));
}

test('over random edits of random owners, a cached emitTypes always equals a fresh one', () => {
  const rnd = random(20260131);
  const cache = memorySectionCache();
  const owners = ['core', 'acme', 'zeta'];
  let current = owners.map((o) => randomSnapshot(o, rnd));
  for (let round = 0; round < 300; round++) {
    current = current.map((s) => (rnd() < 0.3 ? randomSnapshot(s.owner, rnd) : s));
    assert.is(emitTypes(current, { cache }), emitTypes(current), `round ${round}`);
  }
});

test('a name allocation reused for the same names is never reused for other names', () => {
  const parts = (...tables: string[][]) => tables.map((names, i) => ({ owner: `o${i}`, enums: [], tables: names.map((name) => ({ name })) }));
  const plain = allocateNames(parts(['acme_orders'], ['beta_items']));
  assert.is(plain.tables.get('acme_orders'), 'AcmeOrders');
  assert.is(allocateNames(parts(['acme_orders'], ['beta_items'])), plain, 'the same names: the same allocation');
  const clash = allocateNames(parts(['acme_orders', 'acme__orders'], ['beta_items']));
  assert.equal([clash.tables.get('acme__orders'), clash.tables.get('acme_orders')], ['AcmeOrders', 'AcmeOrdersTable']);
  const moved = allocateNames(parts(['acme_orders'], ['beta_items', 'acme__orders']));
  assert.equal([moved.tables.get('acme__orders'), moved.tables.get('acme_orders')], ['AcmeOrders', 'AcmeOrders'], 'names are allocated within their module');
  assert.equal([...moved.clashes], [['AcmeOrders', 'o0'], ['AcmeOrdersRow', 'o0'], ['NewAcmeOrders', 'o0'], ['AcmeOrdersUpdate', 'o0']], 'the index keeps the first module\'s');
  assert.is(clash.clashes.size, 0);
  const again = allocateNames(parts(['acme_orders'], ['beta_items']));
  assert.equal([again.tables.get('acme_orders'), again.tables.has('acme__orders')], ['AcmeOrders', false]);
  const asEnum = allocateNames([{ owner: 'e', enums: [{ name: 'acme_orders' }], tables: [] }, ...parts(['beta_items'])]);
  assert.is(asEnum.enums.get('acme_orders'), 'AcmeOrders');
  assert.is(asEnum.tables.has('acme_orders'), false);
});

test('an allocation recalled from a memo is used only when it names exactly the same enums and tables', () => {
  const parts = (...tables: string[][]) => tables.map((names, i) => ({ owner: `o${i}`, enums: [], tables: names.map((name) => ({ name })) }));
  const kept = new Map<string, TypeNames>();
  const memo: NamesMemo = { recall: (key) => kept.get(key), keep: (key, names) => void kept.set(key, names) };
  const clash = allocateNames(parts(['acme_orders', 'acme__orders'], ['beta_items']), memo);
  assert.is(kept.size, 1, 'a fresh allocation is kept');
  const [key] = kept.keys();
  allocateNames(parts(['gamma_x']), memo);
  const forged = { enums: new Map<string, string>(), tables: new Map([['acme_orders', 'Forged'], ['acme__orders', 'AcmeOrders'], ['beta_items', 'BetaItems']]), clashes: new Map() };
  kept.set(key, forged);
  assert.is(allocateNames(parts(['acme_orders', 'acme__orders'], ['beta_items']), memo), forged, 'what the memo holds for those names is taken as it is');
  allocateNames(parts(['gamma_x']), memo);
  kept.set(key, { enums: new Map(), tables: new Map([['acme_orders', 'AcmeOrders']]), clashes: new Map() });
  assert.equal(allocateNames(parts(['acme_orders', 'acme__orders'], ['beta_items']), memo), clash, 'one that misses a name is allocated again');
  allocateNames(parts(['gamma_x']), memo);
  kept.set(key, { enums: new Map([['x', 'X']]), tables: clash.tables, clashes: new Map() });
  assert.equal(allocateNames(parts(['acme_orders', 'acme__orders'], ['beta_items']), memo), clash, 'one with a name too many too');
});

test.run();
