/**
 * `redundant-index`: an index that another index, the primary key or a unique constraint of
 * the same table already serves — its columns lead the other's, with the same method and
 * predicate (`unique: true` plus `index: true` on one column is the common case). PostgreSQL
 * keeps both up to date on every write and the planner uses one. A unique index is redundant
 * only beside a key on exactly its columns: a longer key does not enforce it.
 */
import type { Span, TableDef } from '../../ir.ts';
import type { Finding, SchemaRule } from '../rule.ts';
import { allTables } from '../walk.ts';

/** One access path of a table, in declaration order. */
interface Path {
  readonly what: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly using: string;
  readonly where: string;
  readonly span: Span;
  /** Only indexes can be redundant: keys and unique constraints enforce something. */
  readonly index: boolean;
  readonly column?: string;
  readonly hint: string;
}

/** The redundant-index rule. */
export const redundantIndex: SchemaRule = {
  id: 'redundant-index',
  defaultSeverity: 'warn',
  description:
    'No index is served by another index, the primary key or a unique constraint of its table (its columns leading the other\'s, same method and predicate): each index costs every write.',
  check({ workspace }, report) {
    for (const table of allTables(workspace)) for (const f of findings(table)) report(f);
  },
};

function pathsOf(table: TableDef): Path[] {
  const paths: Path[] = [];
  const pk = table.primaryKey?.columns ?? table.columns.filter((c) => c.primaryKey).map((c) => c.name);
  const pkSpan = table.primaryKey?.span ?? table.columns.find((c) => c.primaryKey)?.span ?? table.span;
  if (pk.length > 0) paths.push({ what: `the primary key (${pk.join(', ')})`, columns: pk, unique: true, using: 'btree', where: '', span: pkSpan, index: false, hint: '' });
  for (const c of table.columns) {
    if (c.unique && !c.primaryKey) {
      paths.push({ what: `the unique column ${c.name}`, columns: [c.name], unique: true, using: 'btree', where: '', span: c.span, index: false, hint: '' });
    }
    if (c.index) {
      paths.push({ what: `the index on ${c.name}`, columns: [c.name], unique: false, using: 'btree', where: '', span: c.span, index: true, column: c.name, hint: `remove \`index: true\` from ${c.name}` });
    }
  }
  for (const u of table.uniques) {
    paths.push({ what: `the unique constraint (${u.columns.join(', ')})`, columns: u.columns, unique: true, using: 'btree', where: '', span: u.span, index: false, hint: '' });
  }
  for (const i of table.indexes) {
    const name = i.name === undefined ? `(${i.columns.join(', ')})` : `${i.name} (${i.columns.join(', ')})`;
    paths.push({
      what: `the ${i.unique ? 'unique ' : ''}index ${name}`, columns: i.columns, unique: i.unique, where: i.where?.sql.trim() ?? '',
      // an index with operator classes serves other lookups than a plain one of its method: never the same path
      using: i.opclasses === undefined ? i.using : `${i.using} ${Object.entries(i.opclasses).map(([c, o]) => `${c}:${o.name}`).join(',')}`,
      span: i.span, index: true, hint: `remove the index entry ${name}`,
    });
  }
  return paths;
}

function findings(table: TableDef): Finding[] {
  const paths = pathsOf(table);
  const out: Finding[] = [];
  paths.forEach((p, i) => {
    if (!p.index || (p.using !== 'btree' && p.using !== 'hash')) return;
    const by = paths.find((q, j) => j !== i && serves(q, p) && (!sameShape(q, p) || !q.index || j < i));
    if (by === undefined) return;
    out.push({
      span: p.span,
      table: table.name,
      ...(p.column === undefined ? {} : { column: p.column }),
      message: `${p.what} on '${table.name}' is redundant: ${by.what} already serves it`,
      hint: p.hint,
    });
  });
  return out;
}

/** True when `q` serves every lookup `p` serves: same method and predicate, `p`'s columns leading `q`'s, and `p`'s uniqueness enforced by `q`. */
function serves(q: Path, p: Path): boolean {
  if (q.using !== p.using || q.where !== p.where || q.columns.length < p.columns.length) return false;
  if (!p.columns.every((c, k) => q.columns[k] === c)) return false;
  if (p.using === 'hash' && q.columns.length !== p.columns.length) return false;
  return !p.unique || (q.unique && q.columns.length === p.columns.length);
}

function sameShape(q: Path, p: Path): boolean {
  return q.columns.length === p.columns.length && q.unique === p.unique;
}
