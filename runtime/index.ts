/**
 * schemac's runtime API for application start-up: apply pending migrations
 * (`migrateToLatest`), get a typed Kysely instance (`createDb`), and scope work to one
 * tenant for row-level security (`withClient`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { type Driver, openDriver, typedPool } from './driver.ts';
import { type MigrationFile, readMigrations } from './files.ts';
import { pgliteDialect } from './kysely-pglite.ts';
import { runMigrations, sortMalformed } from './migrator.ts';
import type { MigrationRun } from './run-types.ts';
import { gateOnSum } from './sum-gate.ts';
import { pgTypes, typeCache } from './type-parsers.ts';

export type {
  DataDrop, MigrationError, MigrationErrorKind, MigrationResult, MigrationRun, MigrationStatus, OwnerOutcome, OwnerStatus,
} from './run-types.ts';
export type { MigrationFile } from './files.ts';

/** The default embedded database folder, relative to the workspace. */
export const DEFAULT_PGLITE_DIR = path.join('.schemac', 'pglite');

/**
 * DatabaseOptions pick the database: a URL (default DATABASE_URL), or PGlite (`pglite`: a
 * folder or `memory`). `lockWaitMs`: how long to wait for another process that holds the
 * database (the migration lock; a PGlite folder) before giving up naming it.
 */
export interface DatabaseOptions {
  readonly url?: string;
  readonly pglite?: string;
  readonly lockWaitMs?: number;
}

/**
 * MigrateToLatestOptions: which database, and where the migration files are: `migrationsDir`,
 * else the `out.migrations` of the workspace's config (`config`, default
 * `schemac.config.yaml` in the current folder), else `generated/migrations`. The embedded
 * database's folder (`pglite` unset) is `.schemac/pglite` beside that config.
 */
export interface MigrateToLatestOptions extends DatabaseOptions {
  readonly migrationsDir?: string;
  /** The workspace's config file (default `schemac.config.yaml` in the current folder; read when it exists). */
  readonly config?: string;
  readonly allowOutOfOrder?: boolean;
  /** A pre-flight check of each pending file; a reason refuses the file's owner's chain (see `MigrateOptions.refuse`). */
  readonly refuse?: (file: MigrationFile) => string | undefined;
  /** Where warnings go (no schemac.sum; a file it lists is gone); default `process.emitWarning`. */
  readonly onWarning?: (message: string) => void;
}

/** Opens a driver for the options: URL, else DATABASE_URL, else PGlite in `.schemac/pglite`. */
async function driverFor(options: DatabaseOptions, cwd: string = process.cwd()): Promise<Driver> {
  const url = options.pglite === undefined ? (options.url ?? process.env.DATABASE_URL) : undefined;
  if (url) return openDriver({ kind: 'pg', url, applicationName: 'schemac migrate' });
  const dir = options.pglite ?? DEFAULT_PGLITE_DIR;
  return openDriver({ kind: 'pglite', dataDir: dir === 'memory' ? undefined : path.resolve(cwd, dir), lock: { waitMs: options.lockWaitMs } });
}

/**
 * Applies every pending migration under the run's lock; resolves to the run's results
 * (never throws for DB errors). Only what `schemac.sum` says was reviewed runs: an org's
 * file that differs from it refuses that org's chain, a core file's the run (see `gateOnSum`).
 */
export async function migrateToLatest(options: MigrateToLatestOptions = {}): Promise<MigrationRun> {
  const workspace = await workspaceOf(options.config);
  if ('error' in workspace) return { results: [], owners: [], error: { kind: 'malformed', message: workspace.error } };
  const dir = options.migrationsDir === undefined ? workspace.migrations : path.resolve(options.migrationsDir);
  const { files, errors } = readMigrations(dir);
  const malformed = sortMalformed(dir, errors);
  if (malformed.fatal.length) return { results: [], owners: [], error: { kind: 'malformed', message: malformed.fatal.join('\n') } };
  const sum = gateOnSum(dir, files);
  for (const w of sum.warnings) (options.onWarning ?? warn)(w);
  if (sum.fatal.length) return { results: [], owners: [], error: { kind: 'refused', message: sum.fatal.join('\n') } };
  const refusedOwners = new Map([...malformed.refusedOwners, ...sum.refusedOwners]);
  const driver = await driverFor(options, workspace.root);
  try {
    return await runMigrations({
      driver, files, direction: 'up', allowOutOfOrder: options.allowOutOfOrder, lockWaitMs: options.lockWaitMs, refuse: options.refuse, refusedOwners,
    });
  } finally {
    await driver.close();
  }
}

/**
 * The workspace `migrateToLatest` works in: the config's folder, and its `out.migrations`
 * (the config is read when it exists; only that key is needed at run time).
 */
async function workspaceOf(config: string | undefined): Promise<{ root: string; migrations: string } | { error: string }> {
  const file = path.resolve(config ?? CONFIG_FILE);
  const root = path.dirname(file);
  const fallback = { root, migrations: path.join(root, 'generated', 'migrations') };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (config === undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    return { error: `cannot read the config ${file}: ${(e as Error).message}` };
  }
  let out: unknown;
  try {
    const { parse } = await import('yaml');
    out = (parse(text) as { out?: unknown } | null)?.out;
  } catch (e) {
    return { error: `the config ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  const migrations = (out as { migrations?: unknown } | undefined)?.migrations;
  if (migrations === undefined) return fallback;
  if (typeof migrations !== 'string' || migrations === '') return { error: `the config ${file}: out.migrations must be a folder path` };
  return { root, migrations: path.resolve(root, migrations) };
}

/** The config file `migrateToLatest` reads by default, in the current folder. */
const CONFIG_FILE = 'schemac.config.yaml';

function warn(message: string): void {
  process.emitWarning(message, { code: 'SCHEMAC_SUM' });
}

/** The role application queries run as on PGlite by default: no superuser, no BYPASSRLS, so row-level security holds. */
export const PGLITE_APP_ROLE = 'schemac_app';

/**
 * CreateDbOptions: a URL (default DATABASE_URL), an existing pg Pool, or PGlite (a folder,
 * `memory`, or an instance). `pgliteRole`: the role PGlite queries run as (default
 * `schemac_app`; `false`: PGlite's superuser, for scripts that change the schema themselves).
 * `lockWaitMs`: how long the first query waits for another process that holds the PGlite
 * folder (default 60 s).
 */
export interface CreateDbOptions {
  readonly url?: string;
  readonly pool?: PgPool;
  readonly pglite?: string | PGliteInstance;
  readonly pgliteRole?: string | false;
  readonly lockWaitMs?: number;
}

/**
 * What `createDb` uses of a `pg.Pool` (a `pg.Pool` is one). Declared here, so that the
 * package's types need neither `@types/pg` nor PGlite's from an application.
 */
export interface PgPool {
  connect(): Promise<unknown>;
  end(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any pg version's overloads must fit
  on(event: 'release', listener: (...args: any[]) => void): unknown;
}

/** What `createDb` uses of a PGlite instance (an `@electric-sql/pglite` `PGlite` is one). */
export interface PGliteInstance {
  readonly closed: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- PGlite's own signatures must fit
  query(...args: any[]): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A `Kysely<DB>` on pg (a pool) or PGlite; call `db.destroy()` when done. Rows come back as
 * `generated/db.ts` declares them, also through a pool or PGlite instance passed in. On
 * PGlite, queries run as `schemac_app` (see `pgliteDialect`), so row-level security applies.
 * A PGlite folder is this process's from the first query until `destroy()`: while another
 * process (`schemac migrate`, another replica) holds it, the first query waits, then rejects
 * with "the embedded database in DIR is in use by pid N (since …)".
 */
export function createDb<DB>(options: CreateDbOptions = {}): Kysely<DB> {
  const role = options.pgliteRole === false ? undefined : (options.pgliteRole ?? PGLITE_APP_ROLE);
  const lite = { role, lock: { waitMs: options.lockWaitMs } };
  if (options.pglite !== undefined) {
    const source = options.pglite === 'memory' ? undefined : (options.pglite as PGlite | string);
    return new Kysely<DB>({ dialect: pgliteDialect(source, lite) });
  }
  const url = options.url ?? process.env.DATABASE_URL;
  if (!options.pool && !url) return new Kysely<DB>({ dialect: pgliteDialect(path.resolve(DEFAULT_PGLITE_DIR), lite) });
  if (options.pool) return new Kysely<DB>({ dialect: new PostgresDialect({ pool: typedPool(options.pool as pg.Pool) }) });
  const cache = typeCache();
  const pool = new pg.Pool({ connectionString: url, types: pgTypes(cache) });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: typedPool(pool, cache) }) });
}

/** WithClientOptions: `allowBypass` runs `fn` even as a role that bypasses row-level security. */
export interface WithClientOptions {
  readonly allowBypass?: boolean;
}

/** A client id as the policies compare it: a uuid in its canonical text form (any case). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in a transaction whose `app.client_id` is `clientId`, set with `SET LOCAL`
 * (transaction-local, so it never leaks to a pooled session) after
 * `SET LOCAL citus.propagate_set_commands = 'local'`: Citus then sends the setting to every
 * worker the transaction reaches, where a `set_config` would stay on the coordinator. On
 * PostgreSQL without Citus and on PGlite the Citus setting is an inert placeholder. The id
 * must be a uuid (checked before anything is sent: it is written into the statement). On its
 * first use per database, where Citus is installed, it checks what it needs of the cluster
 * (`checkCluster`; a clear error otherwise).
 * Refuses, before `fn` runs, on a connection whose role bypasses row-level security (a
 * superuser or a BYPASSRLS role sees every client's rows) unless `allowBypass` is set.
 */
export async function withClient<DB, T>(
  db: Kysely<DB>, clientId: string, fn: (trx: Transaction<DB>) => Promise<T>, options: WithClientOptions = {},
): Promise<T> {
  if (typeof clientId !== 'string' || !UUID.test(clientId)) {
    throw new TypeError(`withClient: the client id must be a uuid, not ${JSON.stringify(String(clientId)).slice(0, 60)}`);
  }
  return db.transaction().execute(async (trx) => {
    await sql.raw(`SET LOCAL citus.propagate_set_commands = 'local'`).execute(trx);
    await sql.raw(`SET LOCAL app.client_id = '${clientId.toLowerCase()}'`).execute(trx);
    if (!clusterChecked.has(db)) {
      await checkCluster(trx);
      clusterChecked.add(db);
    }
    const { rows } = await sql<{ role: string; bypass: boolean }>`select current_user as role,
      exists (select 1 from pg_roles where rolname = current_user and (rolsuper or rolbypassrls)) as bypass`.execute(trx);
    if (rows[0].bypass && options.allowBypass !== true) throw new Error(bypassMessage(rows[0].role));
    return fn(trx);
  });
}

/** The databases whose cluster `withClient` checked on first use (see `checkCluster`). */
const clusterChecked = new WeakSet<object>();

/** The oldest Citus whose distributed tables carry row-level security policies to their shards. */
const CITUS_MIN_MAJOR = 11;

/**
 * On first use per database: where Citus is installed, what `withClient` needs of the cluster
 * holds (docs/citus.md): Citus 11 or later (policies on distributed tables), and
 * `citus.propagate_set_commands` taking `'local'` in the transaction, so that `app.client_id`
 * reaches the workers. Without Citus (PostgreSQL, PGlite) there is nothing to check.
 */
async function checkCluster<DB>(trx: Transaction<DB>): Promise<void> {
  const { rows } = await sql<{ citus: string | null; propagate: string | null }>`select
    (select extversion from pg_catalog.pg_extension where extname = 'citus') as citus,
    current_setting('citus.propagate_set_commands', true) as propagate`.execute(trx);
  const { citus, propagate } = rows[0];
  if (citus === null) return;
  const major = Number.parseInt(citus, 10);
  if (!(major >= CITUS_MIN_MAJOR)) {
    throw new Error(`withClient: Citus ${citus} does not apply row-level security policies on the workers; it needs Citus ${CITUS_MIN_MAJOR} or later (see docs/citus.md)`);
  }
  if (propagate !== 'local') {
    throw new Error(
      `withClient: citus.propagate_set_commands is ${JSON.stringify(propagate)} after SET LOCAL … = 'local', so app.client_id would not reach the workers; ` +
        'check that nothing on the connection (a pooler, an ALTER ROLE … SET) overrides it (see docs/citus.md)',
    );
  }
}

function bypassMessage(role: string): string {
  return (
    `withClient: the database role "${role}" bypasses row-level security (a superuser or BYPASSRLS role), so every client's rows ` +
    'would be visible; connect as a role without them that does not own the tables, or pass { allowBypass: true } to run anyway'
  );
}
