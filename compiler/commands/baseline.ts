/**
 * `schemac migrate baseline [--to NAME] --db URL`: adopts a database another tool built.
 * Records the migrations up to NAME (default: all) as applied without running them, under
 * the run's lock, only after the drift check of `diff --db` passes against the schema those
 * migrations make; on any drift it prints the differences and records nothing.
 */
import type { Driver, Queryable } from '../../runtime/driver.ts';
import type { MigrationFile } from '../../runtime/files.ts';
import { formatDuration } from '../shared/index.ts';
import { hasErrors } from '../diagnostics.ts';
import { readDiskState, snapshotOf } from '../engine/index.ts';
import { type Config, CORE, type Owner, SNAPSHOT_VERSION, type Snapshot } from '../ir.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { printDiagnostics } from './workspace-io.ts';

/** Runs `migrate baseline` on an open driver; resolves to the exit code. */
export async function baseline(ctx: CommandContext, config: Config, files: readonly MigrationFile[], driver: Driver, lockWaitMs: number | undefined, json: boolean): Promise<number> {
  const state = readDiskState(config);
  if (hasErrors(state.diagnostics)) {
    printDiagnostics(ctx, state.diagnostics, state.sources);
    return EXIT.failed;
  }
  const { baselineMigrations } = await import('../../runtime/baseline.ts');
  const { describeHolder } = await import('../../runtime/lock.ts');
  const to = typeof ctx.flags.to === 'string' ? ctx.flags.to : undefined;
  const check = (q: Queryable, chosen: readonly MigrationFile[]) => driftAt(q, config, files, chosen, (o) => snapshotOf(state, o));
  const run = await baselineMigrations({
    driver, files, to, check, lockWaitMs,
    onLockWait: (h) => ctx.io.stderr(`schemac migrate baseline: waiting for the migration lock (${formatDuration(h.waitedMs)} so far): held by ${describeHolder(h)}\n`),
  });
  if (json) ctx.io.stdout(`${JSON.stringify({ baseline: 'error' in run ? { error: run.error } : run }, null, 2)}\n`);
  if ('error' in run) {
    ctx.io.stderr(`schemac migrate baseline: ${run.error.message}\n`);
    if (run.error.drift && !json) ctx.io.stdout(`${driver.description} differs from the migrations' schema:\n${run.error.drift.map((l) => `  ${l}\n`).join('')}`);
    return EXIT.failed;
  }
  if (!json) {
    for (const name of run.recorded) ctx.io.stdout(`baselined ${name}\n`);
    for (const name of run.already) ctx.io.stdout(`already   ${name}\n`);
    ctx.io.stdout(`${run.recorded.length} baselined (recorded as applied without running them)\n`);
  }
  return EXIT.ok;
}

/**
 * How the locked database differs from the schema the chosen files make: each owner's
 * snapshot when all its files are chosen, nothing of an owner none of whose files are; when
 * some owner's files are chosen only in part, the chosen files replayed on a fresh embedded
 * database are the reference.
 */
async function driftAt(
  q: Queryable, config: Config, all: readonly MigrationFile[], chosen: readonly MigrationFile[], snapshot: (o: Owner) => Snapshot,
): Promise<string[]> {
  const { compareSchema, introspect } = await import('../../runtime/introspect.ts');
  const owners = [...new Set(all.map((f) => f.owner))];
  const picked = new Set(chosen.map((f) => f.name));
  const partial = owners.some((o) => {
    const mine = all.filter((f) => f.owner === o);
    const n = mine.filter((f) => picked.has(f.name)).length;
    return n > 0 && n < mine.length;
  });
  const expected = partial
    ? [await replayed(chosen)]
    : owners.filter((o) => chosen.some((f) => f.owner === o)).map(snapshot);
  return compareSchema(expected, await introspect(q), config.ignore);
}

/** The schema the files make, applied to a fresh in-memory embedded database and read back as one snapshot. */
async function replayed(files: readonly MigrationFile[]): Promise<Snapshot> {
  const { openDriver } = await import('../../runtime/driver.ts');
  const { runMigrations } = await import('../../runtime/migrator.ts');
  const { introspect } = await import('../../runtime/introspect.ts');
  const driver = await openDriver({ kind: 'pglite' });
  try {
    const run = await runMigrations({ driver, files, direction: 'up' });
    if (run.error) throw new Error(`replaying the migrations to baseline on an embedded database failed: ${run.error.message}`);
    const q = await driver.connect();
    try {
      const live = await introspect(q);
      return { version: SNAPSHOT_VERSION, owner: CORE, extensions: live.extensions, enums: live.enums, tables: live.tables };
    } finally {
      await q.close();
    }
  } finally {
    await driver.close();
  }
}
