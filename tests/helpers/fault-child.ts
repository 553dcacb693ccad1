/**
 * The process `tests/fault-injection.test.ts` kills. It runs `migrate up` with the runtime's
 * runner over a workspace's migrations:
 *
 * - `--finish REPORT`: runs to the end (the rerun after a kill), then writes REPORT (JSON):
 *   the run's outcome, every statement boundary it passed (file, index, whether the file runs
 *   without a transaction), the differences between the database and the snapshots (with the
 *   constraints left NOT VALID and indexes left invalid), and the ledger;
 * - `--kill K`: then (or at once), whatever the rerun did, empties the database (`DROP SCHEMA
 *   public CASCADE`) and runs again, SIGKILLing itself right after statement K completes
 *   (`onStatement`); each file the runner reports applied (committed) is appended to
 *   `REPORT.applied` first, so the next process can check that none was lost.
 *
 * usage: node --import tsx tests/helpers/fault-child.ts WORKSPACE pg URL|pglite DIR [--finish REPORT] [--kill K --applied FILE]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSnapshot } from '../../compiler/engine/snapshot.ts';
import type { Snapshot } from '../../compiler/ir.ts';
import { type Driver, openDriver, type Queryable } from '../../runtime/driver.ts';
import { readMigrations } from '../../runtime/files.ts';
import { compareSchema, introspect } from '../../runtime/introspect.ts';
import { readLedger, runMigrations } from '../../runtime/migrator.ts';

/** What `--finish` writes. */
export interface ChildReport {
  /** The ledger as the rerun found it, before it ran anything. */
  readonly ledgerBefore: string[];
  readonly error?: string;
  readonly results: Array<[string, string]>;
  readonly boundaries: Array<{ file: string; index: number; noTransaction: boolean }>;
  readonly problems: string[];
  readonly ledger: string[];
}

const [workspace, kind, where, ...rest] = process.argv.slice(2);
const option = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const finish = option('--finish');
const kill = option('--kill');
const applied = option('--applied');
const { files, errors } = readMigrations(path.join(workspace, 'generated', 'migrations'));
if (errors.length) throw new Error(errors.join('\n'));

const driver = await openDriver(kind === 'pg' ? { kind: 'pg', url: where } : { kind: 'pglite', dataDir: where });
let failed = false;
if (finish !== undefined) {
  const boundaries: ChildReport['boundaries'] = [];
  const ledgerBefore = await withSession(driver, async (q) => (await readLedger(q)).map((r) => r.name));
  const run = await runMigrations({
    driver, files, direction: 'up', lockWaitMs: 60_000,
    onStatement: (file, index) => void boundaries.push({ file: file.name, index, noTransaction: file.noTransaction }),
  });
  failed = run.error !== undefined;
  const report: ChildReport = {
    ledgerBefore,
    ...(run.error ? { error: run.error.message } : {}),
    results: run.results.map((r) => [r.name, r.status]),
    boundaries,
    ...(await check(driver)),
  };
  fs.writeFileSync(finish, JSON.stringify(report));
}
if (kill !== undefined) {
  const q = await driver.connect();
  await q.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await q.close();
  let n = 0;
  await runMigrations({
    driver, files, direction: 'up', lockWaitMs: 60_000,
    onStatement: () => {
      if (n++ === Number(kill)) process.kill(process.pid, 'SIGKILL');
    },
    onResult: (r) => {
      if (applied !== undefined && r.status === 'applied') fs.appendFileSync(applied, `${r.name}\n`);
    },
  });
}
await driver.close();
process.exit(failed ? 1 : 0);

async function withSession<T>(d: Driver, fn: (q: Queryable) => Promise<T>): Promise<T> {
  const q = await d.connect();
  try {
    return await fn(q);
  } finally {
    await q.close();
  }
}

/** The database compared with the snapshots, and the ledger. */
async function check(d: Driver): Promise<Pick<ChildReport, 'problems' | 'ledger'>> {
  return withSession(d, async (q) => {
    const live = await introspect(q);
    const invalid = await q.query<{ what: string }>(
      `select format('constraint %I on %I is NOT VALID', c.conname, r.relname) as what from pg_constraint c join pg_class r on r.oid = c.conrelid
         join pg_namespace n on n.oid = r.relnamespace where n.nspname = 'public' and not c.convalidated
       union all
       select format('index %I is invalid', x.relname) from pg_index i join pg_class x on x.oid = i.indexrelid
         join pg_namespace n on n.oid = x.relnamespace where n.nspname = 'public' and not (i.indisvalid and i.indisready)`,
    );
    return {
      problems: [...compareSchema(snapshots(workspace), live), ...invalid.map((r) => r.what)],
      ledger: (await readLedger(q)).map((r) => r.name),
    };
  });
}

function snapshots(dir: string): Snapshot[] {
  const sdir = path.join(dir, 'generated', 'snapshots');
  return fs.readdirSync(sdir).filter((n) => n.endsWith('.json')).sort().map((n) => {
    const parsed = parseSnapshot(fs.readFileSync(path.join(sdir, n), 'utf8'), n);
    if (!parsed.snapshot) throw new Error(`snapshot ${n} does not parse`);
    return parsed.snapshot;
  });
}
