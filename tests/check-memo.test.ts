/**
 * `check`'s per-org memo (compiler/commands/check-memo.ts): an org whose files, core's files
 * and the config are unchanged is answered from the memo instead of being loaded. Whatever the
 * workspace went through, a check with the memo says exactly what a check without it says.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const table = (name: string, extra = ''): string => `  ${name}:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      title: varchar(100)
      code: { type: varchar(20), unique: true }${extra}
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - columns: [client_id]
`;
const models = (...tables: string[]): string => `tables:\n${tables.join('')}`;

const FILES = {
  acme: 'schemas/custom_tools/acme/billing/models.yaml',
  beta: 'schemas/custom_tools/beta/crm/models.yaml',
  gamma: 'schemas/custom_resources/gamma/docs/models.yaml',
};
type Org = keyof typeof FILES;
const ORGS = Object.keys(FILES) as Org[];
/** `tenant-unique` as a warning: every org's `code` column gives one, for the memo to keep. */
const CONFIG = 'lint:\n  rules:\n    tenant-unique: warn\n';

function write(ws: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
  fs.writeFileSync(path.join(ws, rel), text);
}

let clock = 0;
/** Runs schemac in-process with the per-user cache in `cache` (none when undefined). */
async function schemac(ws: string, args: string[], cache?: string): Promise<{ code: number; out: string; err: string }> {
  const saved = [process.env.SCHEMAC_CACHE_DIR, process.env.SCHEMAC_NO_CACHE];
  if (cache === undefined) delete process.env.SCHEMAC_CACHE_DIR;
  else process.env.SCHEMAC_CACHE_DIR = cache;
  if (cache === undefined) process.env.SCHEMAC_NO_CACHE = '1';
  else delete process.env.SCHEMAC_NO_CACHE;
  try {
    const io = captureIo({ SCHEMAC_NOW: new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)).toISOString() });
    const code = await run(['--cwd', ws, ...args], io);
    return { code, out: io.out(), err: io.err() };
  } finally {
    restore('SCHEMAC_CACHE_DIR', saved[0]);
    restore('SCHEMAC_NO_CACHE', saved[1]);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** A workspace with core, acme, beta and gamma, every owner migrated. */
async function migrated(): Promise<string> {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-'));
  write(ws, 'schemac.config.yaml', CONFIG);
  write(ws, 'schemas/core/models.yaml', CORE_CLIENTS);
  for (const org of ORGS) write(ws, FILES[org], models(table(`${org}_items`)));
  const r = await schemac(ws, ['migration', 'init', '--all']);
  assert.is(r.code, 0, r.err);
  return ws;
}

/** `check` with the memo in `cache` and without any cache: both must say the same; the first is returned. */
async function bothChecks(ws: string, cache: string, args: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const memo = await schemac(ws, ['check', ...args], cache);
  const plain = await schemac(ws, ['check', ...args]);
  assert.equal(memo, plain, `check ${args.join(' ')} with the memo`);
  return memo;
}

function memoEntries(cache: string): string[] {
  const folder = path.join(cache, 'check-org-v1');
  return fs.existsSync(folder) ? fs.readdirSync(folder).map((n) => path.join(folder, n)) : [];
}

function cleanup(...dirs: string[]): void {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}

test('a warm memo answers each unchanged org with the warnings it had', async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-cache-'));
  try {
    const cold = await bothChecks(ws, cache);
    assert.is(cold.code, 0, cold.err);
    assert.match(cold.err, /warning\[tenant-unique\].*'beta_items'/);
    assert.is(memoEntries(cache).length, 3, 'one entry per org');
    const warm = await bothChecks(ws, cache);
    assert.equal(warm, cold);
    // The entries are what a warm check reports: a warning changed in beta's entry shows.
    for (const file of memoEntries(cache)) {
      const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (entry.owner !== 'beta') continue;
      entry.diagnostics[0].message = 'as remembered';
      fs.writeFileSync(file, JSON.stringify(entry));
    }
    const forged = await schemac(ws, ['check'], cache);
    assert.match(forged.err, /warning\[tenant-unique\]: as remembered/);
    // A change to beta's models is a new key: beta is loaded again and the entry is not used.
    write(ws, FILES.beta, `${fs.readFileSync(path.join(ws, FILES.beta), 'utf8')}\n`);
    const changed = await bothChecks(ws, cache);
    assert.not.match(changed.err, /as remembered/);
    assert.is(changed.code, 0, changed.err);
  } finally {
    cleanup(ws, cache);
  }
});

test('an org with a finding is not remembered, and a damaged entry is no entry', async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-cache-'));
  try {
    write(ws, FILES.acme, models(table('acme_items', '\n      note: text')));
    const r = await bothChecks(ws, cache);
    assert.is(r.code, 1);
    assert.match(r.err, /acme: the models have 1 change without a migration/);
    const owners = memoEntries(cache).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')).owner).sort();
    assert.equal(owners, ['beta', 'gamma']);
    for (const file of memoEntries(cache)) fs.writeFileSync(file, '{"version":"check-org-v1","owner":');
    const damaged = await bothChecks(ws, cache);
    assert.equal(damaged, r);
  } finally {
    cleanup(ws, cache);
  }
});

test('a name two orgs declare fails the check from the changed org, with or without the memo', async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-cache-'));
  try {
    assert.is((await bothChecks(ws, cache)).code, 0);
    // org-prefix weakened: gamma may declare a table named as beta's.
    write(ws, 'schemac.config.yaml', `${CONFIG}    org-prefix: warn\n`);
    assert.is((await bothChecks(ws, cache)).code, 0);
    write(ws, FILES.gamma, models(table('gamma_items'), table('beta_items')));
    const memo = await schemac(ws, ['check'], cache);
    const plain = await schemac(ws, ['check']);
    assert.is(memo.code, 1, memo.err);
    assert.is(plain.code, 1, plain.err);
    assert.match(memo.err, /beta_items/);
    assert.match(memo.err, /custom_resources\/gamma\/docs\/models\.yaml/);
  } finally {
    cleanup(ws, cache);
  }
});

/** Changes the first warning of `owner`'s entry to 'as remembered': a check that shows it answered that org from the memo. */
function forge(cache: string, owner: string): void {
  for (const file of memoEntries(cache)) {
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (entry.owner !== owner) continue;
    entry.diagnostics[0].message = 'as remembered';
    fs.writeFileSync(file, JSON.stringify(entry));
  }
}

test('a new org leaves the other orgs remembered, but not an org whose names its prefix takes', async () => {
  const ws = await migrated();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-cache-'));
  try {
    // acme declares a table that a later org `acme_corp` would own by its prefix.
    write(ws, FILES.acme, models(table('acme_items'), table('acme_corp_items')));
    assert.is((await schemac(ws, ['migration', 'corp items', '--org', 'acme'])).code, 0);
    assert.is((await bothChecks(ws, cache)).code, 0);
    write(ws, 'schemas/custom_tools/delta/x/models.yaml', models(table('delta_items')));
    assert.is((await bothChecks(ws, cache)).code, 1, 'delta has no migration yet');
    forge(cache, 'beta');
    forge(cache, 'acme');
    const count = (text: string) => text.match(/as remembered/g)?.length ?? 0;
    assert.is(count((await schemac(ws, ['check'], cache)).err), 2, 'beta and acme still answered from the memo');
    // acme_corp's prefix takes acme's `acme_corp_items`: acme is checked again, beta is not.
    write(ws, 'schemas/custom_tools/acme_corp/x/models.yaml', models(table('acme_corp_things')));
    const memo = await schemac(ws, ['check'], cache);
    const plain = await schemac(ws, ['check']);
    assert.is(memo.code, 1);
    assert.is(plain.code, 1);
    assert.match(plain.err, /acme_corp_items/);
    assert.match(memo.err, /acme_corp_items/);
    assert.is(count(memo.err), 1, 'beta still remembered, acme not');
  } finally {
    cleanup(ws, cache);
  }
});

test('a cache folder inside the workspace is not used: a pull request could have committed it', async () => {
  const ws = await migrated();
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-cache-'));
  try {
    assert.is((await bothChecks(ws, outside)).code, 0);
    // Entries that would answer for every org, with a warning of beta's changed, committed inside the workspace.
    const inside = path.join(ws, '.schemac-cache');
    fs.cpSync(outside, inside, { recursive: true });
    for (const file of memoEntries(inside)) {
      const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (entry.owner === 'beta') entry.diagnostics[0].message = 'as remembered';
      fs.writeFileSync(file, JSON.stringify(entry));
    }
    const before = fs.readdirSync(inside, { recursive: true }).length;
    const r = await schemac(ws, ['check'], inside);
    assert.not.match(r.err, /as remembered/);
    assert.equal(r, await schemac(ws, ['check']));
    assert.is(fs.readdirSync(inside, { recursive: true }).length, before, 'nothing written there either');
    // The same folder given with a relative path from inside the workspace.
    const saved = process.cwd();
    process.chdir(ws);
    try {
      assert.not.match((await schemac(ws, ['check'], '.schemac-cache')).err, /as remembered/);
    } finally {
      process.chdir(saved);
    }
  } finally {
    cleanup(ws, outside);
  }
});

/** One thing that can happen to a workspace between two checks. */
type Step = (ws: string, cache: string) => Promise<void> | void;

const edit = (rel: string, change: (text: string) => string): Step => (ws) => {
  const file = path.join(ws, rel);
  if (fs.existsSync(file)) fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
};
const firstMigrationOf = (ws: string, owner: string): string | undefined => {
  const dir = path.join(ws, 'generated/migrations');
  return fs.readdirSync(dir).sort().find((n) => new RegExp(`^-- schemac: owner=${owner}[ \\n]`).test(fs.readFileSync(path.join(dir, n), 'utf8')));
};

const orgSteps = (org: Org): [string, Step][] => [
  [`${org}: a column added`, edit(FILES[org], (t) => t.replace('      title: varchar(100)\n', '      title: varchar(100)\n      note: text\n'))],
  [`${org}: a column widened`, edit(FILES[org], (t) => t.replace(/varchar\((\d+)\)/, (_m, n) => `varchar(${Number(n) + 1})`))],
  [`${org}: a YAML error`, edit(FILES[org], (t) => `${t}  broken: [\n`)],
  [`${org}: migrated`, async (ws) => void (await schemac(ws, ['migration', `step ${clock}`, '--org', org]))],
  [`${org}: its module edited`, edit(`generated/db/${org}.ts`, (t) => `${t}// edited\n`)],
  [`${org}: its module removed`, (ws) => fs.rmSync(path.join(ws, `generated/db/${org}.ts`), { force: true })],
  [`${org}: its snapshot edited`, edit(`generated/snapshots/${org}.json`, (t) => t.replace('"varchar(', '"varchar(1'))],
  [`${org}: a byte that is not UTF-8 in its snapshot`, (ws) => {
    const file = path.join(ws, `generated/snapshots/${org}.json`);
    if (!fs.existsSync(file)) return;
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf('varchar(');
    if (at >= 0) bytes[at + 1] = 0xff;
    fs.writeFileSync(file, bytes);
  }],
  [`${org}: a migration edited`, (ws) => {
    const name = firstMigrationOf(ws, org);
    if (name !== undefined) edit(`generated/migrations/${name}`, (t) => `${t}-- edited\n`)(ws, '');
  }],
  [`${org}: a migration drops core's table`, (ws) => {
    const name = firstMigrationOf(ws, org);
    if (name !== undefined) edit(`generated/migrations/${name}`, (t) => t.replace('-- migrate:up\n', '-- migrate:up\nDROP TABLE clients;\n'))(ws, '');
  }],
  [`${org}: a migration removed`, (ws) => {
    const name = firstMigrationOf(ws, org);
    if (name !== undefined) fs.rmSync(path.join(ws, 'generated/migrations', name));
  }],
];

const STEPS: [string, Step][] = [
  ...ORGS.flatMap(orgSteps),
  ['core: a column added', edit('schemas/core/models.yaml', (t) => t.replace('      name: varchar(255)\n', '      name: varchar(255)\n      plan: text\n'))],
  ['core: migrated', async (ws) => void (await schemac(ws, ['migration', `core step ${clock}`]))],
  ['config: tenant-unique an error', edit('schemac.config.yaml', (t) => t.replace('tenant-unique: warn', 'tenant-unique: error'))],
  ['config: tenant-unique a warning', edit('schemac.config.yaml', (t) => t.replace('tenant-unique: error', 'tenant-unique: warn'))],
  ['a new org', (ws) => write(ws, 'schemas/custom_tools/delta/x/models.yaml', models(table('delta_items')))],
  ['every module removed (the one-file layout)', (ws) => fs.rmSync(path.join(ws, 'generated/db'), { recursive: true, force: true })],
  ['types written', async (ws) => void (await schemac(ws, ['types']))],
  ['sum written', async (ws) => void (await schemac(ws, ['sum']))],
];

/** Options a check runs with besides none: the memo's warnings fail `--strict` as the warnings did. */
const OPTIONS = [['--format', 'json'], ['--strict'], ['--format', 'sarif'], ['--format', 'github']];

test('whatever happens between checks, check with the memo says what check without it says', async () => {
  const base = await migrated();
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: STEPS.length - 1 }), { minLength: 1, maxLength: 5 }), async (picks) => {
        const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-run-'));
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-check-memo-cache-'));
        try {
          fs.cpSync(base, ws, { recursive: true });
          await bothChecks(ws, cache);
          for (const i of picks) {
            await STEPS[i][1](ws, cache);
            const r = await bothChecks(ws, cache);
            assert.is(r.code === 0, !/check: failed/.test(r.err));
            await bothChecks(ws, cache, OPTIONS[i % OPTIONS.length]);
          }
        } finally {
          cleanup(ws, cache);
        }
      }),
      { numRuns: Number(process.env.MEMO_RUNS ?? 25), seed: Number(process.env.MEMO_SEED ?? 20261207) },
    );
  } finally {
    cleanup(base);
  }
});

test.run();
