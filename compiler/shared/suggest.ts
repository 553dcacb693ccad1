/**
 * "Did you mean" hints for unknown commands, keys, types and names. A hint over a fixed,
 * small list (`closest`) is cheap; a hint over the workspace's own names goes through a
 * `Suggester`, whose work is bounded however many unknown names a file holds.
 */

/** ` (did you mean 'x'?)` when a candidate is close to `word`, else ''. */
export function suggest(word: string, candidates: readonly string[]): string {
  const best = closest(word, candidates);
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** How far a candidate may be from `word` and still be suggested: 2, or a third of the word. */
function maxDistance(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/** The first candidate nearest to `word`, within `maxDistance`, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bound = maxDistance(word);
  for (const c of candidates) {
    const d = distanceWithin(word, c, bound, NO_WORK);
    if (d <= bound) [best, bound] = [c, d - 1];
    if (bound < 0) break;
  }
  return best;
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  return distanceWithin(a, b, Math.max(a.length, b.length), NO_WORK);
}

/** SuggestWork counts what suggestions cost: lookups, candidates compared, and cells of the distance table. */
export interface SuggestWork {
  lookups: number;
  comparisons: number;
  cells: number;
}

const NO_WORK: SuggestWork = { lookups: 0, comparisons: 0, cells: 0 };

let rowA = new Int32Array(256);
let rowB = new Int32Array(256);

/**
 * The Levenshtein distance of `a` and `b` when it is at most `k`, else `k + 1`: only the
 * band of cells within `k` of the diagonal is computed, and a row whose every cell exceeds
 * `k` stops it, so one comparison costs at most (2k + 1) · |a| cells.
 */
function distanceWithin(a: string, b: string, k: number, work: SuggestWork): number {
  const n = a.length;
  const m = b.length;
  if (k < 0 || Math.abs(n - m) > k) return k + 1;
  if (rowA.length <= m + 1) [rowA, rowB] = [new Int32Array(m + 2), new Int32Array(m + 2)];
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= Math.min(m, k + 1); j++) prev[j] = j <= k ? j : k + 1;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    cur[lo - 1] = lo === 1 ? i : k + 1;
    let rowMin = cur[lo - 1];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < m) cur[hi + 1] = k + 1;
    work.cells += hi - lo + 1;
    if (rowMin > k) return k + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[m] <= k ? prev[m] : k + 1;
}

/** A CandidateIndex is a list of names sorted by length, so a lookup compares only those of a near length. */
export interface CandidateIndex {
  readonly kind: 'candidates';
  /** The names by length, then by their place in the list given. */
  readonly names: readonly string[];
  /** The place of each name (of `names`) in the list given: ties go to the earlier. */
  readonly order: readonly number[];
}

/** Indexes candidate names for a Suggester. */
export function candidateIndex(names: Iterable<string>): CandidateIndex {
  const list = [...names];
  const order = list.map((_, i) => i).sort((x, y) => list[x].length - list[y].length || x - y);
  return { kind: 'candidates', names: order.map((i) => list[i]), order };
}

/** The first place in `index` of a name at least `length` long. */
function firstOfLength(index: CandidateIndex, length: number): number {
  let lo = 0;
  let hi = index.names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.names[mid].length < length) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** SuggestLimits bound the suggestions of one run: per file, in all, and the distance cells computed. */
export interface SuggestLimits {
  readonly perFile: number;
  readonly lookups: number;
  readonly cells: number;
}

/**
 * The default limits: generous for a workspace with a few typos (each lookup over a
 * 5,000-table workspace costs a few hundred thousand cells), a few tens of milliseconds at
 * most for a file of ten thousand unknown names.
 */
export const SUGGEST_LIMITS: SuggestLimits = { perFile: 25, lookups: 500, cells: 20_000_000 };

/** A Suggester finds "did you mean" candidates within limits: past them it suggests nothing. */
export interface Suggester {
  /**
   * The candidate nearest to `word` (the earlier on a tie), for a diagnostic in `file`;
   * `candidates` is called only while the budget lasts.
   */
  closest(word: string, candidates: () => CandidateIndex, file: string): string | undefined;
  /** The work done so far. */
  readonly work: Readonly<SuggestWork>;
}

/** A Suggester with its own budget. */
export function suggester(limits: SuggestLimits = SUGGEST_LIMITS): Suggester {
  const work: SuggestWork = { lookups: 0, comparisons: 0, cells: 0 };
  const perFile = new Map<string, number>();
  return {
    work,
    closest(word, candidates, file) {
      const used = perFile.get(file) ?? 0;
      if (used >= limits.perFile || work.lookups >= limits.lookups || work.cells >= limits.cells) return undefined;
      perFile.set(file, used + 1);
      work.lookups++;
      return nearest(word, candidates(), work, limits.cells);
    },
  };
}

/** The nearest candidate of a near length, comparing until the cells run out. */
function nearest(word: string, index: CandidateIndex, work: SuggestWork, maxCells: number): string | undefined {
  let bound = maxDistance(word);
  let best = -1;
  for (let i = firstOfLength(index, word.length - bound); i < index.names.length && work.cells < maxCells; i++) {
    const name = index.names[i];
    if (name.length > word.length + bound) break;
    const earlier = best < 0 || index.order[i] < index.order[best];
    const k = best < 0 ? bound : earlier ? bound : bound - 1;
    work.comparisons++;
    const d = distanceWithin(word, name, k, work);
    if (d <= k) [best, bound] = [i, d];
  }
  return best < 0 ? undefined : index.names[best];
}
