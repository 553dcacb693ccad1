/**
 * The PostgreSQL parser's check of SQL fragments, loaded on first use: most runs never load
 * its WASM, since the recogniser (`sql-recognise.ts`) or the cache of accepted fragments
 * takes every fragment they have.
 */
export type FragmentChecker = typeof import('./sql-fragment.ts');

/** Loads the PostgreSQL parser (WASM) and the check built on it. */
export function loadFragmentChecker(): Promise<FragmentChecker> {
  return import('./sql-fragment.ts').then(async (m) => (await m.loadSqlParser(), m));
}
