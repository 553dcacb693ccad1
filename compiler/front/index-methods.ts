/**
 * Which index access methods a column can be indexed by, as PostgreSQL's default operator
 * classes say (without btree_gin, btree_gist or other extensions): an index, a unique or a
 * primary key over a column whose type has none fails at `migrate up`. Also what each method
 * does not support: unique indexes (all but btree) and several columns (hash).
 */
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { BaseType, ColumnDef, IndexDef, IndexMethod, Span, TableDef, TypeRef } from '../ir.ts';
import { closest } from '../shared/index.ts';

const BASE_TYPES = [
  'smallint', 'integer', 'bigint', 'serial', 'bigserial', 'numeric', 'real', 'double precision', 'boolean', 'text', 'varchar', 'char',
  'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'vector', 'halfvec', 'sparsevec', 'citext', 'enum',
];

/** The types whose arrays no method indexes by default (no element comparison). */
const NO_ARRAYS = new Set(['json', 'vector', 'halfvec', 'sparsevec']);

function every(except: readonly string[]): ReadonlySet<string> {
  return new Set(BASE_TYPES.filter((t) => !except.includes(t)));
}

/** The base types each method has a default operator class for; `[]` marks arrays of the others. */
const METHODS: Readonly<Record<IndexMethod, { readonly scalars: ReadonlySet<string>; readonly arrays: boolean }>> = {
  btree: { scalars: every(['json']), arrays: true },
  hash: { scalars: every(['json', 'vector', 'halfvec', 'sparsevec']), arrays: true },
  gin: { scalars: new Set(['jsonb']), arrays: true },
  gist: { scalars: new Set(), arrays: false },
  brin: {
    scalars: new Set(['smallint', 'integer', 'bigint', 'serial', 'bigserial', 'numeric', 'real', 'double precision', 'text', 'varchar', 'char', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'bytea', 'inet']),
    arrays: false,
  },
  hnsw: { scalars: new Set(), arrays: false },
  ivfflat: { scalars: new Set(['vector']), arrays: false },
};

/** Whether `method` has a default operator class for the type (an array's elements must also compare: not json[]). */
export function indexable(method: IndexMethod, type: TypeRef): boolean {
  const m = METHODS[method];
  if (m === undefined) return true;
  if (!type.array) return m.scalars.has(type.base);
  return m.arrays && !NO_ARRAYS.has(type.base);
}

/** The types a method takes, for hints. */
function takes(method: IndexMethod): string {
  const m = METHODS[method];
  if (method === 'hnsw') return 'an hnsw index needs an opclass, e.g. opclass: vector_cosine_ops (or vector_l2_ops, halfvec_l2_ops, sparsevec_l2_ops, …)';
  if (method === 'ivfflat') return 'ivfflat indexes vector columns by default; other types need an opclass, e.g. opclass: halfvec_l2_ops';
  if (m.scalars.size === 0 && !m.arrays) return `no type of the models language has a default ${method} operator class`;
  if (method === 'gin') return 'gin indexes jsonb and arrays';
  if (method === 'brin') return 'brin indexes numbers, text, uuid, inet, dates, times and intervals (not booleans, enums, json or arrays)';
  return `every type but ${BASE_TYPES.filter((t) => !m.scalars.has(t)).join(', ')} (and json[])`;
}

/** The index problems of a table: methods its columns' types have no operator class for, unique or multi-column indexes a method cannot build. */
export function indexProblems(table: TableDef, declares: (extension: string) => boolean = () => true): Diagnostic[] {
  const out: Diagnostic[] = [];
  const column = (name: string) => table.columns.find((c) => c.name === name);
  for (const i of table.indexes) {
    if (!(i.using in METHODS)) continue;
    if (i.unique && i.using !== 'btree') out.push(error('invalid-index', i.span, `a ${i.using} index cannot be unique: PostgreSQL builds unique indexes with btree only`, 'remove `using` (btree is the default), or `unique`'));
    if (i.using === 'hash' && i.columns.length > 1) out.push(error('invalid-index', i.span, 'a hash index takes one column', 'index each column, or use btree'));
    if ((i.using === 'hnsw' || i.using === 'ivfflat') && i.columns.length > 1) out.push(error('invalid-index', i.span, `an ${i.using} index takes one column`, 'index each vector column on its own'));
    for (const name of i.columns) {
      const c = column(name);
      if (c !== undefined && i.opclasses?.[name] === undefined && !indexable(i.using, c.type)) out.push(methodProblem(i.using, c, i.span, `this ${i.using} index`));
      const most = c !== undefined && (i.using === 'hnsw' || i.using === 'ivfflat') && !c.type.array ? MAX_INDEXED_DIMENSIONS[c.type.base] : undefined;
      if (most !== undefined && c!.type.params[0] > most) {
        out.push(error('invalid-index', i.span, `an ${i.using} index covers at most ${most} dimensions of a ${c!.type.base}, and column '${name}' has ${c!.type.params[0]}`, c!.type.base === 'vector' ? 'a halfvec column takes up to 4000' : undefined));
      }
    }
    out.push(...opclassProblems(i, column, declares), ...withProblems(i));
  }
  for (const c of table.columns) {
    const why = c.primaryKey ? 'a primary key' : c.unique ? 'a unique constraint' : c.index ? 'an index' : undefined;
    if (why !== undefined && !indexable('btree', c.type)) out.push(methodProblem('btree', c, c.span, `${why} (a btree index)`));
  }
  const lists: Array<[string, readonly string[], Span]> = [
    ...(table.primaryKey ? [['the primary key', table.primaryKey.columns, table.primaryKey.span] as [string, readonly string[], Span]] : []),
    ...table.uniques.map((u): [string, readonly string[], Span] => ['this unique constraint', u.columns, u.span]),
  ];
  for (const [what, names, span] of lists) {
    for (const name of names) {
      const c = column(name);
      if (c !== undefined && !indexable('btree', c.type)) out.push(methodProblem('btree', c, span, `${what} (a btree index)`));
    }
  }
  return out;
}

function methodProblem(method: IndexMethod, c: ColumnDef, span: Span, what: string): Diagnostic {
  const hint = c.type.base === 'json' ? 'use jsonb, which btree, hash and gin can index' : takes(method);
  return error('invalid-index', span, `${what} cannot cover column '${c.name}': PostgreSQL has no default ${method} operator class for ${c.type.sql}`, hint);
}

/** An Opclass is an operator class an index may name: its method, the column types it takes, whether it is their default, the extension it needs. */
interface Opclass {
  readonly method: IndexMethod;
  readonly types: readonly BaseType[];
  readonly default?: boolean;
  readonly extension?: string;
}

const TEXTS: readonly BaseType[] = ['text', 'varchar', 'citext'];
const DISTANCES = ['l2', 'ip', 'cosine', 'l1'] as const;

/** The operator classes `opclass:` may name (pgvector 0.8's, and plain btree, gin and gist ones); none other reaches SQL. */
const OPCLASSES: ReadonlyMap<string, readonly Opclass[]> = (() => {
  const map = new Map<string, Opclass[]>();
  const add = (name: string, o: Opclass) => map.set(name, [...(map.get(name) ?? []), o]);
  for (const t of ['vector', 'halfvec', 'sparsevec'] as const) {
    for (const d of DISTANCES) {
      add(`${t}_${d}_ops`, { method: 'hnsw', types: [t], extension: 'vector' });
      if (t !== 'sparsevec' && d !== 'l1') add(`${t}_${d}_ops`, { method: 'ivfflat', types: [t], default: t === 'vector' && d === 'l2', extension: 'vector' });
    }
  }
  add('bit_hamming_ops', { method: 'hnsw', types: [], extension: 'vector' });
  add('bit_hamming_ops', { method: 'ivfflat', types: [], extension: 'vector' });
  add('bit_jaccard_ops', { method: 'hnsw', types: [], extension: 'vector' });
  add('text_pattern_ops', { method: 'btree', types: TEXTS });
  add('varchar_pattern_ops', { method: 'btree', types: TEXTS });
  add('bpchar_pattern_ops', { method: 'btree', types: ['char'] });
  add('jsonb_ops', { method: 'gin', types: ['jsonb'], default: true });
  add('jsonb_path_ops', { method: 'gin', types: ['jsonb'] });
  add('gin_trgm_ops', { method: 'gin', types: TEXTS, extension: 'pg_trgm' });
  add('gist_trgm_ops', { method: 'gist', types: TEXTS, extension: 'pg_trgm' });
  return map;
})();

/** The operator class `name` of `method`, when it takes columns of `type`. */
function opclassFor(name: string, method: IndexMethod, type: TypeRef): Opclass | undefined {
  return OPCLASSES.get(name)?.find((o) => o.method === method && !type.array && o.types.includes(type.base));
}

/** Whether `name` is the default operator class of `method` for `type` (a snapshot leaves it out, as the catalog does). */
function isDefaultOpclass(name: string, method: IndexMethod, type: TypeRef): boolean {
  return opclassFor(name, method, type)?.default === true;
}

/** The operator classes of an index's columns with their types' defaults left out (what a snapshot records). */
export function effectiveOpclasses(i: IndexDef, table: TableDef): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [column, o] of Object.entries(i.opclasses ?? {})) {
    const c = table.columns.find((x) => x.name === column);
    if (c === undefined || !isDefaultOpclass(o.name, i.using, c.type)) out[column] = o.name;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function opclassProblems(i: IndexDef, column: (name: string) => ColumnDef | undefined, declares: (extension: string) => boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, o] of Object.entries(i.opclasses ?? {})) {
    const c = column(name);
    if (!i.columns.includes(name)) {
      out.push(error('invalid-index', o.span, `opclass names column '${name}', which this index does not cover`, `the index covers ${i.columns.join(', ')}`));
      continue;
    }
    if (c === undefined) continue;
    const known = OPCLASSES.get(o.name);
    const fits = [...OPCLASSES].filter(([, list]) => list.some((x) => x.method === i.using && !c.type.array && x.types.includes(c.type.base))).map(([n]) => n);
    const hint = fits.length > 0 ? `${i.using} opclasses for ${c.type.sql}: ${fits.join(', ')}` : `schemac knows no ${i.using} opclass for ${c.type.sql}`;
    if (known === undefined) {
      const guess = closest(o.name, [...OPCLASSES.keys()]);
      out.push(error('invalid-index', o.span, `unknown opclass '${o.name}'`, guess ? `did you mean '${guess}'? (${hint})` : hint));
    } else if (!known.some((x) => x.method === i.using)) {
      out.push(error('invalid-index', o.span, `opclass '${o.name}' is no operator class of ${i.using} (it is one of ${[...new Set(known.map((x) => x.method))].join(', ')})`, hint));
    } else {
      const fit = opclassFor(o.name, i.using, c.type);
      if (fit === undefined) out.push(error('invalid-index', o.span, `opclass '${o.name}' cannot index column '${name}' of type ${c.type.sql}`, hint));
      else if (fit.extension !== undefined && !declares(fit.extension)) out.push(error('missing-extension', o.span, `opclass '${o.name}' needs the ${fit.extension} extension`, `add \`extensions: [${fit.extension}]\` to this file`));
    }
  }
  return out;
}

/** The most dimensions pgvector's hnsw and ivfflat index per type (sparsevec's limit is on non-zero elements, per row). */
const MAX_INDEXED_DIMENSIONS: Readonly<Partial<Record<BaseType, number>>> = { vector: 2000, halfvec: 4000 };

/** The storage parameters of pgvector's methods (their ranges, pgvector's limits, are in the JSON Schema). */
const WITH_LIMITS: Readonly<Partial<Record<IndexMethod, Readonly<Record<string, true>>>>> = {
  hnsw: { m: true, ef_construction: true },
  ivfflat: { lists: true },
};

function withProblems(i: IndexDef): Diagnostic[] {
  if (i.with === undefined) return [];
  const limits = WITH_LIMITS[i.using];
  const span = i.with.span;
  if (limits === undefined) return [error('invalid-index', span, `a ${i.using} index takes no with: parameters`, 'with: sets hnsw (m, ef_construction) and ivfflat (lists) parameters')];
  const out: Diagnostic[] = [];
  for (const [key, value] of Object.entries(i.with.params)) {
    // the JSON Schema checks each value's range where it is written
    if (!Object.hasOwn(limits, key)) out.push(error('invalid-index', span, `an ${i.using} index has no parameter '${key}'`, `${i.using} takes ${Object.keys(limits).join(', ')}`));
    else if (typeof value !== 'number' || !Number.isInteger(value)) out.push(error('invalid-index', span, `${key} must be an integer, not ${JSON.stringify(value)}`));
  }
  const { m, ef_construction: ef } = i.with.params;
  if (i.using === 'hnsw' && typeof ef === 'number' && ef < 2 * (typeof m === 'number' ? m : 16)) {
    out.push(error('invalid-index', span, `ef_construction (${ef}) must be at least twice m (${typeof m === 'number' ? m : '16, the default'})`));
  }
  return out;
}

/** The storage parameters a snapshot records: the integers of a valid `with:`. */
export function indexParams(i: IndexDef): Record<string, number> | undefined {
  const entries = Object.entries(i.with?.params ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
  return entries.length > 0 ? Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))) : undefined;
}
