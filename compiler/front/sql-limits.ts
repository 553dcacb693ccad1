/**
 * The bounds every SQL fragment keeps, whoever wrote it: its length, the number of nodes of
 * its parse tree, how deeply they nest, and how far a cast may pad a value. With the
 * string-growing functions withheld (`GROWING_FUNCTIONS`), they bound what evaluating one
 * fragment can cost the server: a fragment cannot make an INSERT allocate gigabytes.
 */

/** The bounds (characters, nodes, levels, characters of padding). */
export const FRAGMENT_LIMITS = { length: 4000, nodes: 1000, depth: 32, padding: 1000 } as const;

/** A LimitProblem is a bound a fragment goes past, at an offset into it when known. */
export interface LimitProblem {
  readonly offset?: number;
  readonly message: string;
  readonly hint?: string;
}

/** A fragment longer than the bound: checked before it is parsed at all. */
export function lengthProblem(sql: string, what: string): LimitProblem | undefined {
  if (sql.length <= FRAGMENT_LIMITS.length) return undefined;
  return {
    offset: FRAGMENT_LIMITS.length,
    message: `${what} is ${sql.length} characters long; at most ${FRAGMENT_LIMITS.length} are allowed`,
    hint: 'split it, or compute the value in the application',
  };
}

/**
 * The first bound a parse tree goes past: too many nodes, nested too deeply, or a cast to
 * `char(n)` padding past the bound. `offsetOf` maps a node's body to an offset in the fragment.
 */
export function treeProblem(root: unknown, what: string, offsetOf: (body: Record<string, unknown>) => number | undefined = () => undefined): LimitProblem | undefined {
  let nodes = 0;
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (Array.isArray(value)) {
      for (const v of value) stack.push([v, depth]);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const fields = value as Record<string, unknown>;
    for (const key in fields) {
      const body = fields[key];
      if (body === null || typeof body !== 'object') continue;
      const first = key.charCodeAt(0);
      if (first < 65 || first > 90) {
        stack.push([body, depth]);
        continue;
      }
      const at = offsetOf(body as Record<string, unknown>);
      if (++nodes > FRAGMENT_LIMITS.nodes) return { offset: at, message: `${what} has more than ${FRAGMENT_LIMITS.nodes} parts`, hint: 'simplify it' };
      if (depth + 1 > FRAGMENT_LIMITS.depth) return { offset: at, message: `${what} nests more than ${FRAGMENT_LIMITS.depth} levels deep`, hint: 'simplify it' };
      const padding = key === 'TypeCast' ? paddedLength((body as Record<string, unknown>).typeName) : undefined;
      if (padding !== undefined && padding > FRAGMENT_LIMITS.padding) {
        return { offset: at, message: `${what} may not cast to char(${Number.isFinite(padding) ? padding : '…'}): it pads every value to that many characters`, hint: `at most char(${FRAGMENT_LIMITS.padding})` };
      }
      stack.push([body, depth + 1]);
    }
  }
  return undefined;
}

/** The length a cast to `char(n)` / `bpchar(n)` pads to, when the type is one (a modifier that is not a plain integer counts as unbounded). */
function paddedLength(typeName: unknown): number | undefined {
  const t = typeName as { names?: Array<{ String?: { sval?: string } }>; typmods?: unknown[] } | undefined;
  const name = t?.names?.map((n) => n.String?.sval).join('.');
  if (name !== 'pg_catalog.bpchar' && name !== 'bpchar' && name !== 'char' && name !== 'pg_catalog.char') return undefined;
  const first = t?.typmods?.[0] as { A_Const?: { ival?: { ival?: number } } } | undefined;
  if (first === undefined) return undefined;
  const n = first.A_Const?.ival === undefined ? undefined : (first.A_Const.ival.ival ?? 0);
  return n ?? Number.POSITIVE_INFINITY;
}
