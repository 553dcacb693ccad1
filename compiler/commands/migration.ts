/**
 * `schemac migration "<description>" [--org ORG | --all] [--allow-destructive]`: writes
 * one migration per selected owner with changes, their snapshots, `schemac.sum` and the
 * Kysely types; writes nothing when the input is invalid or the plan is refused.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { TypesOutput } from '../emit/index.ts';
import { concurrentFileName, describeTypes, migrationFileName, typesOutput, migrationPieces, slugify, splitPlan, timestamp } from '../emit/index.ts';
import type { OwnerPlan } from '../engine/index.ts';
import {
  chainAfter, crossOwnerConflicts, existingHashes, hasChanges, hashText, migrationPath, renderSnapshotSum, renderSumOfHashes,
  removeFiles, serializeSnapshot, snapshotOf, snapshotPath, snapshotSumPath, sumPath, workspaceFiles,
} from '../engine/index.ts';
import type { Owner } from '../ir.ts';
import { CORE } from '../ir.ts';
import { lintChanges } from '../lint/index.ts';
import { cacheDir, createStaging, trace } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { namesMemo } from './names-cache.ts';
import type { Format, Loaded } from './workspace-io.ts';
import { fails, formatOf, loadAndPlan, migrationCommand, printDiagnostics, resolveOrg, sumFailures, typesOwners } from './workspace-io.ts';

/** Runs `schemac migration`. */
export async function run(ctx: CommandContext): Promise<number> {
  const description = ctx.args[0] ?? '';
  const format = formatOf(ctx, 'migration');
  if (format === undefined) return EXIT.usage;
  const now = clock(ctx);
  if (now === undefined) return EXIT.usage;
  if (slugify(description) === '') return usageError(ctx, 'the description needs at least one letter or digit (it names the file)');
  if (ctx.flags.all === true && ctx.flags.org !== undefined) return usageError(ctx, '--org and --all cannot be used together');
  const ready = await prepare(ctx, format);
  if (typeof ready === 'number') return ready;
  return writeMigrations(ctx, ready.outputs, ready.plans, { description, now });
}

/** What writing needs of a Loaded workspace: not the models, which a large run lets go before it renders. */
type Outputs = Pick<Loaded, 'config' | 'state' | 'owners' | 'plans' | 'typesAhead'>;

/** Loads and plans, and decides whether the plans may be written: the plans with changes, or the exit code. */
async function prepare(ctx: CommandContext, format: Format): Promise<{ outputs: Outputs; plans: OwnerPlan[] } | number> {
  const result = await loadAndPlan(ctx, format, onlyOwners(ctx));
  if ('exit' in result) return result.exit;
  const { loaded, warnings } = result;
  if (loaded.state.missing.length > 0) {
    printDiagnostics(ctx, loaded.state.missing, loaded.sources, format);
    ctx.io.stderr('schemac migration: refused while a migration the snapshots depend on is missing; nothing was written\n');
    return EXIT.failed;
  }
  const selected = selectOwners(ctx, loaded);
  if (typeof selected === 'number') return selected;
  const plans = selected.map((o) => loaded.plans.get(o)!).filter(hasChanges);
  if (plans.length === 0) return reportNoChanges(ctx, loaded, selected);
  const refused = refusal(ctx, loaded, plans, warnings, format);
  if (refused !== undefined) return refused;
  trace('checks');
  const { config, state, owners, typesAhead } = loaded;
  return { outputs: { config, state, owners, plans: loaded.plans, typesAhead }, plans };
}

/** Prints why the plans cannot be written (stale sum, lint errors) and resolves to the exit code; undefined when they can. */
function refusal(ctx: CommandContext, loaded: Loaded, plans: readonly OwnerPlan[], warnings: readonly Diagnostic[], format: Format): number | undefined {
  const stale = sumFailures(loaded.config, loaded.state);
  if (stale.length > 0) {
    for (const line of stale) ctx.io.stderr(`schemac migration: ${line}\n`);
    ctx.io.stderr('schemac migration: refused until schemac.sum matches the migrations; nothing was written\n');
    return EXIT.failed;
  }
  // Only core's plan can conflict with the other owners: their snapshots are read for it alone.
  const prior = plans.some((p) => p.owner === CORE) ? loaded.owners.map((o) => snapshotOf(loaded.state, o)) : [];
  const conflicts = plans.flatMap((p) => crossOwnerConflicts(p, prior));
  if (conflicts.length > 0) {
    for (const line of conflicts) ctx.io.stderr(`schemac migration: core drops what ${line}\n`);
    ctx.io.stderr(
      'schemac migration: refused: core migrations run before every org migration, so keep the core object for now, ' +
        'remove the reference in the org\'s models and write its migration, then drop the object from core; nothing was written\n',
    );
    return EXIT.failed;
  }
  const diagnostics = [...warnings, ...plans.flatMap((p) => lintPlan(ctx, loaded, p))];
  printDiagnostics(ctx, diagnostics, loaded.sources, format);
  if (!fails(ctx, diagnostics)) return undefined;
  ctx.io.stderr('schemac migration: refused; nothing was written\n');
  return EXIT.failed;
}

/** `--org ORG` needs only that org's models and core's (the other owners are known by their snapshots); undefined: every owner's. */
function onlyOwners(ctx: CommandContext): Owner[] | undefined {
  const org = ctx.flags.org;
  return ctx.flags.all !== true && typeof org === 'string' ? [org] : undefined;
}

/** The owners a run covers, or an exit code when the selection is refused. */
function selectOwners(ctx: CommandContext, loaded: Loaded): Owner[] | number {
  if (ctx.flags.all === true) return [...loaded.owners];
  const owner = resolveOrg(ctx, 'migration', loaded.owners);
  if (owner === undefined) return EXIT.usage;
  if (owner !== CORE && hasChanges(loaded.plans.get(CORE)!) && hasChanges(loaded.plans.get(owner)!)) {
    ctx.io.stderr(
      `schemac migration: core has model changes without a migration; write that first with ${migrationCommand(CORE, undefined, loaded.config.root)}, ` +
        `then run this command again (or use --all)\n`,
    );
    return EXIT.failed;
  }
  return [owner];
}

function reportNoChanges(ctx: CommandContext, loaded: Loaded, selected: readonly Owner[]): number {
  const who = selected.length === 1 ? selected[0] : 'any owner';
  ctx.io.stdout(`No changes for ${who}: the models match the snapshot. Nothing was written.\n`);
  const others = loaded.owners.filter((o) => !selected.includes(o) && loaded.plans.has(o) && hasChanges(loaded.plans.get(o)!));
  for (const o of others) ctx.io.stdout(`  ${o} has pending changes: ${migrationCommand(o, undefined, loaded.config.root)}\n`);
  return EXIT.ok;
}

function lintPlan(ctx: CommandContext, loaded: Loaded, p: OwnerPlan): Diagnostic[] {
  return lintChanges(p.changes, {
    workspace: loaded.workspace,
    config: loaded.config,
    owner: p.owner,
    allowDestructive: ctx.flags['allow-destructive'] === true,
    snapshotFile: snapshotPath(loaded.config, p.owner),
  });
}

/**
 * Writes every file atomically: each owner's migration and snapshot is staged as soon as it
 * is rendered (a run over thousands of tables never holds every output at once), then the
 * sum and the types, and all are renamed into place together. Says what was written.
 */
function writeMigrations(ctx: CommandContext, loaded: Outputs, plans: readonly OwnerPlan[], opts: { description: string; now: Date }): number {
  const { config } = loaded;
  const taken = loaded.state.migrations.map((m) => ({ name: m.name, owner: m.owner }));
  const written: { name: string; statements: number }[] = [];
  // The sum was checked against the existing files before (refusal), so its hashes are theirs.
  const hashes = existingHashes(loaded.state.sumText, loaded.state.migrations);
  const updated: string[] = [];
  const added = new Map<Owner, string[]>();
  const staging = createStaging(config.root);
  let types: TypesOutput | undefined;
  try {
    for (const p of plans) {
      const names: string[] = [];
      for (const m of ownerMigrations(p, { ...opts, distribution: config.distribution !== undefined }, taken)) {
        staging.stage(migrationPath(config, m.name), m.text);
        hashes.push({ name: m.name, hash: hashText(m.text) });
        written.push({ name: m.name, statements: m.statements });
        names.push(m.name);
      }
      added.set(p.owner, names);
    }
    trace('render migrations');
    // Each snapshot is staged as soon as it is serialized; only its hash is kept, for the snapshots' sum.
    const snapshotHashes = new Map<Owner, string>();
    const stageSnapshot = (owner: Owner, text: string) => {
      staging.stage(snapshotPath(config, owner), text);
      snapshotHashes.set(owner, hashText(text));
      updated.push(snapshotPath(config, owner));
    };
    for (const p of plans) stageSnapshot(p.owner, serializeSnapshot({ ...p.next, migrations: chainAfter(loaded.state, p.owner, added.get(p.owner)!) }));
    for (const p of followersOnly(loaded, plans)) stageSnapshot(p.owner, serializeSnapshot(p.next));
    staging.stage(snapshotSumPath(config), renderSnapshotSum(loaded.state, snapshotHashes));
    updated.push(snapshotSumPath(config));
    trace('serialize snapshots');
    staging.stage(sumPath(config), renderSumOfHashes(hashes));
    // Only the modules of the owners planned are rendered; the others' are kept as they are.
    const owners = typesOwners(loaded, (o) => loaded.plans.get(o)?.next);
    types = typesOutput(config.out.types, owners, workspaceFiles(config.root), { names: namesMemo(cacheDir()) });
    // A type file whose text is unchanged (the index, core's module in a run about an org) is left as it is.
    const { changed } = types;
    for (const f of changed) staging.stage(f.path, f.contents);
    updated.push(sumPath(config), ...(changed.length > 0 ? [describeTypes(config.out.types, changed.map((f) => f.path))] : []));
    trace('sum, types');
    staging.commit();
    trace('write');
  } catch (e) {
    staging.abort();
    ctx.io.stderr(`schemac migration: could not write the files: ${(e as Error).message}\n`);
    return EXIT.failed;
  }
  // The modules of owners that have none any more go once the rest is in place.
  const gone = types?.remove ?? [];
  const failure = removeFiles(config.root, gone);
  if (failure !== undefined) {
    ctx.io.stderr(`schemac migration: could not write the files: ${failure}\n`);
    return EXIT.failed;
  }
  updated.push(...gone.map((f) => `${f} (removed)`));
  for (const m of written) ctx.io.stdout(`Wrote ${migrationPath(config, m.name)} (${m.statements} statement${m.statements === 1 ? '' : 's'})\n`);
  ctx.io.stdout(`Updated ${updated.join(', ')}\n`);
  return EXIT.ok;
}

/**
 * Owners without changes whose snapshot still differs from their models: their foreign keys
 * only follow a core rename, which PostgreSQL applies to them, so the snapshot is refreshed.
 */
function followersOnly(loaded: Outputs, plans: readonly OwnerPlan[]): OwnerPlan[] {
  return [...loaded.plans.values()].filter((p) => !plans.includes(p) && !hasChanges(p) && serializeSnapshot(p.next) !== serializeSnapshot(p.prev));
}

/**
 * The files of one owner's migration: the transactional part and, when phasing moved
 * statements out of it, the `…_concurrent.sql` part that runs after it without a transaction.
 * Each text comes in pieces (see `migrationPieces`), written and hashed one after the other.
 */
function ownerMigrations(p: OwnerPlan, opts: { description: string; now: Date; distribution: boolean }, taken: { name: string; owner?: Owner }[]): { name: string; text: string[]; statements: number }[] {
  const { main, concurrent } = splitPlan(p.statements);
  const name = freshName(opts.now, p.owner, opts.description, taken);
  taken.push({ name, owner: p.owner });
  const files = main.length === 0 ? [] : [{ name, text: migrationPieces({ owner: p.owner, description: opts.description, statements: main, distribution: opts.distribution }), statements: main.length }];
  if (concurrent.length === 0) return files;
  const second = concurrentFileName(name);
  taken.push({ name: second, owner: p.owner });
  const description = `${opts.description} (concurrent part)`;
  return [...files, { name: second, text: migrationPieces({ owner: p.owner, description, statements: concurrent, distribution: opts.distribution }), statements: concurrent.length }];
}

/**
 * A file name for the owner that is new and sorts after every existing migration of that
 * owner: when the clock is not past them, the time is bumped a second past the latest.
 */
export function freshName(now: Date, owner: Owner, description: string, taken: readonly { name: string; owner?: Owner }[]): string {
  const names = new Set(taken.map((t) => t.name));
  const latest = taken.filter((t) => t.owner === owner).map((t) => t.name.slice(0, 15)).sort().at(-1);
  let time = new Date(Math.floor(now.getTime() / 1000) * 1000);
  if (latest !== undefined && timestamp(time) <= latest) time = new Date(parseTimestamp(latest).getTime() + 1000);
  while (names.has(migrationFileName(time, owner, description))) time = new Date(time.getTime() + 1000);
  return migrationFileName(time, owner, description);
}

function parseTimestamp(ts: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/.exec(ts);
  if (m === null) return new Date(0);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** The migration time: `SCHEMAC_NOW` (ISO) when set, else the clock; undefined (after a message) when it is invalid. */
export function clock(ctx: CommandContext): Date | undefined {
  const env = ctx.io.env.SCHEMAC_NOW;
  if (env === undefined || env === '') return new Date();
  const date = new Date(env);
  if (!Number.isNaN(date.getTime())) return date;
  ctx.io.stderr(`schemac: SCHEMAC_NOW='${env}' is not an ISO date (e.g. 2026-01-31T12:00:00Z)\n`);
  return undefined;
}

function usageError(ctx: CommandContext, message: string): number {
  ctx.io.stderr(`schemac migration: ${message}\nusage: schemac migration "<description>" [--org ORG | --all] [--allow-destructive]\n`);
  return EXIT.usage;
}
