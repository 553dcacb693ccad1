/**
 * What a migration run touches, decided before anything runs (SPEC §7): the files `up`
 * applies, or `down` reverts, in order, and every refusal (an edited applied file, a file
 * out of order, an unknown `--to`, a refused owner, a down that would drop data). The
 * runner (migrator.ts) executes the plan.
 *
 * Down reverts logical migrations (logical.ts): a file and its `_concurrent` follow-up part
 * together, the part first. `org` limits a down to one owner's migrations; core's may be
 * reverted that way only while no other owner's migration was applied after them, since
 * an org's migrations may depend on core's objects (orgs never depend on another org's, and
 * core never on an org's). Planning reads the database only to count the rows a down would
 * drop (data-loss.ts).
 */
import { CORE, type Owner } from '../compiler/ir.ts';
import { suggest } from '../compiler/shared/index.ts';
import { type DataDrop, dataDrops, describeDrop } from './data-loss.ts';
import type { MigrationError } from './run-types.ts';
import type { Queryable } from './driver.ts';
import { hasSql, type MigrationFile } from './files.ts';
import { grouping, type Grouping, revertOrder, units } from './logical.ts';

export type { MigrationError, MigrationErrorKind } from './run-types.ts';

/** The `--to` value that means "before the first migration" (down only). */
export const BASE = 'base';

/** A RunPlan is the files a run touches, in order, and the owners refused before it starts (their files are skipped). */
export interface RunPlan {
  readonly files: readonly MigrationFile[];
  readonly refused: ReadonlyMap<Owner, MigrationError>;
}

type Plan = RunPlan | { error: MigrationError };

/** The options `planRun` reads (the same fields of `MigrateOptions`, which is passed as one). */
export interface PlanOptions {
  /** Every migration file, in order (`readMigrations`). */
  readonly files: readonly MigrationFile[];
  readonly direction: 'up' | 'down';
  /** up: apply up to and including NAME; down: revert everything applied after NAME (`base`: all). Default: up all, down one. */
  readonly to?: string;
  readonly allowOutOfOrder?: boolean;
  /** A pre-flight check of each file the run would apply or revert; a reason refuses the file (see `MigrateOptions`). */
  readonly refuse?: (file: MigrationFile) => string | undefined;
  /** Owners refused before the run, with the reason; core here refuses the run. */
  readonly refusedOwners?: ReadonlyMap<Owner, string>;
  /** down: only this owner's migrations (the last one, or those after `to`). */
  readonly org?: Owner;
  /** down: drop tables and columns that hold rows (refused otherwise, before anything runs). */
  readonly allowDestructive?: boolean;
}

/** An AppliedRow is what planning reads of a ledger row (`LedgerRow` in migrator.ts). */
export interface AppliedRow {
  readonly name: string;
  readonly owner: Owner;
  readonly checksum: string;
  /** `running`: a no-transaction file that started and did not finish; up runs it again, down reverts it with its migration. */
  readonly status?: 'running' | 'done';
  /** Recorded by `migrate baseline`: never run here, so never reverted. */
  readonly baselined?: boolean;
}

/**
 * Decides which files a run touches; every refusal happens here, before anything is applied.
 * Up: a refusal of an org (an edited applied file, a file out of order, a refused file)
 * refuses that org's chain; a refusal of core refuses the run. Down: any refusal refuses the run.
 */
export function planRun(opts: PlanOptions, applied: readonly AppliedRow[]): Plan {
  return opts.direction === 'up' ? planUp(opts, applied) : planDown(opts, applied);
}

/**
 * `planRun`, and for a down the data it would drop: a down that would drop a table or a
 * column holding rows is refused, naming each with its rows, unless `allowDestructive`.
 * `q` is a session outside a transaction block (see `dataDrops`).
 */
export async function planRunOn(q: Queryable, opts: PlanOptions, applied: readonly AppliedRow[]): Promise<Plan> {
  const plan = planRun(opts, applied);
  if ('error' in plan || opts.direction === 'up' || opts.allowDestructive === true) return plan;
  const drops = await dataDrops(q, plan.files);
  return drops.length === 0 ? plan : { error: destructive(drops) };
}

function destructive(drops: readonly DataDrop[]): MigrationError {
  return {
    kind: 'destructive', file: drops[0].file, drops,
    message:
      `reverting would drop data that is still in the database; nothing was changed:\n${drops.map((d) => `  ${describeDrop(d)}\n`).join('')}` +
      '  empty them first, or revert anyway with --allow-destructive',
  };
}

/** An OwnerRefusal is why an owner's chain may not run. */
interface OwnerRefusal {
  readonly owner: Owner;
  readonly error: MigrationError;
}

function changedFiles(files: readonly MigrationFile[], applied: readonly AppliedRow[]): OwnerRefusal[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const changed = applied.filter((a) => byName.has(a.name) && byName.get(a.name)!.checksum !== a.checksum);
  return [...new Set(changed.map((c) => c.owner))].map((owner) => {
    const names = changed.filter((c) => c.owner === owner).map((c) => c.name);
    const stopped = owner === CORE ? 'nothing was applied' : `none of ${owner}'s pending migrations were applied`;
    return {
      owner,
      error: {
        kind: 'checksum',
        file: names[0],
        message:
          `${names.join(', ')} ${names.length > 1 ? 'were' : 'was'} edited after being applied (checksum differs from schemac_migrations); ` +
          `${stopped}. Restore the file, or put the change in a new migration`,
      },
    };
  });
}

const stripSql = (name: string) => name.replace(/\.sql$/, '');

function findTarget(files: readonly MigrationFile[], to: string): number {
  return files.findIndex((f) => f.name === to || stripSql(f.name) === stripSql(to));
}

function unknownTarget(to: string, files: readonly MigrationFile[]): MigrationError {
  const hint = files.length ? suggest(to, files.map((f) => f.name)) : ' (there are no migration files)';
  return { kind: 'unknown-target', message: `--to ${to}: no migration file has that name${hint}` };
}

function planUp(opts: PlanOptions, applied: readonly AppliedRow[]): Plan {
  const done = new Set(applied.filter((a) => a.status !== 'running').map((a) => a.name));
  let candidates = opts.files;
  if (opts.to !== undefined) {
    const i = findTarget(opts.files, opts.to);
    if (i < 0) return { error: unknownTarget(opts.to, opts.files) };
    candidates = opts.files.slice(0, i + 1);
  }
  const pending = candidates.filter((f) => !done.has(f.name));
  const refusals = [
    ...[...(opts.refusedOwners ?? [])].map(([owner, message]) => ({ owner, error: { kind: 'refused', message } as MigrationError })),
    ...changedFiles(opts.files, applied),
    ...(opts.allowOutOfOrder ? [] : outOfOrder(pending, applied)),
    ...refusedFiles(pending, opts.refuse),
  ];
  const core = refusals.find((r) => r.owner === CORE);
  if (core) return { error: core.error };
  const refused = new Map<Owner, MigrationError>();
  for (const r of refusals) if (!refused.has(r.owner)) refused.set(r.owner, r.error);
  return { files: pending, refused };
}

function outOfOrder(pending: readonly MigrationFile[], applied: readonly AppliedRow[]): OwnerRefusal[] {
  const out: OwnerRefusal[] = [];
  for (const p of pending) {
    const later = applied.find((a) => a.owner === p.owner && a.name > p.name);
    if (!later || out.some((r) => r.owner === p.owner)) continue;
    out.push({
      owner: p.owner,
      error: {
        kind: 'out-of-order', file: p.name,
        message: `${p.name} is not applied but sorts before ${later.name}, which is (owner ${p.owner}); rename it to a later timestamp, or pass --allow-out-of-order`,
      },
    });
  }
  return out;
}

function refusedFiles(files: readonly MigrationFile[], refuse: PlanOptions['refuse']): OwnerRefusal[] {
  if (!refuse) return [];
  const out: OwnerRefusal[] = [];
  for (const f of files) {
    const why = refuse(f);
    if (why !== undefined) out.push({ owner: f.owner, error: { kind: 'refused', file: f.name, message: `${f.name} was refused: ${why}` } });
  }
  return out;
}

function planDown(opts: PlanOptions, applied: readonly AppliedRow[]): Plan {
  const mine = opts.org === undefined ? applied : applied.filter((a) => a.owner === opts.org);
  const [changed] = changedFiles(opts.files, mine);
  if (changed) return { error: changed.error };
  const g = grouping(opts.files);
  const revert = toRevert(opts, mine, g);
  if ('error' in revert) return revert;
  const baselined = revert.filter((a) => a.baselined);
  if (baselined.length > 0) return { error: stopsAtBaseline(baselined, mine) };
  const later = opts.org === CORE ? appliedAfter(applied, revert, CORE) : [];
  if (later.length > 0) return { error: dependents(revert, later) };
  const byName = new Map(opts.files.map((f) => [f.name, f]));
  const files: MigrationFile[] = [];
  for (const row of revertOrder(revert, g)) {
    const f = byName.get(row.name);
    if (!f) return { error: { kind: 'missing-file', file: row.name, message: `${row.name} is applied but its file is gone; cannot revert it` } };
    if (hasSql(f.up) && !hasSql(f.down)) {
      return { error: { kind: 'irreversible', file: f.name, message: `${f.name} has no SQL under -- migrate:down; it cannot be reverted` } };
    }
    const refusal = (opts.refusedOwners?.has(f.owner) ? opts.refusedOwners.get(f.owner) : undefined) ?? opts.refuse?.(f);
    if (refusal !== undefined) return { error: { kind: 'refused', file: f.name, message: `${f.name} was refused: ${refusal}` } };
    files.push(f);
  }
  return { files, refused: new Map() };
}

/**
 * The ledger rows a down reverts, in the order applied: the last logical migration (a file
 * and its follow-up part), everything (`base`), or everything applied after NAME's logical
 * migration (NAME's follow-up part stays when NAME is its main file).
 */
function toRevert(opts: PlanOptions, rows: readonly AppliedRow[], g: Grouping): AppliedRow[] | { error: MigrationError } {
  if (opts.to === undefined) return units(rows, g).at(-1) ?? [];
  if (opts.to === BASE || opts.to === '0') return [...rows];
  const to = opts.to;
  const file = opts.files[findTarget(opts.files, to)];
  const target = file?.name ?? rows.find((a) => stripSql(a.name) === stripSql(to))?.name;
  if (target === undefined) return { error: unknownTarget(to, opts.files) };
  if (opts.org !== undefined && file !== undefined && file.owner !== opts.org) {
    return { error: { kind: 'unknown-target', message: `--to ${to}: that is ${file.owner}'s migration; --org ${opts.org} reverts only ${opts.org}'s` } };
  }
  const key = g.key(target);
  let at = rows.length - 1;
  while (at >= 0 && g.key(rows[at].name) !== key) at--;
  if (at < 0) return { error: { kind: 'unknown-target', message: `--to ${to}: that migration is not applied, so there is nothing to revert to` } };
  return rows.slice(at + 1).filter((a) => g.key(a.name) !== key);
}

/**
 * A down that reaches a migration `migrate baseline` recorded: the database held its schema
 * before schemac did, so there is no down to run; everything applied after the last baselined
 * migration can still be reverted (`--to` it).
 */
function stopsAtBaseline(baselined: readonly AppliedRow[], rows: readonly AppliedRow[]): MigrationError {
  const last = [...rows].reverse().find((a) => a.baselined)!;
  const after = rows.slice(rows.indexOf(last) + 1);
  const hint = after.length > 0
    ? `; to revert what was applied after it, run migrate down --to ${last.name}`
    : '; nothing applied after it is left to revert';
  return {
    kind: 'baselined', file: baselined[0].name,
    message:
      `migrate down stops at ${baselined.map((a) => a.name).join(', ')}: recorded by migrate baseline (the database already held that schema), ` +
      `so it cannot be reverted; nothing was changed${hint}`,
  };
}

/** The rows of owners other than `owner` applied after the first of `revert`. */
function appliedAfter(applied: readonly AppliedRow[], revert: readonly AppliedRow[], owner: Owner): AppliedRow[] {
  const first = revert.length === 0 ? -1 : applied.indexOf(revert[0]);
  return first < 0 ? [] : applied.slice(first + 1).filter((a) => a.owner !== owner);
}

function dependents(revert: readonly AppliedRow[], later: readonly AppliedRow[]): MigrationError {
  const owners = [...new Set(later.map((a) => a.owner))].sort();
  const named = owners.map((o) => `${o} (${later.filter((a) => a.owner === o).map((a) => a.name).join(', ')})`);
  return {
    kind: 'dependents', file: revert[0].name,
    message:
      `--org core would revert ${revert.map((a) => a.name).join(', ')}, but other owners' migrations were applied after it and may depend on it: ` +
      `${named.join('; ')}; nothing was changed. Revert those first (migrate down --org ${owners[0]}), or run migrate down, which reverts the latest migration first`,
  };
}
