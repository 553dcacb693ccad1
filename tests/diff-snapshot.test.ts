import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSnapshot, renameHints, serializeSnapshot, snapshotShapeProblem, toSnapshot } from '../compiler/engine/snapshot.ts';
import { loadWorkspace } from '../compiler/index.ts';
import { emptySnapshot, type Workspace } from '../compiler/ir.ts';
import { col, snap, table } from './helpers/snapshots.ts';

const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
`;

const ACME = `tables:
  acme_invoice_data:
    comment: Invoices created by the invoice_generator tool.
    rls: true
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      invoice_number: { type: varchar(50), unique: true }
      amount: { type: integer, comment: Amount in cents, check: amount >= 0, default: 0 }
      status: { type: acme_invoice_status, default: pending }
      paid: { type: boolean, default: false, index: true }
      due_on: { type: date, default: current_date }
      tags: { type: "text[]", default: [a, "b'c"] }
      stripe_payment_intent_id: varchar(255)?
      metadata: { type: jsonb, default: { a: 1 } }
      total: { type: "numeric(10,2)", default: { sql: "1 + 1" } }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - columns: [client_id, created_at]
      - { columns: [status], where: "status <> 'paid'" }
      - { columns: [metadata], using: gin }
    unique:
      - [client_id, invoice_number]
    checks:
      positive_total: total > 0
  acme_notes:
    renamed_from: acme_memos
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      body: { type: text, renamed_from: text }
enums:
  acme_invoice_status: [pending, paid, void]
`;

/** Loads a workspace written to a fresh temp directory. */
async function load(files: Record<string, string>): Promise<Workspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-snap-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    const r = await loadWorkspace({ cwd: dir, lint: false });
    assert.ok(r.workspace, 'the workspace loads');
    return r.workspace;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const files = { 'schemas/core/models.yaml': CORE, 'schemas/custom_tools/acme/invoices/models.yaml': ACME };

test('toSnapshot names every constraint, renders defaults as SQL and sorts', async () => {
  const s = toSnapshot(await load(files), 'acme');
  assert.equal(s.extensions, []);
  assert.equal(s.enums, [{ name: 'acme_invoice_status', values: ['pending', 'paid', 'void'] }]);
  assert.equal(s.tables.map((t) => t.name), ['acme_invoice_data', 'acme_notes']);
  const t = s.tables[0];
  assert.equal(t.columns.map((c) => [c.name, c.type, c.nullable, c.default, c.comment]), [
    ['id', 'serial', false, null, null],
    ['client_id', 'uuid', false, null, null],
    ['invoice_number', 'varchar(50)', false, null, null],
    ['amount', 'integer', false, '0', 'Amount in cents'],
    ['status', 'acme_invoice_status', false, "'pending'", null],
    ['paid', 'boolean', false, 'false', null],
    ['due_on', 'date', false, 'CURRENT_DATE', null],
    ['tags', 'text[]', false, "ARRAY['a', 'b''c']::text[]", null],
    ['stripe_payment_intent_id', 'varchar(255)', true, null, null],
    ['metadata', 'jsonb', false, `'{"a":1}'::jsonb`, null],
    ['total', 'numeric(10,2)', false, '(1 + 1)', null],
    ['created_at', 'timestamptz', false, 'now()', null],
    ['updated_at', 'timestamptz', false, 'now()', null],
  ]);
  assert.equal(t.primaryKey, { name: 'acme_invoice_data_pkey', columns: ['id'] });
  assert.equal(t.foreignKeys, [{
    name: 'acme_invoice_data_client_id_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action',
  }]);
  assert.equal(t.uniques.map((u) => u.name), ['acme_invoice_data_client_id_invoice_number_key', 'acme_invoice_data_invoice_number_key']);
  assert.equal(t.checks, [
    { name: 'acme_invoice_data_amount_check', expr: 'amount >= 0' },
    { name: 'acme_invoice_data_positive_total_check', expr: 'total > 0' },
  ]);
  assert.equal(t.indexes.map((i) => [i.name, i.columns, i.using, i.where]), [
    ['acme_invoice_data_client_id_created_at_idx', ['client_id', 'created_at'], 'btree', null],
    ['acme_invoice_data_metadata_idx', ['metadata'], 'gin', null],
    ['acme_invoice_data_paid_idx', ['paid'], 'btree', null],
    ['acme_invoice_data_status_idx', ['status'], 'btree', "status <> 'paid'"],
  ]);
  assert.equal(t.triggers, [{ name: 'acme_invoice_data_set_updated_at', kind: 'set_updated_at', function: 'acme_invoice_data_set_updated_at', columns: ['updated_at'] }]);
  assert.equal(t.rls, { policy: 'acme_invoice_data_tenant_isolation' });
  assert.is(t.tenant, 'client');
  assert.is(t.comment, 'Invoices created by the invoice_generator tool.');
  assert.equal(toSnapshot(await load(files), 'core').tables.map((x) => x.name), ['clients']);
});

test('renameHints collects renamed_from of tables and columns', async () => {
  const h = renameHints(await load(files), 'acme');
  assert.equal([...h.tables], [['acme_notes', 'acme_memos']]);
  assert.equal([...h.columns], [['acme_notes.body', 'text']]);
  assert.equal([...h.enums], []);
});

test('serializeSnapshot is stable: same models, byte-identical text; parse round-trips', async () => {
  const a = serializeSnapshot(toSnapshot(await load(files), 'acme'));
  const b = serializeSnapshot(toSnapshot(await load(files), 'acme'));
  assert.is(a, b);
  assert.ok(a.endsWith('}\n') && a.startsWith('{\n  "version": 1,\n  "owner": "acme",\n'));
  const parsed = parseSnapshot(a, 'generated/snapshots/acme.json');
  assert.equal(parsed.diagnostics, []);
  assert.is(serializeSnapshot(parsed.snapshot!), a);
  assert.is(serializeSnapshot(emptySnapshot('core')), '{\n  "version": 1,\n  "owner": "core",\n  "extensions": [],\n  "enums": [],\n  "tables": []\n}\n');
});

test('serializeSnapshot fixes key order and list order whatever the input order', () => {
  const t = table('b', [col('x', 'integer')], {
    indexes: [
      { where: null, using: 'btree', unique: false, columns: ['x'], name: 'b_z_idx' },
      { name: 'b_a_idx', columns: ['x'], unique: false, using: 'btree', where: null },
    ],
  });
  const one = serializeSnapshot(snap([t, table('a', [])], { extensions: ['z', 'a'] }));
  const two = serializeSnapshot(snap([table('a', []), { ...t, indexes: [...t.indexes].reverse() }], { extensions: ['a', 'z'] }));
  assert.is(one, two);
  assert.match(one, /"name": "b_a_idx",\n\s+"columns"/);
});

test('parseSnapshot: invalid JSON points at the offending offset', () => {
  const r = parseSnapshot('{\n  "version": 1,\n  oops\n}\n', 'snap.json');
  assert.is(r.snapshot, undefined);
  assert.is(r.diagnostics.length, 1);
  assert.is(r.diagnostics[0].code, 'snapshot-invalid');
  assert.is(r.diagnostics[0].span.file, 'snap.json');
  assert.is(r.diagnostics[0].span.start, 20);
});

test('parseSnapshot: a wrong shape names the path and points at the node', () => {
  const good = serializeSnapshot(snap([table('t', [col('x', 'integer')])]));
  const bad = good.replace('"type": "integer"', '"type": 5');
  const r = parseSnapshot(bad, 'snap.json');
  assert.is(r.snapshot, undefined);
  assert.match(r.diagnostics[0].message, /tables\[0\]\.columns\[1\]\.type: expected a string/);
  assert.is(bad.slice(r.diagnostics[0].span.start, r.diagnostics[0].span.end), '5');
  const missing = parseSnapshot(good.replace(/,\n\s+"rls": null/, ''), 'snap.json');
  assert.match(missing.diagnostics[0].message, /tables\[0\]: missing key "rls"/);
  const extra = parseSnapshot(good.replace('"owner": "core",', '"owner": "core", "extra": 1,'), 'snap.json');
  assert.match(extra.diagnostics[0].message, /extra: unknown key "extra"/);
});

test('parseSnapshot: another version is refused with a clear message', () => {
  const r = parseSnapshot(serializeSnapshot(emptySnapshot('core')).replace('"version": 1', '"version": 2'), 's.json');
  assert.match(r.diagnostics[0].message, /version: unsupported snapshot version 2 \(this schemac reads version 1\)/);
  assert.is(parseSnapshot('[]', 's.json').diagnostics[0].message, 'snapshot s.json (root): expected an object');
});

/** Every [parent, key] of a JSON value, the root's parent being a wrapper. */
function slots(root: { v: unknown }): [Record<string, unknown> | unknown[], string | number][] {
  const out: [Record<string, unknown> | unknown[], string | number][] = [[root as Record<string, unknown>, 'v']];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), visit(x)));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push([v as Record<string, unknown>, k]), visit(x);
  };
  visit(root.v);
  return out;
}

test('parseSnapshot: its fast shape check accepts exactly what the reporting one accepts (random edits of a snapshot)', () => {
  const base = serializeSnapshot(snap([
    table('t', [col('id', 'serial', { nullable: false }), col('x', 'integer', { default: '0', comment: 'x' })], {
      rls: { policy: 't_tenant_isolation' },
      foreignKeys: [{ name: 't_x_fkey', columns: ['x'], refTable: 'u', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
      uniques: [{ name: 't_x_key', columns: ['x'] }],
      checks: [{ name: 't_x_check', expr: 'x > 0' }],
      indexes: [{ name: 't_x_idx', columns: ['x'], unique: false, using: 'btree', where: null }],
      triggers: [{ name: 't_set_updated_at', kind: 'set_updated_at', function: 't_set_updated_at', columns: ['x'] }],
    }),
    table('u', [col('y', 'text')]),
  ], { extensions: ['vector'], enums: [{ name: 'e', values: ['a', 'b'] }] }));
  assert.is(snapshotShapeProblem(JSON.parse(base)), null);
  const json: fc.Arbitrary<unknown> = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}),
    fc.constantFrom('btree', 'cascade', 'client', 'set_updated_at', 1), fc.array(fc.string(), { maxLength: 2 }));
  const edit = fc.record({ at: fc.nat(), op: fc.constantFrom('set', 'delete', 'add'), key: fc.constantFrom('name', 'extra', 'columns', 'archived', '__proto__'), value: json });
  fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
    const root = { v: JSON.parse(base) as unknown };
    for (const e of edits) {
      const all = slots(root);
      const [parent, key] = all[e.at % all.length];
      const target = (parent as Record<string | number, unknown>)[key];
      const value = JSON.parse(JSON.stringify(e.value)) as unknown; // a fresh copy: never a cycle
      if (e.op === 'set') (parent as Record<string | number, unknown>)[key] = value;
      else if (e.op === 'delete' && !Array.isArray(parent) && parent !== root) delete (parent as Record<string, unknown>)[key];
      else if (e.op === 'add' && typeof target === 'object' && target !== null && !Array.isArray(target)) Object.defineProperty(target, e.key, { value, enumerable: true, writable: true, configurable: true });
    }
    const text = JSON.stringify(root.v) ?? 'null';
    const parsed = parseSnapshot(text, 's.json');
    const problem = snapshotShapeProblem(JSON.parse(text));
    assert.is(parsed.snapshot !== undefined, problem === null, `${problem} — ${text.slice(0, 200)}`);
    if (problem !== null) assert.ok(parsed.diagnostics[0].message.includes(problem), parsed.diagnostics[0].message);
  }), { numRuns: 2000 });
});

test.run();
