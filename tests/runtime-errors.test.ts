import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { run } from '../compiler/cli.ts';
import { describeConnectError } from '../runtime/driver.ts';
import { adminQuery, createTestDatabase, urlFor } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { BASIC, makeWorkspace } from './helpers/migrations.ts';

async function cli(dir: string, args: string[]) {
  const io = captureIo();
  const code = await run(['--cwd', dir, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('an unreachable database is one clear line, exit 1', async () => {
  const ws = makeWorkspace();
  try {
    const r = await cli(ws.dir, ['migrate', 'up', '--db', 'postgres://postgres:secret@127.0.0.1:1/nowhere']);
    assert.is(r.code, 1);
    assert.match(r.err, /^schemac migrate up: database unreachable at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere: /m);
    assert.not.match(r.err, /secret|\n\s+at /);
    const s = await cli(ws.dir, ['migrate', 'status', '--db', 'postgres://127.0.0.1:1/nowhere']);
    assert.is(s.code, 1);
    assert.match(s.err, /database unreachable/);
  } finally {
    ws.remove();
  }
});

test('authentication failures name the database (a real 28000 from the server; 28P01 mapped the same way)', async () => {
  const ws = makeWorkspace();
  try {
    const url = urlFor(process.env.DATABASE_URL!, 'postgres', 'schemac_no_such_role', 'wrong');
    const r = await cli(ws.dir, ['migrate', 'up', '--db', url]);
    assert.is(r.code, 1);
    assert.match(r.err, /authentication failed for postgres:\/\/schemac_no_such_role:\*\*\*@[^:]+:\d+\/postgres: role "schemac_no_such_role" does not exist/);
    const msg = describeConnectError({ code: '28P01', message: 'password authentication failed for user "app"' }, 'postgres://app:***@db/x');
    assert.is(msg, 'authentication failed for postgres://app:***@db/x: password authentication failed for user "app"');
  } finally {
    ws.remove();
  }
});

test('a role without CREATE on schema public gets a clear permission error', async () => {
  const db = await createTestDatabase();
  const role = `schemac_norights_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create role ${role} login`);
  const ws = makeWorkspace();
  try {
    await adminQuery(`grant connect on database "${db.name}" to ${role}`);
    const url = urlFor(db.url, db.name, role);
    const lock = await cli(ws.dir, ['migrate', 'up', '--db', url]);
    assert.is(lock.code, 1);
    assert.match(lock.err, /cannot create the lock table schemac_lock: permission denied for schema public \(the role needs CREATE on schema public\)/);
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    await owner.query(`create table schemac_lock (note text); grant update on schemac_lock to ${role};
      create table schemac_migrations (name text primary key, owner text not null, checksum text not null,
      applied_at timestamptz not null default now(), execution_ms integer not null);
      grant select, insert, update, delete on schemac_migrations to ${role}`);
    const ledger = await cli(ws.dir, ['migrate', 'up', '--db', url]);
    assert.is(ledger.code, 1);
    assert.match(ledger.err, /cannot create or update the ledger table schemac_migrations: must be owner of table schemac_migrations \(the role needs CREATE on schema public, and to own the ledger\)/);
    await owner.query("alter table schemac_migrations add column status text not null default 'done'");
    await owner.end();
    const file = await cli(ws.dir, ['migrate', 'up', '--db', url]);
    assert.is(file.code, 1);
    assert.match(file.err, /20260101_000000_core_init\.sql:3 \(up\) failed: permission denied for schema public/);
    assert.match(file.err, /statement: CREATE TABLE "clients"/);
    assert.match(file.err, /needs CREATE on schema public/);
  } finally {
    ws.remove();
    await db.drop();
    await adminQuery(`drop role ${role}`);
  }
});

test('a malformed migration file is named and nothing runs', async () => {
  const db = await createTestDatabase();
  const ws = makeWorkspace({ ...BASIC, '20260109_000000_core_oops.sql': '-- migrate:up\ncreate table oops();\n' });
  try {
    const r = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1);
    assert.match(r.err, /malformed migration generated\/migrations\/20260109_000000_core_oops\.sql: the first line must be a header/);
    assert.match(r.err, /nothing was run/);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query("select to_regclass('public.schemac_migrations') as t");
    await c.end();
    assert.equal(rows, [{ t: null }]);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test('an unknown --to name is refused with a suggestion; usage errors exit 2', async () => {
  const db = await createTestDatabase();
  const ws = makeWorkspace();
  try {
    const r = await cli(ws.dir, ['migrate', 'up', '--to', '20260101_000000_core_inti', '--db', db.url]);
    assert.is(r.code, 1);
    assert.match(r.err, /--to 20260101_000000_core_inti: no migration file has that name \(did you mean '20260101_000000_core_init\.sql'\?\)/);
    const down = await cli(ws.dir, ['migrate', 'down', '--to', '20260102_000000_custom_acme_add_invoice_tables', '--db', db.url]);
    assert.is(down.code, 1);
    assert.match(down.err, /that migration is not applied/);
    const bad = await cli(ws.dir, ['migrate', 'sideways', '--db', db.url]);
    assert.is(bad.code, 2);
    assert.match(bad.err, /unknown action 'sideways'/);
    const statusTo = await cli(ws.dir, ['migrate', 'status', '--to', 'x', '--db', db.url]);
    assert.is(statusTo.code, 2);
  } finally {
    ws.remove();
    await db.drop();
  }
});

test('a run that cannot get the lock in time (SCHEMAC_LOCK_WAIT_MS) names who holds it; then it runs', async () => {
  const db = await createTestDatabase();
  const ws = makeWorkspace();
  const holder = new pg.Client({ connectionString: db.url, application_name: 'deploy-script' });
  await holder.connect();
  const previous = process.env.SCHEMAC_LOCK_WAIT_MS;
  try {
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
    await holder.query('begin; lock table public.schemac_lock in exclusive mode');
    const [{ pid }] = (await holder.query('select pg_backend_pid() as pid')).rows;
    process.env.SCHEMAC_LOCK_WAIT_MS = '600';
    const r = await cli(ws.dir, ['migrate', 'up', '--db', db.url]);
    assert.is(r.code, 1);
    assert.match(r.err, new RegExp(`gave up after (6|7|8|9)\\d\\d ms waiting for the migration lock on .*: it is held by server process ${pid} \\(application_name 'deploy-script', user postgres, client 127\\.0\\.0\\.1, since \\d{4}-\\d\\d-\\d\\dT`));
    await holder.query('rollback');
    assert.is((await cli(ws.dir, ['migrate', 'up', '--db', db.url])).code, 0);
  } finally {
    if (previous === undefined) delete process.env.SCHEMAC_LOCK_WAIT_MS;
    else process.env.SCHEMAC_LOCK_WAIT_MS = previous;
    await holder.end();
    ws.remove();
    await db.drop();
  }
});

test('a bad config is a usage error (exit 2)', async () => {
  const ws = makeWorkspace();
  try {
    fs.writeFileSync(path.join(ws.dir, 'schemac.config.yaml'), 'out: [not, a, map]\n');
    const r = await cli(ws.dir, ['migrate', 'status', '--db', 'postgres://127.0.0.1:1/x']);
    assert.is(r.code, 2, r.err);
  } finally {
    ws.remove();
  }
});

test.run();
