/** `schemac migration`, `diff`, `check` and `sum` on real workspaces, in-process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import { run } from '../compiler/cli.ts';
import { parseMigration } from '../runtime/files.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';


const ACME_MODELS = `
enums:
  acme_invoice_status: [draft, paid]
tables:
  acme_invoices:
    comment: Invoices created by the invoice_generator tool.
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      number: varchar(50)
      status: { type: acme_invoice_status, default: draft }
      amount_cents: { type: bigint, check: amount_cents >= 0 }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - columns: [client_id, created_at]
    rls: true
`;

const ACME_PATH = 'schemas/custom_tools/acme/invoice_generator/models.yaml';

function workspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-commands-'));
  write(ws, 'schemas/core/models.yaml', CORE_CLIENTS);
  write(ws, ACME_PATH, ACME_MODELS);
  return ws;
}

function write(ws: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
  fs.writeFileSync(path.join(ws, rel), text);
}

const read = (ws: string, rel: string): string => fs.readFileSync(path.join(ws, rel), 'utf8');

/** Every generated file with its contents and mtime: equal before and after means nothing was written. */
function generated(ws: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(ws, p)] = `${fs.statSync(p).mtimeMs} ${fs.readFileSync(p, 'utf8')}`;
    }
  };
  walk(path.join(ws, 'generated'));
  return out;
}

const migrations = (ws: string): string[] =>
  fs.existsSync(path.join(ws, 'generated/migrations')) ? fs.readdirSync(path.join(ws, 'generated/migrations')).filter((n) => n.endsWith('.sql')).sort() : [];

async function schemac(ws: string, args: string[], now = '2026-02-03T04:05:06Z') {
  const io = captureIo({ SCHEMAC_NOW: now });
  const code = await run(args, io, ws);
  return { code, out: io.out(), err: io.err() };
}

test('a new user: core first, then the org; a second run writes nothing', async () => {
  const ws = workspace();
  const refused = await schemac(ws, ['migration', 'add invoice tables', '--org', 'acme']);
  assert.is(refused.code, 1, refused.err);
  assert.match(refused.err, /core has model changes without a migration/);
  assert.match(refused.err, /schemac migration "/);
  assert.not.match(refused.err, /make migration/, 'a workspace without a Makefile target is told only schemac commands');
  assert.equal(generated(ws), {});
  write(ws, 'Makefile', 'migration:\n\tschemac migration "$(NAME)"\n');
  const withMake = await schemac(ws, ['migration', 'add invoice tables', '--org', 'acme']);
  assert.match(withMake.err, /make migration NAME=/, "a workspace whose Makefile has a migration target is told it too");
  fs.rmSync(path.join(ws, 'Makefile'));

  const init = await schemac(ws, ['migration', 'init']);
  assert.is(init.code, 0, init.err);
  assert.equal(migrations(ws), ['20260203_040506_core_init.sql']);
  assert.match(init.out, /Wrote generated\/migrations\/20260203_040506_core_init\.sql/);

  const acme = await schemac(ws, ['migration', 'add invoice tables', '--org', 'acme'], '2026-02-03T05:00:00Z');
  assert.is(acme.code, 0, acme.err);
  const name = '20260203_050000_custom_acme_add_invoice_tables.sql';
  assert.equal(migrations(ws), ['20260203_040506_core_init.sql', name]);
  const text = read(ws, `generated/migrations/${name}`);
  assert.ok(text.startsWith('-- schemac: owner=acme description="add invoice tables"\n-- migrate:up\n'), text);
  assert.match(text, /CREATE TABLE "acme_invoices"/);
  assert.not.match(text, /CREATE TABLE "clients"/);
  assert.match(text, /-- migrate:down\n[^]*DROP TABLE "acme_invoices"/);
  // Its foreign key locks core's clients, a table that existed before it: both sections start with the lock timeout.
  assert.match(text, /-- migrate:up\n[^\n]*\nSET lock_timeout = '5s';\n/);
  assert.match(text, /-- migrate:down\n[^\n]*\nSET lock_timeout = '5s';\n/);
  for (const f of ['generated/snapshots/core.json', 'generated/snapshots/acme.json', 'generated/migrations/schemac.sum', 'generated/db.ts', 'generated/db/acme.ts']) {
    assert.ok(fs.existsSync(path.join(ws, f)), `${f} was not written`);
  }
  assert.match(read(ws, 'generated/db/acme.ts'), /acme_invoices/);
  assert.match(read(ws, 'generated/db.ts'), /DB_acme/);

  const before = generated(ws);
  const again = await schemac(ws, ['migration', 'add invoice tables', '--org', 'acme'], '2026-02-04T00:00:00Z');
  assert.is(again.code, 0, again.err);
  assert.match(again.out, /No changes for acme/);
  assert.equal(generated(ws), before);

  const check = await schemac(ws, ['check']);
  assert.is(check.code, 0, check.err);
});

test("a new org's first migration gives up after the lock timeout when a long transaction writes to core's clients", async () => {
  const ws = workspace();
  assert.is((await schemac(ws, ['migration', 'init'])).code, 0);
  assert.is((await schemac(ws, ['migration', 'add invoice tables', '--org', 'acme'], '2026-02-03T05:00:00Z')).code, 0);
  const [core, acme] = migrations(ws).map((name) => parseMigration(name, read(ws, `generated/migrations/${name}`)).file!);
  const db = await createTestDatabase();
  const [writer, migrator] = [new pg.Client({ connectionString: db.url }), new pg.Client({ connectionString: db.url })];
  await writer.connect();
  await migrator.connect();
  try {
    await migrator.query(core.up);
    await writer.query('BEGIN');
    await writer.query(`INSERT INTO clients (name) VALUES ('a writer that has not committed yet')`);
    const started = performance.now();
    const failed = await migrator.query(acme.up).then(() => '', (e: Error) => e.message);
    const waited = performance.now() - started;
    assert.match(failed, /lock timeout/);
    assert.ok(waited < 5000 + 3000, `the migration waited ${Math.round(waited)} ms`);
    await migrator.query('ROLLBACK').catch(() => undefined);
    await writer.query('COMMIT');
    await migrator.query(acme.up);
    const { rows } = await migrator.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'acme_invoices_client_id_fkey'`);
    assert.is(rows[0].n, 1, 'the migration applies once the writer is done');
  } finally {
    await writer.end();
    await migrator.end();
    await db.drop();
  }
});

test('--all: core first, the same timestamp, then a bumped second when a name is taken', async () => {
  const ws = workspace();
  const all = await schemac(ws, ['migration', 'init', '--all']);
  assert.is(all.code, 0, all.err);
  assert.equal(migrations(ws), ['20260203_040506_core_init.sql', '20260203_040506_custom_acme_init.sql']);
  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n'));
  const next = await schemac(ws, ['migration', 'init', '--all']);
  assert.is(next.code, 0, next.err);
  assert.ok(migrations(ws).includes('20260203_040507_custom_acme_init.sql'), migrations(ws).join(', '));
  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n      memo: text?\n'));
  const behind = await schemac(ws, ['migration', 'add memo', '--org', 'acme'], '2025-12-31T23:59:59Z');
  assert.is(behind.code, 0, behind.err);
  assert.equal(migrations(ws).at(-1), '20260203_040508_custom_acme_add_memo.sql', 'a clock behind the latest migration still sorts after it');
  const check = await schemac(ws, ['check']);
  assert.is(check.code, 0, check.err);
});

/** `file:line:col` of the first occurrence of `needle` in a workspace file. */
function locate(ws: string, rel: string, needle: string): string {
  const text = read(ws, rel);
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is not in ${rel}`);
  const lines = text.slice(0, at).split('\n');
  return `${rel}:${lines.length}:${lines.at(-1)!.length + 1}`;
}

test('a deleted migration the snapshot depends on: check and migration refuse, naming it at its line in the snapshot, even after schemac sum', async () => {
  const ws = workspace();
  assert.is((await schemac(ws, ['migration', 'init', '--all'])).code, 0);
  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n'));
  assert.is((await schemac(ws, ['migration', 'add note', '--org', 'acme'], '2026-02-04T00:00:00Z')).code, 0);
  const deleted = '20260204_000000_custom_acme_add_note.sql';
  const acme = JSON.parse(read(ws, 'generated/snapshots/acme.json')) as { migrations?: string[] };
  assert.equal(acme.migrations, ['20260203_040506_custom_acme_init.sql', deleted]);
  assert.equal((JSON.parse(read(ws, 'generated/snapshots/core.json')) as { migrations?: string[] }).migrations, ['20260203_040506_core_init.sql']);
  assert.is((await schemac(ws, ['check'])).code, 0);

  fs.rmSync(path.join(ws, 'generated/migrations', deleted));
  const sum = await schemac(ws, ['sum']);
  assert.is(sum.code, 0, sum.err);
  const where = locate(ws, 'generated/snapshots/acme.json', `"${deleted}"`);
  const diagnostic = `${where}: error[migration-missing]: generated/migrations/${deleted} is missing: the snapshot of acme depends on it`;
  const check = await schemac(ws, ['check']);
  assert.is(check.code, 1, check.err);
  assert.ok(check.err.includes(diagnostic), check.err);
  assert.match(check.err, /check: 1 migration the snapshots depend on is missing/);

  const before = generated(ws);
  for (const args of [['migration', 'again', '--all'], ['migration', 'again', '--org', 'acme'], ['migration', 'again']]) {
    const refused = await schemac(ws, args, '2026-02-05T00:00:00Z');
    assert.is(refused.code, 1, refused.out);
    assert.ok(refused.err.includes(diagnostic), refused.err);
    assert.not.match(refused.out, /No changes/);
  }
  assert.equal(generated(ws), before, 'nothing was written');
});

test('a snapshot written before schemac recorded its migrations reads as before, and the next migration records them', async () => {
  const ws = workspace();
  assert.is((await schemac(ws, ['migration', 'init', '--all'])).code, 0);
  for (const owner of ['core', 'acme']) {
    const rel = `generated/snapshots/${owner}.json`;
    const { migrations: _, ...old } = JSON.parse(read(ws, rel)) as Record<string, unknown>;
    write(ws, rel, `${JSON.stringify(old, null, 2)}\n`);
  }
  fs.rmSync(path.join(ws, 'generated/snapshots/schemac.sum'), { force: true });
  const check = await schemac(ws, ['check']);
  assert.is(check.code, 0, check.err);
  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n'));
  assert.is((await schemac(ws, ['migration', 'add note', '--org', 'acme'], '2026-02-04T00:00:00Z')).code, 0);
  const acme = JSON.parse(read(ws, 'generated/snapshots/acme.json')) as { migrations?: string[] };
  assert.equal(acme.migrations, ['20260203_040506_custom_acme_init.sql', '20260204_000000_custom_acme_add_note.sql']);
  assert.not.ok('migrations' in JSON.parse(read(ws, 'generated/snapshots/core.json')), "core's snapshot, not rewritten, stays as it was");
  assert.is((await schemac(ws, ['check'])).code, 0);
});

test('check: an unmigrated model change, a stale db.ts, an edited migration; sum fixes the last', async () => {
  const ws = workspace();
  assert.is((await schemac(ws, ['migration', 'init', '--all'])).code, 0);
  assert.is((await schemac(ws, ['check'])).code, 0);

  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n'));
  const changed = await schemac(ws, ['check']);
  assert.is(changed.code, 1);
  assert.match(changed.err, /acme: the models have 1 change without a migration; run `schemac migration "<description>" --org acme`/);
  write(ws, ACME_PATH, ACME_MODELS);

  const types = read(ws, 'generated/db.ts');
  write(ws, 'generated/db.ts', `${types}// edited\n`);
  const stale = await schemac(ws, ['check']);
  assert.is(stale.code, 1);
  assert.match(stale.err, /generated\/db\.ts is out of date/);
  write(ws, 'generated/db.ts', types);
  const acmeTypes = read(ws, 'generated/db/acme.ts');
  fs.rmSync(path.join(ws, 'generated/db/acme.ts'));
  write(ws, 'generated/db/gone.ts', acmeTypes.replace("acme's", "gone's"));
  write(ws, 'generated/db/notes.ts', '// not a module schemac wrote\n');
  const modules = await schemac(ws, ['check']);
  assert.is(modules.code, 1);
  assert.match(modules.err, /generated\/db\/acme\.ts is missing; run `schemac types`/);
  assert.match(modules.err, /generated\/db\/gone\.ts is the module of an owner with no table or enum; run `schemac types`/);
  assert.is((await schemac(ws, ['types'])).code, 0);
  assert.not.match(modules.err, /notes\.ts/);
  assert.equal(fs.readdirSync(path.join(ws, 'generated/db')).sort(), ['acme.ts', 'core.ts', 'notes.ts'], 'types writes the missing module and removes the one it wrote for no owner, not a file of the user\'s');
  assert.is(read(ws, 'generated/db/acme.ts'), acmeTypes);
  // A workspace whose types are of the earlier layout (one db.ts, no modules): one line says so.
  fs.rmSync(path.join(ws, 'generated/db'), { recursive: true });
  const earlier = await schemac(ws, ['check']);
  assert.is(earlier.code, 1);
  assert.match(earlier.err, 'check: generated/db/ (the types\' modules, one per owner) is missing; run `schemac types`\ncheck: failed (1 problem)');
  assert.is((await schemac(ws, ['types'])).code, 0);

  const [core] = migrations(ws);
  const file = `generated/migrations/${core}`;
  write(ws, file, read(ws, file).replace('-- migrate:down', "INSERT INTO clients (name) VALUES ('seed');\n-- migrate:down"));
  const edited = await schemac(ws, ['check']);
  assert.is(edited.code, 1);
  assert.match(edited.err, new RegExp(`${file.replace(/\./g, '\\.')} was edited after generated/migrations/schemac\\.sum was written`));
  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n'));
  const before = generated(ws);
  const blocked = await schemac(ws, ['migration', 'add note', '--org', 'acme']);
  assert.is(blocked.code, 1);
  assert.match(blocked.err, /was edited after generated\/migrations\/schemac\.sum was written/);
  assert.equal(generated(ws), before);
  write(ws, ACME_PATH, ACME_MODELS);
  const sum = await schemac(ws, ['sum']);
  assert.is(sum.code, 0, sum.err);
  assert.match(sum.out, /Wrote generated\/migrations\/schemac\.sum \(2 migrations\)/);
  const fixed = await schemac(ws, ['check']);
  assert.is(fixed.code, 0, fixed.err);
});

test('check --format json|github|sarif: its own findings are located machine output on stdout, with the models\' diagnostics', async () => {
  const ws = workspace();
  assert.is((await schemac(ws, ['migration', 'init', '--all'])).code, 0);
  const clean = await schemac(ws, ['check', '--format', 'json']);
  assert.is(clean.code, 0, clean.err);
  assert.equal(JSON.parse(clean.out), []);

  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n      Bad: text\n'));
  write(ws, 'generated/db.ts', `${read(ws, 'generated/db.ts')}// edited\n`);
  const [core] = migrations(ws);
  write(ws, `generated/migrations/${core}`, read(ws, `generated/migrations/${core}`).replace('-- migrate:down', 'SELECT 1;\n-- migrate:down'));
  const json = await schemac(ws, ['check', '--format', 'json']);
  assert.is(json.code, 1);
  const found = JSON.parse(json.out) as { file: string; line: number; column: number; rule: string; severity: string; message: string }[];
  const rules = found.map((d) => `${d.rule} ${d.file}`);
  assert.ok(rules.includes(`check/sum-mismatch generated/migrations/${core}`), rules.join('\n'));
  assert.ok(found.some((d) => d.file === ACME_PATH && d.severity === 'error' && d.line > 1), rules.join('\n'));
  assert.ok(found.every((d) => d.line >= 1 && d.column >= 1));
  // with the models valid, the stale files are found too
  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', '      number: varchar(50)\n      note: text?\n'));
  const stale = JSON.parse((await schemac(ws, ['check', '--format', 'json'])).out) as { file: string; rule: string }[];
  assert.equal(stale.map((d) => `${d.rule} ${d.file}`).sort(), [
    'check/sum-mismatch generated/migrations/' + core, 'check/types-stale generated/db.ts', 'check/types-stale generated/db/acme.ts',
    'check/unmigrated generated/snapshots/acme.json',
  ]);

  const github = await schemac(ws, ['check', '--format', 'github']);
  assert.is(github.code, 1);
  assert.match(github.out, new RegExp(`::error file=generated/migrations/${core.replace(/\./g, '\\.')},line=1,col=1[^:]*title=check/sum-mismatch::`));
  const sarif = await schemac(ws, ['check', '--format', 'sarif']);
  assert.is(sarif.code, 1);
  const results = (JSON.parse(sarif.out) as { runs: { results: { ruleId: string }[] }[] }).runs[0].results.map((r) => r.ruleId);
  assert.ok(results.includes('check/types-stale') && results.includes('check/sum-mismatch'), results.join(' '));
});

test('a destructive change is refused without --allow-destructive, and nothing is written', async () => {
  const ws = workspace();
  assert.is((await schemac(ws, ['migration', 'init', '--all'])).code, 0);
  write(ws, ACME_PATH, ACME_MODELS.replace('      number: varchar(50)\n', ''));
  const before = generated(ws);
  const refused = await schemac(ws, ['migration', 'drop number', '--org', 'acme']);
  assert.is(refused.code, 1);
  assert.match(refused.err, /destructive-change/);
  assert.match(refused.err, /nothing was written/);
  assert.equal(generated(ws), before);
  const allowed = await schemac(ws, ['migration', 'drop number', '--org', 'acme', '--allow-destructive']);
  assert.is(allowed.code, 0, allowed.err);
  assert.match(read(ws, `generated/migrations/${migrations(ws).at(-1)}`), /DROP COLUMN "number"/);
});

test('invalid models: exit 1, diagnostics with file and line, nothing written', async () => {
  const ws = workspace();
  write(ws, ACME_PATH, ACME_MODELS.replace('type: bigint', 'type: bigintt'));
  const result = await schemac(ws, ['migration', 'init', '--all']);
  assert.is(result.code, 1);
  assert.match(result.err, /invoice_generator\/models\.yaml:\d+:\d+/);
  assert.equal(generated(ws), {});
  const check = await schemac(ws, ['check']);
  assert.is(check.code, 1);
});

test('usage errors: an unknown org, an empty slug, a bad SCHEMAC_NOW', async () => {
  const ws = workspace();
  const org = await schemac(ws, ['migration', 'x', '--org', 'acm']);
  assert.is(org.code, 2);
  assert.match(org.err, /unknown org 'acm' \(did you mean 'acme'\?\)/);
  const slug = await schemac(ws, ['migration', '!!!']);
  assert.is(slug.code, 2);
  assert.match(slug.err, /description/);
  const now = await schemac(ws, ['migration', 'x'], 'yesterday');
  assert.is(now.code, 2);
  assert.equal(generated(ws), {});
});

test('diff prints the pending SQL per owner, writes nothing, and --exit-code says whether there are changes', async () => {
  const ws = workspace();
  const pending = await schemac(ws, ['diff', '--exit-code']);
  assert.is(pending.code, 1, pending.err);
  assert.match(pending.out, /-- core: \d+ statements?\n-- Create table "clients"\nCREATE TABLE "clients"/);
  assert.match(pending.out, /-- acme: \d+ statements?\n/);
  const coreOnly = await schemac(ws, ['diff', '--core']);
  assert.is(coreOnly.code, 0);
  assert.not.match(coreOnly.out, /acme_invoices/);
  const json = await schemac(ws, ['diff', '--format', 'json']);
  assert.is(json.code, 0, json.err);
  const plan = JSON.parse(json.out) as { owners: { owner: string; changes: string[]; statements: { comment: string; sql: string; reverse: string | null; transactional: boolean }[] }[] };
  assert.equal(plan.owners.map((o) => o.owner), ['core', 'acme']);
  assert.ok(plan.owners[1].changes.includes('AddTable'));
  const create = plan.owners[1].statements.find((st) => st.comment === 'Create table "acme_invoices"');
  assert.ok(create && create.sql.startsWith('CREATE TABLE "acme_invoices"') && create.reverse?.startsWith('DROP TABLE') && create.transactional);
  assert.equal(generated(ws), {});
  assert.is((await schemac(ws, ['migration', 'init', '--all'])).code, 0);
  const clean = await schemac(ws, ['diff', '--exit-code']);
  assert.is(clean.code, 0, clean.err);
  assert.match(clean.out, /No changes/);
});

test('diff --db: no drift after applying the migrations, then the drift of a hand-made change', async () => {
  const ws = workspace();
  assert.is((await schemac(ws, ['migration', 'init', '--all'])).code, 0);
  const db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    for (const name of migrations(ws)) {
      const parsed = parseMigration(name, read(ws, `generated/migrations/${name}`));
      assert.ok(parsed.file, parsed.error);
      await client.query(parsed.file!.up);
    }
    const clean = await schemac(ws, ['diff', '--db', db.url, '--exit-code']);
    assert.is(clean.code, 0, clean.err + clean.out);
    assert.match(clean.out, /No drift/);
    await client.query('ALTER TABLE clients ADD COLUMN extra integer');
    const drift = await schemac(ws, ['diff', '--db', db.url, '--exit-code']);
    assert.is(drift.code, 1, drift.err);
    assert.match(drift.out, /differs from the snapshots:\n[^]*extra/);
    const data = await schemac(ws, ['diff', '--db', db.url, '--format', 'json']);
    const report = JSON.parse(data.out) as { database: string; drift: string[] };
    assert.ok(report.drift.some((l) => l.includes('extra')), data.out);
    assert.not.match(report.database, /:[^:@/]+@/, 'no password in the data');
  } finally {
    await client.end();
    await db.drop();
  }
});


test('migration: a write that fails part-way leaves no file behind, staged or renamed', async () => {
  const ws = workspace();
  try {
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T03:04:05Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'init', '--all'], io), 0, io.err());
    write(ws, ACME_PATH, ACME_MODELS.replace('number: varchar(50)', 'number: varchar(50)\n      note: text?'));
    // The types file cannot be written (its folder is a file); it is staged after the migration and the snapshot.
    write(ws, 'generated/blocker', 'not a folder\n');
    write(ws, 'schemac.config.yaml', 'out: { types: generated/blocker/db.ts }\n');
    const before = generated(ws);
    const failed = captureIo({ SCHEMAC_NOW: '2026-01-03T03:04:05Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'add note', '--org', 'acme'], failed), 1, failed.out());
    assert.match(failed.err(), 'could not write the files');
    assert.equal(generated(ws), before);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test.run();
