/**
 * `batch` (verify's runs): a transactional file's section runs as one query, and a file that
 * fails is rolled back and run again statement by statement, so the run ends exactly as it
 * does statement by statement: the same results, the same error naming the same line, the
 * same database. On the embedded PGlite.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Driver, openDriver } from '../runtime/driver.ts';
import { type MigrationFile, readMigrations } from '../runtime/files.ts';
import { runMigrations } from '../runtime/migrator.ts';
import { makeWorkspace, migrationText } from './helpers/migrations.ts';

const FILES: Readonly<Record<string, string>> = {
  '20260101_000000_core_init.sql': migrationText('core', 'init',
    'CREATE TABLE "clients" (id int);\n-- a comment between statements\nCREATE INDEX "clients_id" ON "clients" (id); -- after the statement\nINSERT INTO "clients" VALUES (1)',
    'DROP INDEX "clients_id";\nDROP TABLE "clients";'),
  '20260102_000000_custom_acme_broken.sql': migrationText('acme', 'broken',
    'CREATE TABLE "acme_half" (id int);\nINSERT INTO "acme_half" VALUES (1);\n\nSELECT 1 / 0;\nCREATE TABLE "acme_never" (id int);', 'DROP TABLE "acme_half";'),
  '20260103_000000_custom_globex_first.sql': migrationText('globex', 'first',
    `CREATE TABLE "globex_first" (id int);\nCREATE TABLE "globex_second" (id int);\n${'INSERT INTO "globex_first" VALUES (1);\n'.repeat(8)}`,
    'DROP TABLE "globex_second";\nDROP TABLE "globex_first";'),
};

/** A driver on a fresh in-memory PGlite that counts the queries it is sent. */
async function counting(): Promise<{ driver: Driver; sent: () => number; tables: () => Promise<string[]>; close(): Promise<void> }> {
  const inner = await openDriver({ kind: 'pglite' });
  const session = await inner.connect();
  let sent = 0;
  const counted = {
    ...session,
    query: (sql: string, params?: readonly unknown[]) => (sent++, session.query(sql, params)),
    exec: (sql: string) => (sent++, session.exec(sql)),
    close: async () => {},
  } as typeof session;
  return {
    driver: { ...inner, connect: async () => counted },
    sent: () => sent,
    tables: async () => (await session.query<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public' and tablename <> 'schemac_migrations' order by 1")).map((r) => r.t),
    close: () => inner.close(),
  };
}

async function runBoth(direction: 'up' | 'down', prepare?: (driver: Driver, files: MigrationFile[]) => Promise<unknown>) {
  const ws = makeWorkspace(FILES);
  const files = readMigrations(ws.migrations).files;
  const out = [];
  try {
    for (const batch of [false, true]) {
      const db = await counting();
      try {
        await prepare?.(db.driver, files);
        const before = db.sent();
        const run = await runMigrations({ driver: db.driver, files, direction, to: direction === 'down' ? 'base' : undefined, allowDestructive: true, batch });
        // Only the times differ.
        const timeless = { ...run, results: run.results.map(({ ms: _, ...r }) => r) };
        out.push({ batch, run: timeless, sent: db.sent() - before, tables: await db.tables() });
      } finally {
        await db.close();
      }
    }
  } finally {
    ws.remove();
  }
  return out;
}

test('up: the same results, error and database as statement by statement, in fewer queries', async () => {
  const [each, batch] = await runBoth('up');
  assert.equal(batch.run, each.run);
  assert.equal(batch.tables, each.tables);
  assert.equal(each.tables, ['clients', 'globex_first', 'globex_second']);
  assert.match(each.run.error!.message, /^20260102_000000_custom_acme_broken\.sql:6 \(up\) failed: division by zero/);
  assert.ok(batch.sent < each.sent, `${batch.sent} queries batched, ${each.sent} one by one`);
});

test('down: the same results and database, in fewer queries', async () => {
  const up = (driver: Driver, files: MigrationFile[]) => runMigrations({ driver, files, direction: 'up' });
  const [each, batch] = await runBoth('down', up);
  assert.equal(batch.run, each.run);
  assert.is(each.run.error, undefined);
  assert.equal(each.tables, []);
  assert.equal(batch.tables, []);
  assert.ok(batch.sent < each.sent, `${batch.sent} queries batched, ${each.sent} one by one`);
});

test.run();
