import { randomBytes, randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Generated, sql } from 'kysely';
import pg from 'pg';
import { createDb, migrateToLatest, withClient } from '../runtime/index.ts';
import { adminQuery, createTestDatabase, urlFor } from './helpers/db.ts';
import { makeWorkspace } from './helpers/migrations.ts';

interface DB {
  clients: { id: string; name: string };
  notes: { id: Generated<number>; client_id: string; kind: Generated<'plain' | 'todo'>; body: string; created_at: Generated<Date>; updated_at: Generated<Date> };
}

test('withClient scopes queries to one tenant under RLS for a non-owner role; outside it no rows are visible', async () => {
  const db = await createTestDatabase();
  const role = `schemac_app_${randomBytes(3).toString('hex')}`;
  const ws = makeWorkspace();
  await adminQuery(`create role ${role} login`);
  const [a, b] = [randomUUID(), randomUUID()];
  let app: ReturnType<typeof createDb<DB>> | undefined;
  try {
    const migrated = await migrateToLatest({ url: db.url, migrationsDir: ws.migrations });
    assert.is(migrated.error, undefined);
    assert.equal(migrated.results.map((r) => r.status), ['applied', 'applied', 'applied']);
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    await owner.query(`grant usage on schema public to ${role};
      grant select, insert, update on clients, notes to ${role};
      grant usage on sequence notes_id_seq to ${role};
      insert into clients (id, name) values ('${a}', 'A'), ('${b}', 'B');`);
    await owner.end();
    app = createDb<DB>({ pool: new pg.Pool({ connectionString: urlFor(db.url, db.name, role), max: 1 }) });
    const dbApp = app;
    await withClient(dbApp, a, (trx) => trx.insertInto('notes').values({ client_id: a, body: 'a1' }).execute());
    await withClient(dbApp, b, (trx) => trx.insertInto('notes').values([{ client_id: b, body: 'b1' }, { client_id: b, body: 'b2' }]).execute());
    const seenByA = await withClient(dbApp, a, (trx) => trx.selectFrom('notes').select('body').orderBy('body').execute());
    assert.equal(seenByA, [{ body: 'a1' }]);
    const seenByB = await withClient(dbApp, b, (trx) => trx.selectFrom('notes').select('body').orderBy('body').execute());
    assert.equal(seenByB, [{ body: 'b1' }, { body: 'b2' }]);
    try {
      await withClient(dbApp, a, (trx) => trx.insertInto('notes').values({ client_id: b, body: 'sneaky' }).execute());
      assert.unreachable('a row for another tenant was written');
    } catch (e) {
      assert.match((e as Error).message, /row-level security policy/);
    }
    assert.equal(await dbApp.selectFrom('notes').selectAll().execute(), []);
    const leaked = await sql<{ v: string | null }>`select current_setting('app.client_id', true) as v`.execute(dbApp);
    assert.ok(leaked.rows[0].v === '' || leaked.rows[0].v === null, 'app.client_id must not outlive the transaction');
  } finally {
    await app?.destroy();
    ws.remove();
    await db.drop();
    await adminQuery(`drop role ${role}`);
  }
});

test.run();
