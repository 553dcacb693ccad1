/**
 * Constraint names and table-level (composite) foreign keys through the front end, the
 * snapshot, the diff and the plan: the IR each form builds, the effective names a snapshot
 * records, what resolve refuses (with the place), and that a change of only a name is a
 * rename with its reverse, never a drop and re-add. Real PostgreSQL runs of the same are the
 * migration cases `constraint-names` and `composite-foreign-keys`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { emitTypes } from '../compiler/emit/emit-types.ts';
import { allText } from './helpers/type-files.ts';
import { erdView } from '../compiler/emit/erd.ts';
import { diff } from '../compiler/engine/diff.ts';
import { plan } from '../compiler/engine/plan.ts';
import { parseSnapshot, renameHints, serializeSnapshot, toSnapshot } from '../compiler/engine/snapshot.ts';
import { loadWorkspace } from '../compiler/index.ts';
import type { Snapshot, Workspace } from '../compiler/ir.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const STAMPS = `      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

/** A core file with every named form of issue 16 §4 (syntax of notes: columns, then table level). */
const NAMED = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: { name: pk_clients }, default: gen_random_uuid() }
      email: { type: text, unique: { name: uq_clients_email } }
      amount: { type: integer, check: { sql: "amount > 0", name: ck_amount } }
${STAMPS}  invoices:
    tenant: global
    primary_key: { columns: [client_id, id], name: pk_invoices }
    columns:
      client_id: { type: uuid, references: { table: clients, column: id, on_delete: cascade, name: fk_invoices_client } }
      id: integer
      code: text
      total: integer
${STAMPS}    unique:
      - [client_id, total]
      - { columns: [client_id, code], name: uq_invoices_code }
    checks:
      positive: "total > 0"
      nonneg: { sql: "total >= 0", name: ck_invoices_nonneg }
    indexes:
      - { columns: [total], name: ix_invoices_total }
  lines:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      client_id: uuid
      invoice_id: integer
${STAMPS}    indexes:
      - columns: [client_id, invoice_id]
    foreign_keys:
      - columns: [client_id, invoice_id]
        references: { table: invoices, columns: [client_id, id] }
        on_delete: cascade
        on_update: cascade
        name: fk_lines_invoice
      - columns: [client_id]
        references: { table: clients, columns: [id] }
`;

const CONFIG = 'lint:\n  rules:\n    require-client-id: "off"\n    require-timestamps: "off"\n    fk-needs-index: "off"\n';

const dirs: string[] = [];

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-cons-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function load(files: Record<string, string>): Promise<{ ws?: Workspace; errors: string[]; at: string[] }> {
  const dir = workspace({ 'schemac.config.yaml': CONFIG, ...files });
  const r = await loadWorkspace({ cwd: dir });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  const at = errors.map((d) => {
    const text = r.sources.get(d.span.file) ?? '';
    const line = text.slice(0, d.span.start).split('\n').length;
    return `${d.code}@${line}: ${d.message}`;
  });
  return { ws: r.workspace, errors: errors.map((d) => `${d.code}: ${d.message}`), at };
}

test('every named form builds its IR; the snapshot records the effective names, derived ones by default', async () => {
  const { ws, errors } = await load({ 'schemas/core/models.yaml': NAMED });
  assert.equal(errors, []);
  const clients = ws!.tables.get('clients')!;
  assert.equal(clients.columns[0].constraintNames, { primaryKey: 'pk_clients' });
  assert.is(clients.columns[0].primaryKey, true);
  assert.equal(clients.columns[1].constraintNames, { unique: 'uq_clients_email' });
  assert.is(clients.columns[1].unique, true);
  assert.equal({ sql: clients.columns[2].check?.sql, names: clients.columns[2].constraintNames }, { sql: 'amount > 0', names: { check: 'ck_amount' } });
  const invoices = ws!.tables.get('invoices')!;
  assert.equal([invoices.primaryKey?.columns, invoices.primaryKey?.name], [['client_id', 'id'], 'pk_invoices']);
  assert.is(invoices.columns[0].references?.name, 'fk_invoices_client');
  assert.equal(invoices.uniques.map((u) => [u.columns, u.name]), [[['client_id', 'total'], undefined], [['client_id', 'code'], 'uq_invoices_code']]);
  assert.equal(invoices.checks.map((k) => [k.name, k.expr.sql, k.constraintName]), [['positive', 'total > 0', undefined], ['nonneg', 'total >= 0', 'ck_invoices_nonneg']]);
  const fks = ws!.tables.get('lines')!.foreignKeys!;
  assert.equal(fks.map((f) => ({ ...f, span: undefined, refSpan: undefined })), [
    { kind: 'foreignKey', columns: ['client_id', 'invoice_id'], table: 'invoices', refColumns: ['client_id', 'id'], onDelete: 'cascade', onUpdate: 'cascade', name: 'fk_lines_invoice', span: undefined, refSpan: undefined },
    { kind: 'foreignKey', columns: ['client_id'], table: 'clients', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action', span: undefined, refSpan: undefined },
  ]);
  assert.equal(ws!.tables.get('lines')!.columns.map((c) => c.references), [undefined, undefined, undefined, undefined, undefined]);

  const snap = toSnapshot(ws!, 'core');
  const t = (name: string) => snap.tables.find((x) => x.name === name)!;
  assert.equal(t('clients').primaryKey, { name: 'pk_clients', columns: ['id'] });
  assert.equal(t('clients').uniques, [{ name: 'uq_clients_email', columns: ['email'] }]);
  assert.equal(t('clients').checks.map((c) => c.name), ['ck_amount']);
  assert.equal(t('invoices').primaryKey, { name: 'pk_invoices', columns: ['client_id', 'id'] });
  assert.equal(t('invoices').foreignKeys.map((f) => f.name), ['fk_invoices_client']);
  assert.equal(t('invoices').uniques.map((u) => u.name), ['invoices_client_id_total_key', 'uq_invoices_code']);
  assert.equal(t('invoices').checks.map((c) => c.name), ['ck_invoices_nonneg', 'invoices_positive_check']);
  assert.equal(t('invoices').indexes.map((i) => i.name), ['ix_invoices_total']);
  assert.equal(t('lines').foreignKeys, [
    { name: 'fk_lines_invoice', columns: ['client_id', 'invoice_id'], refTable: 'invoices', refColumns: ['client_id', 'id'], onDelete: 'cascade', onUpdate: 'cascade' },
    { name: 'lines_client_id_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'no action', onUpdate: 'no action' },
  ]);
  const again = parseSnapshot(serializeSnapshot(snap), 'core.json');
  assert.equal(again.diagnostics, []);
  assert.equal(again.snapshot, snap);
});

test('resolve refuses bad table-level foreign keys, at the entry or its references', async () => {
  const orders = (fk: string, extra = '') => `tables:
  orders:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      client_id: uuid
      invoice_id: integer
      note: text?
${extra}${STAMPS}    foreign_keys:
${fk}`;
  const core = (fk: string, extra = '') => ({ 'schemas/core/models.yaml': NAMED, 'schemas/core/orders/models.yaml': orders(fk, extra) });
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['unknown table', core('      - { columns: [client_id, invoice_id], references: { table: invoicez, columns: [client_id, id] } }\n'), /^unknown-reference@12: .*table 'invoicez', which does not exist/],
    ['unknown referenced column', core('      - { columns: [client_id, invoice_id], references: { table: invoices, columns: [client_id, idd] } }\n'), /^unknown-reference@12: .*'invoices' has no column 'idd'/],
    ['unknown own column', core('      - { columns: [client_id, invoice_idd], references: { table: invoices, columns: [client_id, id] } }\n'), /^unknown-column@12: foreign key of table 'orders' names column 'invoice_idd'/],
    ['column counts differ', core('      - { columns: [client_id], references: { table: invoices, columns: [client_id, id] } }\n'), /^invalid-foreign-key@12: .*has 1 column but references 2/],
    ['types differ per pair', core('      - { columns: [invoice_id, client_id], references: { table: invoices, columns: [client_id, id] } }\n'), /^reference-type-mismatch@7: column 'invoice_id' is integer but its foreign key pairs it with 'invoices.client_id', which is uuid/],
    ['not a key of the target', core('      - { columns: [note, invoice_id], references: { table: invoices, columns: [code, total] } }\n'), /^reference-not-unique@12: \(code, total\) of 'invoices' is neither its primary key nor a unique constraint/],
    ['the key in another order', core('      - { columns: [invoice_id, client_id], references: { table: invoices, columns: [id, client_id] } }\n'), /^reference-not-unique@12: \(id, client_id\) of 'invoices' is neither its primary key nor a unique constraint/],
    ['set null on NOT NULL columns', core('      - { columns: [client_id, invoice_id], references: { table: invoices, columns: [client_id, id] }, on_delete: set null }\n'), /^invalid-reference-action@12: .*'client_id', 'invoice_id' are NOT NULL/],
    ['an unknown key', core('      - { columns: [client_id], references: { table: clients, columns: [id] }, on_delet: cascade }\n'), /^unknown-key@12: unknown key 'on_delet'/],
  ];
  for (const [name, files, want] of cases) {
    const { at } = await load(files);
    assert.ok(at.some((e) => want.test(e)), `${name}: ${JSON.stringify(at)}`);
  }
});

test('an org: only its own tables or exposed core columns, its names in its namespace, names unique across the workspace', async () => {
  const acme = (fk: string, names = '') => `tables:
  acme_customers:
    primary_key: [client_id, id]
    columns:
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      id: integer
      code: { type: text${names} }
${STAMPS}  acme_orders:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      customer_id: integer
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    foreign_keys:
${fk}`;
  const globex = `tables:
  globex_things:
    primary_key: [client_id, id]
    columns:
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      id: integer
${STAMPS}`;
  const files = (fk: string, names?: string) => ({
    'schemas/core/models.yaml': CORE_CLIENTS.replace('      name: varchar(255)\n', '      name: varchar(255)\n      code: { type: text, unique: true }\n'),
    'schemas/custom_tools/acme/shop/models.yaml': acme(fk, names),
    'schemas/custom_tools/globex/shop/models.yaml': globex,
  });
  const ok = await load(files('      - { columns: [client_id, customer_id], references: { table: acme_customers, columns: [client_id, id] }, name: acme_fk_orders_customer }\n'));
  assert.equal(ok.errors, []);
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['another org\'s table', files('      - { columns: [client_id, customer_id], references: { table: globex_things, columns: [client_id, id] } }\n'), /^cross-org-reference@18: org 'acme' may not use table 'globex_things'/],
    ['an unexposed core column', files('      - { columns: [client_id], references: { table: clients, columns: [id] } }\n      - { columns: [customer_id], references: { table: clients, columns: [code] } }\n'), /^unexposed-reference@19: org 'acme' may not reference the core column 'clients.code'/],
    ['a name outside the org\'s namespace', files('      - { columns: [client_id, customer_id], references: { table: acme_customers, columns: [client_id, id] }, name: fk_orders_customer }\n'), /^org-prefix@18: foreign key 'fk_orders_customer' belongs to org 'acme' but does not start with 'acme_'/],
    ['a name in another org\'s namespace', files('      - { columns: [client_id, customer_id], references: { table: acme_customers, columns: [client_id, id] }, name: globex_fk }\n'), /^foreign-namespace@18: the foreign key 'globex_fk' .*namespace of org 'globex'/],
    ['a name already taken by a derived one', files('      - { columns: [client_id, customer_id], references: { table: acme_customers, columns: [client_id, id] }, name: acme_customers_pkey }\n'), /^duplicate-name@18: the name 'acme_customers_pkey' of this foreign key is already used by a primary key/],
    ['two explicit names alike', files('      - { columns: [client_id, customer_id], references: { table: acme_customers, columns: [client_id, id] }, name: acme_same }\n', ', unique: { name: acme_same }'), /^duplicate-name@18: the name 'acme_same'/],
  ];
  for (const [name, f, want] of cases) {
    const { at } = await load(f);
    assert.ok(at.some((e) => want.test(e)), `${name}: ${JSON.stringify(at)}`);
  }
});

test('names are validated by the schema: an invalid name or an unknown key is located', async () => {
  const bad = NAMED.replace('name: uq_invoices_code', 'name: "uq invoices"').replace('{ sql: "total >= 0", name: ck_invoices_nonneg }', '{ sql: "total >= 0", nme: x }');
  const { at } = await load({ 'schemas/core/models.yaml': bad });
  assert.ok(at.some((e) => /^invalid-value@22: 'uq invoices' is not valid/.test(e)), JSON.stringify(at));
  assert.ok(at.some((e) => /^unknown-key@25: unknown key 'nme'/.test(e)), JSON.stringify(at));
});

/** The core snapshot of a models text (no errors allowed). */
async function snapshotOf(models: string): Promise<{ snap: Snapshot; ws: Workspace }> {
  const { ws, errors } = await load({ 'schemas/core/models.yaml': models });
  assert.equal(errors, []);
  return { snap: toSnapshot(ws!, 'core'), ws: ws! };
}

const DERIVED = NAMED
  .replace('primary_key: { name: pk_clients }', 'primary_key: true')
  .replace('unique: { name: uq_clients_email }', 'unique: true')
  .replace('check: { sql: "amount > 0", name: ck_amount }', 'check: "amount > 0"')
  .replace('primary_key: { columns: [client_id, id], name: pk_invoices }', 'primary_key: [client_id, id]')
  .replace(', name: fk_invoices_client', '')
  .replace('{ columns: [client_id, code], name: uq_invoices_code }', '[client_id, code]')
  .replace('{ sql: "total >= 0", name: ck_invoices_nonneg }', '"total >= 0"')
  .replace('{ columns: [total], name: ix_invoices_total }', '{ columns: [total] }')
  .replace('        name: fk_lines_invoice\n', '');

test('naming constraints and an index that exist is a rename each, reversed in the down; never a drop and re-add', async () => {
  const before = await snapshotOf(DERIVED);
  const after = await snapshotOf(NAMED);
  const changes = diff(before.snap, after.snap, renameHints(after.ws, 'core'));
  assert.equal(changes.map((c) => c.kind).filter((k) => !k.startsWith('Rename')), []);
  const statements = plan(changes, { prev: before.snap, next: after.snap });
  assert.equal(statements.map((s) => s.sql), [
    'ALTER TABLE "clients" RENAME CONSTRAINT "clients_pkey" TO "pk_clients";',
    'ALTER TABLE "clients" RENAME CONSTRAINT "clients_email_key" TO "uq_clients_email";',
    'ALTER TABLE "clients" RENAME CONSTRAINT "clients_amount_check" TO "ck_amount";',
    'ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_pkey" TO "pk_invoices";',
    'ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_client_id_fkey" TO "fk_invoices_client";',
    'ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_client_id_code_key" TO "uq_invoices_code";',
    'ALTER TABLE "invoices" RENAME CONSTRAINT "invoices_nonneg_check" TO "ck_invoices_nonneg";',
    'ALTER TABLE "lines" RENAME CONSTRAINT "lines_client_id_invoice_id_fkey" TO "fk_lines_invoice";',
    'ALTER INDEX "invoices_total_idx" RENAME TO "ix_invoices_total";',
  ]);
  assert.is(statements[0].reverse, 'ALTER TABLE "clients" RENAME CONSTRAINT "pk_clients" TO "clients_pkey";');
  assert.is(statements.at(-1)!.reverse, 'ALTER INDEX "ix_invoices_total" RENAME TO "invoices_total_idx";');
  assert.ok(statements.every((s) => s.transactional && s.altersExisting));
  const back = diff(after.snap, before.snap, renameHints(before.ws, 'core'));
  assert.equal(back.length, changes.length);
  assert.ok(back.every((c) => c.kind === 'RenameConstraint' || c.kind === 'RenameIndex'));
});

test('a snapshot written before names existed loads, and naming what it holds renames', async () => {
  const old = `{
  "version": 1,
  "owner": "core",
  "extensions": [],
  "enums": [],
  "tables": [
    {
      "name": "clients", "comment": null, "tenant": "global",
      "columns": [{ "name": "id", "type": "uuid", "nullable": false, "default": "gen_random_uuid()", "comment": null }],
      "primaryKey": { "name": "clients_pkey", "columns": ["id"] },
      "foreignKeys": [], "uniques": [], "checks": [], "indexes": [], "triggers": [], "rls": null
    }
  ]
}
`;
  const parsed = parseSnapshot(old, 'generated/snapshots/core.json');
  assert.equal(parsed.diagnostics, []);
  const { snap, ws } = await snapshotOf(`tables:\n  clients:\n    tenant: global\n    columns:\n      id: { type: uuid, primary_key: { name: pk_clients }, default: gen_random_uuid() }\n`);
  const changes = diff(parsed.snapshot!, snap, renameHints(ws, 'core'));
  assert.equal(changes, [{ kind: 'RenameConstraint', table: 'clients', from: 'clients_pkey', to: 'pk_clients' }]);
});

test('a changed definition under a new name is a drop and an add; a composite foreign key on an existing table is NOT VALID, then validated', async () => {
  const before = await snapshotOf(DERIVED);
  const changed = DERIVED.replace('check: "amount > 0"', 'check: { sql: "amount >= 0", name: ck_amount }').replace('      - [client_id, invoice_id]\n', '      - [client_id, invoice_id, id]\n');
  const withFk = changed.replace('      - { columns: [total] }\n', '      - { columns: [total] }\n    foreign_keys:\n      - { columns: [client_id, total], references: { table: invoices, columns: [client_id, id] }, name: fk_invoices_total }\n');
  const after = await snapshotOf(withFk);
  const changes = diff(before.snap, after.snap, renameHints(after.ws, 'core'));
  assert.equal(changes.map((c) => c.kind), ['DropCheck', 'AddCheck', 'AddForeignKey']);
  const statements = plan(changes, { prev: before.snap, next: after.snap });
  const fk = statements.filter((s) => s.sql.includes('fk_invoices_total'));
  assert.equal(fk.map((s) => [s.sql, s.transactional]), [
    ['ALTER TABLE "invoices" ADD CONSTRAINT "fk_invoices_total" FOREIGN KEY ("client_id", "total") REFERENCES "invoices" ("client_id", "id") NOT VALID;', true],
    ['ALTER TABLE "invoices" VALIDATE CONSTRAINT "fk_invoices_total";', false],
  ]);
  assert.ok(fk[0].altersExisting, 'the table existed: the migration sets lock_timeout');
  assert.is(fk[0].reverse, 'ALTER TABLE "invoices" DROP CONSTRAINT IF EXISTS "fk_invoices_total";');
});

test('a composite foreign key of a new table to a table the plan did not create still takes the lock timeout', async () => {
  const before = await snapshotOf(DERIVED);
  const after = await snapshotOf(`${DERIVED}  notes:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n      client_id: uuid\n      invoice_id: integer\n${STAMPS}    foreign_keys:\n      - { columns: [client_id, invoice_id], references: { table: invoices, columns: [client_id, id] } }\n`);
  const statements = plan(diff(before.snap, after.snap, renameHints(after.ws, 'core')), { prev: before.snap, next: after.snap });
  const fk = statements.find((s) => s.sql.includes('"notes_client_id_invoice_id_fkey"'))!;
  assert.is(fk.sql, 'ALTER TABLE "notes" ADD CONSTRAINT "notes_client_id_invoice_id_fkey" FOREIGN KEY ("client_id", "invoice_id") REFERENCES "invoices" ("client_id", "id");');
  assert.is(fk.altersExisting, true);
  assert.is(fk.reverse, 'ALTER TABLE "notes" DROP CONSTRAINT "notes_client_id_invoice_id_fkey";');
});

test('a composite foreign key to a unique key the same plan builds concurrently waits for it in the concurrent part', async () => {
  const before = await snapshotOf(DERIVED.replace('      - [client_id, total]\n', ''));
  const after = await snapshotOf(DERIVED.replace('      - { columns: [total] }\n', '      - { columns: [total] }\n    foreign_keys:\n      - { columns: [client_id, id], references: { table: invoices, columns: [client_id, total] } }\n'));
  const statements = plan(diff(before.snap, after.snap, renameHints(after.ws, 'core')), { prev: before.snap, next: after.snap });
  const order = statements.filter((s) => !s.transactional).map((s) => s.comment);
  const unique = order.indexOf('Add unique constraint "invoices_client_id_total_key" on "invoices" using its index');
  const fk = order.indexOf('Add foreign key "invoices_client_id_id_fkey" on "invoices" (NOT VALID, once the key it references exists)');
  assert.ok(unique >= 0 && fk > unique, JSON.stringify(order));
  assert.ok(!statements.some((s) => s.transactional && s.sql.includes('invoices_client_id_id_fkey')), 'nothing of the key in the transactional part');
});

test('the ER diagram draws a composite foreign key as one relationship; the Kysely types do not change with names or keys', async () => {
  const named = await snapshotOf(NAMED);
  const view = erdView([named.snap]);
  const lines = view.relationships.filter((r) => r.child === 'lines');
  assert.equal(lines.map((r) => [r.parent, r.cardinality, r.label]), [['invoices', '||..o{', 'client_id, invoice_id'], ['clients', '||..o{', 'client_id']]);
  assert.equal(view.entities.find((e) => e.name === 'lines')!.attributes.filter((a) => a.keys.includes('FK')).map((a) => a.name), ['client_id', 'invoice_id']);
  const bare = await snapshotOf(DERIVED.replace(/    foreign_keys:\n(      .*\n)+/, ''));
  assert.is(allText(emitTypes([named.snap])), allText(emitTypes([bare.snap])));
});

test.after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test.run();
