/**
 * A Kysely dialect for PGlite: PostgreSQL's compiler, adapter and introspector over one
 * embedded instance. PGlite has a single session, so connections are handed out one at a
 * time (a transaction holds the session until it ends). Every query uses the runtime's
 * type parsers, also on an instance the application started itself.
 *
 * PGlite's one user is a superuser, and row-level security never applies to a superuser.
 * With a `role`, the dialect makes that role (no login, no superuser, no BYPASSRLS) with
 * the rights an application needs on schema public's tables, and each connection runs as
 * it (`SET ROLE` when handed out, `RESET ROLE` when given back), so the tables' policies
 * hold here as on a server; migrations, which run through the runtime's driver, keep
 * running as the superuser that owns the tables.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type Kysely, PostgresAdapter,
  PostgresIntrospector, PostgresQueryCompiler, type QueryResult, type TransactionSettings,
} from 'kysely';
import { quoteIdent, quoteLiteral } from '../compiler/shared/index.ts';
import type { DataDirLockOptions } from './data-dir-lock.ts';
import { RESET_TENANT, startPglite } from './driver.ts';
import { pgliteQuery } from './type-parsers.ts';

/** A PGlite source: an existing instance, a data folder, or undefined for in memory. */
export type PgliteSource = PGlite | string | undefined;

/**
 * PgliteDialectOptions: the role application queries run as (none: PGlite's superuser), and
 * for a folder, how long to wait for another process's hold on it (see `startPglite`).
 */
export interface PgliteDialectOptions {
  readonly role?: string;
  readonly lock?: DataDirLockOptions;
}

/**
 * A Kysely dialect over PGlite; a folder or in-memory instance is started on first use and
 * closed by `destroy()`. A folder another process holds is waited for on first use, which
 * then rejects naming that process when the wait runs out.
 */
export function pgliteDialect(source: PgliteSource, options: PgliteDialectOptions = {}): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createDriver: () => pgliteDriver(source, options.role, options.lock),
  };
}

/**
 * Makes `role` if it is missing, and grants it what an application does with schema public's
 * tables, now and (default privileges) for tables migrations create later; never the ledger.
 */
function ensureRoleSql(role: string): string {
  const r = quoteIdent(role);
  return `DO $schemac$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(role)}) THEN
    CREATE ROLE ${r} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB;
  END IF;
END $schemac$;
GRANT USAGE ON SCHEMA public TO ${r};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r};
DO $schemac$ BEGIN
  IF to_regclass('public.schemac_migrations') IS NOT NULL THEN
    REVOKE ALL ON public.schemac_migrations FROM ${r};
  END IF;
END $schemac$;`;
}

const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

function pgliteDriver(source: PgliteSource, role: string | undefined, hold: DataDirLockOptions | undefined): Driver {
  let db: PGlite | undefined;
  const enter = role === undefined ? undefined : `SET ROLE ${quoteIdent(role)}`;
  const leave = role === undefined ? RESET_TENANT : `${RESET_TENANT}; RESET ROLE`;
  const owned = typeof source !== 'object';
  const lock = mutex();
  const release = new WeakMap<DatabaseConnection, () => void>();
  const connection = (): DatabaseConnection => ({
    executeQuery: async <R>(q: CompiledQuery): Promise<QueryResult<R>> => {
      const r = await pgliteQuery<R>(db!, q.sql, q.parameters);
      const counted = r.command !== undefined && COUNTED.has(r.command.toUpperCase());
      return { rows: r.rows, ...(counted ? { numAffectedRows: BigInt(r.affectedRows ?? 0) } : {}) };
    },
    streamQuery: async function* <R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
      const r = await pgliteQuery<R>(db!, q.sql, q.parameters);
      yield { rows: r.rows };
    },
  });
  return {
    init: async () => {
      db = typeof source === 'object' ? source : await startPglite(source, hold);
      if (role !== undefined) await db.exec(ensureRoleSql(role));
    },
    acquireConnection: async () => {
      const unlock = await lock();
      try {
        if (enter) await db!.exec(enter);
      } catch (e) {
        unlock();
        throw e;
      }
      const c = connection();
      release.set(c, unlock);
      return c;
    },
    beginTransaction: async (_c, settings: TransactionSettings) => {
      const mode = [settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode].filter(Boolean);
      await db!.exec(`begin${mode.length ? ` ${mode.join(', ')}` : ''}`);
    },
    commitTransaction: async () => void (await db!.exec('commit')),
    rollbackTransaction: async () => void (await db!.exec('rollback')),
    releaseConnection: async (c) => {
      try {
        if (!db!.closed) await db!.exec(leave).catch(() => db!.exec(`ROLLBACK; ${leave}`));
      } finally {
        release.get(c)?.();
      }
    },
    destroy: async () => {
      if (owned && db && !db.closed) await db.close();
    },
  };
}

/** A promise-chain mutex: resolves to the function that releases the lock. */
function mutex(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return async () => {
    let unlock!: () => void;
    const held = new Promise<void>((r) => (unlock = r));
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    return unlock;
  };
}
