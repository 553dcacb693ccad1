/**
 * The edge shared by `migration`, `diff` and `check`: load the workspace and what was
 * generated before, print diagnostics once, and decide the exit code of a bad input.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { hasErrors } from '../diagnostics.ts';
import type { KeptOwner, TypesOwner } from '../emit/index.ts';
import { keptOwner, typesLayout } from '../emit/index.ts';
import type { DiskState, OwnerPlan, SumMismatches } from '../engine/index.ts';
import { checkSnapshotSum, checkSum, fileExists, migrationPath, ownersOf, planOwner, readDiskState, snapshotOf, snapshotPath, snapshotSumPath, sumPath } from '../engine/index.ts';
import { loadWorkspace } from '../index.ts';
import type { Config, Owner, Snapshot, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import { writeDiagnostics } from '../report/index.ts';
import { cacheDir, suggest, trace, useColor } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { outsideHooks } from './outside-cache.ts';

/** A Loaded workspace: the models, what is on disk, every owner's pending plan, and the sources for diagnostics. */
export interface Loaded {
  readonly config: Config;
  readonly workspace: Workspace;
  readonly state: DiskState<string | undefined>;
  readonly owners: readonly Owner[];
  /** The pending plan of every loaded owner (every owner, unless the load was limited to some). */
  readonly plans: ReadonlyMap<Owner, OwnerPlan>;
  readonly sources: ReadonlyMap<string, string>;
  /** The owners whose models were loaded; undefined when every owner's were. */
  readonly loadedOwners?: readonly Owner[];
  /** With `loadedOwners`: the other owners' names, for the types (their modules are kept as they are). */
  readonly typesAhead: ReadonlyMap<Owner, KeptOwner>;
}

/**
 * The owners of the types when only some owners' modules are rendered (those `rendered` gives a
 * snapshot for): every other owner by its names, its module kept as it is, unless that module is
 * missing (a workspace from before the modules, a file deleted): then by its snapshot, so that
 * the index never names a module that is not there.
 */
export function typesOwners(loaded: Pick<Loaded, 'config' | 'state' | 'owners' | 'typesAhead'>, rendered: (owner: Owner) => Snapshot | undefined): TypesOwner[] {
  const layout = typesLayout(loaded.config.out.types);
  return loaded.owners.map((o) => {
    const next = rendered(o);
    if (next !== undefined) return next;
    const kept = loaded.typesAhead.get(o) ?? keptOwner(snapshotOf(loaded.state, o));
    const empty = kept.tables.length === 0 && kept.enums.length === 0;
    return empty || fileExists(loaded.config.root, layout.modulePath(o)) ? kept : snapshotOf(loaded.state, o);
  });
}

const FORMATS = ['pretty', 'json', 'github', 'sarif'] as const;
/** A Format is a diagnostics output format. */
export type Format = (typeof FORMATS)[number];

/** The `--format` flag, or undefined (after printing a usage error) when it is not one of `formats`. */
export function formatOf(ctx: CommandContext, name: string, formats: readonly Format[] = FORMATS): Format | undefined {
  const format = ctx.flags.format ?? 'pretty';
  if ((formats as readonly unknown[]).includes(format)) return format as Format;
  const which = formats.length < FORMATS.length ? ` (${formats.join(' or ')})` : '';
  ctx.io.stderr(`schemac ${name}: unknown format '${String(format)}'${suggest(String(format), formats)}${which}\n`);
  return undefined;
}

/** Prints diagnostics (when there are any) to stderr in the command's format. */
export function printDiagnostics(ctx: CommandContext, diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, format: Format = 'pretty'): void {
  if (diagnostics.length === 0) return;
  writeDiagnostics(diagnostics, { format, sources, color: useColor(ctx.io) }, ctx.io.stderr);
}

/** True when the diagnostics fail the command: any error, or any warning under `--strict`. */
export function fails(ctx: CommandContext, diagnostics: readonly Diagnostic[]): boolean {
  return hasErrors(diagnostics) || (ctx.flags.strict === true && diagnostics.some((d) => d.severity === 'warn'));
}

/**
 * Loads models and disk state and plans every owner (or only core and `only`, whose models
 * alone are then read). On a bad input it prints the diagnostics and resolves to the exit
 * code instead; warnings are returned for the caller.
 */
export async function loadAndPlan(ctx: CommandContext, format: Format, only?: readonly Owner[]): Promise<{ loaded: Loaded; warnings: Diagnostic[] } | { exit: number }> {
  const typesAhead = new Map<Owner, KeptOwner>();
  const { outside, recall } = outsideHooks(cacheDir(), typesAhead);
  const result = await loadWorkspace({ cwd: ctx.cwd, configPath: ctx.configPath, owners: only, readState: true, outside, recall });
  if (result.configError || result.config === undefined) {
    printDiagnostics(ctx, result.diagnostics, result.sources, format);
    return { exit: EXIT.usage };
  }
  const state = result.state ?? readDiskState(result.config);
  const sources = new Map([...result.sources, ...state.sources]);
  const diagnostics = [...result.diagnostics, ...state.diagnostics];
  if (hasErrors(diagnostics) || result.workspace === undefined) {
    printDiagnostics(ctx, diagnostics, sources, format);
    return { exit: EXIT.failed };
  }
  const workspace = result.workspace;
  const owners = ownersOf(workspace, state.snapshots);
  let prior: Snapshot[] | undefined;
  const others = () => (prior ??= owners.map((o) => snapshotOf(state, o)));
  const loadedOwners = result.loadedOwners;
  const planned = loadedOwners === undefined ? owners : owners.filter((o) => loadedOwners.includes(o));
  const plans = new Map(planned.map((o) => [o, planOwner(workspace, o, snapshotOf(state, o), others, result.config)] as const));
  trace('plan');
  return { loaded: { config: result.config, workspace, state, owners, plans, sources, loadedOwners, typesAhead }, warnings: diagnostics };
}

/** Resolves `--org ORG` to a known owner; an unknown org is a usage error with a "did you mean". */
export function resolveOrg(ctx: CommandContext, name: string, owners: readonly Owner[]): Owner | undefined {
  const org = ctx.flags.org;
  if (typeof org !== 'string') return CORE;
  if (owners.includes(org)) return org;
  const orgs = owners.filter((o) => o !== CORE);
  const known = orgs.length === 0 ? 'this workspace has no orgs' : `known orgs: ${orgs.join(', ')}`;
  ctx.io.stderr(`schemac ${name}: unknown org '${org}'${suggest(org, orgs)}; ${known}\n`);
  return undefined;
}

/**
 * The command a user runs to write a migration for an owner, quoted for a message; with the
 * `make` target too when the workspace's own Makefile has one (`root`: the workspace).
 */
export function migrationCommand(owner: Owner, description = '<description>', root?: string): string {
  const org = owner === CORE ? '' : ` --org ${owner}`;
  const command = `\`schemac migration "${description}"${org}\``;
  if (root === undefined || !hasMakeTarget(root, 'migration')) return command;
  return `${command} (or \`make migration ${owner === CORE ? '' : `ORG=${owner} `}NAME="${description}"\`)`;
}

/** Whether `root/Makefile` defines `target`. */
function hasMakeTarget(root: string, target: string): boolean {
  try {
    return new RegExp(`^${target}:`, 'm').test(fs.readFileSync(path.join(root, 'Makefile'), 'utf8'));
  } catch {
    return false;
  }
}

/** How `schemac.sum` disagrees with the migration files, one line each; [] when it matches. */
export function sumFailures(config: Config, state: DiskState<string | undefined>): string[] {
  return sumProblems(config, state).map((p) => p.message);
}

/** A CheckProblem is one thing `check` (or a command before writing) finds stale: the file it is about, a rule id, one line. */
export interface CheckProblem {
  readonly file: string;
  readonly rule: string;
  readonly message: string;
}

/**
 * What is wrong with the snapshots' `schemac.sum` (see `snapshotSumPath`) in a full read: a
 * command about one org takes the other owners from it, so where it exists it must match
 * their files (the next migration writes it where it does not).
 */
export function snapshotSumProblems(config: Config, state: DiskState<string | undefined>): CheckProblem[] {
  const sum = snapshotSumPath(config);
  const m = checkSnapshotSum(state);
  // Without it (a history written before it existed) every command reads every snapshot: slower, never wrong.
  if (m === undefined) return [];
  const file = (name: string) => snapshotPath(config, name.slice(0, -'.json'.length));
  return mismatchProblems(m, { sum, file, rule: 'snapshot-sum', changed: (f) => `${f} was changed after ${sum} was written (by hand?);` });
}

/**
 * One problem per way a sum and its files disagree (see `checkSum`): `file` is the path of a
 * file the sum names, `rule` the rules' prefix, `changed` what is said of a changed file
 * before `run \`schemac sum\``.
 */
function mismatchProblems(m: SumMismatches, how: { sum: string; file: (name: string) => string; rule: string; changed: (file: string) => string }): CheckProblem[] {
  const { sum, file, rule } = how;
  return [
    ...m.changed.map((n) => ({ file: file(n), rule: `${rule}-mismatch`, message: `${how.changed(file(n))} run \`schemac sum\`` })),
    ...m.missing.map((n) => ({ file: file(n), rule: `${rule}-unlisted`, message: `${file(n)} is not in ${sum}; run \`schemac sum\`` })),
    ...m.extra.map((n) => ({ file: sum, rule: `${rule}-extra`, message: `${sum} lists ${n}, which does not exist; run \`schemac sum\`` })),
    ...(m.corrupt ? [{ file: sum, rule: `${rule}-damaged`, message: `${sum} is damaged (edited by hand?); run \`schemac sum\`` }] : []),
  ];
}

/** What is wrong with `schemac.sum`, each problem about the file it names. */
export function sumProblems(config: Config, state: DiskState<string | undefined>): CheckProblem[] {
  const sum = sumPath(config);
  if (state.sumText === undefined) return state.migrations.length === 0 ? [] : [{ file: sum, rule: 'sum-missing', message: `${sum} is missing; run \`schemac sum\`` }];
  const m = checkSum(state.sumText, state.migrations);
  return mismatchProblems(m, { sum, file: (n) => migrationPath(config, n), rule: 'sum', changed: (f) => `${f} was edited after ${sum} was written; review it, then` });
}
