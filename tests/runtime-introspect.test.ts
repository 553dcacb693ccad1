import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Snapshot } from '../compiler/ir.ts';
import { openDriver } from '../runtime/driver.ts';
import { canonicalType, compareSchema, introspect } from '../runtime/introspect.ts';
import type { LiveSchema } from '../runtime/live-schema.ts';
import { createTestDatabase } from './helpers/db.ts';
import { drift } from '../compiler/commands/verify.ts';

const DDL = `
create table clients (id uuid primary key default gen_random_uuid(), name text not null);
create type acme_invoice_status as enum ('pending', 'paid', 'void');
create table acme_invoice_data (
  id serial not null,
  client_id uuid not null,
  invoice_number varchar(50) not null,
  amount integer not null,
  total numeric(10,2) not null default 0,
  status varchar(50) not null default 'pending',
  state acme_invoice_status not null default 'pending',
  tags text[] not null default '{}',
  code char(3),
  score double precision,
  metadata jsonb default '{"a":1}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint acme_invoice_data_pkey primary key (id),
  constraint acme_invoice_data_client_id_fkey foreign key (client_id) references clients (id) on delete cascade,
  constraint acme_invoice_data_invoice_number_key unique (invoice_number),
  constraint acme_invoice_data_amount_check check (amount >= 0),
  constraint acme_invoice_data_status_check check (status in ('pending', 'paid'))
);
comment on table acme_invoice_data is 'Invoices.';
comment on column acme_invoice_data.amount is 'Amount in cents';
create index acme_invoice_data_client_id_created_at_idx on acme_invoice_data (client_id, created_at);
create index acme_invoice_data_status_idx on acme_invoice_data (status) where status <> 'paid';
create index acme_invoice_data_metadata_idx on acme_invoice_data using gin (metadata);
create function acme_invoice_data_set_updated_at() returns trigger language plpgsql as $$
begin new.updated_at := now(); return new; end $$;
create trigger acme_invoice_data_set_updated_at before update on acme_invoice_data
  for each row execute function acme_invoice_data_set_updated_at();
alter table acme_invoice_data enable row level security;
alter table acme_invoice_data force row level security;
create policy acme_invoice_data_tenant_isolation on acme_invoice_data
  using (client_id = current_setting('app.client_id', true)::uuid);
`;

const col = (name: string, type: string, nullable: boolean, def: string | null, comment: string | null = null) =>
  ({ name, type, nullable, default: def, comment });

const EXPECTED: Snapshot[] = [
  {
    version: 1, owner: 'core', extensions: [], enums: [],
    tables: [{
      name: 'clients', comment: null, tenant: 'global',
      columns: [col('id', 'uuid', false, 'gen_random_uuid()'), col('name', 'text', false, null)],
      primaryKey: { name: 'clients_pkey', columns: ['id'] },
      foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null,
    }],
  },
  {
    version: 1, owner: 'acme', extensions: [], enums: [{ name: 'acme_invoice_status', values: ['pending', 'paid', 'void'] }],
    tables: [{
      name: 'acme_invoice_data', comment: 'Invoices.', tenant: 'client',
      columns: [
        col('id', 'serial', false, null), col('client_id', 'uuid', false, null), col('invoice_number', 'varchar(50)', false, null),
        col('amount', 'integer', false, null, 'Amount in cents'), col('total', 'numeric(10,2)', false, '0'),
        col('status', 'varchar(50)', false, "'pending'"), col('state', 'acme_invoice_status', false, "'pending'"),
        col('tags', 'text[]', false, "'{}'"), col('code', 'char(3)', true, null), col('score', 'double precision', true, null),
        col('metadata', 'jsonb', true, `'{"a": 1}'`),
        col('created_at', 'timestamptz', false, 'now()'), col('updated_at', 'timestamptz', false, 'now()'),
      ],
      primaryKey: { name: 'acme_invoice_data_pkey', columns: ['id'] },
      foreignKeys: [{ name: 'acme_invoice_data_client_id_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
      uniques: [{ name: 'acme_invoice_data_invoice_number_key', columns: ['invoice_number'] }],
      checks: [
        { name: 'acme_invoice_data_amount_check', expr: 'amount >= 0' },
        { name: 'acme_invoice_data_status_check', expr: "status in ('pending', 'paid')" },
      ],
      indexes: [
        { name: 'acme_invoice_data_client_id_created_at_idx', columns: ['client_id', 'created_at'], unique: false, using: 'btree', where: null },
        { name: 'acme_invoice_data_metadata_idx', columns: ['metadata'], unique: false, using: 'gin', where: null },
        { name: 'acme_invoice_data_status_idx', columns: ['status'], unique: false, using: 'btree', where: "status <> 'paid'" },
      ],
      triggers: [{ name: 'acme_invoice_data_set_updated_at', kind: 'set_updated_at', function: 'acme_invoice_data_set_updated_at', columns: ['updated_at'] }],
      rls: { policy: 'acme_invoice_data_tenant_isolation' },
    }],
  },
];

test('canonicalType maps format_type output to schemac type text', () => {
  const cases: [string, string][] = [
    ['character varying(50)', 'varchar(50)'], ['character varying', 'varchar'], ['numeric(10,2)', 'numeric(10,2)'],
    ['timestamp with time zone', 'timestamptz'], ['timestamp without time zone', 'timestamp'],
    ['time without time zone', 'time'], ['character(3)', 'char(3)'], ['double precision', 'double precision'],
    ['integer[]', 'integer[]'], ['character varying(20)[]', 'varchar(20)[]'], ['vector(3)', 'vector(3)'],
  ];
  for (const [input, want] of cases) assert.is(canonicalType(input), want, input);
});

for (const target of ['postgres 15', 'pglite'] as const) {
  test(`introspect reads back what the DDL made (${target}) and compares equal`, async () => {
    const db = target === 'pglite' ? undefined : await createTestDatabase();
    const driver = await openDriver(db ? { kind: 'pg', url: db.url } : { kind: 'pglite' });
    const q = await driver.connect();
    try {
      await q.exec(DDL);
      const live = await introspect(q);
      assert.equal(compareSchema(EXPECTED, live), []);
      const t = live.tables.find((x) => x.name === 'acme_invoice_data')!;
      assert.equal(t.columns.map((c) => c.type), EXPECTED[1].tables[0].columns.map((c) => c.type));
      assert.is(t.columns[0].default, null);
      assert.ok(t.rlsEnabled);
    } finally {
      await q.close();
      await driver.close();
      await db?.drop();
    }
  });
}

test('compareSchema names every difference', async () => {
  const db = await createTestDatabase();
  const driver = await openDriver({ kind: 'pg', url: db.url });
  const q = await driver.connect();
  try {
    await q.exec(DDL);
    await q.exec(`
      alter table acme_invoice_data alter column status set default 'paid';
      alter table acme_invoice_data alter column code set not null;
      alter table acme_invoice_data drop constraint acme_invoice_data_amount_check;
      alter table acme_invoice_data add constraint acme_invoice_data_amount_check check (amount > 0);
      drop index acme_invoice_data_metadata_idx;
      create index acme_invoice_data_metadata_idx on acme_invoice_data (metadata);
      alter type acme_invoice_status add value 'refunded';
      alter table acme_invoice_data disable row level security;
      create table stray (id int);
      alter table clients add column extra text;`);
    const lines = compareSchema(EXPECTED, await introspect(q));
    const want = [
      /column "status": default expected 'pending', found 'paid'::character varying/,
      /column "code": expected nullable, found not null/,
      /check "acme_invoice_data_amount_check" expected amount >= 0, found amount > 0$/,
      /index "acme_invoice_data_metadata_idx" expected using gin \(metadata\), found using btree \(metadata\)/,
      /enum "acme_invoice_status": values expected \(pending, paid, void\), found \(pending, paid, void, refunded\)/,
      /row-level security is not enabled/,
      /table "stray" is in the database but in no snapshot/,
      /table "clients": column "extra" is in the database but not in the snapshot/,
    ];
    for (const re of want) assert.ok(lines.some((l) => re.test(l)), `${re} in\n${lines.join('\n')}`);
    assert.is(lines.length, want.length, lines.join('\n'));
  } finally {
    await q.close();
    await db.drop();
  }
});

test('compareSchema: the citus extensions are the platform\'s, never drift; any other unlisted extension is', () => {
  const live: LiveSchema = { tables: [], enums: [], extensions: ['citus', 'citus_columnar', 'pg_trgm'] };
  assert.equal(compareSchema([], live), ['extension "pg_trgm" is installed but in no snapshot']);
});

test('compareSchema reports row-level security that is enabled but not forced (the owner would bypass it)', async () => {
  const db = await createTestDatabase();
  const driver = await openDriver({ kind: 'pg', url: db.url });
  const q = await driver.connect();
  try {
    await q.exec(DDL);
    assert.equal(compareSchema(EXPECTED, await introspect(q)), []);
    await q.exec('alter table acme_invoice_data no force row level security');
    const live = await introspect(q);
    assert.not.ok(live.tables.find((x) => x.name === 'acme_invoice_data')!.rlsForced);
    assert.equal(compareSchema(EXPECTED, live), ['table "acme_invoice_data": row-level security is not forced (the table owner bypasses the policy)']);
  } finally {
    await q.close();
    await db.drop();
  }
});

test('compareSchema matches columns by name: a column added mid-list passes; missing, extra or changed columns fail', async () => {
  const snap = (columns: ReturnType<typeof col>[]): Snapshot[] => [{
    version: 1, owner: 'core', extensions: [], enums: [],
    tables: [{
      name: 'notes', comment: null, tenant: 'global', columns,
      primaryKey: { name: 'notes_pkey', columns: ['id'] },
      foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null,
    }],
  }];
  const base = [col('id', 'integer', false, null), col('title', 'text', false, null), col('body', 'text', true, null)];
  const db = await createTestDatabase();
  const driver = await openDriver({ kind: 'pg', url: db.url });
  const q = await driver.connect();
  try {
    await q.exec('create table notes (id integer not null, title text not null, constraint notes_pkey primary key (id));');
    await q.exec('alter table notes add column body text;');
    await q.exec('alter table notes add column rank smallint;');
    const midList = [base[0], col('rank', 'smallint', true, null), base[1], base[2]];
    assert.equal(compareSchema(snap(midList), await introspect(q)), []);
    const live = await introspect(q);
    assert.equal(compareSchema(snap([...midList, col('extra', 'text', true, null)]), live), ['table "notes": column "extra" is missing']);
    assert.equal(compareSchema(snap(base), live), ['table "notes": column "rank" is in the database but not in the snapshot']);
    assert.equal(
      compareSchema(snap([base[0], col('rank', 'integer', true, null), base[1], base[2]]), live),
      ['table "notes" column "rank": type expected integer, found smallint'],
    );
    assert.equal(
      compareSchema(snap([base[0], col('rank', 'smallint', false, null), base[1], base[2]]), live),
      ['table "notes" column "rank": expected not null, found nullable'],
    );
  } finally {
    await q.close();
    await driver.close();
    await db.drop();
  }
});

test('drift() compares a live database with the snapshots, or says why it cannot', async () => {
  const db = await createTestDatabase();
  try {
    const driver = await openDriver({ kind: 'pg', url: db.url });
    const q = await driver.connect();
    await q.exec(DDL);
    await q.close();
    assert.equal(await drift(db.url, EXPECTED), { lines: [] });
    const partial = await drift(db.url, [EXPECTED[0]]);
    assert.ok('lines' in partial && partial.lines.includes('table "acme_invoice_data" is in the database but in no snapshot'));
    const down = await drift('postgres://127.0.0.1:1/x', EXPECTED);
    assert.ok('error' in down && /^database unreachable at /.test(down.error));
  } finally {
    await db.drop();
  }
});

test.run();
