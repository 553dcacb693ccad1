/**
 * An org's text can never hurt anyone else, on real PostgreSQL. Each attack is first shown to
 * work against what schemac used to emit (the fragment as the models file spelled it, the
 * `$schemac$` tag whatever the body held), then compiled by the CLI and applied by the runner
 * and by `psql -f` (on a database whose default is `standard_conforming_strings = off`): no
 * role is created, the row-level security of core tables is unchanged, and every hostile
 * value arrives in the database exactly as written, as data.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { run } from '../compiler/cli.ts';
import { migrateToLatest } from '../runtime/index.ts';
import { pinnedSettingsSql } from '../compiler/shared/sql.ts';
import { hasSql, parseMigration, readMigrations } from '../runtime/files.ts';
import { adminQuery, createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';

const TS = `      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

/** Core: the clients table and a tenant table with row-level security (the config's default). */
const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
${TS}  client_notes:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      body: text
${TS}`;

async function cli(dir: string, ...args: string[]): Promise<{ exit: number; text: string }> {
  const io = captureIo({ SCHEMAC_NOW: '2026-01-01T00:00:00Z' });
  const exit = await run(['--cwd', dir, ...args], io);
  return { exit, text: io.out() + io.err() };
}

function workspace(acme: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-hostile-'));
  const files = { 'schemac.config.yaml': 'rls: true\n', 'schemas/core/models.yaml': CORE, 'schemas/custom_tools/acme/billing/models.yaml': acme };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const migrationsDir = (dir: string) => path.join(dir, 'generated', 'migrations');

/** A fresh database whose sessions start with `standard_conforming_strings = off`. */
async function nonConformingDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await adminQuery(`alter database "${db.name}" set standard_conforming_strings = off`);
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function roleExists(role: string): Promise<boolean> {
  return (await adminQuery('select 1 from pg_roles where rolname = $1', [role])).rowCount === 1;
}

/** Whether row-level security is enabled and forced on a table. */
async function rls(url: string, table: string): Promise<string> {
  const [row] = await query<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>(url, `select relrowsecurity, relforcerowsecurity from pg_class where relname = '${table}'`);
  return `${row.relrowsecurity}/${row.relforcerowsecurity}`;
}

/** Runs SQL text through psql as `psql -f` does (no ON_ERROR_STOP: psql goes on after an error). */
function psql(url: string, sql: string): string {
  const r = spawnSync('psql', ['-X', '-q', '-d', url, '-f', '-'], { input: sql, encoding: 'utf8' });
  assert.is(r.error, undefined, `psql could not run: ${r.error?.message}`);
  return r.stdout + r.stderr;
}

/** The up sections of every migration file, in order (each starts with the settings it pins). */
function upSections(dir: string): string {
  return readMigrations(migrationsDir(dir)).files.map((f) => `${f.up}\n`).join('');
}

test('a check that is one expression to the parser but SQL to a non-conforming server is inert: no role, RLS kept', async () => {
  const role = `schemac_evil_${randomBytes(3).toString('hex')}`;
  const payload = `); CREATE ROLE ${role} SUPERUSER; ALTER TABLE client_notes NO FORCE ROW LEVEL SECURITY; ALTER TABLE client_notes DISABLE ROW LEVEL SECURITY; --`;
  const predicate = String.raw`code = '\' || '${payload}'`;
  const acme = `tables:
  acme_items:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      code: text
${TS}    indexes:
      - { columns: [code], where: ${JSON.stringify(predicate)} }
`;
  const dir = workspace(acme);
  const [control, viaRunner, viaPsql, bare] = await Promise.all([nonConformingDatabase(), nonConformingDatabase(), nonConformingDatabase(), nonConformingDatabase()]);
  try {
    // The attack is real: the predicate as written, run on such a server, creates the role.
    await query(control.url, 'create table acme_items (code text); create table client_notes (id int); alter table client_notes enable row level security');
    await query(control.url, `CREATE INDEX "acme_items_code_idx" ON "acme_items" ("code") WHERE (${predicate})`);
    assert.ok(await roleExists(role), 'the raw predicate runs its payload on a server with standard_conforming_strings off');
    await adminQuery(`drop role ${role}`);

    const lint = await cli(dir, 'lint');
    assert.is(lint.exit, 0, lint.text);
    const made = await cli(dir, 'migration', 'init', '--all');
    assert.is(made.exit, 0, made.text);
    const acmeFile = readMigrations(migrationsDir(dir)).files.find((f) => f.owner === 'acme')!;
    assert.not.ok(acmeFile.text.includes(predicate), 'the migration does not carry the fragment as the models file spells it');

    const applied = await migrateToLatest({ url: viaRunner.url, migrationsDir: migrationsDir(dir) });
    assert.is(applied.error, undefined, JSON.stringify(applied.error));
    assert.not.ok(await roleExists(role), 'the runner: no role');
    assert.is(await rls(viaRunner.url, 'client_notes'), 'true/true', 'the runner: RLS enabled and forced on the core table');
    const [def] = await query<{ d: string }>(viaRunner.url, "select pg_get_indexdef('acme_items_code_idx'::regclass) as d");
    assert.ok(def.d.includes(payload.replace(/'/g, "''")), `the payload is a string in the predicate: ${def.d}`);

    const out = psql(viaPsql.url, upSections(dir));
    assert.not.match(out, /ERROR/, out);
    assert.not.ok(await roleExists(role), 'psql -f: no role');
    assert.is(await rls(viaPsql.url, 'client_notes'), 'true/true', 'psql -f: RLS kept');

    // Even without the settings line, the printed literals mean the same on such a server.
    psql(bare.url, upSections(dir).replace(/^SET standard_conforming_strings[^\n]*\n/gm, ''));
    assert.not.ok(await roleExists(role), 'no role without the pinned settings either');
    assert.is(await rls(bare.url, 'client_notes'), 'true/true');
  } finally {
    if (await roleExists(role)) await adminQuery(`drop role ${role}`);
    await Promise.all([control, viaRunner, viaPsql, bare].map((d) => d.drop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a default holding $schemac$ stays inside its backfill block: no role, the rows get the value', async () => {
  const role = `schemac_evil_${randomBytes(3).toString('hex')}`;
  const tail = `$schemac$; CREATE ROLE ${role} SUPERUSER; --`;
  const base = `tables:
  acme_items:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
${TS}`;
  const dir = workspace(base);
  const db = await createTestDatabase();
  const control = await createTestDatabase();
  try {
    assert.is((await cli(dir, 'migration', 'init', '--all')).exit, 0);
    let applied = await migrateToLatest({ url: db.url, migrationsDir: migrationsDir(dir) });
    assert.is(applied.error, undefined, JSON.stringify(applied.error));
    await query(db.url, "insert into clients (id, name) values ('00000000-0000-0000-0000-000000000001', 'a'); insert into acme_items (client_id) select '00000000-0000-0000-0000-000000000001' from generate_series(1, 3)");
    fs.writeFileSync(path.join(dir, 'schemas/custom_tools/acme/billing/models.yaml'), base.replace(TS, `      tag: { type: text, default: { sql: ${JSON.stringify(`gen_random_uuid()::text || '${tail}'`)} } }\n${TS}`));
    const made = await cli(dir, 'migration', 'tag', '--org', 'acme');
    assert.is(made.exit, 0, made.text);
    const backfill = readMigrations(migrationsDir(dir)).files.find((f) => f.up.includes('UPDATE "acme_items"'))!;
    assert.ok(backfill, 'the new column is backfilled in a DO block');
    assert.match(backfill.up, /DO \$schemac_\$\n#variable_conflict use_column\nDECLARE n bigint;[^]*UPDATE "acme_items"[^]*\n\$schemac_\$;/, 'the block is tagged with a tag its body does not hold');

    // The attack is real: the same file with the old tag runs the payload through psql -f.
    await query(control.url, 'create table acme_items (id int, tag text); insert into acme_items values (1, null)');
    psql(control.url, backfill.up.replace(/\$schemac_+\$/g, '$schemac$'));
    assert.ok(await roleExists(role), 'the block tagged $schemac$ ends early and the payload runs');
    await adminQuery(`drop role ${role}`);

    applied = await migrateToLatest({ url: db.url, migrationsDir: migrationsDir(dir) });
    assert.is(applied.error, undefined, JSON.stringify(applied.error));
    assert.not.ok(await roleExists(role), 'the runner: no role');
    const rows = await query<{ tag: string }>(db.url, 'select tag from acme_items');
    assert.is(rows.length, 3);
    for (const r of rows) assert.ok(r.tag.endsWith(tail), r.tag);
  } finally {
    if (await roleExists(role)) await adminQuery(`drop role ${role}`);
    await Promise.all([db.drop(), control.drop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a fragment that grows a value tenfold per level is refused before it reaches a database', async () => {
  const grow = (levels: number) => `${'replace('.repeat(levels)}code${", 'a', 'aaaaaaaaaa')".repeat(levels)}`;
  const db = await createTestDatabase();
  const acme = (check: string) => `tables:
  acme_items:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      code: { type: text, check: ${JSON.stringify(`length(${check}) > 0`)} }
${TS}`;
  const dir = workspace(acme(grow(10)));
  try {
    // The attack is real: five levels already make 100,000 characters of one; ten make 10 GB.
    const [row] = await query<{ n: number }>(db.url, `select length(${grow(5).replace(/code/, "'a'")}) as n`);
    assert.is(Number(row.n), 100_000);
    const made = await cli(dir, 'migration', 'init', '--all');
    assert.is(made.exit, 1, made.text);
    assert.match(made.text, /schemas\/custom_tools\/acme\/billing\/models\.yaml:\d+:\d+: error\[forbidden-sql\]: a check may not call replace\(\)/);
    assert.not.ok(fs.existsSync(migrationsDir(dir)), 'nothing is written');
    fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), 'rls: true\nfragments: { allow_functions: [replace] }\n');
    fs.writeFileSync(path.join(dir, 'schemas/custom_tools/acme/billing/models.yaml'), acme(grow(2)));
    const allowed = await cli(dir, 'migration', 'init', '--all');
    assert.is(allowed.exit, 0, `a workspace that allows replace() may use it: ${allowed.text}`);
  } finally {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Values that would be directives or section markers if a line could start with them. */
const FORGERIES = [
  'a\n-- schemac:no-transaction\n',
  'b\n-- migrate:down\nDROP TABLE clients;\n',
  'c\r-- migrate:down\r',
  'd\r\n-- migrate:up\r\n',
  'e\u2028-- migrate:down\u2029f\u0085',
  "g */ -- $$ $schemac$ ' \\'",
  'h\t\\n\\',
];

test('comments, enum values and a description cannot forge a directive or a section marker', async () => {
  const enumValues = FORGERIES.map((v) => JSON.stringify(v)).join(', ');
  const acme = `enums:
  acme_kind: [${enumValues}]
tables:
  acme_items:
    comment: ${JSON.stringify(FORGERIES.join(' | '))}
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      kind: { type: acme_kind, default: ${JSON.stringify(FORGERIES[1])}, comment: ${JSON.stringify(FORGERIES[0])} }
${TS}`;
  const dir = workspace(acme);
  const db = await createTestDatabase();
  try {
    const lint = await cli(dir, 'lint');
    assert.is(lint.exit, 0, lint.text);
    const description = `init\n-- schemac:no-transaction\r-- migrate:down\u2028x`;
    const made = await cli(dir, 'migration', description, '--all');
    assert.is(made.exit, 0, made.text);
    const { files, errors } = readMigrations(migrationsDir(dir));
    assert.equal(errors, []);
    for (const f of files) {
      assert.is(f.noTransaction, false, f.name);
      assert.is(f.description, description);
      assert.is(f.text.split(/\r\n|\n|\r/).filter((l) => /^--\s*migrate:(up|down)\s*$/.test(l)).length, 2, `${f.name}: only the two real markers`);
      assert.not.match(f.text, /[\r\u2028\u2029\u0085]/, `${f.name}: no stray line breaks`);
    }
    const acmeFile = files.find((f) => f.owner === 'acme')!;
    assert.match(acmeFile.down, /DROP TABLE "acme_items"/);
    assert.not.match(acmeFile.down, /DROP TABLE clients/);
    const applied = await migrateToLatest({ url: db.url, migrationsDir: migrationsDir(dir) });
    assert.is(applied.error, undefined, JSON.stringify(applied.error));
    const labels = await query<{ enumlabel: string }>(db.url, "select enumlabel from pg_enum where enumtypid = 'acme_kind'::regtype order by enumsortorder");
    assert.equal(labels.map((l) => l.enumlabel), FORGERIES);
    const [c] = await query<{ t: string; k: string; d: string }>(db.url, `select obj_description('acme_items'::regclass, 'pg_class') as t,
      col_description('acme_items'::regclass, 3) as k, (select pg_get_expr(adbin, adrelid) from pg_attrdef where adrelid = 'acme_items'::regclass and adnum = 3) as d`);
    assert.is(c.t, FORGERIES.join(' | '));
    assert.is(c.k, FORGERIES[0]);
    await query(db.url, "insert into clients (id, name) values ('00000000-0000-0000-0000-000000000001', 'a'); insert into acme_items (client_id) values ('00000000-0000-0000-0000-000000000001')");
    const [row] = await query<{ kind: string }>(db.url, 'select kind from acme_items');
    assert.is(row.kind, FORGERIES[1], `the default: ${c.d}`);
    const reverted = await cli(dir, 'migrate', 'down', '--to', 'base', '--db', db.url);
    assert.is(reverted.exit, 0, reverted.text);
    assert.equal(await query(db.url, "select 1 from pg_class where relname in ('clients', 'acme_items')"), []);
  } finally {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the reader takes markers and directives only where the renderer puts them', () => {
  const header = '-- schemac: owner=core description="x"\n';
  const read = (body: string) => parseMigration('20260101_000000_core_x.sql', header + body);
  const inLiteral = read("-- migrate:up\nCOMMENT ON TABLE t IS 'a\n-- migrate:down\nDROP TABLE clients;\n';\n-- migrate:down\nSELECT 1;\n");
  assert.ok(inLiteral.file, inLiteral.error);
  assert.match(inLiteral.file!.up, /DROP TABLE clients/);
  assert.is(inLiteral.file!.down, 'SELECT 1;');
  const forms = [
    "E'a\\'\n-- migrate:down\n'", '"a\n-- migrate:down\n"', '$t$\n-- migrate:down\n$t$', '$$\n-- migrate:down\n$$', '/* /* */\n-- migrate:down\n*/',
    "U&'a\n-- migrate:down\n'", "'it''s\n-- migrate:down\n'",
  ];
  for (const form of forms) {
    const r = read(`-- migrate:up\nSELECT ${form};\n-- migrate:down\nSELECT 2;\n`);
    assert.ok(r.file, `${form}: ${r.error}`);
    assert.is(r.file!.down, 'SELECT 2;', form);
  }
  // A standard string ends at its quote: the backslash is not an escape (standard_conforming_strings = on, as every file pins).
  assert.is(read("-- migrate:up\nSELECT 'a\\';\n-- migrate:down\nSELECT 2;\n").file?.down, 'SELECT 2;');
  const late = read('-- migrate:up\nSELECT 1;\n-- schemac:no-transaction\n-- migrate:down\nSELECT 2;\n');
  assert.is(late.file!.noTransaction, false, 'no-transaction is a header line, not a line of a section');
  assert.ok(read('-- schemac:no-transaction\n-- migrate:up\nSELECT 1;\n').file!.noTransaction);
  assert.is(read(' -- migrate:up\nSELECT 1;\n').error?.includes('no `-- migrate:up` line'), true, 'a marker starts its line');
  assert.ok(read('-- migrate:up\r\nSELECT 1;\r\n-- migrate:down\r\nSELECT 2;\r\n').file?.down === 'SELECT 2;', 'CRLF files read as before');
  const open = read("-- migrate:up\nSELECT 'never closed;\n-- migrate:down\n");
  assert.match(open.error!, /a string literal that starts on line 3 is never closed/);
  assert.match(read('-- migrate:up\nSELECT $x$ body;\n').error!, /a dollar-quoted body that starts on line 3 is never closed/);
  // A down section left with only the settings it pins undoes nothing: the file counts as irreversible.
  assert.is(hasSql(`${pinnedSettingsSql()}\nSET lock_timeout = '5s';\n-- Drop table "t"\n`), false);
  assert.is(hasSql(`${pinnedSettingsSql()}\nDROP TABLE "t";\n`), true);
});

test.run();
