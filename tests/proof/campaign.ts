/**
 * A proof campaign: property runs of the migration oracle on PostgreSQL (and a subset on
 * PGlite) and of the front-end fuzzer, with one seed. Used by `tests/proof.test.ts` (fixed seed,
 * CI budget) and `scripts/proof.mjs` (long runs, random seed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { startPglite, wrapPgClient, wrapPglite, type Queryable } from '../../runtime/driver.ts';
import { buildSequence, sequenceArb, type SequenceSpec } from './arbitraries.ts';
import { fragmentCampaign, type FragmentStats } from './fragments.ts';
import { fuzzCampaign, type FuzzStats } from './fuzz.ts';
import { checkSequence, renderCounterexample, writeCounterexample, type OracleStats } from './oracle.ts';
import { checkItems, itemsArb, renderStatic, type Item, type StaticStats } from './static.ts';
import { addWalkStats, emptyWalkStats, PHASED_KINDS, type WalkStats } from './walk.ts';

/** What to run. */
export interface CampaignOptions {
  readonly seed: number;
  readonly sequences: number;
  readonly pgliteSequences: number;
  readonly fuzz: number;
  /** The most moves of each history's file-by-file walk down and up its chain (0: no walk; default 4). */
  readonly walkMoves?: number;
  /** Runs of the static oracle (random defaults, checks, index methods, column names). */
  readonly staticRuns?: number;
  readonly databaseUrl: string;
  readonly log?: (line: string) => void;
}

/** One failed property, shrunk, with what reproduces it. */
export interface CampaignFailure {
  readonly what: string;
  readonly seed: number;
  readonly path?: string;
  readonly message: string;
  /** For the oracle: the shrunk versions as models.yaml files (also written to `caseDir`). */
  readonly counterexample?: string;
  readonly caseDir?: string;
}

/** The outcome of a campaign. */
export interface CampaignResult {
  readonly oracle: { pg: OracleStats; pglite: OracleStats };
  readonly static: StaticStats;
  readonly fuzz: FuzzStats;
  readonly fragments: FragmentStats;
  readonly failures: CampaignFailure[];
  readonly ms: { pg: number; pglite: number; fuzz: number; static: number; fragments: number };
}

/** Runs the static oracle on one database; resolves to a failure (shrunk) or undefined. */
export async function staticProperty(db: Queryable, o: { seed: number; runs: number; stats: StaticStats }): Promise<CampaignFailure | undefined> {
  const property = fc.asyncProperty(itemsArb, async (items: Item[]) => {
    const r = await checkItems(items, db);
    o.stats.runs++;
    o.stats.items += r.items;
    o.stats.refused += r.refused;
    o.stats.overApproximate += r.overApproximate.length;
    if (r.applied) o.stats.applied++;
    for (const x of r.overApproximate) if (o.stats.examples.size < 12) o.stats.examples.add(x);
    return r.failure === undefined;
  });
  const out = await fc.check(property, { seed: o.seed, numRuns: o.runs, endOnFailure: false, maxSkipsPerRun: 0 });
  if (!out.failed) return undefined;
  if (out.counterexample === null) return { what: 'static oracle', seed: o.seed, message: String(out.errorInstance ?? 'failed') };
  const [items] = out.counterexample as [Item[]];
  const again = await checkItems(items, db);
  return { what: 'static oracle', seed: o.seed, path: out.counterexamplePath ?? undefined, message: again.failure ?? 'failed', counterexample: renderStatic(items)['schemas/core/models.yaml'] };
}

/** Runs the oracle property on one database; resolves to a failure (shrunk) or undefined. */
export async function oracleProperty(db: Queryable, o: { seed: number; runs: number; stats: OracleStats; path?: string; checkCommand?: boolean; walkMoves?: number }): Promise<CampaignFailure | undefined> {
  let lastFailure = '';
  const walkOf = (spec: SequenceSpec) => (spec.walk.length ? spec.walk : undefined);
  const property = fc.asyncProperty(sequenceArb({ maxMoves: o.walkMoves }), async (spec: SequenceSpec) => {
    const versions = buildSequence(spec);
    const r = await checkSequence(versions, db, { checkCommand: o.checkCommand, walk: walkOf(spec) });
    o.stats.sequences++;
    o.stats.steps += r.steps;
    o.stats.dataOnly += r.dataOnly;
    o.stats.refused += r.refused;
    addWalkStats(o.stats.walk, r.walk);
    if (r.failure !== undefined) lastFailure = r.failure;
    return r.failure === undefined;
  });
  const out = await fc.check(property, { seed: o.seed, numRuns: o.runs, path: o.path, endOnFailure: false, maxSkipsPerRun: 0 });
  if (!out.failed || out.counterexample === null) {
    if (out.failed) return { what: `oracle (${db.kind})`, seed: o.seed, message: String(out.errorInstance ?? 'failed') };
    return undefined;
  }
  const [spec] = out.counterexample as [SequenceSpec];
  const versions = buildSequence(spec);
  const caseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-proof-case-'));
  writeCounterexample(caseDir, versions);
  const again = await checkSequence(versions, db, { checkCommand: o.checkCommand, walk: walkOf(spec) });
  return {
    what: `oracle (${db.kind})`,
    seed: o.seed,
    path: out.counterexamplePath ?? undefined,
    message: again.failure ?? lastFailure,
    counterexample: `${renderCounterexample(versions)}--- walk moves: ${JSON.stringify(spec.walk)}\n`,
    caseDir,
  };
}

/** Runs the whole campaign. */
export async function runCampaign(opts: CampaignOptions): Promise<CampaignResult> {
  const log = opts.log ?? (() => {});
  const failures: CampaignFailure[] = [];
  const stats = { pg: emptyStats(), pglite: emptyStats() };
  const ms = { pg: 0, pglite: 0, fuzz: 0, static: 0, fragments: 0 };
  const staticStats: StaticStats = { runs: 0, items: 0, refused: 0, overApproximate: 0, applied: 0, examples: new Set() };
  let t = performance.now();
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  try {
    const f = await oracleProperty(wrapPgClient(client), { seed: opts.seed, runs: opts.sequences, stats: stats.pg, checkCommand: true, walkMoves: opts.walkMoves });
    if (f) failures.push(f);
    ms.pg = performance.now() - t;
    log(`oracle pg: ${stats.pg.sequences} sequences, ${stats.pg.steps} versions, ${stats.pg.dataOnly} data-only retries, ${stats.pg.refused} refused core drops, ${(ms.pg / 1000).toFixed(1)} s`);
    log(`  ${walkLine(stats.pg.walk)}`);
    for (const x of stats.pg.walk.dataRetryExamples) log(`    data-only: ${x}`);
    t = performance.now();
    if ((opts.staticRuns ?? 0) > 0) {
      const s = await staticProperty(wrapPgClient(client), { seed: opts.seed + 2, runs: opts.staticRuns!, stats: staticStats });
      if (s) failures.push(s);
    }
    ms.static = performance.now() - t;
    log(`static oracle: ${staticStats.runs} tables, ${staticStats.items} items, ${staticStats.refused} refused by lint (${staticStats.overApproximate} of them over-approximately, as documented), ${staticStats.applied} tables accepted whole, migrated and applied, ${(ms.static / 1000).toFixed(1)} s`);
    for (const x of staticStats.examples) log(`  over-approximation: ${x}`);
  } finally {
    await client.end();
  }
  t = performance.now();
  if (opts.pgliteSequences > 0) {
    const lite = await startPglite();
    try {
      const f = await oracleProperty(wrapPglite(lite), { seed: opts.seed + 1, runs: opts.pgliteSequences, stats: stats.pglite, walkMoves: opts.walkMoves });
      if (f) failures.push(f);
    } finally {
      await lite.close();
    }
  }
  ms.pglite = performance.now() - t;
  log(`oracle pglite: ${stats.pglite.sequences} sequences, ${stats.pglite.steps} versions, ${stats.pglite.dataOnly} data-only retries, ${stats.pglite.refused} refused core drops, ${(ms.pglite / 1000).toFixed(1)} s`);
  log(`  ${walkLine(stats.pglite.walk)}`);
  for (const x of stats.pglite.walk.dataRetryExamples) log(`    data-only: ${x}`);
  t = performance.now();
  const fuzz = await fuzzCampaign({ seed: opts.seed, inputs: opts.fuzz });
  failures.push(...fuzz.failures.map((f) => ({ what: 'fuzz', seed: opts.seed, message: f })));
  ms.fuzz = performance.now() - t;
  log(`fuzz: ${fuzz.stats.inputs} inputs (${fuzz.stats.cli} through the CLI, ${fuzz.stats.errors} with errors), ${(ms.fuzz / 1000).toFixed(1)} s`);
  t = performance.now();
  const fragments = await fragmentCampaign({ seed: opts.seed, inputs: Math.max(20, Math.round(opts.fuzz / 50)) });
  failures.push(...fragments.failures.map((f) => ({ what: 'fragment fuzz', seed: opts.seed, message: f })));
  ms.fragments = performance.now() - t;
  log(`fragments: ${fragments.stats.inputs} hostile fragment sets (${fragments.stats.accepted} accepted and emitted as their trees), ${(ms.fragments / 1000).toFixed(1)} s`);
  return { oracle: stats, static: staticStats, fuzz: fuzz.stats, fragments: fragments.stats, failures, ms };
}

function emptyStats(): OracleStats {
  return { sequences: 0, steps: 0, dataOnly: 0, refused: 0, migrations: 0, walk: emptyWalkStats() };
}

/** The walks' figures as one line. */
export function walkLine(w: WalkStats): string {
  const phased = PHASED_KINDS.map((k) => `${k} ${w.phasedWithRows[k]}`).join(', ');
  return `file-by-file walks: ${w.walks} histories, ${w.files} files reverted or re-applied one at a time, ${w.boundaryChecks} positions checked against the snapshots, ${w.midPairChecks} against the state a main file left without its concurrent part, ${w.dataRetries} data-only retries; phased statements applied to tables holding rows: ${phased}`;
}

/** A failure as text: the seed, the path, the message and the counter-example. */
export function describeFailure(f: CampaignFailure): string {
  const repro = `seed=${f.seed}${f.path ? ` path=${f.path}` : ''}`;
  const example = f.counterexample ? `\ncounter-example (written to ${f.caseDir}; copy it to tests/cases/migrate/<name>/):\n${f.counterexample}` : '';
  return `${f.what} failed (${repro})\n${f.message}${example}`;
}
