/**
 * Fault injection: a multi-file `migrate up` (three owners; transactional files, files that
 * run without a transaction, phased pairs on tables holding rows, an enum value added and
 * used in one migration) runs in a child process (`helpers/fault-child.ts`, the runtime's
 * runner) that SIGKILLs itself right after a statement chosen at random (seeded). The next
 * process reruns it: it must find every file the killed run had committed still in the
 * ledger, and finish with every file in the ledger and the database equal to the snapshots,
 * no constraint left NOT VALID and no index invalid; then it empties
 * the database and runs again, killed after the next chosen statement; and so on. On
 * PostgreSQL and on PGlite with a data directory. Half the kills fall inside files that run
 * without a transaction (where what ran before the kill stays), the others anywhere.
 *
 * FAULT_SEED, FAULT_KILLS_PG and FAULT_KILLS_PGLITE change the seed and the number of kills;
 * FAULT_POINTS=12,40 kills after exactly those statements (numbered from 0 in the order a clean
 * run passes them, as FAULT_LIST=1 prints them; a failure names the file and the statement's
 * index in it).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run as runCli } from '../compiler/cli.ts';
import { createTestDatabase } from './helpers/db.ts';
import type { ChildReport } from './helpers/fault-child.ts';
import { captureIo } from './helpers/io.ts';
import { migrationText } from './helpers/migrations.ts';
import { prng } from './helpers/prng.ts';
import { PROOF_CONFIG } from './proof/model.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CHILD = path.join(ROOT, 'tests', 'helpers', 'fault-child.ts');
const SEED = Number(process.env.FAULT_SEED ?? 20260214);
const KILLS = { pg: Number(process.env.FAULT_KILLS_PG ?? 24), pglite: Number(process.env.FAULT_KILLS_PGLITE ?? 8) };
const CLIENT = '11111111-1111-4111-8111-111111111111';

const CORE = 'schemas/core/models.yaml';
const ACME = 'schemas/custom_tools/acme/orders/models.yaml';
const GLOBEX = 'schemas/custom_resources/globex/jobs/models.yaml';

/** Three versions of three owners' models: tables first, then changes phased on those tables (they hold rows by then), then more. */
const VERSIONS: ReadonlyArray<Readonly<Record<string, string>>> = [
  {
    [CORE]: `
tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: varchar(200)
  items:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      code: varchar(20)?
      qty: integer?
      note: text?
      client_ref: uuid?
      status: { type: status, default: draft }
enums:
  status: [draft, open]
`,
    [ACME]: `
tables:
  acme_orders:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      total: integer?
      ref: text?
`,
    [GLOBEX]: `
tables:
  globex_jobs:
    tenant: global
    columns:
      id: { type: bigserial, primary_key: true }
      title: text?
      owner_client: uuid?
`,
  },
  {
    [CORE]: `
tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: varchar(200)
  items:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      code: { type: varchar(20), nullable: true, unique: true }
      qty: { type: integer, nullable: true, check: qty >= 0, index: true }
      note: text
      client_ref: { type: uuid, nullable: true, references: clients.id, on_delete: set null }
      status: { type: status, default: draft }
      stage: { type: status, default: paid }
      tracking: { type: uuid, default: gen_random_uuid() }
enums:
  status: [draft, open, paid]
`,
    [ACME]: `
tables:
  acme_orders:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      total: { type: integer, check: total >= 0 }
      ref: { type: text, nullable: true, index: true }
`,
    [GLOBEX]: `
tables:
  globex_jobs:
    tenant: global
    columns:
      id: { type: bigserial, primary_key: true }
      title: { type: text, nullable: true, unique: true }
      owner_client: { type: uuid, nullable: true, references: clients.id, on_delete: cascade }
      trace: { type: uuid, nullable: true, default: gen_random_uuid() }
`,
  },
  {
    [CORE]: `
tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: varchar(200)
  items:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      code: { type: varchar(20), nullable: true, unique: true }
      qty: { type: integer, nullable: true, check: qty >= 0, index: true }
      note: text
      client_ref: { type: uuid, nullable: true, references: clients.id, on_delete: set null }
      status: { type: status, default: draft }
      stage: { type: status, default: paid }
      tracking: { type: uuid, default: gen_random_uuid() }
  tags:
    tenant: global
    columns:
      id: { type: serial, primary_key: true }
      label: varchar(40)
enums:
  status: [draft, open, paid]
`,
    [ACME]: `
tables:
  acme_orders:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      total: { type: integer, check: total >= 0 }
      ref: { type: text, nullable: true, index: true }
      memo: text?
`,
    [GLOBEX]: `
tables:
  globex_jobs:
    tenant: global
    columns:
      id: { type: bigserial, primary_key: true }
      title: { type: text, nullable: true, unique: true }
      owner_client: { type: uuid, nullable: true, references: clients.id, on_delete: cascade }
      trace: { type: uuid, nullable: true, default: gen_random_uuid() }
      done: { type: boolean, default: false }
`,
  },
];

/** Rows each owner adds after its first migration (hand-written files, as an owner may add), so the phased changes meet them. */
const ROWS: Readonly<Record<string, string>> = {
  '20260101_000015_core_rows.sql': migrationText('core', 'rows', `
INSERT INTO "clients" ("id", "name") VALUES ('${CLIENT}', 'one');
INSERT INTO "items" ("code", "qty", "note", "client_ref") SELECT 'c' || g, g, 'n' || g, '${CLIENT}' FROM generate_series(1, 50) AS g;
`, 'DELETE FROM "items";\nDELETE FROM "clients";'),
  '20260101_000015_custom_acme_rows.sql': migrationText('acme', 'rows', `
INSERT INTO "acme_orders" ("client_id", "total", "ref") SELECT '${CLIENT}', g, 'r' || g FROM generate_series(1, 20) AS g;
`, 'DELETE FROM "acme_orders";'),
  '20260101_000015_custom_globex_rows.sql': migrationText('globex', 'rows', `
INSERT INTO "globex_jobs" ("title", "owner_client") SELECT 't' || g, '${CLIENT}' FROM generate_series(1, 20) AS g;
`, 'DELETE FROM "globex_jobs";'),
};

/** Writes the workspace and generates its migrations (one `schemac migration` per version, ten seconds apart), then adds the row files to them and to schemac.sum. */
async function makeWorkspace(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-fault-'));
  fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), `${PROOF_CONFIG}expose: [clients.id]\n`);
  for (const [k, version] of VERSIONS.entries()) {
    for (const [rel, text] of Object.entries(version)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text.trimStart());
    }
    const io = captureIo({ SCHEMAC_NOW: new Date(Date.UTC(2026, 0, 1, 0, 0, 10 * (k + 1))).toISOString() });
    const code = await runCli(['--cwd', dir, 'migration', `step ${k + 1}`, '--all'], io);
    assert.is(code, 0, `schemac migration (version ${k + 1}) exited ${code}\n${io.err()}${io.out()}`);
  }
  for (const [name, text] of Object.entries(ROWS)) fs.writeFileSync(path.join(dir, 'generated', 'migrations', name), text);
  const io = captureIo();
  assert.is(await runCli(['--cwd', dir, 'sum'], io), 0, `schemac sum failed\n${io.err()}`);
  return dir;
}

interface ChildOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The `--finish` report, when one was asked for and written. */
  readonly report?: ChildReport;
  readonly err: string;
}

let reports = 0;

/** Runs the child: `finish` reruns to the end and reports, `kill` then starts over and dies after that statement. */
function runChild(workspace: string, kind: 'pg' | 'pglite', target: string, o: { finish?: boolean; kill?: number; applied?: string }): Promise<ChildOutcome> {
  const report = o.finish ? path.join(workspace, `report-${reports++}.json`) : undefined;
  const args = [
    '--import', 'tsx', CHILD, workspace, kind, target, ...(report ? ['--finish', report] : []),
    ...(o.kill === undefined ? [] : ['--kill', String(o.kill), '--applied', o.applied!]),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let err = '';
  child.stdout.on('data', (d) => (err += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code, signal) => {
    const written = report !== undefined && fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, 'utf8')) as ChildReport) : undefined;
    resolve({ code, signal, report: written, err: err.trim().split('\n').slice(-12).join('\n') });
  }));
}

/** A backend: `fresh()` gives a new, empty database (a PostgreSQL database, a PGlite data directory). */
interface Target {
  readonly kind: 'pg' | 'pglite';
  fresh(): Promise<string>;
}

/** Figures of one backend's campaign. */
interface Figures {
  runs: number;
  kills: number;
  killsInNoTransaction: number;
  reruns: number;
  rerunOk: number;
  /** Files the killed runs had applied (committed) before their kill: each must still be in the ledger. */
  committedBeforeKills: number;
  /** Files the reruns applied (the one killed, run again from its start, and those after it). */
  rerunFiles: number;
  files: number;
  statements: number;
  failures: string[];
}

/**
 * A clean run first (it must pass, and it lists the statement boundaries), then a chain of
 * processes: each reruns what the previous one's kill left (it must finish, with the database
 * equal to the snapshots), then empties the database and runs again, killed after the next
 * chosen statement; the last one only reruns. A process that dies otherwise (a crash) is a
 * failure, and the chain goes on with a new database.
 */
async function campaign(workspace: string, target: Target, kills: number, seed: number): Promise<Figures> {
  assert.ok(workspace !== '', 'the workspace was not generated (see the first test)');
  const random = prng(seed);
  const figures: Figures = { runs: 0, kills: 0, killsInNoTransaction: 0, reruns: 0, rerunOk: 0, rerunFiles: 0, committedBeforeKills: 0, files: 0, statements: 0, failures: [] };
  let db = await target.fresh();
  const clean = await runChild(workspace, target.kind, db, { finish: true });
  figures.runs++;
  assert.is(clean.code, 0, `a clean run failed: ${clean.report?.error ?? clean.err}`);
  const report = clean.report!;
  assert.equal(report.problems, [], 'a clean run leaves the database equal to the snapshots');
  const names = report.results.map(([n]) => n);
  assert.equal([...report.ledger].sort(), [...names].sort());
  figures.files = names.length;
  figures.statements = report.boundaries.length;
  const noTransaction = report.boundaries.flatMap((b, i) => (b.noTransaction ? [i] : []));
  if (process.env.FAULT_LIST) report.boundaries.forEach((b, i) => console.log(`  ${i}: ${b.file} #${b.index}${b.noTransaction ? ' (no transaction)' : ''}`));
  const points = process.env.FAULT_POINTS ? process.env.FAULT_POINTS.split(',').map(Number) : chooseKills(kills, report.boundaries.length, noTransaction, random);
  let previous: string | undefined;
  let committed: string[] = [];
  for (let i = 0; i <= points.length; i++) {
    const at = points[i];
    const b = at === undefined ? undefined : report.boundaries[at];
    const next = b && `killed after statement ${at} (${b.file} #${b.index}${b.noTransaction ? ', no transaction' : ''})`;
    const applied = path.join(workspace, `applied-${target.kind}-${i}.txt`);
    const out = await runChild(workspace, target.kind, db, { finish: previous !== undefined, kill: at, applied });
    figures.runs++;
    if (previous !== undefined) {
      figures.reruns++;
      const r = out.report;
      figures.rerunFiles += r?.results.filter(([, status]) => status === 'applied').length ?? 0;
      const problems = [
        ...(r === undefined ? [`the rerun wrote no report (exit ${out.code}${out.signal ? `, ${out.signal}` : ''}):\n${out.err}`] : []),
        ...(r?.error !== undefined ? [`the rerun failed: ${r.error}`] : []),
        ...(r ? committed.filter((n) => !r.ledgerBefore.includes(n)).map((n) => `${n} was applied before the kill but is not in the ledger after it`) : []),
        ...(r?.problems ?? []).slice(0, 5).map((p) => `differs from the snapshots: ${p}`),
        ...((r?.problems.length ?? 0) > 5 ? [`… and ${r!.problems.length - 5} more differences`] : []),
        ...(r && [...r.ledger].sort().join() !== [...names].sort().join() ? [`the ledger holds: ${r.ledger.join(', ')}`] : []),
      ];
      if (problems.length) figures.failures.push(`${target.kind}, ${previous}, then a rerun:\n  ${problems.join('\n  ')}`);
      else figures.rerunOk++;
    }
    if (next === undefined) break;
    committed = fs.existsSync(applied) ? fs.readFileSync(applied, 'utf8').split('\n').filter(Boolean) : [];
    figures.committedBeforeKills += committed.length;
    if (out.signal === 'SIGKILL') {
      figures.kills++;
      if (b!.noTransaction) figures.killsInNoTransaction++;
      previous = next;
    } else {
      figures.failures.push(`${target.kind}, to be ${next}: the process ended with exit ${out.code} instead:\n${out.err}`);
      previous = undefined;
      db = await target.fresh();
    }
  }
  return figures;
}

/** `n` distinct statement numbers: half from the no-transaction boundaries, the rest from all (seeded). */
function chooseKills(n: number, total: number, noTransaction: readonly number[], random: () => number): number[] {
  const chosen = new Set<number>();
  const pool = [...noTransaction];
  while (chosen.size < Math.min(Math.ceil(n / 2), noTransaction.length)) chosen.add(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  while (chosen.size < Math.min(n, total)) chosen.add(Math.floor(random() * total));
  return [...chosen];
}

function line(kind: string, f: Figures, ms: number): string {
  return `${kind}: ${f.files} files, ${f.statements} statement boundaries; ${f.runs} processes: ${f.kills} killed (${f.killsInNoTransaction} inside a no-transaction file; ${f.committedBeforeKills} files committed before the kills), ${f.reruns} reruns (applying ${f.rerunFiles} files), ${f.rerunOk} finished with the database equal to the snapshots, ${f.failures.length} failures; ${(ms / 1000).toFixed(1)} s`;
}

let workspace = '';

test('fault injection: the workspace generates a multi-owner history with phased pairs and an enum value added and used', async () => {
  workspace = await makeWorkspace();
  const names = fs.readdirSync(path.join(workspace, 'generated', 'migrations')).sort();
  const text = (n: string) => fs.readFileSync(path.join(workspace, 'generated', 'migrations', n), 'utf8');
  const concurrent = names.filter((n) => n.endsWith('_concurrent.sql'));
  assert.equal(concurrent.map((n) => n.replace(/^\d{8}_\d{6}_/, '')).sort(), ['core_step_2_concurrent.sql', 'custom_acme_step_2_concurrent.sql', 'custom_globex_step_2_concurrent.sql']);
  const coreStep2 = names.filter((n) => /_core_step_2(_concurrent)?\.sql$/.test(n)).map(text).join('\n');
  assert.match(coreStep2, /ADD VALUE (IF NOT EXISTS )?'paid'/);
  assert.match(coreStep2, /DEFAULT 'paid'/, 'the value is used by the migration that adds it');
  const all = concurrent.map(text).join('\n');
  for (const kind of [/CREATE (UNIQUE )?INDEX CONCURRENTLY/, /VALIDATE CONSTRAINT/, /SET NOT NULL/, /Backfill/]) assert.match(all, kind);
});

test('fault injection on PostgreSQL: after every SIGKILL, a rerun finishes and the database equals its snapshots', async () => {
  const databases: Array<{ drop(): Promise<void> }> = [];
  const started = performance.now();
  try {
    const figures = await campaign(workspace, {
      kind: 'pg',
      fresh: async () => {
        const db = await createTestDatabase();
        databases.push(db);
        return db.url;
      },
    }, KILLS.pg, SEED);
    console.log(`  ${line('PostgreSQL', figures, performance.now() - started)}`);
    assert.equal(figures.failures, []);
    assert.is(figures.kills, process.env.FAULT_POINTS ? figures.kills : KILLS.pg);
  } finally {
    for (const db of databases) await db.drop().catch(() => {});
  }
});

test('fault injection on PGlite (data directory): after every SIGKILL, a rerun finishes and the database equals its snapshots', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-fault-pglite-'));
  let n = 0;
  const started = performance.now();
  try {
    const figures = await campaign(workspace, { kind: 'pglite', fresh: async () => path.join(root, `db${n++}`) }, KILLS.pglite, SEED + 1);
    console.log(`  ${line('PGlite', figures, performance.now() - started)}`);
    assert.equal(figures.failures, []);
    assert.is(figures.kills, process.env.FAULT_POINTS ? figures.kills : KILLS.pglite);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('fault injection: cleanup', () => {
  if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
});

test.run();
