/**
 * Row-level security at run time, on real PostgreSQL and on PGlite: withClient scopes a
 * transaction to one client; FORCE makes the policy bind the tables' owner too; withClient
 * refuses a role that bypasses RLS; a session-level app.client_id never reaches another
 * checkout of a pool; and createDb on PGlite runs as a role the policies apply to.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Generated, sql } from 'kysely';
import pg from 'pg';
import { createDb, migrateToLatest, withClient } from '../runtime/index.ts';
import { adminQuery, createTestDatabase, type TestDatabase, urlFor } from './helpers/db.ts';
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

/** A fresh database with the BASIC migrations applied by `role` (a new login role; undefined: the server's superuser). */
async function migrated(role?: string): Promise<{ db: TestDatabase; url: string; ws: ReturnType<typeof makeWorkspace> }> {
  const db = await createTestDatabase();
  const ws = makeWorkspace();
  if (role !== undefined) await adminQuery(`create role ${role} login`);
  const url = role === undefined ? db.url : urlFor(db.url, db.name, role);
  if (role !== undefined) {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`grant create, usage on schema public to ${role}`);
    await admin.end();
  }
  const run = await migrateToLatest({ url, migrationsDir: ws.migrations });
  assert.is(run.error, undefined, run.error?.message);
  return { db, url, ws };
}

async function dropRoles(db: TestDatabase, ...roles: string[]): Promise<void> {
  await db.drop();
  for (const r of roles) await adminQuery(`drop role if exists ${r}`);
}

const bodies = (rows: { body: string }[]) => rows.map((r) => r.body).sort();

test('FORCE: the tables\' owner (not a superuser) sees only the client of withClient, and no row outside it', async () => {
  const owner = `schemac_owner_${randomBytes(3).toString('hex')}`;
  const { db, url, ws } = await migrated(owner);
  const [a, b] = [randomUUID(), randomUUID()];
  const app = createDb<DB>({ pool: new pg.Pool({ connectionString: url, max: 1 }) });
  try {
    const [row] = (await sql<{ owner: string; forced: boolean }>`select pg_get_userbyid(relowner) as owner, relforcerowsecurity as forced from pg_class where relname = 'notes'`.execute(app)).rows;
    assert.equal(row, { owner, forced: true });
    await app.insertInto('clients').values([{ id: a, name: 'A' }, { id: b, name: 'B' }]).execute();
    await withClient(app, a, (t) => t.insertInto('notes').values({ client_id: a, body: 'a1' }).execute());
    await withClient(app, b, (t) => t.insertInto('notes').values([{ client_id: b, body: 'b1' }, { client_id: b, body: 'b2' }]).execute());
    assert.equal(bodies(await withClient(app, a, (t) => t.selectFrom('notes').select('body').execute())), ['a1']);
    assert.equal(bodies(await withClient(app, b, (t) => t.selectFrom('notes').select('body').execute())), ['b1', 'b2']);
    assert.equal(await app.selectFrom('notes').selectAll().execute(), []);
    await sql`alter table notes no force row level security`.execute(app);
    assert.is((await app.selectFrom('notes').selectAll().execute()).length, 3, 'without FORCE the owner bypasses the policy');
  } finally {
    await app.destroy();
    ws.remove();
    await dropRoles(db, owner);
  }
});

test('withClient refuses a superuser connection unless allowBypass is passed', async () => {
  const { db, url, ws } = await migrated();
  const app = createDb<DB>({ url });
  let ran = false;
  try {
    const [row] = (await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(app)).rows;
    assert.ok(row.su, 'the test server connects as a superuser');
    try {
      await withClient(app, randomUUID(), async () => void (ran = true));
      assert.unreachable('withClient ran as a superuser');
    } catch (e) {
      assert.match((e as Error).message, /withClient: the database role "\w+" bypasses row-level security[^]*allowBypass: true/);
    }
    assert.not.ok(ran, 'fn never ran');
    const seen = await withClient(app, randomUUID(), (t) => t.selectFrom('notes').selectAll().execute(), { allowBypass: true });
    assert.equal(seen, []);
  } finally {
    await app.destroy();
    ws.remove();
    await db.drop();
  }
});

test('withClient sets app.client_id with SET LOCAL, refuses an id that is not a uuid before sending anything, and leaves nothing behind', async () => {
  const { db, url, ws } = await migrated();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const app = createDb<DB>({ pool });
  try {
    const id = randomUUID().toUpperCase();
    const inside = await withClient(app, id, async (t) => {
      const { rows } = await sql<{ client: string; propagate: string }>`select current_setting('app.client_id') as client,
        current_setting('citus.propagate_set_commands', true) as propagate`.execute(t);
      return rows[0];
    }, { allowBypass: true });
    assert.equal(inside, { client: id.toLowerCase(), propagate: 'local' });
    const after = (await pool.query("select coalesce(current_setting('app.client_id', true), '') as client")).rows[0].client;
    assert.is(after, '', 'the setting ended with the transaction');
    for (const bad of ["'; DROP TABLE notes; --", '00000000-0000-4000-8000-00000000000', '', 'not-a-uuid']) {
      let ran = false;
      try {
        await withClient(app, bad, async () => void (ran = true), { allowBypass: true });
        assert.unreachable(`accepted ${bad}`);
      } catch (e) {
        assert.instance(e, TypeError);
        assert.match((e as Error).message, /withClient: the client id must be a uuid/);
      }
      assert.not.ok(ran);
    }
    assert.is((await pool.query('select count(*)::int as n from notes')).rows[0].n, 0, 'the table is still there');
  } finally {
    await app.destroy();
    ws.remove();
    await db.drop();
  }
});

test('withClient refuses a BYPASSRLS role too', async () => {
  const { db, ws } = await migrated();
  const role = `schemac_bypass_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create role ${role} login bypassrls`);
  const app = createDb<DB>({ pool: new pg.Pool({ connectionString: urlFor(db.url, db.name, role), max: 1 }) });
  try {
    try {
      await withClient(app, randomUUID(), (t) => t.selectFrom('notes').selectAll().execute());
      assert.unreachable('withClient ran as a BYPASSRLS role');
    } catch (e) {
      assert.match((e as Error).message, `the database role "${role}" bypasses row-level security`);
    }
  } finally {
    await app.destroy();
    ws.remove();
    await dropRoles(db, role);
  }
});

test('a session-level app.client_id never reaches the next checkout of a pooled connection', async () => {
  const role = `schemac_app_${randomBytes(3).toString('hex')}`;
  const { db, ws } = await migrated();
  await adminQuery(`create role ${role} login`);
  const a = randomUUID();
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query(`grant usage on schema public to ${role}; grant select, insert on clients, notes to ${role}; grant usage on sequence notes_id_seq to ${role};
    insert into clients (id, name) values ('${a}', 'A'); set app.client_id = '${a}'; insert into notes (client_id, body) values ('${a}', 'a1');`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: urlFor(db.url, db.name, role), max: 1 });
  const app = createDb<DB>({ pool });
  try {
    await sql`select set_config('app.client_id', ${a}, false)`.execute(app);
    assert.equal(await app.selectFrom('notes').selectAll().execute(), [], 'a value set at session level through Kysely');
    await pool.query(`select set_config('app.client_id', '${a}', false)`);
    assert.is((await pool.query('select body from notes')).rows.length, 1, 'the session value does stay on a raw pg connection');
    assert.equal(await app.selectFrom('notes').selectAll().execute(), [], 'a value set through the pool directly');
    assert.equal(bodies(await withClient(app, a, (t) => t.selectFrom('notes').select('body').execute())), ['a1']);
  } finally {
    await app.destroy();
    ws.remove();
    await dropRoles(db, role);
  }
});

test('PGlite: createDb runs as schemac_app, so the policies hold; migrations ran as the owner; the ledger is out of reach', async () => {
  const ws = makeWorkspace();
  const dir = path.join(ws.dir, 'pglite');
  const [a, b] = [randomUUID(), randomUUID()];
  try {
    const run = await migrateToLatest({ pglite: dir, migrationsDir: ws.migrations });
    assert.is(run.error, undefined, run.error?.message);
    const app = createDb<DB>({ pglite: dir });
    try {
      const [who] = (await sql<{ role: string; owner: string }>`select current_user as role, (select pg_get_userbyid(relowner) from pg_class where relname = 'notes') as owner`.execute(app)).rows;
      assert.equal(who, { role: 'schemac_app', owner: 'postgres' });
      await app.insertInto('clients').values([{ id: a, name: 'A' }, { id: b, name: 'B' }]).execute();
      await withClient(app, a, (t) => t.insertInto('notes').values({ client_id: a, body: 'a1' }).execute());
      await withClient(app, b, (t) => t.insertInto('notes').values({ client_id: b, body: 'b1' }).execute());
      assert.equal(bodies(await withClient(app, a, (t) => t.selectFrom('notes').select('body').execute())), ['a1']);
      assert.equal(await app.selectFrom('notes').selectAll().execute(), []);
      await sql`select set_config('app.client_id', ${a}, false)`.execute(app);
      assert.equal(await app.selectFrom('notes').selectAll().execute(), [], 'no session-level value survives a query');
      try {
        await withClient(app, a, (t) => t.insertInto('notes').values({ client_id: b, body: 'sneaky' }).execute());
        assert.unreachable('a row for another client was written');
      } catch (e) {
        assert.match((e as Error).message, /row-level security policy/);
      }
      try {
        await sql`delete from schemac_migrations`.execute(app);
        assert.unreachable('the application changed the ledger');
      } catch (e) {
        assert.match((e as Error).message, /permission denied/);
      }
    } finally {
      await app.destroy();
    }
    const superuser = createDb<DB>({ pglite: dir, pgliteRole: false });
    try {
      assert.is((await superuser.selectFrom('notes').selectAll().execute()).length, 2, 'PGlite\'s superuser skips the policies');
      try {
        await withClient(superuser, a, (t) => t.selectFrom('notes').selectAll().execute());
        assert.unreachable('withClient ran as PGlite\'s superuser');
      } catch (e) {
        assert.match((e as Error).message, /"postgres" bypasses row-level security/);
      }
    } finally {
      await superuser.destroy();
    }
  } finally {
    ws.remove();
  }
});

test.run();
