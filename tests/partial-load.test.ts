/**
 * Loading only some owners (`migration --org ORG` reads that org's and core's models): the
 * other owners are known by their snapshots, so workspace-wide names stay unique, references
 * to another org are still refused, and the types keep every owner's tables.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { loadConfig } from '../compiler/config/load.ts';
import { readDiskState } from '../compiler/engine/workspace-state.ts';
import { loadWorkspace } from '../compiler/index.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const table = (name: string, extra = ''): string => `tables:
  ${name}:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      title: varchar(100)${extra}
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - columns: [client_id]
`;

const ACME = 'schemas/custom_tools/acme/billing/models.yaml';
const BETA = 'schemas/custom_tools/beta/crm/models.yaml';

function write(ws: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
  fs.writeFileSync(path.join(ws, rel), text);
}

/** A workspace with core, acme and beta, every owner migrated. */
async function migrated(): Promise<string> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-'));
  write(ws, 'schemas/core/models.yaml', CORE_CLIENTS);
  write(ws, ACME, table('acme_invoices'));
  write(ws, BETA, table('beta_contacts'));
  const io = captureIo({ SCHEMAC_NOW: '2026-01-01T00:00:00Z' });
  assert.is(await run(['--cwd', ws, 'migration', 'init', '--all'], io), 0, io.err());
  return ws;
}

test('a partial load reads only the wanted owners and knows the others by their snapshots', async () => {
  const ws = await migrated();
  try {
    const result = await loadWorkspace({ cwd: ws, owners: ['acme'] });
    assert.equal(result.loadedOwners, ['acme', 'core']);
    assert.equal([...result.workspace!.tables.keys()].sort(), ['acme_invoices', 'clients']);
    assert.ok(result.workspace!.owners.includes('beta'));
    assert.equal(result.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.ok(result.state?.snapshots.has('beta'));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('names stay unique across the workspace: a clash with an unloaded owner is an error', async () => {
  const ws = await migrated();
  try {
    write(ws, ACME, `${table('acme_invoices')}  beta_contacts:\n    columns:\n      id: { type: serial, primary_key: true }\n`);
    const result = await loadWorkspace({ cwd: ws, owners: ['acme'], lint: false });
    const clash = result.diagnostics.find((d) => d.code === 'duplicate-name');
    assert.ok(clash, JSON.stringify(result.diagnostics));
    assert.match(clash!.message, /'beta_contacts'.*generated\/snapshots\/beta\.json/);
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'clash', '--org', 'acme'], io), 1);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a reference to an unloaded org is still a cross-org reference', async () => {
  const ws = await migrated();
  try {
    write(ws, ACME, table('acme_invoices', '\n      contact_id: { type: integer, nullable: true, references: beta_contacts.id }'));
    const result = await loadWorkspace({ cwd: ws, owners: ['acme'], lint: false });
    assert.ok(result.diagnostics.some((d) => d.code === 'cross-org-reference'), JSON.stringify(result.diagnostics));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('migration --org writes only that org and keeps every owner in the types', async () => {
  const ws = await migrated();
  try {
    const before = fs.readFileSync(path.join(ws, 'generated/snapshots/beta.json'), 'utf8');
    const betaTypes = fs.readFileSync(path.join(ws, 'generated/db/beta.ts'), 'utf8');
    fs.rmSync(path.join(ws, 'generated/db/core.ts'));
    write(ws, ACME, table('acme_invoices', '\n      note: text?').replace('varchar(100)', 'varchar(200)'));
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'wider title', '--org', 'acme'], io), 0, io.err());
    const names = fs.readdirSync(path.join(ws, 'generated/migrations'));
    assert.ok(names.includes('20260102_000000_custom_acme_wider_title.sql'), names.join(', '));
    assert.is(fs.readFileSync(path.join(ws, 'generated/snapshots/beta.json'), 'utf8'), before);
    assert.is(fs.readFileSync(path.join(ws, 'generated/db/beta.ts'), 'utf8'), betaTypes, "beta's module is kept as it was");
    assert.ok(fs.existsSync(path.join(ws, 'generated/db/core.ts')), "core's models are loaded with acme's: its module is written again");
    assert.match(fs.readFileSync(path.join(ws, 'generated/db/acme.ts'), 'utf8'), '  title: string;\n  note: string | null;');
    assert.match(fs.readFileSync(path.join(ws, 'generated/db.ts'), 'utf8'), 'DB_core,\n  DB_acme,\n  DB_beta {}');
    assert.match(io.out(), /Updated [^\n]*generated\/migrations\/schemac\.sum, generated\/db\/core\.ts, generated\/db\/acme\.ts\n/, "the removed core module and acme's, not the unchanged index");
    const check = captureIo();
    assert.is(await run(['--cwd', ws, 'check'], check), 0, check.err());
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('migration --org writes the module of another owner when it is missing (a workspace from before the modules)', async () => {
  const ws = await migrated();
  try {
    const beta = fs.readFileSync(path.join(ws, 'generated/db/beta.ts'), 'utf8');
    fs.rmSync(path.join(ws, 'generated/db'), { recursive: true });
    write(ws, 'generated/db.ts', '// the types of an earlier layout\n');
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'wider title', '--org', 'acme'], io), 0, io.err());
    assert.is(fs.readFileSync(path.join(ws, 'generated/db/beta.ts'), 'utf8'), beta);
    const check = captureIo();
    assert.is(await run(['--cwd', ws, 'check'], check), 0, check.err());
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a derived name that clashes with an unloaded owner is an error too', async () => {
  const ws = await migrated();
  try {
    const named = table('acme_invoices').replace('      - columns: [client_id]\n', '      - columns: [client_id]\n      - { columns: [title], name: beta_contacts_client_id_idx }\n');
    write(ws, ACME, named);
    const scoped = await loadWorkspace({ cwd: ws, owners: ['acme'], lint: false });
    const clash = scoped.diagnostics.find((d) => d.code === 'duplicate-name');
    assert.ok(clash, JSON.stringify(scoped.diagnostics));
    assert.match(clash!.message, /'beta_contacts_client_id_idx' of this index is already used by an index in generated\/snapshots\/beta\.json/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('an org with models but no snapshot yet is still an owner of a load about another org; a folder without models is not', async () => {
  const ws = await migrated();
  try {
    write(ws, 'schemas/custom_tools/gamma/notes/models.yaml', table('gamma_notes'));
    write(ws, 'schemas/custom_tools/delta/notes/README.md', 'no models yet\n');
    const result = await loadWorkspace({ cwd: ws, owners: ['acme'], lint: false });
    assert.equal(result.workspace!.owners, ['core', 'acme', 'beta', 'gamma']);
    assert.not.ok(result.sources.has('schemas/custom_tools/gamma/notes/models.yaml'));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test("migration --org checks the sum against that org's and core's files; check still sees another org's edit", async () => {
  const ws = await migrated();
  try {
    const migrations = path.join(ws, 'generated/migrations');
    const beta = fs.readdirSync(migrations).find((n) => n.includes('_custom_beta_'))!;
    fs.appendFileSync(path.join(migrations, beta), '-- edited\n');
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'wider title', '--org', 'acme'], io), 0, io.err());
    const check = captureIo();
    assert.is(await run(['--cwd', ws, 'check'], check), 1);
    assert.match(check.err(), new RegExp(`${beta} was edited after`));

    const acme = fs.readdirSync(migrations).find((n) => n.includes('_custom_acme_wider_title'))!;
    fs.appendFileSync(path.join(migrations, acme), '-- edited\n');
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(300)'));
    const again = captureIo({ SCHEMAC_NOW: '2026-01-03T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'wider again', '--org', 'acme'], again), 1);
    assert.match(again.err(), new RegExp(`${acme} was edited after`));
    assert.not.match(again.err(), new RegExp(beta));
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('migration --org still refuses a file of another org that the sum does not list', async () => {
  const ws = await migrated();
  try {
    const migrations = path.join(ws, 'generated/migrations');
    const beta = fs.readdirSync(migrations).find((n) => n.includes('_custom_beta_'))!;
    fs.copyFileSync(path.join(migrations, beta), path.join(migrations, beta.replace('_custom_beta_', '_custom_beta_copy_')));
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'wider title', '--org', 'acme'], io), 1);
    assert.match(io.err(), /is not in generated\/migrations\/schemac\.sum/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test("migration --org: a new table named like another org's keeps both modules' names; the index exports the first", async () => {
  const ws = await migrated();
  try {
    const clash = `  _beta_contacts:\n${table('x').split('\n').slice(2).join('\n')}`;
    write(ws, 'schemac.config.yaml', 'lint:\n  allow:\n    org-prefix: "named to clash"\n');
    write(ws, ACME, `${table('acme_invoices')}${clash}`);
    const beta = fs.readFileSync(path.join(ws, 'generated/db/beta.ts'), 'utf8');
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'clash', '--org', 'acme'], io), 0, io.err());
    const written = tree(path.join(ws, 'generated'));
    assert.match(written.get('db/acme.ts')!, /export interface BetaContacts \{/);
    assert.is(written.get('db/beta.ts'), beta);
    assert.match(written.get('db.ts')!, "export type { BetaContacts, BetaContactsRow, BetaContactsUpdate, NewBetaContacts } from './db/acme.js';");
    const types = captureIo();
    assert.is(await run(['--cwd', ws, 'types'], types), 0, types.err());
    assert.equal(tree(path.join(ws, 'generated')), written, '`types` writes the same files');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test('a scoped read shows the other snapshots to its visitor once, and still has each of them when asked', async () => {
  const ws = await migrated();
  try {
    const config = loadConfig(ws).config!;
    const full = readDiskState(config);
    const seen: string[] = [];
    const scoped = readDiskState(config, { owners: new Set(['core', 'acme']), visit: (s, file, { kept }) => void seen.push(`${s.owner} ${file} ${[...kept.keys()].sort().join(',')}`) });
    assert.equal(seen, ['beta generated/snapshots/beta.json acme,core']);
    assert.equal([...scoped.snapshots.keys()].sort(), ['acme', 'beta', 'core']);
    assert.is(scoped.snapshots.size, 3);
    assert.equal(scoped.snapshots.get('beta'), full.snapshots.get('beta'));
    assert.is(scoped.snapshots.get('beta'), scoped.snapshots.get('beta'));
    assert.equal(new Map(scoped.snapshots), new Map(full.snapshots));
    assert.is(scoped.snapshots.get('gamma'), undefined);
    assert.equal(scoped.diagnostics, []);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test("migration --org still reports a broken snapshot of another org, and writes nothing", async () => {
  const ws = await migrated();
  try {
    const beta = path.join(ws, 'generated/snapshots/beta.json');
    fs.writeFileSync(beta, fs.readFileSync(beta, 'utf8').replace('"tenant": "client"', '"tenant": "everyone"'));
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    const before = fs.readdirSync(path.join(ws, 'generated/migrations'));
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'wider title', '--org', 'acme'], io), 1);
    assert.match(io.err(), /generated\/snapshots\/beta\.json:\d+:\d+: error\[snapshot-invalid\]/);
    assert.equal(fs.readdirSync(path.join(ws, 'generated/migrations')), before);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

/** Every file under `dir`, relative path → text. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) out.set(name, fs.readFileSync(file, 'utf8'));
  }
  return out;
}

/** Runs `fn` with the per-user cache in `cache` (none when undefined). */
async function withCacheDir<T>(cache: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.SCHEMAC_CACHE_DIR;
  try {
    if (cache === undefined) delete process.env.SCHEMAC_CACHE_DIR;
    else process.env.SCHEMAC_CACHE_DIR = cache;
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.SCHEMAC_CACHE_DIR;
    else process.env.SCHEMAC_CACHE_DIR = saved;
  }
}

/** Runs `migration --org acme` on a copy of `ws` with the per-user cache in `cache` (none when undefined); the generated files. */
async function scopedRun(ws: string, cache: string | undefined): Promise<Map<string, string>> {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-copy-'));
  try {
    fs.cpSync(ws, copy, { recursive: true });
    const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await withCacheDir(cache, () => run(['--cwd', copy, 'migration', 'wider title', '--org', 'acme'], io)), 0, io.err());
    return tree(path.join(copy, 'generated'));
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

/**
 * A migrated workspace whose acme models changed, its files as `migration --org acme` writes
 * them without the per-user cache, and a cache that one such run filled.
 */
async function widened(): Promise<{ ws: string; cache: string; plain: Map<string, string> }> {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-cache-'));
  write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
  const plain = await scopedRun(ws, undefined);
  assert.equal(await scopedRun(ws, cache), plain, 'cold cache');
  return { ws, cache, plain };
}

test("migration --org writes the same files whether the other owners' snapshots come from the per-user cache or not", async () => {
  const { ws, cache, plain } = await widened();
  try {
    const entries = fs.readdirSync(cache, { recursive: true }).map(String).filter((n) => n.startsWith('outside-') && n.endsWith('.json')).sort();
    assert.equal(entries.map((n) => n.replace(/^[^/]+\/[0-9a-f]+/, '')).sort(), ['-names.json', '.json'], "beta's declared names, and its enums' and tables' (core and acme are loaded)");
    assert.equal(await scopedRun(ws, cache), plain, 'warm cache');
    const entry = path.join(cache, entries.find((n) => !n.endsWith('-names.json'))!);
    assert.match(plain.get('db.ts')!, 'DB_beta');
    fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('"tables":["beta_contacts"]', '"tables":[]'));
    assert.not.match((await scopedRun(ws, cache)).get('db.ts')!, 'DB_beta', 'a warm run takes the names from the cache');
    fs.writeFileSync(entry, '{ not json');
    assert.equal(await scopedRun(ws, cache), plain, 'a damaged entry is parsed again');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test("a changed snapshot of another owner is not served from the cache of its old text", async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-cache-'));
  try {
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    await scopedRun(ws, cache);
    // beta's new table takes acme's interface name: the index of acme's run exports it from acme only when it sees beta's new names.
    write(ws, 'schemac.config.yaml', 'lint:\n  allow:\n    org-prefix: "named to clash"\n');
    write(ws, BETA, `${table('beta_contacts')}  _acme_invoices:\n${table('x').split('\n').slice(2).join('\n')}`);
    const io = captureIo({ SCHEMAC_NOW: '2026-01-01T12:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'clash', '--org', 'beta'], io), 0, io.err());
    const plain = await scopedRun(ws, undefined);
    assert.match(plain.get('db.ts')!, "export type { AcmeInvoices, AcmeInvoicesRow, AcmeInvoicesUpdate, NewAcmeInvoices } from './db/acme.js';");
    assert.equal(await scopedRun(ws, cache), plain);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

/** Runs `check` on `ws` with the per-user cache in `cache`; its exit code and stderr. */
async function checkWith(ws: string, cache: string): Promise<{ code: number; err: string }> {
  const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
  const code = await withCacheDir(cache, () => run(['--cwd', ws, 'check'], io));
  return { code, err: io.err() };
}

const planEntries = (cache: string): string[] => (fs.existsSync(path.join(cache, 'plan-empty-v1')) ? fs.readdirSync(path.join(cache, 'plan-empty-v1')).filter((n) => n.endsWith('.json')).sort() : []);

test("check remembers the orgs whose plans are empty, and a warm cache still fails on a changed models file, snapshot or db.ts", async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-cache-'));
  try {
    assert.is((await checkWith(ws, cache)).code, 0, 'cold');
    assert.is(planEntries(cache).length, 2, 'one entry per org (acme, beta); core is always planned');
    assert.is((await checkWith(ws, cache)).code, 0, 'warm');
    assert.is(planEntries(cache).length, 2);

    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    let r = await checkWith(ws, cache);
    assert.is(r.code, 1, 'a changed models file');
    assert.match(r.err, /acme: the models have 1 change without a migration/);
    assert.not.match(r.err, /beta:/);
    write(ws, ACME, table('acme_invoices'));
    assert.is((await checkWith(ws, cache)).code, 0, 'back as it was');

    const snap = path.join(ws, 'generated/snapshots/acme.json');
    const snapText = fs.readFileSync(snap, 'utf8');
    assert.ok(snapText.includes('varchar(100)'));
    fs.writeFileSync(snap, snapText.replace('varchar(100)', 'varchar(120)'));
    r = await checkWith(ws, cache);
    assert.is(r.code, 1, 'a changed snapshot');
    assert.match(r.err, /acme: the models have 1 change without a migration/);
    fs.writeFileSync(snap, snapText);

    const types = path.join(ws, 'generated/db.ts');
    const typesText = fs.readFileSync(types, 'utf8');
    fs.writeFileSync(types, `${typesText}// edited\n`);
    r = await checkWith(ws, cache);
    assert.is(r.code, 1, 'a stale db.ts');
    assert.match(r.err, /db\.ts is out of date/);
    fs.writeFileSync(types, typesText);
    assert.is((await checkWith(ws, cache)).code, 0);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test('damaged, foreign or misplaced plan entries cannot make check pass', async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-cache-'));
  try {
    assert.is((await checkWith(ws, cache)).code, 0);
    const folder = path.join(cache, 'plan-empty-v1');
    const [first] = planEntries(cache);
    const good = JSON.parse(fs.readFileSync(path.join(folder, first), 'utf8')) as { owner: string; key: string };
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    // The key of acme's changed state, as check computes it.
    const { planCache } = await import('../compiler/commands/plan-cache.ts');
    const loaded = await loadWorkspace({ cwd: ws });
    const key = planCache(cache, loaded.workspace!)!.keyOf('acme', fs.readFileSync(path.join(ws, 'generated/snapshots/acme.json'), 'utf8'))!;
    const forged = [
      '{ not json',
      JSON.stringify({ version: 'plan-empty-v1', owner: 'beta', key, changes: 0 }),
      JSON.stringify({ version: 'plan-empty-v1', owner: 'acme', key: good.key, changes: 0 }),
      JSON.stringify({ version: 'plan-empty-v1', owner: 'acme', key, changes: 1 }),
      JSON.stringify({ version: 'plan-empty-v0', owner: 'acme', key, changes: 0 }),
      JSON.stringify([{ owner: 'acme', key, changes: 0 }]),
    ];
    for (const text of forged) {
      fs.writeFileSync(path.join(folder, `${key}.json`), text);
      const r = await checkWith(ws, cache);
      assert.is(r.code, 1, text);
      assert.match(r.err, /acme: the models have 1 change without a migration/);
    }
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test('check with the migrations remembered as well-formed still checks their ownership, and fails on an edited or malformed migration', async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-cache-'));
  try {
    assert.is((await checkWith(ws, cache)).code, 0, 'cold');
    const parsed = path.join(cache, 'migrations-parsed-v1.txt');
    assert.is(fs.readFileSync(parsed, 'utf8').trim().split('\n').length, 3, 'core, acme and beta');
    // Without check's memo of the orgs found clean (check-memo.test.ts), which would answer for both orgs.
    fs.rmSync(path.join(cache, 'ownership-clean-v1.txt'));
    fs.rmSync(path.join(cache, 'check-org-v1'), { recursive: true });
    assert.is((await checkWith(ws, cache)).code, 0, 'ownership checked again from the sections parsed on demand');
    assert.ok(fs.existsSync(path.join(cache, 'ownership-clean-v1.txt')), 'and found clean');

    const dir = path.join(ws, 'generated/migrations');
    const acme = fs.readdirSync(dir).find((n) => n.includes('_custom_acme_'))!;
    const text = fs.readFileSync(path.join(dir, acme), 'utf8');
    fs.writeFileSync(path.join(dir, acme), text.replace(/^-- schemac:.*\n/, ''));
    let r = await checkWith(ws, cache);
    assert.is(r.code, 1, 'a malformed migration');
    assert.match(r.err, /cannot be applied: the first line must be a header/);

    fs.writeFileSync(path.join(dir, acme), text.replace('-- migrate:down', 'DROP TABLE beta_contacts;\n-- migrate:down'));
    fs.rmSync(path.join(cache, 'ownership-clean-v1.txt'));
    r = await checkWith(ws, cache);
    assert.is(r.code, 1, "an org migration touching another org's table");
    assert.match(r.err, /may touch only its own objects/);
    r = await checkWith(ws, cache);
    assert.is(r.code, 1, 'again, with the file remembered as well-formed (its sections parsed on demand)');
    assert.match(r.err, /may touch only its own objects/);

    fs.writeFileSync(parsed, 'garbage\n');
    fs.writeFileSync(path.join(dir, acme), text);
    assert.is((await checkWith(ws, cache)).code, 0, 'a damaged cache only costs the parse');
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test("with a warm cache, migration --org takes another owner's snapshot by the hash the snapshots' sum records, unread; check holds the sum to the files", async () => {
  const { ws, cache, plain } = await widened();
  try {
    const sum = fs.readFileSync(path.join(ws, 'generated/snapshots/schemac.sum'), 'utf8');
    assert.match(sum, /^h1:\S+\nacme\.json h1:\S+\nbeta\.json h1:\S+\ncore\.json h1:\S+\n$/);
    // beta's file is damaged behind the sum's back: a warm scoped run does not read it ...
    fs.writeFileSync(path.join(ws, 'generated/snapshots/beta.json'), '{ not json');
    const warm = await scopedRun(ws, cache);
    assert.equal(warm.get('db.ts'), plain.get('db.ts'), "beta's section comes from the cache");
    assert.is(warm.get('snapshots/schemac.sum'), plain.get('snapshots/schemac.sum'), 'the sum still vouches for what it vouched for');
    // ... a cold one does, and refuses; check says the file no longer matches the sum.
    const cold = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
    assert.is(await run(['--cwd', ws, 'migration', 'wider title', '--org', 'acme'], cold), 1);
    assert.match(cold.err(), /beta\.json/);
    const check = await checkWith(ws, cache);
    assert.is(check.code, 1);
    assert.match(check.err, /check: generated\/snapshots\/beta\.json was changed after generated\/snapshots\/schemac\.sum was written \(by hand\?\); run `schemac sum`/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test("schemac sum writes the snapshots' sum that migration writes; a workspace without one passes check, a damaged one does not", async () => {
  const ws = await migrated();
  try {
    const file = path.join(ws, 'generated/snapshots/schemac.sum');
    const written = fs.readFileSync(file, 'utf8');
    fs.rmSync(file);
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-cache-'));
    assert.is((await checkWith(ws, cache)).code, 0, 'a history from before the snapshots had a sum');
    const io = captureIo({});
    assert.is(await run(['--cwd', ws, 'sum'], io), 0, io.err());
    assert.match(io.out(), /generated\/migrations\/schemac\.sum is up to date \(3 migrations\)\nWrote generated\/snapshots\/schemac\.sum \(3 snapshots\)\n/);
    assert.is(fs.readFileSync(file, 'utf8'), written);
    fs.writeFileSync(file, written.replace(/^h1:\S+/, 'h1:AAAA'));
    const damaged = await checkWith(ws, cache);
    assert.is(damaged.code, 1);
    assert.match(damaged.err, /generated\/snapshots\/schemac\.sum is damaged/);
    fs.writeFileSync(file, written.replace(/beta\.json h1:\S+\n/, ''));
    assert.match((await checkWith(ws, cache)).err, /generated\/snapshots\/beta\.json is not in generated\/snapshots\/schemac\.sum/);
    fs.rmSync(cache, { recursive: true, force: true });
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test("migration takes db.ts's name allocation from the per-user cache; check, which never does, reports a forged one", async () => {
  const ws = await migrated();
  const again = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-copy-'));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-partial-cache-'));
  // Separate processes: one process allocates the same names once and keeps them in memory.
  const cli = (dir: string) => spawnSync(process.execPath, ['--import', 'tsx', 'compiler/bin.ts', '--cwd', dir, 'migration', 'wider title', '--org', 'acme'], {
    cwd: path.resolve(path.dirname(new URL(import.meta.url).pathname), '..'), encoding: 'utf8',
    env: { ...process.env, SCHEMAC_CACHE_DIR: cache, SCHEMAC_NOW: '2026-01-02T00:00:00Z' },
  });
  try {
    write(ws, ACME, table('acme_invoices').replace('varchar(100)', 'varchar(200)'));
    fs.cpSync(ws, again, { recursive: true });
    const first = cli(ws);
    assert.is(first.status, 0, first.stderr);
    const folder = path.join(cache, 'type-names-v2');
    const entries = fs.readdirSync(folder);
    assert.is(entries.length, 1, 'the allocation is kept');
    const file = path.join(folder, entries[0]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"AcmeInvoices"', '"Forged"'));
    const forged = cli(again);
    assert.is(forged.status, 0, forged.stderr);
    assert.match(fs.readFileSync(path.join(again, 'generated/db/acme.ts'), 'utf8'), 'export interface Forged {');
    assert.not.match(fs.readFileSync(path.join(ws, 'generated/db/acme.ts'), 'utf8'), 'Forged');
    assert.is((await checkWith(ws, cache)).code, 0);
    const check = await checkWith(again, cache);
    assert.is(check.code, 1);
    assert.match(check.err, 'check: generated/db/acme.ts is out of date; run `schemac types`');
  } finally {
    for (const dir of [ws, again, cache]) fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** What a reference from acme to beta's table is told, whoever answered for beta's names. */
const CROSS_ORG = /error\[cross-org-reference\]: org 'acme' may not use table 'beta_contacts', which belongs to org 'beta'/;

test("migration --org reads another org's names from the cache only when its models may look one of them up", async () => {
  const { ws, cache, plain } = await widened();
  try {
    const folder = path.join(cache, fs.readdirSync(cache).find((n) => n.startsWith('outside-'))!);
    const names = fs.readdirSync(folder).find((n) => n.endsWith('-names.json'))!;
    assert.match(fs.readFileSync(path.join(folder, names), 'utf8'), '"beta_contacts"');
    fs.writeFileSync(path.join(folder, names), JSON.stringify({ owner: 'beta', declared: [['acme_invoices', 'table']] }));
    assert.equal(await scopedRun(ws, cache), plain, "acme's models look up no beta_ name: beta's names are not read");
    // A reference to beta's table makes beta's names wanted: read from the cache, or from the snapshot when the entry is damaged.
    write(ws, ACME, table('acme_invoices', '\n      contact_id: { type: integer, references: beta_contacts.id }'));
    for (const entry of [JSON.stringify({ owner: 'beta', declared: [['beta_contacts', 'table']] }), '{ not json']) {
      fs.writeFileSync(path.join(folder, names), entry);
      const io = captureIo({ SCHEMAC_NOW: '2026-01-02T00:00:00Z' });
      assert.is(await withCacheDir(cache, () => run(['--cwd', ws, 'migration', 'contact', '--org', 'acme'], io)), 1);
      assert.match(io.err(), CROSS_ORG);
    }
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

test.run();
