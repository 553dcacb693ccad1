/**
 * What `introspect` does not read of an index, for `schemac pull`: the operator class of
 * each key column (null where it is the type's default for the method; always named for
 * pgvector's hnsw and ivfflat) and the storage parameters (`WITH (m = 16)`).
 */
import type { Queryable } from './driver.ts';

/** IndexExtras are an index's operator classes and storage parameters. */
export interface LiveIndexExtras {
  readonly opclasses: readonly (string | null)[];
  readonly with: Readonly<Record<string, string>>;
}

/** `table.index` → extras, for every index of a `public` table. */
export async function indexExtras(q: Queryable): Promise<Map<string, LiveIndexExtras>> {
  const rows = await q.query<{ table: string; name: string; method: string; opclasses: string[] | string; defaults: boolean[] | string; options: string[] | string | null }>(SQL);
  const out = new Map<string, LiveIndexExtras>();
  for (const r of rows) {
    const names = list(r.opclasses);
    const defaults = list(r.defaults).map((d) => d === true || d === 't' || d === 'true');
    const explicit = r.method === 'hnsw' || r.method === 'ivfflat';
    const opclasses = names.map((n, i) => (defaults[i] && !explicit ? null : n));
    const options = Object.fromEntries(list(r.options).map((o) => String(o)).map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
    out.set(`${r.table}.${r.name}`, { opclasses, with: options });
  }
  return out;
}

function list<T>(v: T[] | string | null): Array<T | string> {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string' || v === '{}' || v === '') return [];
  return v.slice(1, -1).split(',').map((s) => s.replace(/^"(.*)"$/, '$1'));
}

const SQL = `
  select c.relname::text as table, ic.relname::text as name, am.amname::text as method,
         array(select opc.opcname::text from unnest(i.indclass::oid[]) with ordinality k(oid, ord)
               join pg_opclass opc on opc.oid = k.oid where k.ord <= i.indnkeyatts order by k.ord) as opclasses,
         array(select opc.opcdefault from unnest(i.indclass::oid[]) with ordinality k(oid, ord)
               join pg_opclass opc on opc.oid = k.oid where k.ord <= i.indnkeyatts order by k.ord) as defaults,
         ic.reloptions::text[] as options
  from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
  join pg_namespace n on n.oid = c.relnamespace join pg_am am on am.oid = ic.relam
  where n.nspname = 'public'
  order by c.relname, ic.relname`;
