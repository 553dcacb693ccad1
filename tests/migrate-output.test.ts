/**
 * `schemac migrate` for scripts, on real PostgreSQL: `--format json` for status, history, up
 * and down; `status --exit-code` fails while anything is pending; `up --dry-run` prints the SQL
 * it would run, in the order it would run it, and applies nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const ACME = `tables:
  acme_notes:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      body: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

async function schemac(ws: string, args: string[]) {
  const io = captureIo({ SCHEMAC_NOW: '2026-03-04T05:06:07Z' });
  const code = await run(args, io, ws);
  return { code, out: io.out(), err: io.err() };
}

async function workspace(): Promise<string> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-migrate-output-'));
  for (const [rel, text] of [['schemas/core/models.yaml', CORE_CLIENTS], ['schemas/custom_tools/acme/notes/models.yaml', ACME]]) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  }
  const made = await schemac(ws, ['migration', 'init', '--all']);
  assert.is(made.code, 0, made.err);
  return ws;
}

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename as string);
  } finally {
    await client.end();
  }
}

test('status --exit-code and --format json; up --dry-run applies nothing; up, history and down as data', async () => {
  const ws = await workspace();
  const db = await createTestDatabase();
  try {
    const pending = await schemac(ws, ['migrate', 'status', '--db', db.url, '--exit-code', '--format', 'json']);
    assert.is(pending.code, 1, 'pending files fail status --exit-code');
    const status = JSON.parse(pending.out) as { migrations: { name: string; owner: string; state: string }[]; pending: number; applied: number };
    assert.equal(status.migrations.map((m) => [m.owner, m.state]), [['core', 'pending'], ['acme', 'pending']]);
    assert.is(status.pending, 2);
    assert.is((await schemac(ws, ['migrate', 'status', '--db', db.url])).code, 0, 'without --exit-code, pending is no failure');

    const dry = await schemac(ws, ['migrate', 'up', '--db', db.url, '--dry-run']);
    assert.is(dry.code, 0, dry.err);
    const core = dry.out.indexOf('_core_init.sql'), acme = dry.out.indexOf('_custom_acme_init.sql');
    assert.ok(core >= 0 && acme > core, 'core first, then the org');
    assert.match(dry.out, /CREATE TABLE "acme_notes"/);
    assert.match(dry.out, /-- dry run: 2 file\(s\) would be applied; nothing was run\n$/);
    const dryJson = JSON.parse((await schemac(ws, ['migrate', 'up', '--db', db.url, '--dry-run', '--format', 'json'])).out) as { files: { owner: string; sql: string }[] };
    assert.equal(dryJson.files.map((f) => f.owner), ['core', 'acme']);
    assert.ok(dryJson.files[1].sql.includes('CREATE TABLE "acme_notes"'));
    assert.equal(await tables(db.url), [], 'a dry run creates nothing, not even the ledger');

    const up = await schemac(ws, ['migrate', 'up', '--db', db.url, '--format', 'json']);
    assert.is(up.code, 0, up.err);
    const applied = JSON.parse(up.out) as { direction: string; results: { name: string; owner: string; status: string; ms: number }[]; owners: { owner: string; status: string }[] };
    assert.is(applied.direction, 'up');
    assert.equal(applied.results.map((r) => [r.owner, r.status]), [['core', 'applied'], ['acme', 'applied']]);
    assert.ok(applied.owners.every((o) => o.status === 'done'), up.out);
    assert.is((await schemac(ws, ['migrate', 'status', '--db', db.url, '--exit-code'])).code, 0, 'nothing pending: status --exit-code passes');

    const history = JSON.parse((await schemac(ws, ['migrate', 'history', '--db', db.url, '--format', 'json'])).out) as { migrations: { name: string; checksum: string }[] };
    assert.is(history.migrations.length, 2);
    assert.match(history.migrations[0].checksum, /^[0-9a-f]{64}$/);

    const down = await schemac(ws, ['migrate', 'down', '--db', db.url, '--format', 'json']);
    assert.is(down.code, 0, down.err);
    assert.equal((JSON.parse(down.out) as { results: { owner: string; status: string }[] }).results.map((r) => r.status), ['reverted']);
  } finally {
    await db.drop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a long file says how far it is on stderr every 2 s; a short one only its result line', async () => {
  const db = await createTestDatabase();
  const ws = await workspace();
  try {
    const dir = path.join(ws, 'generated', 'migrations');
    const slow = Array.from({ length: 6 }, (_, i) => `SELECT pg_sleep(0.8); -- step ${i + 1}`).join('\n');
    fs.writeFileSync(path.join(dir, '20990101_000000_core_slow.sql'), `-- schemac: owner=core description="slow"\n-- migrate:up\n${slow}\n-- migrate:down\nSELECT 1;\n`);
    assert.is((await schemac(ws, ['sum'])).code, 0);
    const up = await schemac(ws, ['migrate', 'up', '--db', db.url]);
    assert.is(up.code, 0, up.err);
    const lines = up.err.split('\n').filter((l) => l.includes('statements,'));
    assert.ok(lines.length >= 1 && lines.length <= 3, up.err);
    for (const l of lines) assert.match(l, /^schemac migrate up: 20990101_000000_core_slow\.sql: \d of 6 statements, \d(\.\d)? s$/);
    assert.not.match(up.err, /core_init|custom_acme/, 'the short files print no progress');
    assert.match(up.out, /applied\s+20990101_000000_core_slow\.sql/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    await db.drop();
  }
});

test('usage errors: --dry-run off up, --exit-code off status, an unknown format', async () => {
  const ws = await workspace();
  try {
    const cases: [string[], RegExp][] = [
      [['migrate', 'down', '--dry-run'], /--dry-run applies to up only/],
      [['migrate', 'up', '--exit-code'], /--exit-code applies to status only/],
      [['migrate', 'status', '--format', 'jsn'], /unknown format 'jsn' \(did you mean 'json'\?\)/],
    ];
    for (const [args, message] of cases) {
      const r = await schemac(ws, args);
      assert.is(r.code, 2, args.join(' '));
      assert.match(r.err, message);
    }
    assert.not.ok(fs.existsSync(path.join(ws, '.schemac')), 'no embedded database was created');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test.run();
