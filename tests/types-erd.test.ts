import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderErd } from '../compiler/emit/erd.ts';
import type { SnapColumn, Snapshot, SnapTable } from '../compiler/ir.ts';
import { ACME_SNAPSHOT, CORE_SNAPSHOT, RICH_SNAPSHOTS } from './typecheck/rich.ts';

function column(name: string, type: string, extra: Partial<SnapColumn> = {}): SnapColumn {
  return { name, type, nullable: false, default: null, comment: null, ...extra };
}

function table(name: string, columns: SnapColumn[], extra: Partial<SnapTable> = {}): SnapTable {
  return { name, comment: null, tenant: 'client', columns, primaryKey: { name: `${name}_pkey`, columns: ['id'] }, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null, ...extra };
}

const fk = (child: string, columns: string[], refTable: string) =>
  ({ name: `${child}_${columns.join('_')}_fkey`, columns, refTable, refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }) as const;

test('entities list columns with type, name, markers and a nullable note', () => {
  const out = renderErd([ACME_SNAPSHOT, CORE_SNAPSHOT]);
  assert.ok(out.startsWith('erDiagram\n'));
  assert.match(out, '  acme_invoice_data {\n    serial id PK\n    uuid client_id FK\n    varchar(50) invoice_number UK\n    integer amount "Amount in cents"\n');
  assert.match(out, '    varchar(255) stripe_payment_intent_id "nullable"\n');
  assert.match(out, '    double_precision score\n');
  assert.match(out, '    numeric(10_2)[] amounts\n');
  assert.match(out, '  "acme weird-table" {\n    integer id PK\n    text Mixed_Case\n  }\n');
  assert.match(out, '  clients ||..o{ acme_invoice_data : "client_id"\n');
});

test('cardinality follows nullability (parent side) and uniqueness (child side)', () => {
  const s: Snapshot = { version: 1, owner: 'core', extensions: [], enums: [], tables: [
    table('parents', [column('id', 'uuid')]),
    table('many', [column('id', 'uuid'), column('parent_id', 'uuid')], { foreignKeys: [fk('many', ['parent_id'], 'parents')] }),
    table('maybe', [column('id', 'uuid'), column('parent_id', 'uuid', { nullable: true })], { foreignKeys: [fk('maybe', ['parent_id'], 'parents')] }),
    table('one', [column('id', 'uuid'), column('parent_id', 'uuid')], {
      foreignKeys: [fk('one', ['parent_id'], 'parents')], uniques: [{ name: 'one_parent_id_key', columns: ['parent_id'] }] }),
    table('ext', [column('id', 'uuid')], { foreignKeys: [fk('ext', ['id'], 'parents')] }),
  ] };
  const out = renderErd([s]);
  assert.match(out, '  parents ||..o{ many : "parent_id"\n');
  assert.match(out, '  parents |o..o{ maybe : "parent_id"\n');
  assert.match(out, '  parents ||..o| one : "parent_id"\n');
  assert.match(out, '  parents ||--o| ext : "id"\n');
  assert.match(out, '    uuid id PK, FK\n');
  assert.match(out, '    uuid parent_id FK, UK\n');
});

test('--org: the org tables plus the referenced core tables, reduced to their keys', () => {
  const out = renderErd(RICH_SNAPSHOTS, { owner: 'acme' });
  assert.match(out, '  clients {\n    uuid id PK\n  }\n');
  assert.not.match(out, '  date {');
  assert.match(out, '  acme_invoice_data {');
  const core = renderErd(RICH_SNAPSHOTS, { owner: 'core' });
  assert.not.match(core, 'acme');
  assert.match(core, '  clients {\n    uuid id PK\n    text name\n');
});

test('deterministic whatever the input order', () => {
  assert.is(renderErd(RICH_SNAPSHOTS), renderErd([...RICH_SNAPSHOTS].reverse()));
  assert.is(renderErd([]), 'erDiagram\n');
});

test.run();
