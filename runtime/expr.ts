/**
 * Compares SQL expressions as PostgreSQL stores them with expressions as schemac wrote
 * them. PostgreSQL rewrites what it stores (`'pending'` → `'pending'::character varying`,
 * `x in (1, 2)` → `x = ANY (ARRAY[1, 2])`, extra parentheses), so both sides are parsed with
 * the real parser and compared as trees with casts, parentheses and locations removed.
 */
import { loadModule, parseSync } from 'libpg-query';

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the parser (WASM) once; `introspect` calls it so `compareSchema` can stay synchronous. */
export function loadExpressionParser(): Promise<void> {
  loaded ??= loadModule().then(() => void (ready = true));
  return loaded;
}

/** An ExprVerdict says whether two expressions are the same, differ, or cannot be decided. */
export type ExprVerdict = 'same' | 'different' | 'undecided';

/** Compares a stored expression with a written one, ignoring casts and parentheses. */
export function compareExpr(expected: string, live: string): ExprVerdict {
  if (squash(expected) === squash(live)) return 'same';
  const a = canonicalExpr(expected);
  const b = canonicalExpr(live);
  // Either side not parseable as one expression (or the parser not loaded): compare presence only.
  if (a === undefined || b === undefined) return 'undecided';
  return a === b || sameTypedLiteral(expected, live) ? 'same' : 'different';
}

/**
 * A written literal (`'12:00'`) and the typed constant PostgreSQL stores for it
 * (`'12:00:00'::time without time zone`) in the type's output form: times, dates,
 * timestamps and bytea.
 */
function sameTypedLiteral(expected: string, live: string): boolean {
  const bare = /^'((?:[^']|'')*)'$/.exec(expected.trim());
  const typed = /^'((?:[^']|'')*)'::([a-z ]+)$/.exec(live.trim());
  if (!bare || !typed) return false;
  const [want, got, type] = [bare[1].replace(/''/g, "'"), typed[1].replace(/''/g, "'"), typed[2]];
  if (type === 'bytea') return got === (want.startsWith('\\x') ? want : `\\x${Buffer.from(want, 'utf8').toString('hex')}`);
  if (type === 'time without time zone') return /^\d\d:\d\d$/.test(want) ? `${want}:00` === got : false;
  if (type === 'timestamp without time zone' || type === 'date') return instant(want.replace(/(Z|[+-]\d\d(:?\d\d)?)$/, '')) === instant(got);
  if (type === 'timestamp with time zone') return instant(want) === instant(got);
  return false;
}

/** Milliseconds since the epoch of a date or timestamp text (no zone: read as UTC); NaN when unreadable. */
function instant(text: string): number {
  const iso = text.trim().replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return Date.parse(/^\d{4}-\d\d-\d\d$/.test(iso) || /(Z|[+-]\d\d:\d\d)$/.test(iso) ? iso : `${iso}Z`);
}

function squash(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

/** The canonical form of one SQL expression, or undefined when it does not parse as one. */
export function canonicalExpr(sql: string): string | undefined {
  if (!ready) return undefined;
  try {
    const stmts = parseSync(`select ${sql}`).stmts ?? [];
    const target = (stmts[0]?.stmt as any)?.SelectStmt?.targetList;
    if (stmts.length !== 1 || target?.length !== 1) return undefined;
    return JSON.stringify(normalize(target[0].ResTarget.val));
  } catch {
    return undefined;
  }
}

const POSITION_KEY = /(^location$|_start$|_end$)/;

function normalize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalize);
  if (node === null || typeof node !== 'object') return node;
  const obj = node as Record<string, any>;
  if ('TypeCast' in obj) return normalize(obj.TypeCast.arg);
  if ('A_Const' in obj) return { const: constText(obj.A_Const) };
  if ('A_Expr' in obj) return normalizeAExpr(obj.A_Expr);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) {
    if (!POSITION_KEY.test(key)) out[key] = normalize(obj[key]);
  }
  return out;
}

/** Every constant as text: `0`, `'0'`, `'0'::integer` are one value once casts are gone. */
function constText(c: Record<string, any>): string {
  if ('isnull' in c) return 'NULL';
  if ('ival' in c) return String(c.ival.ival ?? 0);
  if ('fval' in c) return String(c.fval.fval);
  if ('boolval' in c) return String(c.boolval.boolval ?? false);
  if ('bsval' in c) return String(c.bsval.bsval);
  const s = String(c.sval?.sval ?? '');
  return canonicalJson(s) ?? s;
}

function canonicalJson(s: string): string | undefined {
  if (!/^\s*[[{]/.test(s)) return undefined;
  try {
    return JSON.stringify(JSON.parse(s));
  } catch {
    return undefined;
  }
}

/** `x in (…)` ≡ `x = ANY (ARRAY[…])`, `between` ≡ `>= and <=`, `like` ≡ `~~`. */
function normalizeAExpr(e: Record<string, any>): unknown {
  const op = e.name?.map((n: any) => n.String?.sval).join('.');
  const lexpr = normalize(e.lexpr);
  switch (e.kind) {
    case 'AEXPR_IN':
      return { any: op === '<>' ? '<>all' : '=any', lexpr, items: normalize(e.rexpr.List.items) };
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      if (e.rexpr?.A_ArrayExpr || e.rexpr?.TypeCast?.arg?.A_ArrayExpr) {
        const arr = e.rexpr.A_ArrayExpr ?? e.rexpr.TypeCast.arg.A_ArrayExpr;
        const tag = e.kind === 'AEXPR_OP_ANY' ? `${op}any` : `${op}all`;
        return { any: tag, lexpr, items: normalize(arr.elements ?? []) };
      }
      return { op: `${op}:${e.kind}`, lexpr, rexpr: normalize(e.rexpr) };
    case 'AEXPR_BETWEEN': {
      const [lo, hi] = e.rexpr.List.items;
      return { BoolExpr: { args: [{ op: '>=', lexpr, rexpr: normalize(lo) }, { op: '<=', lexpr, rexpr: normalize(hi) }], boolop: 'AND_EXPR' } };
    }
    default:
      return { op: e.kind === 'AEXPR_LIKE' || e.kind === 'AEXPR_ILIKE' ? op : e.kind === 'AEXPR_OP' ? op : `${op}:${e.kind}`, lexpr, rexpr: normalize(e.rexpr) };
  }
}
