/**
 * `schemac diff [--org ORG | --core] [--exit-code] [--db URL]`: prints the pending plan of
 * every owner with changes as SQL (`--format json`: as data) and writes nothing; with
 * `--db` (a URL, or `embedded`: the workspace's embedded database), prints how a live
 * database differs from the snapshots instead.
 */
import { renderUp } from '../emit/index.ts';
import { hasChanges, type OwnerPlan, snapshotOf, snapshotPath } from '../engine/index.ts';
import type { Owner } from '../ir.ts';
import { CORE } from '../ir.ts';
import { lintChanges } from '../lint/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import type { Loaded } from './workspace-io.ts';
import { fails, formatOf, loadAndPlan, printDiagnostics, resolveOrg } from './workspace-io.ts';

/** Runs `schemac diff`. */
export async function run(ctx: CommandContext): Promise<number> {
  const format = formatOf(ctx, 'diff');
  if (format === undefined) return EXIT.usage;
  if (ctx.flags.core === true && ctx.flags.org !== undefined) {
    ctx.io.stderr('schemac diff: --org and --core cannot be used together\n');
    return EXIT.usage;
  }
  const result = await loadAndPlan(ctx, format);
  if ('exit' in result) return result.exit;
  const { loaded, warnings } = result;
  const owners = selectOwners(ctx, loaded);
  if (owners === undefined) return EXIT.usage;
  if (typeof ctx.flags.db === 'string') return diffDatabase(ctx, loaded, ctx.flags.db);
  const pending = owners.map((o) => loaded.plans.get(o)!).filter(hasChanges);
  const safety = pending.flatMap((p) =>
    lintChanges(p.changes, { workspace: loaded.workspace, config: loaded.config, owner: p.owner, allowDestructive: false, snapshotFile: snapshotPath(loaded.config, p.owner) }),
  );
  printDiagnostics(ctx, [...warnings, ...safety], loaded.sources, format);
  if (format === 'json') ctx.io.stdout(`${JSON.stringify({ owners: pending.map(planData) }, null, 2)}\n`);
  else {
    if (pending.length === 0) ctx.io.stdout(`No changes: the models match the snapshots${owners.length === 1 ? ` of ${owners[0]}` : ''}.\n`);
    const sections = pending.map((p) => {
      const statements = p.statements;
      return `-- ${p.owner}: ${statements.length} statement${statements.length === 1 ? '' : 's'}\n${renderUp(statements)}`;
    });
    ctx.io.stdout(sections.join('\n'));
  }
  if (ctx.flags.strict === true && fails(ctx, warnings)) return EXIT.failed;
  return ctx.flags['exit-code'] === true && pending.length > 0 ? EXIT.failed : EXIT.ok;
}

/** One owner's pending plan as data (`--format json`): its changes by kind and its statements. */
function planData(p: OwnerPlan) {
  return {
    owner: p.owner,
    changes: p.changes.map((c) => c.kind),
    statements: p.statements.map((s) => ({
      comment: s.comment,
      sql: s.sql,
      reverse: s.reverse,
      ...(s.irreversible ? { irreversible: s.irreversible } : {}),
      transactional: s.transactional,
      concurrent: s.concurrent === true,
    })),
  };
}

/** `--core`: core only; `--org ORG`: that org; neither: every owner. */
function selectOwners(ctx: CommandContext, loaded: Loaded): Owner[] | undefined {
  if (ctx.flags.core === true) return [CORE];
  if (ctx.flags.org === undefined) return [...loaded.owners];
  const owner = resolveOrg(ctx, 'diff', loaded.owners);
  return owner === undefined ? undefined : [owner];
}

/**
 * Compares a live database with every owner's snapshot (a database holds them all) and
 * prints the drift: a PostgreSQL URL, or `embedded`, the workspace's embedded database
 * (beside the config; read under its one-process lock, never created).
 */
async function diffDatabase(ctx: CommandContext, loaded: Loaded, url: string): Promise<number> {
  const { redactUrl } = await import('../../runtime/driver.ts');
  const { introspect, compareSchema } = await import('../../runtime/introspect.ts');
  const { connectTarget, EMBEDDED, hasDatabase, targetOf } = await import('./migrate.ts');
  const snapshots = loaded.owners.map((o) => snapshotOf(loaded.state, o));
  const target = targetOf(ctx, loaded.config);
  const shown = target.kind === 'pg' ? redactUrl(url) : `the embedded database in ${target.shown}`;
  if (target.kind === 'pglite' && !hasDatabase(target.dataDir)) {
    ctx.io.stderr(`schemac diff: --db ${EMBEDDED}: there is no embedded database in ${target.shown} yet (schemac migrate up makes it)\n`);
    return EXIT.failed;
  }
  const driver = await connectTarget(ctx, 'diff', target);
  if (driver === undefined) return EXIT.failed;
  let lines: string[];
  try {
    const q = await driver.connect();
    try {
      lines = compareSchema(snapshots, await introspect(q), loaded.config.ignore);
    } finally {
      await q.close();
    }
  } catch (e) {
    ctx.io.stderr(`schemac diff: cannot read ${shown}: ${(e as Error).message}\n`);
    return EXIT.failed;
  } finally {
    await driver.close();
  }
  if (ctx.flags.format === 'json') ctx.io.stdout(`${JSON.stringify({ database: shown, drift: lines }, null, 2)}\n`);
  else if (lines.length === 0) ctx.io.stdout(`No drift: ${shown} matches the snapshots.\n`);
  else ctx.io.stdout(`${shown} differs from the snapshots:\n${lines.map((l) => `  ${l}\n`).join('')}`);
  return ctx.flags['exit-code'] === true && lines.length > 0 ? EXIT.failed : EXIT.ok;
}
