/**
 * A Kysely dialect for PGlite: PostgreSQL's compiler, adapter and introspector over one
 * embedded instance. PGlite has a single session, so connections are handed out one at a
 * time (a transaction holds the session until it ends). Every query uses the runtime's
 * type parsers, also on an instance the application started itself.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type Kysely, PostgresAdapter,
  PostgresIntrospector, PostgresQueryCompiler, type QueryResult, type TransactionSettings,
} from 'kysely';
import { startPglite } from './driver.ts';
import { pgliteQuery } from './type-parsers.ts';

/** A PGlite source: an existing instance, a data folder, or undefined for in memory. */
export type PgliteSource = PGlite | string | undefined;

/** A Kysely dialect over PGlite; a folder or in-memory instance is started on first use and closed by `destroy()`. */
export function pgliteDialect(source: PgliteSource): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createIntrospector: (db: Kysely<any>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createDriver: () => pgliteDriver(source),
  };
}

const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

function pgliteDriver(source: PgliteSource): Driver {
  let db: PGlite | undefined;
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
      db = typeof source === 'object' ? source : await startPglite(source);
    },
    acquireConnection: async () => {
      const unlock = await lock();
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
    releaseConnection: async (c) => release.get(c)?.(),
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
