/**
 * Golden evolution cases: `tests/cases/migrate/<case>/`.
 *
 * Layout of a case:
 *   01/                 a workspace tree (schemas/…, optionally schemac.config.yaml); each
 *   02/ …               step replaces the previous step's tree
 *   01.sql              the migrations `schemac migration "step 01" --all --allow-destructive`
 *                       writes for that step, in apply order (core first), each preceded by
 *                       a `-- file: <name>` line; empty when the step writes none
 *   01.refused          instead of 01.sql: the step's migration must be refused (exit 1, nothing
 *                       written) with a message containing this file's text; the next step
 *                       continues from the previous one
 *   01.args             optional: the command the step runs instead (e.g. `uninstall acme/invoicing`)
 *   01.seed.sql         optional: run on the database before the step's up (insert rows)
 *   01.assert.sql       optional: run after the step's up (and again after down + up);
 *                       it raises an exception when the data did not survive
 *   db.ts, db/          the types after the last step (the index and each owner's module)
 *
 * `CASE=<name>` runs one case; `UPDATE=1` rewrites the golden files.
 * For each step the runner writes the migrations in a temp workspace, compares them with the
 * golden files (`UPDATE=1` rewrites them), runs `schemac check`, then applies the up sections
 * to a fresh PostgreSQL database, introspects it and compares it with the snapshots; applies
 * the down sections and compares with the previous step's snapshots; and applies up again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { parseSnapshot } from '../compiler/engine/snapshot.ts';
import type { Snapshot } from '../compiler/ir.ts';
import { wrapPgClient } from '../runtime/driver.ts';
import type { MigrationFile } from '../runtime/files.ts';
import { orderMigrations, parseMigration } from '../runtime/files.ts';
import { compareSchema, introspect } from '../runtime/introspect.ts';
import { createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';

const CASES_DIR = path.join(import.meta.dirname, 'cases', 'migrate');
const UPDATE = process.env.UPDATE === '1';
const STEP = /^\d{2}$/;

const ONLY = process.env.CASE;
const cases = (fs.existsSync(CASES_DIR) ? fs.readdirSync(CASES_DIR) : [])
  .filter((n) => fs.statSync(path.join(CASES_DIR, n)).isDirectory() && (ONLY === undefined || n === ONLY))
  .sort();

await loadModule();

for (const name of cases) {
  test(`migrate case ${name}`, async () => {
    const caseDir = path.join(CASES_DIR, name);
    const steps = fs.readdirSync(caseDir).filter((n) => STEP.test(n)).sort();
    assert.ok(steps.length > 0, `${name} has no numbered steps`);
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), `schemac-case-${name}-`));
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      let previous: Snapshot[] = [];
      for (const step of steps) previous = await runStep({ name, caseDir, ws, step, client, previous });
      goldenTypes(caseDir, path.join(ws, 'generated'));
    } finally {
      await client.end();
      await db.drop();
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
}

interface StepInput {
  readonly name: string;
  readonly caseDir: string;
  readonly ws: string;
  readonly step: string;
  readonly client: pg.Client;
  readonly previous: Snapshot[];
}

/** Runs one step; resolves to the snapshots after it. */
async function runStep(s: StepInput): Promise<Snapshot[]> {
  const where = `${s.name}/${s.step}`;
  replaceTree(s.ws, path.join(s.caseDir, s.step));
  const before = new Set(listMigrations(s.ws));
  const io = captureIo({ SCHEMAC_NOW: new Date(Date.UTC(2026, 0, Number(s.step), 12, 0, 0)).toISOString() });
  const argsFile = path.join(s.caseDir, `${s.step}.args`);
  const argv = fs.existsSync(argsFile) ? fs.readFileSync(argsFile, 'utf8').trim().split(/\s+/) : ['migration', `step ${s.step}`, '--all', '--allow-destructive'];
  const code = await run(argv, io, s.ws);
  const refused = path.join(s.caseDir, `${s.step}.refused`);
  if (fs.existsSync(refused)) {
    assert.is(code, 1, `${where}: the migration should be refused\n${io.err()}${io.out()}`);
    assert.ok(io.err().includes(fs.readFileSync(refused, 'utf8').trim()), `${where}: the refusal should say what ${refused} holds\n${io.err()}`);
    assert.equal(listMigrations(s.ws), [...before], `${where}: a refused migration writes nothing`);
    return s.previous;
  }
  assert.is(code, 0, `${where}: migration exited ${code}\n${io.err()}${io.out()}`);
  const written = listMigrations(s.ws).filter((n) => !before.has(n));
  const files = orderMigrations(written.map((n) => parse(s.ws, n)));
  golden(path.join(s.caseDir, `${s.step}.sql`), files.map((f) => `-- file: ${f.name}\n${f.text}`).join('\n'));
  const check = captureIo();
  assert.is(await run(['check'], check, s.ws), 0, `${where}: check failed after the migration\n${check.err()}`);
  const snapshots = readSnapshots(s.ws);
  await runOptional(s.client, path.join(s.caseDir, `${s.step}.seed.sql`), `${where} seed`, true);
  await applyAll(s.client, files, 'up', where);
  await expectSchema(s.client, snapshots, `${where} after up`);
  await runOptional(s.client, path.join(s.caseDir, `${s.step}.assert.sql`), `${where} assert after up`);
  if (files.some((f) => f.down.includes(IRREVERSIBLE))) return expectIrreversible(s.client, files, snapshots, where);
  await applyAll(s.client, [...files].reverse(), 'down', where);
  await expectSchema(s.client, s.previous, `${where} after down`);
  await applyAll(s.client, files, 'up', where);
  await expectSchema(s.client, snapshots, `${where} after down and up again`);
  await runOptional(s.client, path.join(s.caseDir, `${s.step}.assert.sql`), `${where} assert after down and up`);
  return snapshots;
}

/** What the down section of an irreversible step raises (see compiler/emit/emit.ts `failLoudly`). */
const IRREVERSIBLE = "RAISE EXCEPTION '%', 'irreversible: ";

/** A step with an irreversible statement: its down must fail and leave the schema as it was. */
async function expectIrreversible(client: pg.Client, files: readonly MigrationFile[], snapshots: Snapshot[], where: string): Promise<Snapshot[]> {
  const file = [...files].reverse().find((f) => f.down.includes(IRREVERSIBLE))!;
  const failed = await client.query(file.down).then(() => false, (e: Error) => /irreversible/.test(e.message));
  assert.ok(failed, `${where}: the down section of ${file.name} should stop with an 'irreversible' error`);
  if (!file.noTransaction) await expectSchema(client, snapshots, `${where} after the refused down`);
  return snapshots;
}

/** Replaces the workspace's models (and config) with a step's tree. */
function replaceTree(ws: string, stepDir: string): void {
  fs.rmSync(path.join(ws, 'schemas'), { recursive: true, force: true });
  fs.rmSync(path.join(ws, 'schemac.config.yaml'), { force: true });
  fs.cpSync(stepDir, ws, { recursive: true });
}

function listMigrations(ws: string): string[] {
  const dir = path.join(ws, 'generated', 'migrations');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.sql')).sort() : [];
}

function parse(ws: string, name: string): MigrationFile {
  const parsed = parseMigration(name, fs.readFileSync(path.join(ws, 'generated', 'migrations', name), 'utf8'));
  assert.ok(parsed.file, parsed.error);
  return parsed.file!;
}

function readSnapshots(ws: string): Snapshot[] {
  const dir = path.join(ws, 'generated', 'snapshots');
  return fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort().map((n) => {
    const parsed = parseSnapshot(fs.readFileSync(path.join(dir, n), 'utf8'), n);
    assert.ok(parsed.snapshot, `${n}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
    return parsed.snapshot!;
  });
}

/** Applies sections: a transactional file as one multi-statement simple query, a no-transaction file statement by statement. */
async function applyAll(client: pg.Client, files: readonly MigrationFile[], section: 'up' | 'down', where: string): Promise<void> {
  for (const f of files) {
    const sql = f[section];
    try {
      if (!f.noTransaction) await client.query(sql);
      else for (const statement of splitStatements(sql)) await client.query(statement);
    } catch (e) {
      assert.unreachable(`${where}: ${section} of ${f.name} failed: ${(e as Error).message}\n${sql}`);
    }
  }
}

/** The statements of a script, cut where PostgreSQL's own parser says they are. */
function splitStatements(sql: string): string[] {
  const bytes = Buffer.from(sql, 'utf8');
  return (parseSync(sql).stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    return bytes.subarray(start, end).toString('utf8');
  });
}

async function expectSchema(client: pg.Client, snapshots: readonly Snapshot[], where: string): Promise<void> {
  const live = await introspect(wrapPgClient(client));
  const problems = compareSchema(snapshots, live);
  assert.equal(problems, [], `${where}: the database differs from the snapshots:\n${problems.join('\n')}`);
}

async function runOptional(client: pg.Client, file: string, where: string, seed = false): Promise<void> {
  if (!fs.existsSync(file)) return;
  try {
    await client.query(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    assert.unreachable(`${where}: ${seed ? 'seeding' : 'the data check'} failed: ${(e as Error).message}`);
  }
}

/** Compares with a golden file; `UPDATE=1` rewrites it. */
/** The types in `generated` (db.ts and db/) against the case's golden copies of them. */
function goldenTypes(caseDir: string, generated: string): void {
  const modules = fs.readdirSync(path.join(generated, 'db')).sort();
  if (UPDATE) fs.rmSync(path.join(caseDir, 'db'), { recursive: true, force: true });
  if (UPDATE) fs.mkdirSync(path.join(caseDir, 'db'));
  assert.equal(fs.existsSync(path.join(caseDir, 'db')) ? fs.readdirSync(path.join(caseDir, 'db')).sort() : [], UPDATE ? [] : modules, 'the same modules');
  for (const file of ['db.ts', ...modules.map((m) => `db/${m}`)]) golden(path.join(caseDir, file), fs.readFileSync(path.join(generated, file), 'utf8'));
}

function golden(file: string, got: string): void {
  if (UPDATE) {
    fs.writeFileSync(file, got);
    return;
  }
  assert.ok(fs.existsSync(file), `${path.relative(CASES_DIR, file)} is missing; run with UPDATE=1 to write it`);
  assert.fixture(got, fs.readFileSync(file, 'utf8'), `${path.relative(CASES_DIR, file)} differs (UPDATE=1 rewrites it)`);
}

test.run();
