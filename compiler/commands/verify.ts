/**
 * `schemac verify`: replays every migration on a fresh in-memory PGlite database,
 * introspects it and compares it with the snapshots; then reverts everything, checks the
 * database is empty, applies everything again and checks the schema came back identical.
 * Also `drift()`, the live-database comparison behind `schemac diff --db`.
 */
import { describeConnectError, type Driver, openDriver, type Queryable } from '../../runtime/driver.ts';
import type { MigrationFile } from '../../runtime/files.ts';
import { compareSchema, introspect, type LiveSchema } from '../../runtime/introspect.ts';
import { BASE, runMigrations } from '../../runtime/migrator.ts';
import { hasErrors } from '../diagnostics.ts';
import { readDiskState } from '../engine/index.ts';
import type { Snapshot } from '../ir.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { readConfig, readFiles } from './migrate.ts';
import { printDiagnostics } from './workspace-io.ts';

/** Runs `schemac verify`; resolves to the exit code. */
export async function run(ctx: CommandContext): Promise<number> {
  const config = readConfig(ctx);
  if (config === undefined) return EXIT.usage;
  const files = readFiles(ctx, config);
  if (files === undefined) return EXIT.failed;
  const state = readDiskState(config);
  if (hasErrors(state.diagnostics)) {
    printDiagnostics(ctx, state.diagnostics, state.sources);
    return EXIT.failed;
  }
  const snapshots = [...state.snapshots.values()];
  const driver = await openDriver({ kind: 'pglite' });
  try {
    const problems = await replay(driver, files, snapshots, config.ignore);
    if (problems.length) {
      ctx.io.stderr(`schemac verify: ${problems.join('\n  ')}\n`);
      return EXIT.failed;
    }
    ctx.io.stdout(`verified ${files.length} migration(s) against ${snapshots.length} snapshot(s) on a fresh embedded database: up, down and up again\n`);
    return EXIT.ok;
  } finally {
    await driver.close();
  }
}

/** Up, compare with the snapshots, down to nothing, up again, compare with the first run: the problems found. */
export async function replay(driver: Driver, files: readonly MigrationFile[], snapshots: readonly Snapshot[], ignore?: readonly string[]): Promise<string[]> {
  // A fresh database holds only what the migrations put there: reverting may drop it.
  const step = async (direction: 'up' | 'down', label: string) => {
    const run = await runMigrations({ driver, files, direction, to: direction === 'down' ? BASE : undefined, allowDestructive: true });
    return run.error ? [`${label}: ${run.error.message}`] : [];
  };
  const q = await driver.connect();
  try {
    const up = await step('up', 'replaying the migrations failed');
    if (up.length) return up;
    const first = await introspect(q);
    const drift = compareSchema(snapshots, first, ignore);
    if (drift.length) return ['after every migration, the database differs from the snapshots:', ...drift];
    const down = await step('down', 'reverting every migration failed');
    if (down.length) return down;
    const leftovers = describe(await introspect(q));
    if (leftovers.length) return ['after reverting every migration, the database still holds:', ...leftovers];
    const again = await step('up', 'applying the migrations again after reverting them failed');
    if (again.length) return again;
    const second = await introspect(q);
    const changed = compareSchema(snapshots, second, ignore);
    if (changed.length || JSON.stringify(first) !== JSON.stringify(second)) {
      return ['up → down → up did not rebuild the same schema:', ...(changed.length ? changed : ['(differences outside the snapshots)'])];
    }
    return [];
  } finally {
    await q.close();
  }
}

function describe(live: LiveSchema): string[] {
  return [
    ...live.tables.map((t) => `table "${t.name}"`),
    ...live.enums.map((e) => `enum "${e.name}"`),
    ...live.extensions.map((e) => `extension "${e}"`),
  ];
}

/** A Drift is the comparison of a live database with the snapshots: difference lines, or why it could not be read. */
export type Drift = { readonly lines: string[] } | { readonly error: string };

/** Reads the live `public` schema at `url` and compares it with the snapshots (`schemac diff --db`). */
export async function drift(url: string, snapshots: readonly Snapshot[], ignore?: readonly string[]): Promise<Drift> {
  const driver = await openDriver({ kind: 'pg', url });
  let q: Queryable;
  try {
    q = await driver.connect();
  } catch (e) {
    return { error: describeConnectError(e, driver.description) };
  }
  try {
    return { lines: compareSchema(snapshots, await introspect(q), ignore) };
  } catch (e) {
    return { error: `cannot read the schema of ${driver.description}: ${(e as Error).message}` };
  } finally {
    await q.close();
    await driver.close();
  }
}
