#!/usr/bin/env node
// The project's benchmark (`make bench`): times the built CLI on synthetic workspaces of
// N tables (../shared/bench/gen-workspace.mjs) and prints a markdown table of the median
// wall time and peak RSS of each step:
//   full     `migration init --all` from an empty history and empty per-user caches
//   full, warm cache   the same with the per-user cache (accepted SQL fragments) of the previous run
//   lint     `lint` (warm cache, as after any earlier command)
//   migrate  `migrate up --db URL` of that history on a fresh PostgreSQL database
//   psql -1  `psql -1 -f` of the same up sections concatenated, on another fresh database
//   watch    a running `watch`: from writing a changed models.yaml to its org's types module (generated/db/o00.ts) holding it
//   inc      one column changed (`--variant`), `migration inc --org o00`
//   check, cold   `check` with none of its own cache entries (the caches the generate left)
//   check    `check` again (its memo of each org's findings warm)
//   check, one org changed   `check` after inc, with the per-user cache as the warm `check`
//            of the history before left it (CI keeping the main branch's cache)
//   verify, first run   `verify` of the history before inc, with no image kept (once)
//   verify, one new migration   `verify` after inc: the kept image, and inc's migration (once)
//   verify, nothing new   `verify` again
//   verify --full   the whole history replayed from nothing (once)
// Then, unless BENCH_DRIZZLE=0, ../shared/bench/vs-drizzle.mjs 5000 3 (on a copy that writes the
// bench's config into its workspace: see withBenchConfig).
// A step whose command fails is reported and skipped; the others still run.
//
// The per-user cache lives in a temp folder (SCHEMAC_CACHE_DIR), never the user's.
// env: BENCH_SIZES=1000,5000,20000  BENCH_RUNS=3  BENCH_WATCH_SAVES=5  BENCH_DRIZZLE=1
//      BENCH_KEEP=1 (keep the temp workspaces)  DATABASE_URL (else a throwaway cluster)
//      BENCH_MIGRATE_MAX=N (run the migrate and psql steps only up to N tables: one
//      transaction of a 20,000-table history takes PostgreSQL very long)
//      BENCH_VERIFY_MAX=1000 (run the verify steps only up to N tables: a full replay of a
//      5,000-table history takes about 4 minutes)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { provideDatabase, findServerBin } from '../tests/helpers/pg-cluster.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SHARED = path.resolve(ROOT, '../shared/bench');
const GEN = path.join(SHARED, 'gen-workspace.mjs');
const CLI = path.join(ROOT, 'dist/cli.mjs');
const SIZES = (process.env.BENCH_SIZES ?? '1000,5000,20000').split(',').map(Number).filter((n) => n > 0);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const SAVES = Math.max(1, Number(process.env.BENCH_WATCH_SAVES ?? 5));
const MIGRATE_MAX = Number(process.env.BENCH_MIGRATE_MAX ?? Infinity);
const VERIFY_MAX = Number(process.env.BENCH_VERIFY_MAX ?? 1000);
const TOOL_FILE = 'schemas/custom_tools/o00/p0000/models.yaml';
/**
 * The throwaway server holds a whole history in one transaction for `psql -1`: every table
 * takes several locks (table, sequence, indexes, constraints), so the lock table is made
 * large (max_locks_per_transaction × max_connections slots). Ignored with DATABASE_URL.
 */
const PG_SETTINGS = { max_locks_per_transaction: '8192', max_connections: '40' };

const rows = [];
const failures = [];
const log = (line) => process.stderr.write(`bench: ${line}\n`);

if (!fs.existsSync(GEN)) {
  console.error(`bench: ${GEN} is missing; the benchmark needs the shared workspace generator (gen-workspace.mjs) next to this repository`);
  process.exit(1);
}
if (!fs.existsSync(CLI)) {
  console.error('bench: dist/cli.mjs is missing; run `make bench` (it builds first) or `npm run build`');
  process.exit(1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-bench-'));
const CACHE = path.join(work, 'cache');
const ENV = { ...process.env, SCHEMAC_CACHE_DIR: CACHE, SCHEMAC_NO_CACHE: undefined, SCHEMAC_TEST: undefined };
let database;
try {
  for (const n of SIZES) await benchSize(n);
} finally {
  database?.stop();
  if (!process.env.BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true });
}
printTable();
if (process.env.BENCH_DRIZZLE !== '0') runDrizzle();

/** Every step at one size; each step is independent of the others' failures where it can be. */
async function benchSize(n) {
  const dir = path.join(work, String(n));
  const ws = path.join(dir, 'schemac');
  log(`N=${n}: generating`);
  sh('node', [GEN, String(n), dir]);
  benchConfig(ws);
  const fresh = () => {
    fs.rmSync(path.join(ws, 'generated'), { recursive: true, force: true });
    fs.rmSync(path.join(ws, '.schemac'), { recursive: true, force: true });
  };
  const full = step(n, 'full', () => (fresh(), fs.rmSync(CACHE, { recursive: true, force: true })), () => timed(cli(ws, ['migration', 'init', '--all'])));
  if (!full) return log(`N=${n}: no history, skipping lint, migrate, watch and inc`);
  step(n, 'full, warm cache', fresh, () => timed(cli(ws, ['migration', 'init', '--all'])));
  fs.cpSync(path.join(ws, 'generated'), path.join(dir, 'generated.base'), { recursive: true });
  step(n, 'lint', () => {}, () => timed(cli(ws, ['lint'])));
  const checkOnly = ['check-org-v1', 'plan-empty-v1', 'migrations-parsed-v1.txt', 'ownership-clean-v1.txt'];
  step(n, 'check, cold', () => checkOnly.forEach((f) => fs.rmSync(path.join(CACHE, f), { recursive: true, force: true })), () => timed(cli(ws, ['check'])));
  step(n, 'check', () => {}, () => timed(cli(ws, ['check'])));
  // Its first run also makes the per-user cache's empty database, which the later runs copy.
  const verify = n <= VERIFY_MAX;
  if (verify) step(n, 'verify, first run', () => fs.rmSync(path.join(ws, '.schemac'), { recursive: true, force: true }), () => timed(cli(ws, ['verify'])), 1);
  else log(`N=${n}: verify skipped (BENCH_VERIFY_MAX=${VERIFY_MAX})`);
  const checked = path.join(dir, 'cache.checked');
  fs.cpSync(CACHE, checked, { recursive: true });
  if (n <= MIGRATE_MAX) await benchMigrate(n, ws);
  else log(`N=${n}: migrate and psql skipped (BENCH_MIGRATE_MAX=${MIGRATE_MAX})`);
  await guard(n, 'watch', () => benchWatch(n, ws));
  sh('node', [GEN, String(n), dir, '--variant']);
  benchConfig(ws);
  step(n, 'inc', () => {
    fs.rmSync(path.join(ws, 'generated'), { recursive: true, force: true });
    fs.cpSync(path.join(dir, 'generated.base'), path.join(ws, 'generated'), { recursive: true });
  }, () => timed(cli(ws, ['migration', 'inc', '--org', 'o00'])));
  step(n, 'check, one org changed', () => {
    fs.rmSync(CACHE, { recursive: true, force: true });
    fs.cpSync(checked, CACHE, { recursive: true });
  }, () => timed(cli(ws, ['check'])));
  if (!verify) return;
  step(n, 'verify, one new migration', () => {}, () => timed(cli(ws, ['verify'])), 1);
  step(n, 'verify, nothing new', () => {}, () => timed(cli(ws, ['verify'])));
  step(n, 'verify --full', () => {}, () => timed(cli(ws, ['verify', '--full'])), 1);
}

/** Runs `measure` `runs` times (after `reset` each time) and records the medians; false when it failed. */
function step(n, name, reset, measure, runs = RUNS) {
  log(`N=${n}: ${name}`);
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      reset();
      samples.push(measure());
    }
  } catch (e) {
    return fail(n, name, e);
  }
  record(n, name, samples);
  return true;
}

/** Runs one async step; false (after reporting it) when it failed. */
async function guard(n, name, body) {
  log(`N=${n}: ${name}`);
  try {
    await body();
    return true;
  } catch (e) {
    return fail(n, name, e);
  }
}

function record(n, name, samples) {
  rows.push({ n, step: name, s: median(samples.map((x) => x.s)), mib: Math.max(...samples.map((x) => x.mib)), runs: samples.length });
}

function fail(n, name, e) {
  const message = String(e?.message ?? e).trim().split('\n').slice(0, 12).join('\n    ');
  failures.push({ n, step: name, message });
  log(`N=${n}: ${name} FAILED:\n    ${message}`);
  return false;
}

/**
 * `migrate up` through the CLI vs `psql -1 -f` of the concatenated up sections, each on a
 * fresh database. When one transaction cannot hold the whole history (lock table), psql
 * runs the same script with one transaction per file instead, as `migrate up` does.
 */
async function benchMigrate(n, ws) {
  await guard(n, 'migrate', async () => {
    database ??= await provideDatabase({ settings: PG_SETTINGS });
    const mig = [];
    for (let i = 0; i < RUNS; i++) mig.push(await withDatabase(`bench_m_${n}_${i}`, (url) => timed(cli(ws, ['migrate', 'up', '--db', url]))));
    record(n, 'migrate', mig);
  });
  if (database === undefined) return;
  const dir = path.join(ws, 'generated/migrations');
  const psql = findPsql();
  const single = upScript(dir, false);
  const ok = await guard(n, 'psql -1', async () => {
    if (single.error) throw new Error(single.error);
    const raw = [];
    for (let i = 0; i < RUNS; i++) raw.push(await withDatabase(`bench_p_${n}_${i}`, (url) => timed([psql, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', single.file, url])));
    record(n, 'psql -1', raw);
  });
  if (ok) return;
  const perFile = upScript(dir, true);
  await guard(n, 'psql, a transaction per file', async () => {
    if (perFile.error) throw new Error(perFile.error);
    const raw = [];
    for (let i = 0; i < RUNS; i++) raw.push(await withDatabase(`bench_f_${n}_${i}`, (url) => timed([psql, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', perFile.file, url])));
    record(n, 'psql, a transaction per file', raw);
  });
}

/** The up sections of every migration (core first, then custom, each by name) in one file; `wrap` puts each in BEGIN/COMMIT. */
function upScript(dir, wrap) {
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.sql'));
  const order = (f) => (/^\d{8}_\d{6}_core_/.test(f) ? 0 : 1);
  names.sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  const parts = [];
  for (const name of names) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    if (/^-- schemac:no-transaction/m.test(text)) return { error: `${name} must run outside a transaction; psql -1 cannot run it` };
    const up = /^-- migrate:up[^\n]*\n([\s\S]*?)^-- migrate:down/m.exec(text);
    if (!up) return { error: `${name} has no -- migrate:up … -- migrate:down sections` };
    parts.push(wrap ? `-- ${name}\nBEGIN;\n${up[1]}COMMIT;\n` : `-- ${name}\n${up[1]}`);
  }
  const file = path.join(dir, '..', wrap ? 'all-up-per-file.sql' : 'all-up.sql');
  fs.writeFileSync(file, parts.join('\n'));
  return { file };
}

function findPsql() {
  const bin = findServerBin();
  return bin && fs.existsSync(path.join(bin, 'psql')) ? path.join(bin, 'psql') : 'psql';
}

async function withDatabase(name, body) {
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`drop database if exists "${name}" with (force)`);
  await admin(`create database "${name}" template template0`);
  try {
    const u = new URL(database.url);
    u.pathname = `/${name}`;
    return body(u.toString());
  } finally {
    await admin(`drop database if exists "${name}" with (force)`);
  }
}

/** Starts `watch` under GNU time, times SAVES saves until o00's types module shows each, then stops it with SIGINT. */
async function benchWatch(n, ws) {
  const timeFile = path.join(work, `watch-${n}.time`);
  const file = path.join(ws, TOOL_FILE);
  const original = fs.readFileSync(file, 'utf8');
  const child = spawn('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, process.execPath, CLI, '--cwd', ws, 'watch'], { cwd: ROOT, env: ENV, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const samples = [];
  try {
    await waitFor(() => out.includes('Ctrl-C to stop'), 60_000 + n * 20, () => `watch did not start:\n${out}`);
    for (let k = 1; k <= SAVES; k++) samples.push(await timeSave(ws, file, original, k, () => out));
  } finally {
    fs.writeFileSync(file, original);
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {}
  }
  const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout')]);
  if (code !== 0) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch {}
    throw new Error(`watch did not exit 0 on SIGINT (got ${code}):\n${out.slice(-2000)}`);
  }
  const [, kb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  rows.push({ n, step: 'watch', s: median(samples), mib: kb / 1024, runs: samples.length });
}

/** Adds column `bench_col_<k>` to the first table of o00/p0000 and waits until o00's types module has it; seconds. */
async function timeSave(ws, file, original, k, output) {
  const types = path.join(ws, 'generated/db/o00.ts');
  const changed = original.replace('    columns:\n', `    columns:\n      bench_col_${k}: integer?\n`);
  await sleep(300);
  const t0 = performance.now();
  fs.writeFileSync(file, changed);
  await waitFor(() => readText(types).includes(`bench_col_${k}:`), 120_000, () => `generated/db/o00.ts never got bench_col_${k}:\n${output().slice(-2000)}`, types);
  return (performance.now() - t0) / 1000;
}

/** Resolves when `check()` holds, re-checking on changes to `watched` (when given) and every 20 ms. */
function waitFor(check, limitMs, why, watched) {
  return new Promise((resolve, reject) => {
    const dir = watched ? fs.watch(path.dirname(watched), () => tick()) : undefined;
    const timer = setInterval(() => tick(), 20);
    const deadline = Date.now() + limitMs;
    const done = (err) => {
      clearInterval(timer);
      dir?.close();
      err ? reject(err) : resolve();
    };
    function tick() {
      if (check()) done();
      else if (Date.now() > deadline) done(new Error(why()));
    }
    tick();
  });
}

function runDrizzle() {
  const script = path.join(SHARED, 'vs-drizzle.mjs');
  if (!fs.existsSync(script)) return console.log(`\n(skipping the Drizzle comparison: ${script} is missing)`);
  console.log('\n## vs Drizzle Kit (N=5000, 3 runs)\n');
  const copy = withBenchConfig(script);
  if (copy === undefined) console.log('(vs-drizzle.mjs changed shape: it is run as it is)');
  else console.log("(run with the bench's config and schemac's diagnostics discarded: its schema's global `code` uniques on tables with row-level security are tenant-unique errors here, and their warnings overflow its output buffer)");
  const r = spawnSync('node', [copy ?? script, '5000', '3'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, SCHEMAC: `node ${CLI}` } });
  if (copy !== undefined) fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  if (r.status !== 0) console.log(`(the Drizzle comparison failed with exit code ${r.status})`);
}

/**
 * A copy of vs-drizzle.mjs (in a temp folder of its own) that writes the bench's config into its
 * schemac workspace after each generation and sends schemac's stderr to /dev/null; undefined
 * when the script no longer has the lines it edits.
 */
function withBenchConfig(script) {
  let text = fs.readFileSync(script, 'utf8');
  const edits = [
    ["const here = path.dirname(new URL(import.meta.url).pathname);", `const here = ${JSON.stringify(SHARED)};`],
    ["sh(`node ${here}/gen-workspace.mjs ${N} ${work}/base`);", null],
    ["sh(`node ${here}/gen-workspace.mjs ${N} ${work}/base --variant`);", null],
    ["${args} >/dev/null`;", "${args} >/dev/null 2>/dev/null`;"],
  ];
  const config = "fs.writeFileSync(`${work}/base/schemac/schemac.config.yaml`, 'lint:\\n  rules:\\n    tenant-unique: warn\\n');";
  for (const [from, to] of edits) {
    if (!text.includes(from)) return undefined;
    text = text.replace(from, to ?? `${from}\n${config}`);
  }
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-vs-')), 'vs-drizzle.mjs');
  fs.writeFileSync(copy, text);
  return copy;
}

function printTable() {
  console.log('\n| N | step | median s | peak MiB | runs |\n|---:|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.n} | ${r.step} | ${r.s.toFixed(3)} | ${r.mib.toFixed(0)} | ${r.runs} |`);
  for (const f of failures) console.log(`| ${f.n} | ${f.step} | failed | | |`);
  if (failures.length > 0) {
    console.log('\nFailed steps:');
    for (const f of failures) console.log(`- N=${f.n} ${f.step}: ${f.message.split('\n')[0]}`);
  }
}

function cli(ws, args) {
  return [process.execPath, CLI, '--cwd', ws, ...args];
}

/** Runs argv under GNU time; {s, mib}, or throws with the command's output. */
function timed(argv) {
  const timeFile = path.join(work, 'time.out');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, ...argv], { cwd: ROOT, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${argv.slice(1).join(' ')} exited ${r.status}\n${(r.stderr || '').slice(-3000)}\n${(r.stdout || '').slice(-1000)}`);
  const [s, kb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  return { s, mib: kb / 1024 };
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  return r.stdout;
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function median(xs) {
  const a = [...xs].sort((x, y) => x - y);
  return a[Math.floor(a.length / 2)];
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * The generated workspace's org tables have a globally unique `code` column. Every org table
 * with a client_id has row-level security, and there tenant-unique refuses such a column (a
 * unique violation reveals another client's value), so the workspace config, which the
 * platform owns, makes that rule a warning: the benchmark measures the same schema Drizzle
 * Kit compiles, warnings included.
 */
function benchConfig(ws) {
  fs.writeFileSync(path.join(ws, 'schemac.config.yaml'), 'lint:\n  rules:\n    tenant-unique: warn\n');
}
