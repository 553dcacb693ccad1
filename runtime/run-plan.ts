/**
 * What a migration run touches, decided before anything runs (SPEC §7): the files `up`
 * applies, or `down` reverts, in order, and every refusal (an edited applied file, a file
 * out of order, an unknown `--to`, a refused owner). The runner (migrator.ts) executes the
 * plan; this module never touches the database.
 */
import { CORE, type Owner } from '../compiler/ir.ts';
import { suggest } from '../compiler/shared/index.ts';
import { hasSql, type MigrationFile } from './files.ts';

/** A MigrationErrorKind says why a run stopped. */
export type MigrationErrorKind =
  | 'connect' | 'lock-timeout' | 'ledger' | 'checksum' | 'out-of-order'
  | 'unknown-target' | 'irreversible' | 'missing-file' | 'failed' | 'database' | 'malformed' | 'refused';

/** A MigrationError is why a run stopped: a message naming the file, statement and PostgreSQL's words. */
export interface MigrationError {
  readonly kind: MigrationErrorKind;
  readonly message: string;
  readonly file?: string;
  readonly statement?: string;
  readonly line?: number;
  /** PostgreSQL's SQLSTATE, when the database said no. */
  readonly code?: string;
}

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
}

/** An AppliedRow is what planning reads of a ledger row (`AppliedRow` in migrator.ts). */
export interface AppliedRow {
  readonly name: string;
  readonly owner: Owner;
  readonly checksum: string;
}

/**
 * Decides which files a run touches; every refusal happens here, before anything is applied.
 * Up: a refusal of an org (an edited applied file, a file out of order, a refused file)
 * refuses that org's chain; a refusal of core refuses the run. Down: any refusal refuses the run.
 */
export function planRun(opts: PlanOptions, applied: readonly AppliedRow[]): Plan {
  return opts.direction === 'up' ? planUp(opts, applied) : planDown(opts, applied);
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
  const done = new Set(applied.map((a) => a.name));
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
  const [changed] = changedFiles(opts.files, applied);
  if (changed) return { error: changed.error };
  let revert: AppliedRow[];
  if (opts.to === undefined) revert = applied.slice(-1);
  else if (opts.to === BASE || opts.to === '0') revert = [...applied];
  else {
    if (findTarget(opts.files, opts.to) < 0 && !applied.some((a) => stripSql(a.name) === stripSql(opts.to!))) {
      return { error: unknownTarget(opts.to, opts.files) };
    }
    const at = applied.findIndex((a) => stripSql(a.name) === stripSql(opts.to!));
    if (at < 0) return { error: { kind: 'unknown-target', message: `--to ${opts.to}: that migration is not applied, so there is nothing to revert to` } };
    revert = applied.slice(at + 1);
  }
  const byName = new Map(opts.files.map((f) => [f.name, f]));
  const files: MigrationFile[] = [];
  for (const row of revert.reverse()) {
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
