import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sql } from 'kysely';
import type { Snapshot, SnapColumn } from '../compiler/ir.ts';
import { run } from '../compiler/cli.ts';
import { startPglite } from '../runtime/driver.ts';
import { createDb } from '../runtime/index.ts';
import { captureIo } from './helpers/io.ts';
import { makeWorkspace } from './helpers/migrations.ts';

async function cli(dir: string, args: string[]) {
  const io = captureIo();
  const code = await run(['--cwd', dir, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const col = (name: string, type: string, nullable: boolean, def: string | null): SnapColumn => ({ name, type, nullable, default: def, comment: null });
const none = { foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null };

/** The snapshots the BASIC fixture migrations produce. */
const SNAPSHOTS: Snapshot[] = [
  {
    version: 1, owner: 'core', extensions: [], enums: [{ name: 'note_kind', values: ['plain', 'todo'] }],
    tables: [
      { name: 'clients', comment: null, tenant: 'global', columns: [col('id', 'uuid', false, 'gen_random_uuid()'), col('name', 'text', false, null)],
        primaryKey: { name: 'clients_pkey', columns: ['id'] }, ...none },
      {
        name: 'notes', comment: null, tenant: 'client',
        columns: [col('id', 'serial', false, null), col('client_id', 'uuid', false, null), col('kind', 'note_kind', false, "'plain'"),
          col('body', 'varchar(200)', false, null), col('created_at', 'timestamptz', false, 'now()'), col('updated_at', 'timestamptz', false, 'now()')],
        primaryKey: { name: 'notes_pkey', columns: ['id'] },
        foreignKeys: [{ name: 'notes_client_id_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
        uniques: [], checks: [{ name: 'notes_body_check', expr: 'length(body) > 0' }],
        indexes: [{ name: 'notes_client_id_idx', columns: ['client_id'], unique: false, using: 'btree', where: null }],
        triggers: [{ name: 'notes_set_updated_at', kind: 'set_updated_at', function: 'notes_set_updated_at', columns: ['updated_at'] }],
        rls: { policy: 'notes_tenant_isolation' },
      },
    ],
  },
  {
    version: 1, owner: 'acme', extensions: [], enums: [],
    tables: [{
      name: 'acme_invoice_data', comment: 'Invoices.', tenant: 'client',
      columns: [col('id', 'bigserial', false, null), col('client_id', 'uuid', false, null), col('amount', 'integer', false, null), col('status', 'varchar(50)', false, "'pending'")],
      primaryKey: { name: 'acme_invoice_data_pkey', columns: ['id'] },
      foreignKeys: [{ name: 'acme_invoice_data_client_id_fkey', columns: ['client_id'], refTable: 'clients', refColumns: ['id'], onDelete: 'cascade', onUpdate: 'no action' }],
      uniques: [], checks: [{ name: 'acme_invoice_data_amount_check', expr: 'amount >= 0' }],
      indexes: [{ name: 'acme_invoice_data_status_idx', columns: ['status'], unique: false, using: 'btree', where: "status <> 'paid'" }],
      triggers: [], rls: null,
    }],
  },
];

function writeSnapshots(dir: string, snapshots: Snapshot[]): void {
  const out = path.join(dir, 'generated', 'snapshots');
  fs.mkdirSync(out, { recursive: true });
  for (const s of snapshots) fs.writeFileSync(path.join(out, `${s.owner}.json`), `${JSON.stringify(s, null, 2)}\n`);
}

test('without --db or DATABASE_URL, migrate uses the embedded PGlite in .schemac/pglite: up, status, down', async () => {
  const ws = makeWorkspace();
  try {
    const up = await cli(ws.dir, ['migrate', 'up']);
    assert.is(up.code, 0, up.err);
    assert.match(up.err, /using the embedded PGlite database in \.schemac\/pglite/);
    assert.match(up.out, /3 applied/);
    assert.ok(fs.existsSync(path.join(ws.dir, '.schemac', 'pglite', 'PG_VERSION')));
    const status = await cli(ws.dir, ['migrate', 'status']);
    assert.match(status.out, /3 applied, 0 pending/);
    const down = await cli(ws.dir, ['migrate', 'down', '--to', 'base']);
    assert.is(down.code, 0, down.err);
    assert.match(down.out, /3 reverted/);
    const after = await cli(ws.dir, ['migrate', 'status']);
    assert.match(after.out, /0 applied, 3 pending/);
  } finally {
    ws.remove();
  }
});

test('verify replays the migrations, matches the snapshots, and survives down and up again', async () => {
  const ws = makeWorkspace();
  try {
    writeSnapshots(ws.dir, SNAPSHOTS);
    const ok = await cli(ws.dir, ['verify']);
    assert.is(ok.code, 0, ok.err);
    assert.match(ok.out, /verified 3 migration\(s\) against 2 snapshot\(s\)/);
    const tampered = structuredClone(SNAPSHOTS) as any[];
    tampered[1].tables[0].columns[3].default = "'paid'";
    tampered[0].enums[0].values = ['plain', 'todo', 'done'];
    writeSnapshots(ws.dir, tampered);
    const bad = await cli(ws.dir, ['verify']);
    assert.is(bad.code, 1);
    assert.match(bad.err, /differs from the snapshots/);
    assert.match(bad.err, /table "acme_invoice_data" column "status": default expected 'paid', found 'pending'::character varying/);
    assert.match(bad.err, /enum "note_kind": values expected \(plain, todo, done\), found \(plain, todo\)/);
  } finally {
    ws.remove();
  }
});

test('verify reports a down section that leaves objects behind', async () => {
  const ws = makeWorkspace({
    '20260101_000000_core_leaky.sql': '-- schemac: owner=core description="leaky"\n-- migrate:up\nCREATE TABLE "t" (id int);\nCREATE TABLE "u" (id int);\n-- migrate:down\nDROP TABLE "t";\n',
  });
  try {
    const t = (name: string) => ({ name, comment: null, tenant: 'global' as const, columns: [col('id', 'integer', true, null)], primaryKey: null, ...none });
    writeSnapshots(ws.dir, [{ version: 1, owner: 'core', extensions: [], enums: [], tables: [t('t'), t('u')] }]);
    const r = await cli(ws.dir, ['verify']);
    assert.is(r.code, 1);
    assert.match(r.err, /after reverting every migration, the database still holds:\n\s+table "u"/);
  } finally {
    ws.remove();
  }
});

test('startPglite starts with the server settings it is given (verify starts with small shared buffers), and with the defaults without', async () => {
  const show = async (settings?: Record<string, string>) => {
    const db = await startPglite(undefined, {}, settings);
    try {
      const r = await db.query<{ shared_buffers: string; wal_buffers: string; search_path: string }>('SELECT current_setting($1) AS shared_buffers, current_setting($2) AS wal_buffers, current_setting($3) AS search_path', ['shared_buffers', 'wal_buffers', 'search_path']);
      return r.rows[0];
    } finally {
      await db.close();
    }
  };
  assert.equal(await show({ shared_buffers: '16MB', wal_buffers: '1MB' }), { shared_buffers: '16MB', wal_buffers: '1MB', search_path: 'public' }, "PGlite's own start parameters are kept");
  assert.equal(await show(), { shared_buffers: '128MB', wal_buffers: '4MB', search_path: 'public' });
});

test('createDb on PGlite runs Kysely queries and transactions (int8 as string like pg)', async () => {
  const db = createDb<{ t: { id: string; name: string } }>({ pglite: 'memory', pgliteRole: false });
  try {
    await sql`create table t (id bigserial primary key, name text not null)`.execute(db);
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ name: 'a' } as any).execute();
      await trx.insertInto('t').values({ name: 'b' } as any).execute();
    });
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ name: 'c' } as any).execute();
      throw new Error('roll back');
    }).catch(() => {});
    const updated = await db.updateTable('t').set({ name: 'B' }).where('name', '=', 'b').executeTakeFirst();
    assert.is(updated.numUpdatedRows, 1n);
    assert.equal(await db.selectFrom('t').selectAll().orderBy('id').execute(), [{ id: '1', name: 'a' }, { id: '2', name: 'B' }]);
  } finally {
    await db.destroy();
  }
});

test.run();
