/**
 * The file-granular half of the migration oracle. A history's files are applied in the order
 * the runner applies them (each step's files: core by name, then the orgs by name); the oracle
 * then walks that chain down and up one FILE at a time, in random moves (any suffix of the
 * applied files reverted file by file, then re-applied), and after every file checks the
 * database:
 *
 * - where every owner's last applied file ends a logical migration (a transactional file
 *   without a `_concurrent` part, or the `_concurrent` part itself), against each owner's
 *   snapshot after that migration, and that no constraint is left NOT VALID and no index
 *   invalid (phasing leaves none behind);
 * - where some owner's main file is applied without its `_concurrent` part, against the state
 *   that main file left when the history first applied it (recorded then, constraint
 *   validity and index validity included), so a down of a concurrent part must restore
 *   exactly what the main file had made.
 *
 * A file whose statement fails because of the rows (re-run once on emptied tables succeeds)
 * is counted, not reported; a no-transaction file is re-run over its half-applied state, as
 * the runner does after an interruption.
 */
import { concurrentFileName } from '../../compiler/emit/index.ts';
import type { Snapshot } from '../../compiler/ir.ts';
import { quoteIdent as q } from '../../compiler/shared/sql.ts';
import type { Queryable } from '../../runtime/driver.ts';
import type { MigrationFile } from '../../runtime/files.ts';
import { compareSchema, introspect, LEDGER_TABLE, type LiveSchema } from '../../runtime/introspect.ts';
import { splitStatements } from '../../runtime/statements.ts';

/** The kinds of phased change the coverage counts (a `_concurrent` statement on a table holding rows). */
export const PHASED_KINDS = ['index', 'notNull', 'foreignKey', 'check', 'unique', 'volatileDefault'] as const;
/** A PhasedKind is one of PHASED_KINDS. */
export type PhasedKind = (typeof PHASED_KINDS)[number];

/** Counters of the walks across a campaign. */
export interface WalkStats {
  /** Histories walked (those with at least one revertible file). */
  walks: number;
  /** Files reverted or re-applied one at a time by the walks. */
  files: number;
  /** Positions checked against the owners' snapshots. */
  boundaryChecks: number;
  /** Positions checked against the state a main file left, its `_concurrent` part not applied. */
  midPairChecks: number;
  /** Files whose statement failed on the rows and passed on emptied tables. */
  dataRetries: number;
  /** What made a few of them fail (the file and PostgreSQL's words). */
  dataRetryExamples: Set<string>;
  /** `_concurrent` statements of each kind applied by the histories to a table holding rows. */
  phasedWithRows: Record<PhasedKind, number>;
}

/** Zeroed walk counters. */
export function emptyWalkStats(): WalkStats {
  return { walks: 0, files: 0, boundaryChecks: 0, midPairChecks: 0, dataRetries: 0, dataRetryExamples: new Set(), phasedWithRows: Object.fromEntries(PHASED_KINDS.map((k) => [k, 0])) as Record<PhasedKind, number> };
}

/** Adds `b`'s counters to `a`. */
export function addWalkStats(a: WalkStats, b: WalkStats): void {
  a.walks += b.walks;
  a.files += b.files;
  a.boundaryChecks += b.boundaryChecks;
  a.midPairChecks += b.midPairChecks;
  a.dataRetries += b.dataRetries;
  for (const x of b.dataRetryExamples) if (a.dataRetryExamples.size < 6) a.dataRetryExamples.add(x);
  for (const k of PHASED_KINDS) a.phasedWithRows[k] += b.phasedWithRows[k];
}

/** A failure of the walk (or of applying a file): `fromDatabase` when a statement failed. */
export class WalkFailure extends Error {
  constructor(message: string, readonly fromDatabase: boolean) {
    super(message);
  }
}

/** What a history applied, file by file, and the expectations at every position of its chain. */
export class History {
  /** The applied files, in the order applied. */
  readonly files: MigrationFile[] = [];
  /** The step (index into `snapshots`) of each applied file. */
  readonly stepOf: number[] = [];
  /** Every owner's snapshots after each step. */
  readonly snapshots: Snapshot[][] = [];
  /** Position (number of files applied) → the state recorded there while a main file's `_concurrent` part was not yet applied. */
  readonly midPair = new Map<number, State>();
  readonly stats = emptyWalkStats();

  /**
   * Applies a step's new files up, one by one, on `db` (its first application): records the
   * state after each main file whose `_concurrent` part is still to come, and counts the
   * phased statements applied to tables holding rows. Committed by `commit` once the step passed.
   */
  async applyStep(db: Queryable, files: readonly MigrationFile[], where: string): Promise<StepRecord> {
    const record: StepRecord = { midPair: new Map(), phased: [] };
    const base = this.files.length;
    for (const [i, f] of files.entries()) {
      if (isConcurrentPart(f)) record.phased.push(...(await phasedWithRows(db, f)));
      await applyFile(db, f, 'up', where);
      if (openPair(files, i + 1)) record.midPair.set(base + i + 1, await stateOf(db));
    }
    return record;
  }

  /** Adds a passed step: its files, its snapshots and what its first application recorded. */
  commit(files: readonly MigrationFile[], snapshots: Snapshot[], record: StepRecord): void {
    const step = this.snapshots.length;
    this.snapshots.push(snapshots);
    for (const f of files) {
      this.files.push(f);
      this.stepOf.push(step);
    }
    for (const [p, s] of record.midPair) this.midPair.set(p, s);
    for (const k of record.phased) this.stats.phasedWithRows[k]++;
  }

  /** The lowest position a walk may go down to: after the last file whose down is irreversible. */
  floor(): number {
    let lo = 0;
    this.files.forEach((f, i) => {
      if (f.down.includes("'irreversible: ")) lo = i + 1;
    });
    return lo;
  }

  /** Each owner's snapshot at position `p` (files `0..p-1` applied): its last logical migration's. */
  expectedSnapshots(p: number): Snapshot[] {
    const owners = new Set(this.files.slice(0, p).map((f) => f.owner));
    const last = p > 0 ? this.stepOf[p - 1] : -1;
    const out: Snapshot[] = [];
    for (const owner of owners) {
      const next = this.files.findIndex((f, i) => i >= p && f.owner === owner);
      const step = next >= 0 && this.stepOf[next] <= last ? this.stepOf[next] - 1 : last;
      const snap = step >= 0 ? this.snapshots[step].find((s) => s.owner === owner) : undefined;
      if (snap) out.push(snap);
    }
    return out;
  }

  /**
   * Walks the chain from its end: down `moves[0]`-chosen files, up `moves[1]`-chosen, …,
   * and back up to the end, checking the database after every file.
   */
  async walk(db: Queryable, moves: readonly number[], where: string): Promise<void> {
    const n = this.files.length;
    const lo = this.floor();
    if (n === lo) return;
    this.stats.walks++;
    let p = n;
    const trail: string[] = [`from ${n}`];
    const go = async (to: number) => {
      while (p !== to) {
        const down = to < p;
        const f = down ? this.files[p - 1] : this.files[p];
        const at = `${where}, walk ${[...trail, down ? 'down' : 'up'].join(' ')} ${f.name}`;
        await this.applyWithRetry(db, f, down ? 'down' : 'up', at);
        p += down ? -1 : 1;
        this.stats.files++;
        await this.expectAt(db, p, `${at} (position ${p} of ${n})`);
      }
      trail.push(`→${p}`);
    };
    for (const [j, m] of moves.entries()) {
      if (j % 2 === 0 && p > lo) await go(p - 1 - (m % (p - lo)));
      else if (j % 2 === 1 && p < n) await go(p + 1 + (m % (n - p)));
    }
    await go(n);
  }

  /** Applies one file; on a database error, empties every table and runs it once more (counted as a data retry). */
  private async applyWithRetry(db: Queryable, f: MigrationFile, section: 'up' | 'down', where: string): Promise<void> {
    try {
      await applyFile(db, f, section, where);
    } catch (e) {
      if (!(e instanceof WalkFailure) || !e.fromDatabase) throw e;
      await emptyTables(db);
      const why = `${section} of ${f.name}: ${e.message.split('\n')[0].replace(/^.* failed: /, '')}`;
      await applyFile(db, f, section, `${where} (again, on emptied tables, after ${why})`);
      this.stats.dataRetries++;
      if (this.stats.dataRetryExamples.size < 6) this.stats.dataRetryExamples.add(why);
    }
  }

  /** Checks the database at position `p` against the recorded state or the owners' snapshots. */
  async expectAt(db: Queryable, p: number, where: string): Promise<void> {
    const recorded = this.midPair.get(p);
    const now = await stateOf(db);
    if (recorded !== undefined) {
      this.stats.midPairChecks++;
      const problems = diffStates(recorded, now);
      if (problems.length) throw new WalkFailure(`${where}: the database differs from the state its main file left when first applied:\n  ${problems.join('\n  ')}`, false);
      return;
    }
    this.stats.boundaryChecks++;
    const problems = [...compareSchema(this.expectedSnapshots(p), now.live), ...now.validity];
    if (problems.length) throw new WalkFailure(`${where}: the database differs from the owners' snapshots:\n  ${problems.join('\n  ')}`, false);
  }
}

/** What a step's first application recorded, kept only if the step passes. */
export interface StepRecord {
  readonly midPair: Map<number, State>;
  readonly phased: PhasedKind[];
}

/** Whether, of `files`, the first `k` hold a main file whose `_concurrent` part (also in `files`) is not among them. */
function openPair(files: readonly MigrationFile[], k: number): boolean {
  const names = new Set(files.map((f) => f.name));
  const done = new Set(files.slice(0, k).map((f) => f.name));
  return files.slice(0, k).some((m) => names.has(concurrentFileName(m.name)) && !done.has(concurrentFileName(m.name)));
}

/** A file's `_concurrent` part: its name says so and it runs without a transaction. */
function isConcurrentPart(f: MigrationFile): boolean {
  return f.noTransaction && f.name.endsWith('_concurrent.sql');
}

const PHASED_COMMENTS: readonly (readonly [RegExp, PhasedKind])[] = [
  [/^-- Create index .* on ("(?:[^"]|"")+") concurrently/, 'index'],
  [/^-- Set .* of ("(?:[^"]|"")+") NOT NULL/, 'notNull'],
  [/^-- Validate foreign key .* on ("(?:[^"]|"")+")/, 'foreignKey'],
  [/^-- Validate check constraint .* on ("(?:[^"]|"")+")/, 'check'],
  [/^-- Add unique constraint .* on ("(?:[^"]|"")+") using its index/, 'unique'],
  [/^-- Backfill .* of ("(?:[^"]|"")+") from its default/, 'volatileDefault'],
];

/** The phased statements of a `_concurrent` part whose table holds rows (read before it runs). */
async function phasedWithRows(db: Queryable, f: MigrationFile): Promise<PhasedKind[]> {
  const out: PhasedKind[] = [];
  for (const line of f.up.split('\n')) {
    for (const [re, kind] of PHASED_COMMENTS) {
      const m = re.exec(line);
      if (!m) continue;
      const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${m[1]}`);
      if (Number(row.n) > 0) out.push(kind);
    }
  }
  return out;
}

/** Applies one section of a file: a transactional file inside BEGIN/COMMIT, the others statement by statement. */
export async function applyFile(db: Queryable, f: MigrationFile, section: 'up' | 'down', where: string): Promise<void> {
  const sql = f[section];
  try {
    if (!f.noTransaction) {
      await db.exec('BEGIN');
      try {
        await db.exec(sql);
        await db.exec('COMMIT');
      } catch (e) {
        await db.exec('ROLLBACK').catch(() => {});
        throw e;
      }
    } else {
      for (const s of (await splitStatements(sql)) ?? [{ sql }]) await db.exec(s.sql);
    }
  } catch (e) {
    throw new WalkFailure(`${where}: ${section} of ${f.name} failed: ${(e as Error).message}\n${f.text}`, true);
  }
}

/** Empties every table of `public` (the rows only; the schema stays). */
async function emptyTables(db: Queryable): Promise<void> {
  const tables = await db.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> $1`,
    [LEDGER_TABLE],
  );
  if (tables.length) await db.exec(`TRUNCATE ${tables.map((t) => q(t.name)).join(', ')} CASCADE;`);
}

/** A State is a database's schema as introspected, and every constraint left NOT VALID and index left invalid. */
export interface State {
  readonly live: LiveSchema;
  readonly validity: readonly string[];
}

/** The state of `db`'s public schema. */
export async function stateOf(db: Queryable): Promise<State> {
  const live = await introspect(db);
  const constraints = await db.query<{ t: string; name: string }>(
    `select r.relname as t, c.conname as name from pg_constraint c join pg_class r on r.oid = c.conrelid
       join pg_namespace n on n.oid = r.relnamespace where n.nspname = 'public' and not c.convalidated order by 1, 2`,
  );
  const indexes = await db.query<{ name: string; valid: boolean; ready: boolean }>(
    `select x.relname as name, i.indisvalid as valid, i.indisready as ready from pg_index i join pg_class x on x.oid = i.indexrelid
       join pg_namespace n on n.oid = x.relnamespace where n.nspname = 'public' and not (i.indisvalid and i.indisready) order by 1`,
  );
  return {
    live,
    validity: [
      ...constraints.map((c) => `constraint "${c.name}" on "${c.t}" is NOT VALID`),
      ...indexes.map((i) => `index "${i.name}" is ${i.valid ? '' : 'invalid'}${!i.valid && !i.ready ? ' and ' : ''}${i.ready ? '' : 'not ready'}`),
    ],
  };
}

/** Every difference between two states, as lines (tables' columns compared by name, not position). */
export function diffStates(want: State, got: State): string[] {
  const a = stateLines(want);
  const b = stateLines(got);
  const bs = new Set(b);
  const as = new Set(a);
  return [...a.filter((l) => !bs.has(l)).map((l) => `expected: ${l}`), ...b.filter((l) => !as.has(l)).map((l) => `found:    ${l}`)];
}

function stateLines(s: State): string[] {
  const out = [...s.validity, ...s.live.extensions.map((e) => `extension "${e}"`), ...s.live.enums.map((e) => `enum "${e.name}" (${e.values.join(', ')})`)];
  for (const t of s.live.tables) {
    const at = `table "${t.name}"`;
    out.push(`${at}: comment ${JSON.stringify(t.comment)}, rls ${t.rlsEnabled ? 'on' : 'off'}${t.rlsForced ? ' forced' : ''}, policies (${t.policies.join(', ')})`);
    for (const c of t.columns) out.push(`${at} column "${c.name}": ${c.type}${c.nullable ? '' : ' not null'} default ${c.default ?? 'none'} comment ${JSON.stringify(c.comment)}`);
    if (t.primaryKey) out.push(`${at} primary key ${JSON.stringify(t.primaryKey)}`);
    for (const [kind, xs] of [['foreign key', t.foreignKeys], ['unique', t.uniques], ['check', t.checks], ['index', t.indexes], ['trigger', t.triggers]] as const) {
      for (const x of xs) out.push(`${at} ${kind} ${JSON.stringify(x)}`);
    }
  }
  return out.sort();
}
