/**
 * Plans real evolutions and runs every statement, then every reverse, on PostgreSQL: each
 * migration in its own transaction, as the runtime applies them.
 */
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { splitPlan } from '../compiler/emit/emit.ts';
import { diff } from '../compiler/engine/diff.ts';
import { plan } from '../compiler/engine/plan.ts';
import { renameHints, toSnapshot } from '../compiler/engine/snapshot.ts';
import type { Statement } from '../compiler/engine/statement.ts';
import { loadWorkspace } from '../compiler/index.ts';
import { emptySnapshot, type RenameHints, type Snapshot, type SnapTable } from '../compiler/ir.ts';
import { splitStatements } from '../runtime/statements.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { col, hints, NO_HINTS, snap, table } from './helpers/snapshots.ts';

interface Step { readonly next: Snapshot; readonly hints?: RenameHints }

/** A database with the helpers to apply migrations up and down. */
async function withDatabase(fn: (c: pg.Client) => Promise<void>): Promise<void> {
  const db: TestDatabase = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
    await db.drop();
  }
}

/** Runs statements as one migration: in a transaction when every statement allows it. */
async function apply(c: pg.Client, sqls: readonly string[], transactional = true): Promise<void> {
  if (!transactional) {
    for (const s of sqls) await c.query(s);
    return;
  }
  await c.query('BEGIN');
  try {
    for (const s of sqls) await c.query(s);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw new Error(`${(e as Error).message}\n--- in:\n${sqls.join('\n')}`);
  }
}

/** Plans every step from the empty snapshot; returns the migrations (statements per step). */
function planSteps(steps: readonly Step[]): Statement[][] {
  let prev = emptySnapshot('core');
  return steps.map((s) => {
    const statements = plan(diff(prev, s.next, s.hints ?? NO_HINTS), { prev, next: s.next });
    prev = s.next;
    return statements;
  });
}

/** Applies a plan as the migration command writes it: the transactional part, then the concurrent part statement by statement. */
async function up(c: pg.Client, m: readonly Statement[]): Promise<void> {
  assert.ok(m.length > 0, 'a step plans at least one statement');
  const { main, concurrent } = splitPlan(m);
  await apply(c, main.map((s) => s.sql), main.every((s) => s.transactional));
  await apply(c, (await Promise.all(concurrent.map((s) => splitStatements(s.sql)))).flat().map((s) => s!.sql), false);
}

async function down(c: pg.Client, m: readonly Statement[]): Promise<void> {
  const { main, concurrent } = splitPlan(m);
  const reverses = [...concurrent].reverse().map((s) => s.reverse ?? '').filter((s) => s !== '');
  await apply(c, (await Promise.all(reverses.map(splitStatements))).flat().map((s) => s!.sql), false);
  await apply(c, [...main].reverse().map((s) => s.reverse ?? ''), main.every((s) => s.transactional));
}

async function publicObjects(c: pg.Client): Promise<string[]> {
  const r = await c.query(`
    SELECT 'table ' || tablename AS o FROM pg_tables WHERE schemaname = 'public'
    UNION ALL SELECT 'type ' || typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'
    UNION ALL SELECT 'function ' || proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    ORDER BY 1`);
  return r.rows.map((x) => x.o as string);
}

async function columnType(c: pg.Client, t: string, column: string): Promise<string | undefined> {
  const r = await c.query(
    `SELECT format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped`,
    [`public."${t}"`, column],
  );
  return r.rows[0]?.t;
}

/** Counts the rows of `t` a non-superuser role sees with `app.client_id` set to `clientId`. */
async function visibleRows(c: pg.Client, t: string, clientId: string | null): Promise<number> {
  const role = `schemac_rls_${process.pid}`;
  await c.query(`DROP ROLE IF EXISTS ${role}`);
  await c.query(`CREATE ROLE ${role} NOLOGIN`);
  try {
    await c.query(`GRANT SELECT ON "${t}" TO ${role}`);
    await c.query(`SET ROLE ${role}`);
    await c.query(clientId === null ? `RESET app.client_id` : `SET app.client_id = '${clientId}'`);
    return (await c.query(`SELECT count(*)::int AS n FROM "${t}"`)).rows[0].n as number;
  } finally {
    await c.query('RESET ROLE');
    await c.query(`DROP OWNED BY ${role}`);
    await c.query(`DROP ROLE ${role}`);
  }
}

const trig = (t: string, columns: string[]) => ({ name: `${t}_set_updated_at`, kind: 'set_updated_at' as const, function: `${t}_set_updated_at`, columns });
const fk = (t: string, column: string, ref: string, onDelete: 'cascade' | 'set null' | 'restrict' = 'set null') =>
  ({ name: `${t}_${column}_fkey`, columns: [column], refTable: ref, refColumns: ['id'], onDelete, onUpdate: 'no action' as const });

/** Step 1: two tables in a foreign-key cycle, an enum, a trigger, RLS, every index method, comments. */
function step1(): Snapshot {
  const orgs = table('orgs', [
    col('client_id', 'uuid'),
    col('owner_id', 'integer', { nullable: true }),
    col('name', 'varchar(50)', { comment: "the org's name" }),
    col('tier', 'tier', { default: "'free'" }),
    col('tags', 'tier[]', { default: "'{}'::\"tier\"[]" }),
    col('meta', 'jsonb', { default: "'{}'::jsonb" }),
    col('score', 'integer', { default: '0' }),
    col('created_at', 'timestamptz', { default: 'now()' }),
    col('updated_at', 'timestamptz', { default: 'now()' }),
  ], {
    comment: 'Organisations',
    foreignKeys: [fk('orgs', 'owner_id', 'users')],
    uniques: [{ name: 'orgs_name_key', columns: ['name'] }],
    checks: [{ name: 'orgs_score_check', expr: 'score >= 0' }],
    indexes: [
      { name: 'orgs_meta_idx', columns: ['meta'], unique: false, using: 'gin', where: null },
      { name: 'orgs_created_at_idx', columns: ['created_at'], unique: false, using: 'brin', where: null },
      { name: 'orgs_name_idx', columns: ['name'], unique: false, using: 'hash', where: null },
      { name: 'orgs_client_id_score_idx', columns: ['client_id', 'score'], unique: true, using: 'btree', where: "tier <> 'free'" },
    ],
    triggers: [trig('orgs', ['updated_at'])],
    rls: { policy: 'orgs_tenant_isolation' },
  });
  const users = table('users', [col('org_id', 'integer', { nullable: true }), col('email', 'text')], {
    foreignKeys: [fk('users', 'org_id', 'orgs', 'cascade')],
    indexes: [{ name: 'users_org_id_idx', columns: ['org_id'], unique: false, using: 'btree', where: null }],
  });
  return snap([orgs, users], { enums: [{ name: 'tier', values: ['free', 'pro'] }] });
}

/** Step 2 of step 1: add enum values, retype with data, rename, add/drop columns, change constraints, drop a table of the cycle. */
function step2(): Step {
  const s1 = step1();
  const orgs = s1.tables[0];
  const next: SnapTable = {
    ...orgs,
    name: 'organisations',
    comment: 'Organisations (renamed)',
    columns: [
      col('id', 'serial'),
      col('client_id', 'uuid'),
      col('display_name', 'text', { comment: 'renamed and widened' }),
      col('tier', 'tier', { default: "'free'" }),
      col('tags', 'tier[]', { default: "'{}'::\"tier\"[]" }),
      col('meta', 'jsonb', { default: "'{}'::jsonb" }),
      col('score', 'bigint', { default: '0', nullable: true }),
      col('plan', 'varchar(20)', { default: "'basic'" }),
      col('created_at', 'timestamptz', { default: 'now()' }),
      col('updated_at', 'timestamptz', { default: 'now()' }),
    ],
    primaryKey: { name: 'organisations_pkey', columns: ['id'] },
    foreignKeys: [],
    uniques: [{ name: 'organisations_display_name_key', columns: ['display_name'] }],
    checks: [{ name: 'orgs_score_check', expr: 'score >= -1' }],
    indexes: [
      { name: 'orgs_meta_idx', columns: ['meta'], unique: false, using: 'gin', where: null },
      { name: 'orgs_client_id_score_idx', columns: ['client_id', 'score'], unique: true, using: 'btree', where: "tier = 'pro'" },
    ],
    triggers: [trig('organisations', ['updated_at'])],
    rls: { policy: 'organisations_tenant_isolation' },
  };
  return {
    next: snap([next], { enums: [{ name: 'tier', values: ['trial', 'free', 'plus', 'pro', 'max'] }] }),
    hints: hints({ tables: { organisations: 'orgs' }, columns: { 'organisations.display_name': 'name' } }),
  };
}

/** Step 3: remove and reorder enum values (recreate with data present, a partial index and a check on the column), rename the enum. */
function step3(): Step {
  const s2 = step2().next;
  const t = s2.tables[0];
  const next = {
    ...t,
    columns: t.columns.map((c) => (c.type === 'tier' ? { ...c, type: 'level', default: "'pro'" } : c.type === 'tier[]' ? { ...c, type: 'level[]', default: "'{}'::\"level\"[]" } : c)),
    checks: [...t.checks, { name: 'orgs_tier_check', expr: "tier <> 'max'" }],
  };
  return { next: snap([next], { enums: [{ name: 'level', values: ['pro', 'free', 'max'] }] }), hints: hints({ enums: { level: 'tier' } }) };
}

test('an evolution with cycles, enums, triggers and RLS runs up and down on PostgreSQL', async () => {
  const migrations = planSteps([{ next: step1() }, step2(), step3()]);
  await withDatabase(async (c) => {
    const client = '00000000-0000-0000-0000-000000000001';
    await up(c, migrations[0]);
    await c.query(`SET app.client_id = '${client}'`);
    await c.query(`INSERT INTO orgs (client_id, name, tier, tags, score) VALUES ($1, 'acme', 'pro', '{free,pro}', 5)`, [client]);
    await c.query(`INSERT INTO users (org_id, email) SELECT id, 'a@acme.test' FROM orgs`);
    await c.query(`UPDATE orgs SET owner_id = (SELECT id FROM users LIMIT 1)`);
    const before = (await c.query(`SELECT updated_at FROM orgs`)).rows[0].updated_at as Date;
    await c.query(`UPDATE orgs SET score = 6`);
    const after = (await c.query(`SELECT updated_at FROM orgs`)).rows[0].updated_at as Date;
    assert.ok(after > before, 'the trigger sets updated_at on update');
    assert.is(await visibleRows(c, 'orgs', null), 0, 'RLS hides rows without app.client_id');
    assert.is(await visibleRows(c, 'orgs', '00000000-0000-0000-0000-000000000009'), 0, 'RLS hides other clients\' rows');
    assert.is(await visibleRows(c, 'orgs', client), 1, 'RLS shows the client its rows');

    await up(c, migrations[1]);
    assert.is(await columnType(c, 'organisations', 'score'), 'bigint');
    assert.is(await columnType(c, 'organisations', 'display_name'), 'text');
    const row = (await c.query(`SELECT display_name, score::int AS score, plan FROM organisations`)).rows[0];
    assert.equal(row, { display_name: 'acme', score: 6, plan: 'basic' });
    const tiers = (await c.query(`SELECT unnest(enum_range(NULL::tier))::text AS v`)).rows.map((r) => r.v);
    assert.equal(tiers, ['trial', 'free', 'plus', 'pro', 'max']);

    await up(c, migrations[2]);
    const converted = (await c.query(`SELECT tier::text AS tier, tags::text AS tags FROM organisations`)).rows[0];
    assert.equal(converted, { tier: 'pro', tags: '{free,pro}' });
    assert.is(await columnType(c, 'organisations', 'tier'), 'level');

    await down(c, migrations[2]);
    assert.is(await columnType(c, 'organisations', 'tier'), 'tier');
    await down(c, migrations[1]);
    assert.is(await columnType(c, 'orgs', 'score'), 'integer');
    assert.is(await columnType(c, 'orgs', 'name'), 'character varying(50)');
    assert.is((await c.query(`SELECT name FROM orgs`)).rows[0].name, 'acme');
    await down(c, migrations[0]);
    assert.equal(await publicObjects(c), []);

    for (const m of migrations) await up(c, m);
    for (const m of [...migrations].reverse()) await down(c, m);
    assert.equal(await publicObjects(c), []);
  });
});

test('dropping a table in a foreign-key cycle and a value of an enum in use', async () => {
  const s1 = step1();
  const dropUsers: Snapshot = { ...s1, tables: [{ ...s1.tables[0], foreignKeys: [] }] };
  const s3: Snapshot = {
    ...dropUsers,
    enums: [{ name: 'tier', values: ['pro'] }],
    tables: [{ ...dropUsers.tables[0], columns: dropUsers.tables[0].columns.map((c) => (c.name === 'tier' ? { ...c, default: "'pro'" } : c)), indexes: [] }],
  };
  const migrations = planSteps([{ next: s1 }, { next: dropUsers }, { next: s3 }]);
  assert.equal(migrations[1].map((s) => s.comment), [
    'Drop foreign key "orgs_owner_id_fkey" on "orgs"',
    'Drop foreign key "users_org_id_fkey" on "users"',
    'Drop table "users" (the down migration recreates it empty)',
  ]);
  await withDatabase(async (c) => {
    await up(c, migrations[0]);
    await c.query(`SET app.client_id = '00000000-0000-0000-0000-000000000002'`);
    await c.query(`INSERT INTO orgs (client_id, name, tier, tags) VALUES ('00000000-0000-0000-0000-000000000002', 'x', 'pro', '{pro}')`);
    await up(c, migrations[1]);
    await up(c, migrations[2]);
    assert.equal((await c.query(`SELECT tier::text AS t FROM orgs`)).rows, [{ t: 'pro' }]);
    await c.query(`INSERT INTO orgs (client_id, name) VALUES ('00000000-0000-0000-0000-000000000002', 'y')`);
    await c.query(`DELETE FROM orgs WHERE name = 'y'`);
    await down(c, migrations[2]);
    await down(c, migrations[1]);
    assert.ok((await publicObjects(c)).includes('table users'));
    await down(c, migrations[0]);
    assert.equal(await publicObjects(c), []);
  });
});

test('removing an enum value still held by a row fails and leaves the database as it was', async () => {
  const t = table('t', [col('m', 'mood')]);
  const migrations = planSteps([
    { next: snap([t], { enums: [{ name: 'mood', values: ['ok', 'bad'] }] }) },
    { next: snap([t], { enums: [{ name: 'mood', values: ['ok'] }] }) },
  ]);
  await withDatabase(async (c) => {
    await up(c, migrations[0]);
    await c.query(`INSERT INTO t (m) VALUES ('bad')`);
    let failed = false;
    try {
      await up(c, migrations[1]);
    } catch (e) {
      failed = /invalid input value for enum mood: "bad"/.test((e as Error).message);
    }
    assert.ok(failed, 'the recreate refuses a value that is gone');
    assert.equal((await c.query(`SELECT m::text FROM t`)).rows, [{ m: 'bad' }]);
    assert.equal(await publicObjects(c), ['table t', 'type mood']);
  });
});

test('an added enum value can be used by the next migration, and the reverse removes it', async () => {
  const t = table('t', [col('m', 'mood', { default: "'ok'" })]);
  const migrations = planSteps([
    { next: snap([t], { enums: [{ name: 'mood', values: ['ok'] }] }) },
    { next: snap([t], { enums: [{ name: 'mood', values: ['meh', 'ok', 'great'] }] }) },
    { next: snap([{ ...t, columns: [col('id', 'serial'), col('m', 'mood', { default: "'great'" })] }], { enums: [{ name: 'mood', values: ['meh', 'ok', 'great'] }] }) },
  ]);
  await withDatabase(async (c) => {
    await up(c, migrations[0]);
    await up(c, migrations[1]);
    await up(c, migrations[2]);
    await c.query(`INSERT INTO t DEFAULT VALUES`);
    assert.equal((await c.query(`SELECT m::text FROM t`)).rows, [{ m: 'great' }]);
    await c.query(`DELETE FROM t`);
    await down(c, migrations[2]);
    await down(c, migrations[1]);
    const values = (await c.query(`SELECT unnest(enum_range(NULL::mood))::text AS v`)).rows.map((r) => r.v);
    assert.equal(values, ['ok']);
    await c.query(`INSERT INTO t DEFAULT VALUES`);
    await down(c, migrations[0]);
    assert.equal(await publicObjects(c), []);
  });
});

test('an enum value used by the migration that adds it is added in its transaction; the use moves to the concurrent part', async () => {
  const t = table('t', [col('m', 'mood', { default: "'ok'" })]);
  const migrations = planSteps([
    { next: snap([t], { enums: [{ name: 'mood', values: ['ok'] }] }) },
    { next: snap([table('t', [col('m', 'mood', { default: "'great'" })])], { enums: [{ name: 'mood', values: ['ok', 'great'] }] }) },
  ]);
  assert.equal(migrations[1].map((s) => [s.sql, s.transactional, s.concurrent === true]), [
    [`ALTER TYPE "mood" ADD VALUE IF NOT EXISTS 'great';`, true, false],
    [`ALTER TABLE "t" ALTER COLUMN "m" SET DEFAULT 'great';`, false, true],
  ]);
  await withDatabase(async (c) => {
    await up(c, migrations[0]);
    await up(c, migrations[1]);
    await c.query('INSERT INTO t DEFAULT VALUES');
    assert.equal((await c.query('SELECT m::text FROM t')).rows, [{ m: 'great' }]);
    await c.query('DELETE FROM t');
    await down(c, migrations[1]);
    await down(c, migrations[0]);
    assert.equal(await publicObjects(c), []);
  });
});

test('a new enum value named by a new table, a new column, a changed default, a check and a partial index: every use waits for the concurrent part, and down then up works', async () => {
  const mood = (values: string[]) => ({ enums: [{ name: 'mood', values }] });
  const t = table('t', [col('m', 'mood', { default: "'ok'" }), col('note', 'varchar(10)', { default: "'x'" })]);
  const t2 = table('t', [col('m', 'mood', { default: "'ok'" }), col('note', 'text', { default: "'great'" }), col('n', 'mood', { default: "'great'" })], {
    checks: [{ name: 't_m_check', expr: "m <> 'great'" }],
    indexes: [{ name: 't_note_idx', columns: ['note'], unique: false, using: 'btree', where: "m = 'great'" }],
  });
  const u = table('u', [col('m', 'mood', { default: "'great'" })], { checks: [{ name: 'u_m_check', expr: "m IN ('ok', 'great')" }] });
  const migrations = planSteps([{ next: snap([t], mood(['ok'])) }, { next: snap([t2, u], mood(['ok', 'great'])) }]);
  const { main, concurrent } = splitPlan(migrations[1]);
  assert.ok(main.every((s) => s.transactional && !s.sql.includes("'great'") || s.sql.startsWith('ALTER TYPE')), main.map((s) => s.sql).join('\n'));
  assert.ok(main.some((s) => s.sql.includes('TYPE text')), 'the type change stays in the transactional part, without its new default');
  await withDatabase(async (c) => {
    await up(c, migrations[0]);
    await c.query('INSERT INTO t DEFAULT VALUES');
    await up(c, migrations[1]);
    await c.query('INSERT INTO t (m) VALUES (DEFAULT)');
    await c.query('INSERT INTO u DEFAULT VALUES');
    assert.equal((await c.query('SELECT m::text, note, n::text FROM t ORDER BY note')).rows, [{ m: 'ok', note: 'great', n: 'great' }, { m: 'ok', note: 'x', n: 'great' }]);
    assert.equal((await c.query('SELECT m::text FROM u')).rows, [{ m: 'great' }]);
    await c.query('DELETE FROM u');
    await c.query(`DELETE FROM t WHERE note = 'great'`);
    await down(c, migrations[1]);
    assert.equal(await publicObjects(c), ['table t', 'type mood']);
    await up(c, migrations[1]);
    await down(c, migrations[1]);
    await down(c, migrations[0]);
    assert.equal(await publicObjects(c), []);
  });
  assert.ok(concurrent.length >= 5, concurrent.map((s) => s.comment).join('\n'));
});

test('serial to integer and back keeps the data and numbering', async () => {
  const t = (type: string) => table('t', [col('id', type), col('n', 'serial')]);
  const migrations = planSteps([{ next: snap([t('serial')]) }, { next: snap([t('integer')]) }]);
  assert.is(migrations[1][0].sql, 'ALTER TABLE "t" ALTER COLUMN "id" DROP DEFAULT;\nALTER TABLE "t" ALTER COLUMN "id" TYPE integer USING "id"::integer;');
  await withDatabase(async (c) => {
    await up(c, migrations[0]);
    await c.query('INSERT INTO t DEFAULT VALUES');
    await up(c, migrations[1]);
    await c.query('INSERT INTO t (id) VALUES (7)');
    await down(c, migrations[1]);
    await c.query('INSERT INTO t DEFAULT VALUES');
    assert.equal((await c.query('SELECT id FROM t ORDER BY id')).rows.map((r) => r.id), [1, 7, 8]);
    await down(c, migrations[0]);
    assert.equal(await publicObjects(c), []);
  });
});

test('serial to bigserial widens the sequence too, and the reverse narrows it back', async () => {
  const t = (name: string, type: string) => table(name, [col('id', type), col('n', 'text', { nullable: true })]);
  // Renamed first: its sequence keeps the name "old_id_seq".
  const steps = [{ next: snap([t('old', 'serial')]) }, { next: snap([t('t', 'serial')]), hints: hints({ tables: { t: 'old' } }) }, { next: snap([t('t', 'bigserial')]) }];
  const [create, rename, widen] = planSteps(steps);
  const sequenceType = async (c: pg.Client) =>
    (await c.query(`SELECT format_type(seqtypid, NULL) AS t FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('"t"', 'id')::regclass`)).rows[0].t;
  await withDatabase(async (c) => {
    await up(c, create);
    await c.query('INSERT INTO old DEFAULT VALUES');
    await up(c, rename);
    await up(c, widen);
    assert.is(await columnType(c, 't', 'id'), 'bigint');
    assert.is(await sequenceType(c), 'bigint');
    await c.query(`SELECT setval(pg_get_serial_sequence('"t"', 'id'), 3000000000)`);
    await c.query('INSERT INTO t DEFAULT VALUES');
    assert.equal((await c.query('SELECT id::text FROM t ORDER BY id')).rows.map((r) => r.id), ['1', '3000000001']);
    await c.query('DELETE FROM t WHERE id > 1');
    await c.query(`SELECT setval(pg_get_serial_sequence('"t"', 'id'), 1)`);
    await down(c, widen);
    assert.is(await columnType(c, 't', 'id'), 'integer');
    assert.is(await sequenceType(c), 'integer');
    await down(c, rename);
    await down(c, create);
    assert.equal(await publicObjects(c), []);
  });
});

test('extensions install and uninstall when the server has them', async () => {
  await withDatabase(async (c) => {
    const available = (await c.query(`SELECT name FROM pg_available_extensions WHERE name IN ('pgcrypto', 'citext') ORDER BY name`)).rows.map((r) => r.name as string);
    if (available.length === 0) return;
    const migrations = planSteps([{ next: snap([table('t', [col('e', available.includes('citext') ? 'text' : 'text')])], { extensions: available }) }]);
    await up(c, migrations[0]);
    const installed = (await c.query(`SELECT extname FROM pg_extension WHERE extname = ANY($1)`, [available])).rows.length;
    assert.is(installed, available.length);
    await down(c, migrations[0]);
    assert.is((await c.query(`SELECT extname FROM pg_extension WHERE extname = ANY($1)`, [available])).rows.length, 0);
  });
});

test('renaming a table and a column keeps their checks, partial indexes and trigger working, up and down', async () => {
  const a = table('ledger', [col('amount', 'integer'), col('updated_at', 'timestamptz', { default: 'now()' })], {
    checks: [{ name: 'ledger_amount_check', expr: 'amount >= 0' }],
    indexes: [{ name: 'ledger_amount_idx', columns: ['amount'], unique: false, using: 'btree', where: 'amount > 0' }],
    triggers: [trig('ledger', ['updated_at'])],
  });
  const b = table('entries', [col('total', 'integer'), col('updated_at', 'timestamptz', { default: 'now()' })], {
    checks: [{ name: 'entries_total_check', expr: 'total >= 0' }],
    indexes: [{ name: 'entries_total_idx', columns: ['total'], unique: false, using: 'btree', where: 'total > 0' }],
    triggers: [trig('entries', ['updated_at'])],
  });
  const migrations = planSteps([{ next: snap([a]) }, { next: snap([b]), hints: hints({ tables: { entries: 'ledger' }, columns: { 'entries.total': 'amount' } }) }]);
  assert.equal(migrations[1].map((s) => s.comment), [
    'Rename table "ledger" to "entries"',
    'Rename column "amount" of "entries" to "total"',
    'Rename constraint "ledger_pkey" of "entries" to "entries_pkey"',
    'Rename constraint "ledger_amount_check" of "entries" to "entries_total_check"',
    'Rename index "ledger_amount_idx" to "entries_total_idx"',
    'Drop trigger "ledger_set_updated_at" on "entries"',
    'Create trigger "entries_set_updated_at" on "entries" (sets updated_at to now() on update)',
  ]);
  await withDatabase(async (c) => {
    await up(c, migrations[0]);
    await c.query('INSERT INTO ledger (amount) VALUES (5)');
    await up(c, migrations[1]);
    await c.query('UPDATE entries SET total = 6');
    await down(c, migrations[1]);
    assert.equal((await c.query('SELECT amount FROM ledger')).rows, [{ amount: 6 }]);
    await down(c, migrations[0]);
    assert.equal(await publicObjects(c), []);
  });
});

test('the bundled workspace plans, applies and reverts on PostgreSQL, core first', async () => {
  const { workspace } = await loadWorkspace({ cwd: path.resolve(import.meta.dirname, '..'), lint: false });
  assert.ok(workspace, 'the bundled workspace loads');
  const migrations = workspace.owners.map((owner) => {
    const next = toSnapshot(workspace, owner);
    const prev = emptySnapshot(owner);
    return plan(diff(prev, next, renameHints(workspace, owner)), { prev, next });
  });
  await withDatabase(async (c) => {
    for (const m of migrations) await up(c, m);
    assert.ok((await publicObjects(c)).length > 0);
    for (const m of [...migrations].reverse()) await down(c, m);
    assert.equal(await publicObjects(c), []);
  });
});

test.run();
