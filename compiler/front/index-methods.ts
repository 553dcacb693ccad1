/**
 * Which index access methods a column can be indexed by, as PostgreSQL's default operator
 * classes say (without btree_gin, btree_gist or other extensions): an index, a unique or a
 * primary key over a column whose type has none fails at `migrate up`. Also what each method
 * does not support: unique indexes (all but btree) and several columns (hash).
 */
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { ColumnDef, IndexMethod, Span, TableDef, TypeRef } from '../ir.ts';

const BASE_TYPES = [
  'smallint', 'integer', 'bigint', 'serial', 'bigserial', 'numeric', 'real', 'double precision', 'boolean', 'text', 'varchar', 'char',
  'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'vector', 'enum',
];

function every(except: readonly string[]): ReadonlySet<string> {
  return new Set(BASE_TYPES.filter((t) => !except.includes(t)));
}

/** The base types each method has a default operator class for; `[]` marks arrays of the others. */
const METHODS: Readonly<Record<IndexMethod, { readonly scalars: ReadonlySet<string>; readonly arrays: boolean }>> = {
  btree: { scalars: every(['json']), arrays: true },
  hash: { scalars: every(['json', 'vector']), arrays: true },
  gin: { scalars: new Set(['jsonb']), arrays: true },
  gist: { scalars: new Set(), arrays: false },
  brin: {
    scalars: new Set(['smallint', 'integer', 'bigint', 'serial', 'bigserial', 'numeric', 'real', 'double precision', 'text', 'varchar', 'char', 'uuid', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'bytea', 'inet']),
    arrays: false,
  },
};

/** Whether `method` has a default operator class for the type (an array's elements must also compare: not json[]). */
export function indexable(method: IndexMethod, type: TypeRef): boolean {
  const m = METHODS[method];
  if (m === undefined) return true;
  if (!type.array) return m.scalars.has(type.base);
  return m.arrays && type.base !== 'json' && type.base !== 'vector';
}

/** The types a method takes, for hints. */
function takes(method: IndexMethod): string {
  const m = METHODS[method];
  if (m.scalars.size === 0 && !m.arrays) return `no type of the models language has a default ${method} operator class`;
  if (method === 'gin') return 'gin indexes jsonb and arrays';
  if (method === 'brin') return 'brin indexes numbers, text, uuid, inet, dates, times and intervals (not booleans, enums, json or arrays)';
  return `every type but ${BASE_TYPES.filter((t) => !m.scalars.has(t)).join(', ')} (and json[])`;
}

/** The index problems of a table: methods its columns' types have no operator class for, unique or multi-column indexes a method cannot build. */
export function indexProblems(table: TableDef): Diagnostic[] {
  const out: Diagnostic[] = [];
  const column = (name: string) => table.columns.find((c) => c.name === name);
  for (const i of table.indexes) {
    if (!(i.using in METHODS)) continue;
    if (i.unique && i.using !== 'btree') out.push(error('invalid-index', i.span, `a ${i.using} index cannot be unique: PostgreSQL builds unique indexes with btree only`, 'remove `using` (btree is the default), or `unique`'));
    if (i.using === 'hash' && i.columns.length > 1) out.push(error('invalid-index', i.span, 'a hash index takes one column', 'index each column, or use btree'));
    for (const name of i.columns) {
      const c = column(name);
      if (c !== undefined && !indexable(i.using, c.type)) out.push(methodProblem(i.using, c, i.span, `this ${i.using} index`));
    }
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
