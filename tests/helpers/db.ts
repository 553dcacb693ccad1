/** Fresh throwaway databases on the PostgreSQL server that tests/run.mjs provides. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A TestDatabase is a database created for one test; `drop()` removes it. */
export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** The server URL (tests/run.mjs sets DATABASE_URL); a clear error when it is missing. */
export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run tests with `node tests/run.mjs`');
  return url;
}

/** The URL of `database` on the same server as `base`. */
export function urlFor(base: string, database: string, user?: string, password?: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (user !== undefined) u.username = user;
  if (password !== undefined) u.password = password;
  return u.toString();
}

/** Runs `sql` once on the server's maintenance database. */
export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Creates a fresh, empty database on the DATABASE_URL server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `schemac_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database "${name}" template template0`);
  return {
    name,
    url: urlFor(serverUrl(), name),
    drop: async () => {
      await adminQuery(`drop database if exists "${name}" with (force)`);
    },
  };
}
