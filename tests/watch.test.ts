/** `schemac watch`: driven in-process through `startWatch`, and once as the real CLI under SIGINT. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { DEFAULT_CONFIG } from '../compiler/ir.ts';
import type { CycleReport } from '../compiler/watch.ts';
import { startWatch, touchedOwners, watchBases } from '../compiler/watch.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const LIMIT_MS = 10_000;


const acme = (extra = '') => `tables:
  acme_invoice:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
${extra}      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const ACME_FILE = 'schemas/custom_tools/acme/invoices/models.yaml';

function workspace(): string {
  fs.mkdirSync(path.join(ROOT, 'tests', 'tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'tests', 'tmp', 'watch-'));
  write(dir, 'schemas/core/models.yaml', CORE_CLIENTS);
  write(dir, ACME_FILE, acme());
  return dir;
}

function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

function read(dir: string, file: string): string {
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return '';
  }
}

/** The types as one text: the index at `index`, then each module in the folder beside it, by name. */
function types(dir: string, index = 'generated/db.ts'): string {
  const folder = path.join(dir, index.replace(/\.ts$/, ''));
  const modules = fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
  return [read(dir, index), ...modules.map((m) => read(dir, `${index.replace(/\.ts$/, '')}/${m}`))].join('');
}

/** Polls `check` until it holds; fails after LIMIT_MS with `what`. */
async function until(what: string, check: () => boolean, output?: () => string): Promise<void> {
  const deadline = Date.now() + LIMIT_MS;
  while (!check()) {
    if (Date.now() > deadline) assert.unreachable(`timed out waiting for ${what}${output ? `; the watcher printed:\n${output().slice(-3000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('watch: types follow each save, a broken save keeps the last good db.ts, a fix recovers', async () => {
  const dir = workspace();
  const io = captureIo();
  const cycles: CycleReport[] = [];
  const watcher = startWatch({ cwd: dir, io, onCycle: (r) => cycles.push(r) });
  try {
    await watcher.ready;
    assert.is(cycles[0]?.status, 'ok', io.err());
    assert.match(types(dir), 'export interface AcmeInvoice {');
    assert.match(io.out(), 'acme: 5 changes — create table "acme_invoice"');

    assert.match(io.out(), 'types: generated/db.ts, generated/db/core.ts, generated/db/acme.ts updated (2 tables)');
    const untouched = ['generated/db.ts', 'generated/db/core.ts'].map((f) => read(dir, f));
    write(dir, ACME_FILE, acme('      amount: integer\n'));
    await until('db.ts with the new column', () => types(dir).includes('amount: number;'));
    await until('the cycle report', () => cycles.some((c) => c.changed.includes(ACME_FILE) && c.typesWritten));
    assert.match(io.out(), `] ${ACME_FILE}`);
    assert.match(io.out(), 'types: generated/db/acme.ts updated (2 tables)', 'a column of acme: its module alone');
    assert.equal(['generated/db.ts', 'generated/db/core.ts'].map((f) => read(dir, f)), untouched);
    const good = types(dir);

    const before = cycles.length;
    write(dir, ACME_FILE, `${acme('      amount: integer\n')}      broken: [\n`);
    await until('a diagnostic', () => cycles.slice(before).some((c) => c.status === 'invalid'), () => `${cycles.slice(before).map((c) => c.status).join(', ')}\n${io.out()}\n${io.err()}`);
    assert.match(io.err(), `${ACME_FILE}:`);
    assert.match(io.err(), 'error[');
    assert.match(io.out(), 'generated/db.ts kept from the last good build');
    assert.is(types(dir), good);

    write(dir, ACME_FILE, acme('      amount: integer\n      paid: boolean?\n'));
    await until('db.ts after the fix', () => types(dir).includes('paid: boolean | null;'));
    assert.ok(cycles.every((c) => c.status !== 'failed'), io.err());
  } finally {
    await watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('watch: a save caught half-written is not reported; the rest of the write is', async () => {
  const dir = workspace();
  const io = captureIo();
  const cycles: CycleReport[] = [];
  const watcher = startWatch({ cwd: dir, io, onCycle: (r) => cycles.push(r), settleMs: 1500 });
  try {
    await watcher.ready;
    const full = acme('      amount: integer\n');
    const before = cycles.length;
    write(dir, ACME_FILE, full.slice(0, full.indexOf('amount: integer') + 'amount: int'.length).replace(/\n[^\n]*$/, '\n      amount: { type: int'));
    await new Promise((r) => setTimeout(r, 500));
    write(dir, ACME_FILE, full);
    await until('db.ts with the new column', () => types(dir).includes('amount: number;'));
    await until('the run of the whole file', () => cycles.slice(before).some((c) => c.status === 'ok'));
    const statuses = cycles.slice(before).map((c) => c.status);
    assert.ok(statuses.includes('superseded'), statuses.join(', '));
    assert.not.ok(statuses.includes('invalid'), statuses.join(', '));
    assert.not.match(io.err(), 'error[');
  } finally {
    await watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('watch: a no-op save rewrites nothing; a new org is picked up; a written migration clears the plans', async () => {
  const dir = workspace();
  const io = captureIo();
  const cycles: CycleReport[] = [];
  const watcher = startWatch({ cwd: dir, io, onCycle: (r) => cycles.push(r) });
  try {
    await watcher.ready;
    const stats = ['generated/db.ts', 'generated/db/acme.ts'].map((f) => fs.statSync(path.join(dir, f)).mtimeMs);
    write(dir, ACME_FILE, acme());
    await until('the no-op save', () => cycles.some((c) => c.status === 'unchanged'));
    assert.equal(['generated/db.ts', 'generated/db/acme.ts'].map((f) => fs.statSync(path.join(dir, f)).mtimeMs), stats);

    write(dir, 'schemas/custom_resources/beta/docs/models.yaml', acme().replace(/acme_/g, 'beta_'));
    await until('the new org in db.ts', () => types(dir).includes('export interface BetaInvoice {'));
    await until('its plan', () => io.out().includes('beta: 5 changes'));

    const cli = captureIo({ SCHEMAC_NOW: '2026-01-02T03:04:05Z' });
    assert.is(await run(['--cwd', dir, 'migration', 'init', '--all'], cli), 0, cli.err());
    await until('the plans after the migration', () => /acme: no changes/.test(io.out()) && /beta: no changes/.test(io.out()), () => io.out());
  } finally {
    await watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('watch: a save reloads only its org, yet sees the others: their names, their errors, and the same db.ts as a full build', async () => {
  const dir = workspace();
  const BETA_FILE = 'schemas/custom_tools/beta/docs/models.yaml';
  write(dir, BETA_FILE, acme().replace(/acme_/g, 'beta_'));
  const io = captureIo();
  const cycles: CycleReport[] = [];
  const watcher = startWatch({ cwd: dir, io, onCycle: (r) => cycles.push(r) });
  const cycleAfter = async (n: number, what: string) => {
    await until(what, () => cycles.length > n && cycles[cycles.length - 1].status !== 'unchanged', () => io.out() + io.err());
    return cycles[cycles.length - 1];
  };
  try {
    await watcher.ready;
    assert.is(cycles[0]?.status, 'ok', io.err());

    // acme declares a table beta already has: the clash is found though beta is not reloaded.
    let n = cycles.length;
    write(dir, ACME_FILE, `${acme()}  beta_invoice:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n`);
    let c = await cycleAfter(n, 'the clash');
    assert.equal(c.reloaded, ['core', 'acme']);
    assert.is(c.status, 'invalid');
    const clash = c.diagnostics.find((d) => d.code === 'duplicate-name');
    assert.ok(clash, io.err());
    assert.is(clash!.span.file, ACME_FILE);
    assert.match(clash!.message, `in ${BETA_FILE}`);

    // beta breaks while acme is still broken: both files' errors stay reported.
    n = cycles.length;
    write(dir, BETA_FILE, `${acme().replace(/acme_/g, 'beta_')}      broken: [\n`);
    c = await cycleAfter(n, 'the second error');
    assert.is(c.status, 'invalid');
    assert.ok(c.diagnostics.some((d) => d.span.file === ACME_FILE && d.code === 'duplicate-name'), 'acme keeps its error');
    assert.ok(c.diagnostics.some((d) => d.span.file === BETA_FILE), 'beta reports its own');

    // Both fixed in turn: the last db.ts equals what a fresh full build writes.
    n = cycles.length;
    write(dir, ACME_FILE, acme('      amount: numeric(10,2)\n'));
    await cycleAfter(n, 'acme fixed');
    n = cycles.length;
    write(dir, BETA_FILE, acme('      label: text?\n').replace(/acme_/g, 'beta_'));
    c = await cycleAfter(n, 'beta fixed');
    assert.equal(c.reloaded, ['core', 'beta']);
    assert.is(c.status, 'ok', io.err());
    assert.ok(c.typesWritten);
    const watched = types(dir);
    assert.match(watched, 'amount: Numeric;');
    assert.match(watched, 'label: string | null;');
    const cli = captureIo();
    assert.is(await run(['--cwd', dir, 'types'], cli), 0, cli.err());
    assert.is(types(dir), watched);
  } finally {
    await watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('watch: a broken config is reported and the watcher stays up', async () => {
  const dir = workspace();
  write(dir, 'schemac.config.yaml', 'core: [\n');
  const io = captureIo();
  const cycles: CycleReport[] = [];
  const watcher = startWatch({ cwd: dir, io, onCycle: (r) => cycles.push(r) });
  try {
    await watcher.ready;
    assert.is(cycles[0]?.status, 'config');
    assert.match(io.err(), 'schemac.config.yaml');
    write(dir, 'schemac.config.yaml', 'out: { types: generated/types.ts }\n');
    await until('types at the configured path', () => types(dir, 'generated/types.ts').includes('export interface AcmeInvoice {'));
  } finally {
    await watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('touchedOwners maps models files and snapshots to owners; watchBases keeps the outermost folders', () => {
  const config = { ...DEFAULT_CONFIG, root: '/w' };
  const owners = touchedOwners(config, ['schemas/core/models.yaml', ACME_FILE, 'generated/snapshots/beta.json', 'README.md']);
  assert.equal([...owners].sort(), ['acme', 'beta', 'core']);
  assert.equal(watchBases(config), ['schemas', 'generated/snapshots']);
});

test('the CLI watch exits 0 on SIGINT', async () => {
  const dir = workspace();
  const child = spawn(process.execPath, ['--import', 'tsx', 'compiler/bin.ts', '--cwd', dir, 'watch'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await until('the watcher to be ready', () => out.includes('Ctrl-C to stop'));
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), LIMIT_MS))]);
    assert.is(code, 0, out);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
