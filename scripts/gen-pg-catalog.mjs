#!/usr/bin/env node
// Extracts from a PostgreSQL server the part of its catalog that types SQL fragments
// (compiler/front/pg-catalog.ts): the operators and functions a fragment may use (the
// allowlists of compiler/front/sql-allowlist.ts), the types they and the models language
// name, those types' categories, and the casts between them. The vector extension's
// operators are added by hand (its types are not in a plain server).
// usage: DATABASE_URL=postgres://… node scripts/gen-pg-catalog.mjs [--check]
//   (--check: exit 1 when the file differs from what the server gives)
import fs from 'node:fs';
import pg from 'pg';

const root = new URL('..', import.meta.url);
const target = new URL('compiler/front/pg-catalog.ts', root);

/** The operator and function names a fragment may use, read from the allowlists' source. */
function allowlisted() {
  const text = fs.readFileSync(new URL('compiler/front/sql-allowlist.ts', root), 'utf8');
  const set = (name) => {
    const m = new RegExp(`export const ${name}[^=]*= new Set\\(\\[([\\s\\S]*?)\\]\\)`).exec(text);
    if (!m) throw new Error(`sql-allowlist.ts: ${name} not found`);
    return [...m[1].matchAll(/'([^']*)'/g)].map((x) => x[1]);
  };
  const operators = set('ALLOWED_OPERATORS').filter((o) => !/^[A-Z ]+$/.test(o));
  // the string-growing functions a config may allow (`fragments.allow_functions`) are typed too
  const growing = /export const GROWING_FUNCTIONS[^=]*= new Map\(\[([\s\S]*?)\]\);/.exec(text);
  if (!growing) throw new Error('sql-allowlist.ts: GROWING_FUNCTIONS not found');
  const functions = [...new Set([...set('ALLOWED_FUNCTIONS'), ...[...growing[1].matchAll(/\['([^']*)'/g)].map((x) => x[1])])];
  return { operators, functions };
}

/** The types the models language has (their arrays too), besides what the signatures name. */
const LANGUAGE_TYPES = [
  'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'bool', 'text', 'varchar', 'bpchar', 'uuid', 'date', 'time', 'timetz',
  'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'bytea', 'inet', 'cidr', 'unknown', 'name',
];

/** vector's operators (pgvector 0.8), which a plain server does not have. */
const VECTOR_OPERATORS = [
  ...['=', '<>', '<', '>', '<=', '>='].map((o) => `${o} vector vector bool`),
  '<-> vector vector float8', '<=> vector vector float8', '<#> vector vector float8',
  '+ vector vector vector', '- vector vector vector', '* vector vector vector', '|| vector vector vector',
];

const TYPE_NAME = `(case when t.typelem <> 0 and e.typarray = t.oid then e.typname::text || '[]' else t.typname::text end)`;

export async function generate(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { operators, functions } = allowlisted();
    const ops = await client.query(
      `select o.oprname as name, coalesce(l.n, '') as l, r.n as r, res.n as res
         from pg_operator o
         left join (select t.oid, ${TYPE_NAME} n from pg_type t left join pg_type e on e.oid = t.typelem) l on l.oid = o.oprleft
         join (select t.oid, ${TYPE_NAME} n from pg_type t left join pg_type e on e.oid = t.typelem) r on r.oid = o.oprright
         join (select t.oid, ${TYPE_NAME} n from pg_type t left join pg_type e on e.oid = t.typelem) res on res.oid = o.oprresult
        where o.oprname = any($1) and o.oprnamespace = 'pg_catalog'::regnamespace
        order by 1, 2, 3`,
      [operators],
    );
    const fns = await client.query(
      `select p.proname as name, p.pronargs, p.pronargdefaults as defaults, p.proretset as retset,
              (select array_agg(${TYPE_NAME} order by a.i) from unnest(p.proargtypes) with ordinality a(oid, i)
                 join pg_type t on t.oid = a.oid left join pg_type e on e.oid = t.typelem) as args,
              (select ${TYPE_NAME} from pg_type t left join pg_type e on e.oid = t.typelem where t.oid = p.prorettype) as res,
              (select ${TYPE_NAME} from pg_type t left join pg_type e on e.oid = t.typelem where t.oid = p.provariadic) as variadic
         from pg_proc p
        where p.proname = any($1) and p.pronamespace = 'pg_catalog'::regnamespace and p.prokind = 'f'
        order by 1, 2, 5`,
      [functions],
    );
    const named = new Set(LANGUAGE_TYPES);
    for (const t of LANGUAGE_TYPES) if (t !== 'unknown') named.add(`${t}[]`);
    for (const o of ops.rows) for (const t of [o.l, o.r, o.res]) if (t) named.add(t);
    for (const f of fns.rows) for (const t of [...(f.args ?? []), f.res]) named.add(t);
    const types = await client.query(
      `select n, typcategory as cat, typispreferred as pref, elem from (
         select ${TYPE_NAME} as n, t.typcategory, t.typispreferred, case when t.typelem <> 0 and e.typarray = t.oid then e.typname::text end as elem
           from pg_type t left join pg_type e on e.oid = t.typelem where t.typnamespace = 'pg_catalog'::regnamespace) x
        where n = any($1) order by 1`,
      [[...named]],
    );
    const casts = await client.query(
      `select s.n as s, d.n as d, c.castcontext as ctx, c.castmethod as method from pg_cast c
         join (select t.oid, ${TYPE_NAME} n from pg_type t left join pg_type e on e.oid = t.typelem) s on s.oid = c.castsource
         join (select t.oid, ${TYPE_NAME} n from pg_type t left join pg_type e on e.oid = t.typelem) d on d.oid = c.casttarget
        where s.n = any($1) and d.n = any($1) order by 1, 2`,
      [[...named]],
    );
    const version = (await client.query('show server_version_num')).rows[0].server_version_num;
    return render({ version, ops: ops.rows, fns: fns.rows.filter((f) => !f.retset), types: types.rows, casts: casts.rows });
  } finally {
    await client.end();
  }
}

function render({ version, ops, fns, types, casts }) {
  const lines = (xs) => xs.map((x) => `  ${JSON.stringify(x)},`).join('\n');
  const grouped = (xs, end) => {
    const groups = new Map();
    for (const x of xs) {
      const name = x.slice(0, x.indexOf(end));
      groups.set(name, [...(groups.get(name) ?? []), x.slice(name.length + (end === ' ' ? 1 : 0))]);
    }
    return [...groups].map(([name, items]) => `  ${JSON.stringify(name)}: [${items.map((i) => JSON.stringify(i)).join(', ')}],`).join('\n');
  };
  const typeLines = types.map((t) => `${t.n} ${t.cat}${t.pref ? '!' : ''}${t.elem ? ` ${t.elem}` : ''}`);
  const castLines = casts.map((c) => `${c.s} ${c.d} ${c.ctx}`);
  const opLines = [...ops.map((o) => `${o.name} ${o.l || '-'} ${o.r} ${o.res}`), ...VECTOR_OPERATORS];
  const fnLines = fns.map((f) => `${f.name}(${(f.args ?? []).join(',')})${f.res}${f.variadic ? ` variadic ${f.variadic}` : ''}${f.defaults ? ` defaults ${f.defaults}` : ''}`);
  return `// Generated by scripts/gen-pg-catalog.mjs from PostgreSQL ${version}'s catalog. Do not edit.
/**
 * The part of PostgreSQL's catalog that types SQL fragments: each type's category (a letter,
 * \`!\` when preferred) and element, the casts between the types (context i, a or e), the
 * operators (\`name left right result\`, \`-\` for a prefix operator) and the allowlisted
 * functions (\`name(args)result\`, with \`variadic T\` and \`defaults N\`).
 */

/** \`name category[!] [element]\`. */
export const TYPES: readonly string[] = [
${lines(typeLines)}
];

/** \`source target context\`. */
export const CASTS: readonly string[] = [
${lines(castLines)}
];

/** By name: \`left right result\` (left \`-\` for a prefix operator). */
export const OPERATORS: Readonly<Record<string, readonly string[]>> = {
${grouped(opLines, ' ')}
};

/** By name: \`(args)result [variadic T] [defaults N]\`. */
export const FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
${grouped(fnLines, '(')}
};
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('gen-pg-catalog: set DATABASE_URL to a PostgreSQL server');
    process.exit(2);
  }
  const text = await generate(url);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== text) { console.error('compiler/front/pg-catalog.ts differs from the server\'s catalog: run node scripts/gen-pg-catalog.mjs'); process.exit(1); }
  } else if (current !== text) fs.writeFileSync(target, text);
}
