/**
 * What lint refuses statically would fail at `migrate up`, and what it accepts applies. For
 * each class of model that once passed lint and failed on PostgreSQL (a literal of the wrong
 * type in a check, an invalid interval, boolean, bytea or date default, a numeric default
 * that overflows once rounded, a function without a signature for its argument, an index
 * method without an operator class, a unique hash index, a system column's name): lint
 * exits 1 with the diagnostic at its file:line:col, and the SQL the model would produce fails
 * on a real PostgreSQL with PostgreSQL's own error. Their valid neighbours lint clean, get a
 * migration, apply, and take a row that evaluates every default.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

/** One class: a column or table fragment of models.yaml, where lint points, and the DDL it would produce with PostgreSQL's error. */
interface Refused {
  readonly name: string;
  /** Lines under `tables: t_bad:` (the columns and indexes of one core table). */
  readonly yaml: string;
  readonly code: string;
  /** The text lint must point at (its first occurrence in the table). */
  readonly at: string;
  readonly sql: string;
  readonly pgError: RegExp;
}

const TIMESTAMPS = `      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }`;

/** The DDL a table `t_bad` with the given column definitions becomes. */
const table = (columns: string, after = '') => `CREATE TABLE "t_bad" ("id" serial NOT NULL, ${columns}, CONSTRAINT "t_bad_pkey" PRIMARY KEY ("id"));${after}`;

const REFUSED: readonly Refused[] = [
  {
    name: "check: amount > 'abc' on an integer",
    yaml: `      amount: { type: integer, check: "amount > 'abc'" }`,
    code: 'invalid-literal', at: "'abc'",
    sql: table(`"amount" integer NOT NULL, CONSTRAINT "t_bad_amount_check" CHECK (amount > 'abc')`),
    pgError: /invalid input syntax for type integer: "abc"/,
  },
  {
    name: 'an interval default "1 fortnight-ish"',
    yaml: `      ttl: { type: interval, default: "1 fortnight-ish" }`,
    code: 'invalid-default', at: '"1 fortnight-ish"',
    sql: table(`"ttl" interval NOT NULL DEFAULT '1 fortnight-ish'`),
    pgError: /invalid input syntax for type interval: "1 fortnight-ish"/,
  },
  {
    name: "'not-a-bool' as a boolean's default",
    yaml: `      active: { type: boolean, default: { sql: "'not-a-bool'" } }`,
    code: 'invalid-literal', at: "'not-a-bool'",
    sql: table(`"active" boolean NOT NULL DEFAULT ('not-a-bool')`),
    pgError: /invalid input syntax for type boolean: "not-a-bool"/,
  },
  {
    name: 'a bytea default \\xZZ',
    yaml: `      blob: { type: bytea, default: '\\xZZ' }`,
    code: 'invalid-default', at: "'\\xZZ'",
    sql: table(`"blob" bytea NOT NULL DEFAULT E'\\\\xZZ'`),
    pgError: /invalid hexadecimal digit: "Z"/,
  },
  {
    name: "'2020-02-30' as a date's default",
    yaml: `      due_on: { type: date, default: { sql: "'2020-02-30'" } }`,
    code: 'invalid-literal', at: "'2020-02-30'",
    sql: table(`"due_on" date NOT NULL DEFAULT ('2020-02-30')`),
    pgError: /date\/time field value out of range: "2020-02-30"/,
  },
  {
    name: 'numeric(4,2) with the default 99.999 (100.00 once rounded)',
    yaml: `      price: { type: "numeric(4,2)", default: 99.999 }`,
    code: 'invalid-default', at: '99.999',
    sql: 'CREATE TABLE "t_bad" ("id" serial PRIMARY KEY); INSERT INTO "t_bad" DEFAULT VALUES; ALTER TABLE "t_bad" ADD COLUMN "price" numeric(4,2) NOT NULL DEFAULT 99.999;',
    pgError: /numeric field overflow/,
  },
  {
    name: 'lower(integer) in a check',
    yaml: `      code: { type: integer, check: "lower(code) <> ''" }`,
    code: 'type-mismatch', at: 'lower',
    sql: table(`"code" integer NOT NULL, CONSTRAINT "t_bad_code_check" CHECK (lower(code) <> '')`),
    pgError: /function lower\(integer\) does not exist/,
  },
  {
    name: 'lower(integer) in an index predicate',
    yaml: `      code: integer\n    indexes:\n      - { columns: [code], where: "lower(code) = 'a'" }`,
    code: 'type-mismatch', at: 'lower',
    sql: table('"code" integer NOT NULL', ` CREATE INDEX "t_bad_code_idx" ON "t_bad" ("code") WHERE lower(code) = 'a';`),
    pgError: /function lower\(integer\) does not exist/,
  },
  {
    name: 'a gin index on an integer',
    yaml: `      amount: integer\n    indexes:\n      - { columns: [amount], using: gin }`,
    code: 'invalid-index', at: '{ columns: [amount], using: gin }',
    sql: table('"amount" integer NOT NULL', ' CREATE INDEX "t_bad_amount_idx" ON "t_bad" USING gin ("amount");'),
    pgError: /data type integer has no default operator class for access method "gin"/,
  },
  {
    name: 'a brin index on integer[]',
    yaml: `      tags: "integer[]"\n    indexes:\n      - { columns: [tags], using: brin }`,
    code: 'invalid-index', at: '{ columns: [tags], using: brin }',
    sql: table('"tags" integer[] NOT NULL', ' CREATE INDEX "t_bad_tags_idx" ON "t_bad" USING brin ("tags");'),
    pgError: /data type integer\[\] has no default operator class for access method "brin"/,
  },
  {
    name: 'a unique hash index',
    yaml: `      code: text\n    indexes:\n      - { columns: [code], using: hash, unique: true }`,
    code: 'invalid-index', at: '{ columns: [code], using: hash, unique: true }',
    sql: table('"code" text NOT NULL', ' CREATE UNIQUE INDEX "t_bad_code_idx" ON "t_bad" USING hash ("code");'),
    pgError: /access method "hash" does not support unique indexes/,
  },
  ...['xmin', 'tableoid', 'cmin', 'xmax', 'cmax', 'ctid'].map((name): Refused => ({
    name: `a column named ${name}`,
    yaml: `      ${name}: text?`,
    code: 'reserved-column', at: name,
    sql: table(`"${name}" text`),
    pgError: new RegExp(`column name "${name}" conflicts with a system column name`),
  })),
];

/** The valid neighbours: every one lints clean, migrates, applies and takes a row. */
const NEIGHBOURS = `      amount: { type: integer, check: "amount > '-1'" }
      active: { type: boolean, default: { sql: "'yes'" } }
      flag: { type: boolean, default: { sql: "'of'" } }
      ttl: { type: interval, default: "1 day 2 hours" }
      ttl_iso: { type: interval, default: P1DT2H }
      blob: { type: bytea, default: '\\x0102' }
      due_on: { type: date, default: { sql: "'2020-02-29'" } }
      leap: { type: date, default: "2020-02-29" }
      price: { type: "numeric(4,2)", default: 99.99 }
      rounded: { type: "numeric(4,2)", default: 99.994 }
      code: { type: text, check: "lower(code) = code" }
      meta: { type: jsonb, default: { a: 1 } }
      tags: { type: "integer[]", default: [1, 2] }
      seen: { type: timestamptz, default: "2024-01-01 10:00:00+15:59" }
      oid: integer?
    indexes:
      - { columns: [meta], using: gin }
      - { columns: [tags], using: gin }
      - { columns: [seen], using: brin }
      - { columns: [code], using: hash }
      - { columns: [amount], where: "lower(code) <> 'x'" }`;

/** A workspace of the core clients and a table t_bad with `yaml`'s columns (and indexes), plus the timestamps. */
function workspace(yaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-static-'));
  fs.mkdirSync(path.join(dir, 'schemas/core'), { recursive: true });
  const [columns, indexes] = yaml.split('\n    indexes:\n');
  const body = `${columns}\n${TIMESTAMPS}\n${indexes === undefined ? '' : `    indexes:\n${indexes}\n`}`;
  fs.writeFileSync(path.join(dir, 'schemas/core/models.yaml'), `${CORE_CLIENTS}  t_bad:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n${body}`);
  return dir;
}

let db: TestDatabase;
let client: pg.Client;

test.before(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

test.after(async () => {
  await client.end();
  await db.drop();
});

/** Runs `sql` in a transaction that is rolled back; resolves to PostgreSQL's error message, or undefined. */
async function pgError(sql: string): Promise<string | undefined> {
  await client.query('BEGIN');
  try {
    await client.query(sql);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.query('ROLLBACK');
  }
}

for (const c of REFUSED) {
  test(`refused, and PostgreSQL refuses it too: ${c.name}`, async () => {
    const dir = workspace(c.yaml);
    try {
      const io = captureIo();
      const exit = await run(['--cwd', dir, 'lint', '--format', 'json'], io);
      const found = (JSON.parse(io.out()) as Array<{ rule: string; line: number; column: number; file: string; message: string }>).filter((d) => d.rule === c.code);
      assert.is(exit, 1, io.out());
      assert.is(found.length, 1, io.out());
      const lines = fs.readFileSync(path.join(dir, 'schemas/core/models.yaml'), 'utf8').split('\n');
      const want = lines.findIndex((l, i) => i > CORE_LINES && l.includes(c.at));
      assert.is(found[0].file, 'schemas/core/models.yaml');
      assert.is(found[0].line, want + 1, `${found[0].message}: line`);
      assert.is(found[0].column, lines[want].indexOf(c.at) + 1, `${found[0].message}: column in ${JSON.stringify(lines[want])}`);
      const migration = captureIo();
      assert.is(await run(['--cwd', dir, 'migration', 'bad'], migration), 1, 'migration refuses it');
      assert.not.ok(fs.existsSync(path.join(dir, 'generated')), 'nothing written');
      assert.is(await run(['--cwd', dir, 'check'], captureIo()), 1, 'check refuses it');
      assert.match((await pgError(c.sql)) ?? 'applied without error', c.pgError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

const CORE_LINES = CORE_CLIENTS.split('\n').length - 1;

test('a type change PostgreSQL has no cast for is refused by migration, and PostgreSQL refuses its SQL too', async () => {
  const dir = workspace('      ref: uuid?');
  try {
    assert.is(await run(['--cwd', dir, 'migration', 'init'], captureIo({ SCHEMAC_NOW: '2026-01-01T00:00:00Z' })), 0);
    const file = path.join(dir, 'schemas/core/models.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('ref: uuid?', 'ref: smallint?'));
    const before = fs.readdirSync(path.join(dir, 'generated/migrations')).sort();
    const io = captureIo({ SCHEMAC_NOW: '2026-01-01T00:00:01Z' });
    assert.is(await run(['--cwd', dir, 'migration', 'retype', '--allow-destructive'], io), 1, io.err());
    assert.match(io.err(), /impossible-type-change/);
    assert.match(io.err(), /"t_bad"\."ref" cannot change from uuid to smallint/);
    assert.equal(fs.readdirSync(path.join(dir, 'generated/migrations')).sort(), before, 'nothing written');
    assert.match((await pgError('CREATE TABLE "t_bad" ("ref" uuid); ALTER TABLE "t_bad" ALTER COLUMN "ref" TYPE smallint USING "ref"::smallint;')) ?? 'applied', /cannot cast type uuid to smallint/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the valid neighbours lint clean, migrate, apply on PostgreSQL and take a row', async () => {
  const dir = workspace(NEIGHBOURS);
  try {
    const io = captureIo();
    assert.is(await run(['--cwd', dir, 'lint'], io), 0, io.err());
    const migration = captureIo({ SCHEMAC_NOW: '2026-01-01T00:00:00Z' });
    assert.is(await run(['--cwd', dir, 'migration', 'neighbours'], migration), 0, migration.err());
    const folder = path.join(dir, 'generated/migrations');
    const [file] = fs.readdirSync(folder).filter((n) => n.endsWith('.sql'));
    const up = fs.readFileSync(path.join(folder, file), 'utf8').split('-- migrate:down')[0];
    assert.is(await pgError(`${up}; INSERT INTO "t_bad" ("amount", "code", "oid") VALUES (0, 'x', 1);`), undefined);
    await client.query(up);
    await client.query(`INSERT INTO "t_bad" ("amount", "code") VALUES (0, 'x')`);
    const row = (await client.query('SELECT active, flag, ttl::text, blob, due_on::text, price::text, rounded::text, tags, seen FROM "t_bad"')).rows[0];
    assert.equal(
      [row.active, row.flag, row.ttl, row.blob.toString('hex'), row.due_on, row.price, row.rounded, row.tags],
      [true, false, '1 day 02:00:00', '0102', '2020-02-29', '99.99', '99.99', [1, 2]],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
