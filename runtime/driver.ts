/**
 * One small interface over the two databases schemac talks to: PostgreSQL through `pg`,
 * and the embedded PGlite. Rows come back the same from both, as `generated/db.ts`
 * declares them (see `type-parsers.ts`); errors carry PostgreSQL's SQLSTATE `code`.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { type DataDirLock, type DataDirLockOptions, lockDataDir } from './data-dir-lock.ts';
import { cacheFor, pgliteParsers, pgliteQuery, pgQuery, pgTypes, type TypeCache, typeCache } from './type-parsers.ts';

/** A Row is one result row, column name → value. */
export type Row = Record<string, unknown>;

/** A Queryable is one database session: parameterized queries, multi-statement scripts, close. */
export interface Queryable {
  readonly kind: 'pg' | 'pglite';
  /** Runs one statement with `$1…` parameters; resolves to its rows. */
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements (simple query protocol); no parameters. */
  exec(sql: string): Promise<void>;
  /** Ends the session (for a shared PGlite session: does nothing, see `Driver.close`). */
  close(): Promise<void>;
}

/** A Driver opens sessions on one database: a pg URL, or one PGlite instance shared by all sessions. */
export interface Driver {
  readonly kind: 'pg' | 'pglite';
  /** A human description for messages: the URL without its password, or the PGlite folder. */
  readonly description: string;
  connect(): Promise<Queryable>;
  close(): Promise<void>;
}

/** A DriverTarget says which database: a PostgreSQL URL, or PGlite in a folder (`undefined`: in memory). */
export type DriverTarget =
  | { readonly kind: 'pg'; readonly url: string; readonly connectTimeoutMs?: number; readonly applicationName?: string }
  | { readonly kind: 'pglite'; readonly dataDir?: string; readonly lock?: DataDirLockOptions };

/** The URL with its password masked, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid database URL>';
  }
}

/**
 * Opens a driver; a pg driver connects lazily, PGlite starts now (1.5–5 s cold), once no
 * other process holds its folder (see `startPglite`).
 */
export async function openDriver(target: DriverTarget): Promise<Driver> {
  return target.kind === 'pg' ? pgDriver(target.url, target.connectTimeoutMs ?? 10_000, target.applicationName) : pgliteDriver(target.dataDir, target.lock);
}

/**
 * Sessions on a PostgreSQL URL. `applicationName` names them in pg_stat_activity (a pooler
 * such as PgBouncer passes it on); an `application_name` in the URL (or PGAPPNAME) wins.
 */
function pgDriver(url: string, connectTimeoutMs: number, applicationName: string | undefined): Driver {
  const cache = typeCache();
  const named = applicationName === undefined ? {} : { fallback_application_name: applicationName };
  return {
    kind: 'pg',
    description: redactUrl(url),
    connect: async () => {
      const client = new pg.Client({ ...named, connectionString: url, connectionTimeoutMillis: connectTimeoutMs, types: pgTypes(cache) });
      client.on('error', () => {});
      await client.connect();
      return wrapPgClient(client, cache);
    },
    close: async () => {},
  };
}

/** Wraps a `pg.Pool` as a Queryable (each query may use another session); `close()` ends the pool. */
export function wrapPgPool(pool: pg.Pool): Queryable {
  const cache = cacheFor(pool);
  return {
    kind: 'pg',
    query: async <R>(sql: string, params: readonly unknown[] = []) => (await pgQuery(pool, cache, sql, params)).rows as R[],
    exec: async (sql: string) => void (await pool.query(sql)),
    close: async () => {
      await pool.end().catch(() => {});
    },
  };
}

/** Wraps a connected `pg.Client` as a Queryable (the runtime's type parsers on every query); `close()` ends it. */
export function wrapPgClient(client: pg.Client, cache: TypeCache = cacheFor(client)): Queryable {
  return {
    kind: 'pg',
    query: async <R>(sql: string, params: readonly unknown[] = []) => (await pgQuery(client, cache, sql, params)).rows as R[],
    exec: async (sql: string) => void (await client.query(sql)),
    close: async () => {
      await client.end().catch(() => {});
    },
  };
}

async function pgliteDriver(dataDir: string | undefined, lock: DataDirLockOptions | undefined): Promise<Driver> {
  const db = await startPglite(dataDir, lock);
  const session = wrapPglite(db);
  return {
    kind: 'pglite',
    description: dataDir === undefined ? 'embedded PGlite (in memory)' : `embedded PGlite in ${dataDir}`,
    connect: async () => ({ ...session, close: async () => {} }),
    close: async () => {
      if (!db.closed) await db.close();
    },
  };
}

/**
 * Starts PGlite with pg-compatible parsers (int8 and numeric as strings, bytea as Buffer)
 * and the extensions schemac allows: the contrib ones and pgvector (`vector`, from
 * `@electric-sql/pglite-pgvector`, which PGlite 0.5 ships apart from its own package). In a folder, the instance holds the folder
 * (`lockDataDir`: another process's hold is waited for up to `lock.waitMs`, then refused
 * naming its pid) until it closes. `settings` are server settings for this start (`-c name=value`).
 */
export async function startPglite(dataDir?: string, lock: DataDirLockOptions = {}, settings: Readonly<Record<string, string>> = {}): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const [{ citext }, { pg_trgm }, { pgcrypto }, { vector }] = await Promise.all([
    import('@electric-sql/pglite/contrib/citext'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/pgcrypto'),
    import('@electric-sql/pglite-pgvector'),
  ]);
  const given = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const startParams = given.length === 0 ? {} : { startParams: [...PGlite.defaultStartParams, ...given] };
  const create = () => PGlite.create({ dataDir, extensions: { citext, pg_trgm, pgcrypto, vector }, parsers: pgliteParsers(), ...startParams });
  if (dataDir === undefined) return create();
  const held = await lockDataDir(dataDir, lock);
  try {
    return holdUntilClosed(await create(), held);
  } catch (e) {
    held.release();
    throw e;
  }
}

/** Gives the folder up when the instance closes, whoever closes it. */
function holdUntilClosed(db: PGlite, held: DataDirLock): PGlite {
  const close = db.close.bind(db);
  return Object.assign(db, {
    close: async () => {
      try {
        await close();
      } finally {
        held.release();
      }
    },
  });
}

/** Wraps a PGlite instance as a Queryable; `close()` closes the instance. */
export function wrapPglite(db: PGlite): Queryable {
  return {
    kind: 'pglite',
    query: async <R>(sql: string, params: readonly unknown[] = []) => (await pgliteQuery<R>(db, sql, params)).rows,
    exec: async (sql: string) => void (await db.exec(sql)),
    close: async () => {
      if (!db.closed) await db.close();
    },
  };
}

/** Clears the setting `withClient` scopes a transaction to, so no session-level value outlives a checkout. */
export const RESET_TENANT = 'RESET app.client_id';

/**
 * A Kysely `PostgresPool` over a pg pool whose queries use the runtime's type parsers,
 * whatever `types` the pool was made with (cursor streams use the pool's own parsers: make
 * the pool with `types: pgTypes(cache)` and pass the same cache to have them too).
 * `app.client_id` never passes from one checkout to the next (see `tenantGuard`).
 */
export function typedPool(pool: pg.Pool, cache: TypeCache = cacheFor(pool)): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const guard = tenantGuard(pool);
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    const query = (sql: unknown, params?: readonly unknown[]): unknown =>
      typeof sql === 'string' ? pgQuery(client, cache, sql, params ?? []).then(queryResult) : client.query(sql as pg.Submittable);
    return { query: query as PostgresPoolClient['query'], release: (destroy?: boolean) => guard.release(client, destroy) };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      try {
        await guard.checkout(client);
      } catch (e) {
        client.release(e instanceof Error ? e : true);
        throw e;
      }
      const known = wrapped.get(client) ?? wrap(client);
      wrapped.set(client, known);
      return known;
    },
    end: () => pool.end(),
  };
}

/**
 * Keeps a session-level `app.client_id` (a `SET`, or `set_config(…, false)`) from reaching
 * the next user of a pooled connection: a connection given back through the wrapper is
 * reset before it returns to the pool; one the pool handed to anything else since (a
 * direct `pool.query`) is reset when it is next checked out here.
 */
function tenantGuard(pool: pg.Pool): { checkout(c: pg.PoolClient): Promise<void>; release(c: pg.PoolClient, destroy?: boolean): void } {
  const clean = new WeakSet<pg.PoolClient>();
  const ours = new WeakSet<pg.PoolClient>();
  pool.on('release', (_err: Error | undefined, client: pg.PoolClient) => {
    if (ours.has(client)) ours.delete(client);
    else clean.delete(client);
  });
  return {
    checkout: async (client) => {
      if (!clean.has(client)) await client.query(RESET_TENANT);
      clean.delete(client);
    },
    release: (client, destroy) => {
      if (destroy) return client.release(destroy);
      client.query(RESET_TENANT).then(
        () => {
          clean.add(client);
          ours.add(client);
          client.release();
        },
        (e: unknown) => client.release(e instanceof Error ? e : true),
      );
    },
  };
}

function queryResult<R>(r: pg.QueryResult): PostgresQueryResult<R> {
  return { command: r.command as PostgresQueryResult<R>['command'], rowCount: r.rowCount ?? 0, rows: r.rows as R[] };
}

/** A DbError is the useful part of a PostgreSQL (or connection) error. */
export interface DbError {
  readonly code?: string;
  readonly message: string;
  readonly position?: number;
  readonly detail?: string;
  readonly hint?: string;
}

/** Extracts code, message, position, detail and hint from anything `pg` or PGlite threw. */
export function toDbError(e: unknown): DbError {
  const err = (e ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof err[k] === 'string' && err[k] !== '' ? (err[k] as string) : undefined);
  const position = str('position') ?? (typeof err.position === 'number' ? String(err.position) : undefined);
  const message = str('message') ?? (Array.isArray((err as { errors?: unknown }).errors) ? aggregateMessage(err) : String(e));
  return { code: str('code'), message, position: position ? Number(position) : undefined, detail: str('detail'), hint: str('hint') };
}

function aggregateMessage(err: Record<string, unknown>): string {
  const errors = (err.errors as { message?: string }[]).map((x) => x.message).filter(Boolean);
  return errors.length ? errors.join('; ') : 'connection failed';
}

/** Turns a connection error into one clear sentence naming the database. */
export function describeConnectError(e: unknown, description: string): string {
  const err = toDbError(e);
  switch (err.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
      return `database unreachable at ${description}: ${err.message}`;
    case '28P01':
    case '28000':
      return `authentication failed for ${description}: ${err.message}`;
    case '3D000':
      return `database does not exist: ${description}: ${err.message}`;
    default:
      if (/timeout/i.test(err.message)) return `database unreachable at ${description}: ${err.message}`;
      return `cannot connect to ${description}: ${err.message}`;
  }
}
