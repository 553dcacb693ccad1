/**
 * db.ts must describe what the drivers really return: a column of every type is created,
 * filled and read back through each path the runtime offers (its pg and PGlite drivers,
 * and `createDb` on a pool or a PGlite instance, including ones the application made
 * with default parsers), and each value is checked against the select type db.ts
 * declares for it. The enum is created after the session opened, and the table is read
 * twice: the first read learns the enum array's oid, the second uses what it learned.
 */
import { PGlite } from '@electric-sql/pglite';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { columnType, type HelperName } from '../compiler/emit/emit-types.ts';
import type { SnapColumn } from '../compiler/ir.ts';
import { openDriver, type Queryable, startPglite, wrapPgClient, wrapPglite } from '../runtime/driver.ts';
import { createDb } from '../runtime/index.ts';
import { createTestDatabase } from './helpers/db.ts';

const STATUS = ['pending', 'paid', 'void'];

/** Columns: type, a literal to insert, and nullability. */
const COLUMNS: [name: string, type: string, literal: string][] = [
  ['c_smallint', 'smallint', '1'],
  ['c_integer', 'integer', '2'],
  ['c_serial', 'serial', 'default'],
  ['c_bigserial', 'bigserial', 'default'],
  ['c_bigint', 'bigint', '9007199254740993'],
  ['c_numeric', 'numeric(10,2)', '12.50'],
  ['c_real', 'real', '1.5'],
  ['c_double', 'double precision', '2.5'],
  ['c_boolean', 'boolean', 'true'],
  ['c_text', 'text', "'t'"],
  ['c_varchar', 'varchar(5)', "'v'"],
  ['c_char', 'char(3)', "'abc'"],
  ['c_uuid', 'uuid', "'00000000-0000-0000-0000-000000000001'"],
  ['c_date', 'date', "'2026-01-02'"],
  ['c_time', 'time', "'10:00'"],
  ['c_timestamp', 'timestamp', "'2026-01-02 03:04:05'"],
  ['c_timestamptz', 'timestamptz', "'2026-01-02 03:04:05Z'"],
  ['c_json', 'json', `'{"a":[1,"x",null]}'`],
  ['c_jsonb', 'jsonb', `'[1,{"b":true}]'`],
  ['c_bytea', 'bytea', "'\\x0102'"],
  ['c_inet', 'inet', "'127.0.0.1'"],
  ['c_enum', 'acme_status', "'paid'"],
  ['c_text_array', 'text[]', "'{a,b}'"],
  ['c_int_array', 'integer[]', "'{1,2}'"],
  ['c_timestamptz_array', 'timestamptz[]', "'{2026-01-02 03:04:05Z}'"],
  ['c_bool_array', 'boolean[]', "'{true,false}'"],
  ['c_jsonb_array', 'jsonb[]', `array['{"a":1}'::jsonb]`],
  ['c_interval', 'interval', "'1 day 02:00'"],
  ['c_interval_array', 'interval[]', "'{1 day,02:00}'"],
  ['c_numeric_array', 'numeric(10,2)[]', "'{1.50,NULL,2}'"],
  ['c_bigint_array', 'bigint[]', "'{9007199254740993,2}'"],
  ['c_enum_array', 'acme_status[]', "'{pending,paid}'"],
  ['c_bytea_array', 'bytea[]', `array['\\x01'::bytea]`],
  ['c_date_array', 'date[]', "'{2026-01-02}'"],
  ['c_uuid_array', 'uuid[]', "'{00000000-0000-0000-0000-000000000001}'"],
  ['c_nullable_enum_array', 'acme_status[]', 'null'],
];

/** Exact values where a type could fit but still be wrong (precision, text form). */
const EXPECTED: Record<string, unknown> = {
  c_bigint: '9007199254740993',
  c_numeric: '12.50',
  c_interval: '1 day 02:00:00',
  c_interval_array: ['1 day', '02:00:00'],
  c_numeric_array: ['1.50', null, '2.00'],
  c_bigint_array: ['9007199254740993', '2'],
  c_enum_array: ['pending', 'paid'],
  c_nullable_enum_array: null,
};

/** Whether a runtime value fits the select side of a db.ts type. */
function fits(ts: string, value: unknown): boolean {
  const generated = /^Generated<(.*)>$/.exec(ts);
  if (generated) return fits(generated[1], value);
  const nullable = /^(.*) \| null$/.exec(ts);
  if (nullable) return value === null || fits(nullable[1], value);
  const array = /^ArrayType<(.*)>$/.exec(ts) ?? /^(.*)\[\]$/.exec(ts);
  if (array) return Array.isArray(value) && value.every((v) => v === null || fits(array[1], v));
  switch (ts) {
    case 'number': return typeof value === 'number';
    case 'string': case 'Int8': case 'Numeric': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    case 'Timestamp': return value instanceof Date;
    case 'Buffer': return Buffer.isBuffer(value);
    case 'Json': return value !== undefined && typeof value !== 'string';
    case 'AcmeStatus': return typeof value === 'string' && STATUS.includes(value);
    default: return false;
  }
}

/** A path to the database: run a script, read every row of `t`. */
interface Access {
  exec(sql: string): Promise<void>;
  rows(): Promise<Record<string, unknown>[]>;
}

const SETUP = `create type acme_status as enum (${STATUS.map((s) => `'${s}'`).join(', ')});
  create table t (${COLUMNS.map(([n, t]) => `${n} ${t}`).join(', ')});
  insert into t values (${COLUMNS.map(([, , l]) => l).join(', ')});`;

/** Creates and fills `t`, reads it twice, and lists every value that does not fit its declared type. */
async function check(access: Access): Promise<string[]> {
  await access.exec(SETUP);
  const first = await access.rows();
  const second = await access.rows();
  return [...mismatches(first[0]), ...mismatches(second[0]).map((m) => `second read: ${m}`)];
}

function mismatches(row: Record<string, unknown>): string[] {
  const uses = {} as Record<HelperName, boolean>;
  const enums = new Map([['acme_status', 'AcmeStatus']]);
  return COLUMNS.flatMap(([name, type, literal]) => {
    const col: SnapColumn = { name, type, nullable: literal === 'null', default: null, comment: null };
    const ts = columnType(col, enums, uses);
    const got = `got ${JSON.stringify(row[name])} (${Object.prototype.toString.call(row[name])})`;
    if (!fits(ts, row[name])) return [`${name} ${type} declared ${ts}, ${got}`];
    if (name in EXPECTED && JSON.stringify(row[name]) !== JSON.stringify(EXPECTED[name])) return [`${name} expected ${JSON.stringify(EXPECTED[name])}, ${got}`];
    return [];
  });
}

function queryable(q: Queryable): Access {
  return { exec: (s) => q.exec(s), rows: () => q.query('select * from t') };
}

function kysely(db: Kysely<any>): Access {
  return {
    exec: async (script) => {
      for (const statement of script.split(/;\s*\n/)) await sql.raw(statement).execute(db);
    },
    rows: () => db.selectFrom('t').selectAll().execute(),
  };
}

async function withDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  const db = await createTestDatabase();
  try {
    await fn(db.url);
  } finally {
    await db.drop();
  }
}

test('pg: the runtime driver returns the declared select types', () =>
  withDatabase(async (url) => {
    const driver = await openDriver({ kind: 'pg', url });
    const q = await driver.connect();
    try {
      assert.equal(await check(queryable(q)), []);
    } finally {
      await q.close();
      await driver.close();
    }
  }));

test('pg: a client with default parsers wrapped by the runtime returns the declared types', () =>
  withDatabase(async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      assert.equal(await check(queryable(wrapPgClient(client))), []);
    } finally {
      await client.end();
    }
  }));

test('pg: createDb on a URL, and on a pool made with default parsers, returns the declared types', () =>
  withDatabase(async (url) => {
    const db = createDb<any>({ url });
    try {
      assert.equal(await check(kysely(db)), []);
    } finally {
      await db.destroy();
    }
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const other = createDb<any>({ pool });
    try {
      await kysely(other).exec('drop table t;\ndrop type acme_status');
      assert.equal(await check(kysely(other)), []);
      const inTransaction = await other.transaction().execute((trx) => trx.selectFrom('t').select('c_enum_array').execute());
      assert.equal(inTransaction[0].c_enum_array, ['pending', 'paid']);
    } finally {
      await other.destroy();
    }
  }));

test('PGlite: the runtime driver returns the declared select types', async () => {
  const q = wrapPglite(await startPglite());
  try {
    assert.equal(await check(queryable(q)), []);
  } finally {
    await q.close();
  }
});

test('PGlite: createDb in memory, and on an instance made with default parsers, returns the declared types', async () => {
  const db = createDb<any>({ pglite: 'memory', pgliteRole: false });
  try {
    assert.equal(await check(kysely(db)), []);
  } finally {
    await db.destroy();
  }
  const instance = await PGlite.create();
  const other = createDb<any>({ pglite: instance, pgliteRole: false });
  try {
    assert.equal(await check(kysely(other)), []);
  } finally {
    await other.destroy();
    await instance.close();
  }
});

test.run();
