/**
 * The SQL fragment recogniser against the PostgreSQL parser's check: whenever the recogniser
 * accepts a fragment, `checkFragment` finds no problem in it under the same options, and the
 * tree it builds is the parser's tree (locations aside), so the text printed from it is the
 * text printed from the parser's. And the printer (`sql-deparse.ts`): the text it prints for
 * a parsed expression parses back to the same tree. Checked on every fragment of the
 * repository's workspaces (which the recogniser must accept, so that the parser is rarely
 * loaded), on every keyword in name positions, and on generated fragments from a grammar much
 * wider than the recogniser's, hostile ones included.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fc from 'fast-check';
import { parseSync, scanSync } from 'libpg-query';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALLOWED_FUNCTIONS, ALLOWED_OPERATORS } from '../compiler/front/sql-allowlist.ts';
import type { FragmentOptions } from '../compiler/front/sql-fragment.ts';
import { checkFragment, loadSqlParser } from '../compiler/front/sql-fragment.ts';
import { COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS, UNRESERVED_KEYWORDS } from '../compiler/front/sql-keywords.ts';
import { deparseExpression } from '../compiler/front/sql-deparse.ts';
import { recogniseFragment, recogniseTree } from '../compiler/front/sql-recognise.ts';
import { collectFragments, loadWorkspace } from '../compiler/index.ts';

const RUNS = Number(process.env.SQL_RECOGNISE_RUNS ?? 3000);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const KEYWORDS = [...UNRESERVED_KEYWORDS, ...COL_NAME_KEYWORDS, ...TYPE_FUNC_NAME_KEYWORDS, ...RESERVED_KEYWORDS];

process.env.SCHEMAC_NO_CACHE = '1';
delete process.env.SCHEMAC_CACHE_DIR;

/** How many fragments the recogniser accepted, so that a property cannot pass by accepting nothing. */
let accepted = 0;

/** Undefined when the recogniser is unsure, or the parser's check agrees and the trees are the same; else what differs. */
function disagreement(sql: string, opts: FragmentOptions): string | undefined {
  const tree = recogniseTree(sql, opts);
  if (tree === undefined) return undefined;
  accepted++;
  const found = checkFragment({ kind: 'fragment', sql, span: { file: 'f.yaml', start: 0, end: sql.length } }, opts);
  if (found.length > 0) return `${JSON.stringify(sql)} with ${describe(opts)}: ${found.map((d) => d.message).join('; ')}`;
  const parsed = plain(parserTree(sql));
  return plain(tree) === parsed ? undefined : `${JSON.stringify(sql)}: the recogniser's tree ${plain(tree)} is not the parser's ${parsed}`;
}

/** The fields of the parser's JSON that say where a node was written, not what it is. */
const WHERE = new Set(['location', 'list_start', 'list_end', 'rexpr_list_start', 'rexpr_list_end']);

/** A tree as JSON without locations: two trees are the same when these are equal. */
function plain(tree: unknown): string {
  return JSON.stringify(tree, (k, v) => (WHERE.has(k) ? undefined : v));
}

/** The parser's tree of one expression, as the fragment check parses it. */
function parserTree(sql: string): unknown {
  const parsed = parseSync(`SELECT (${sql}\n)`) as { stmts: Array<{ stmt: { SelectStmt: { targetList: Array<{ ResTarget: { val: unknown } }> } } }> };
  return parsed.stmts[0].stmt.SelectStmt.targetList[0].ResTarget.val;
}

/** How many parsed expressions the printer printed, so that the round trip cannot pass by printing nothing. */
let printed = 0;

/**
 * Undefined when `sql` is not one expression the parser takes, or its printed text parses
 * back to the same tree (and holds nothing the check refuses that the original did not);
 * else what went wrong.
 */
function roundTrip(sql: string): string | undefined {
  let tree: unknown;
  try {
    const parsed = parseSync(`SELECT (${sql}\n)`) as { stmts?: Array<{ stmt?: { SelectStmt?: { targetList?: Array<{ ResTarget?: { val?: unknown; name?: string } }> } } }> };
    const targets = parsed.stmts?.length === 1 ? parsed.stmts[0].stmt?.SelectStmt?.targetList : undefined;
    if (targets?.length !== 1 || targets[0].ResTarget?.name !== undefined || Object.keys(parsed.stmts![0].stmt!.SelectStmt!).length > 3) return undefined;
    tree = targets[0].ResTarget?.val;
  } catch {
    return undefined;
  }
  const out = deparseExpression(tree);
  if ('problem' in out) return undefined;
  printed++;
  if (/[\n\r\u2028\u2029]/.test(out.sql)) return `${JSON.stringify(sql)} printed on more than one line: ${JSON.stringify(out.sql)}`;
  let again: unknown;
  try {
    again = parserTree(out.sql);
  } catch (e) {
    return `${JSON.stringify(sql)} printed as ${JSON.stringify(out.sql)}, which does not parse: ${(e as Error).message}`;
  }
  return plain(again) === plain(tree) ? undefined : `${JSON.stringify(sql)} printed as ${JSON.stringify(out.sql)}, which parses to ${plain(again)}, not ${plain(tree)}`;
}

function describe(opts: FragmentOptions): string {
  const list = (s?: ReadonlySet<string>) => (s ? `[${[...s].join(', ')}]` : '-');
  return `columns ${list(opts.columns)}, types ${list(opts.types)}, functions ${list(opts.allowFunctions)}, immutable ${opts.immutable === true}`;
}

test.before(async () => {
  await loadSqlParser();
});

test('the keyword lists are PostgreSQL 18 scanner keywords of the stated categories', () => {
  assert.is(Math.floor(scanSync('x').version / 10000), 18, 'the keyword lists are those of PostgreSQL 18; update them with libpg-query');
  const kinds: Array<[ReadonlySet<string>, string]> = [
    [UNRESERVED_KEYWORDS, 'UNRESERVED_KEYWORD'], [COL_NAME_KEYWORDS, 'COL_NAME_KEYWORD'],
    [TYPE_FUNC_NAME_KEYWORDS, 'TYPE_FUNC_NAME_KEYWORD'], [RESERVED_KEYWORDS, 'RESERVED_KEYWORD'],
  ];
  for (const [set, kind] of kinds) for (const w of set) assert.is(scanSync(w).tokens[0]?.keywordName, kind, w);
  assert.is(new Set(KEYWORDS).size, KEYWORDS.length, 'no keyword is listed twice');
  assert.is(KEYWORDS.length, 494, 'PostgreSQL 18 has 494 keywords');
});

/** The repository and every golden lint case with models files. */
function workspaces(): string[] {
  const cases = path.join(ROOT, 'tests', 'cases', 'lint');
  return [ROOT, ...fs.readdirSync(cases).map((n) => path.join(cases, n)).filter((d) => fs.existsSync(path.join(d, 'schemas')))];
}

test('every fragment of the repository: the recogniser agrees, and accepts every valid one', async () => {
  let valid = 0;
  for (const dir of workspaces()) {
    const loaded = await loadWorkspace({ cwd: dir, lint: false });
    for (const { fragment, opts } of loaded.workspace ? collectFragments(loaded.workspace) : []) {
      assert.is(disagreement(fragment.sql, opts), undefined, dir);
      if (checkFragment(fragment, opts).length > 0) continue;
      valid++;
      assert.is(recogniseFragment(fragment.sql, opts), 'accepted', `${path.relative(ROOT, dir) || '.'}: ${JSON.stringify(fragment.sql)}`);
    }
  }
  assert.ok(valid >= 20, `expected the repository's valid fragments, found ${valid}`);
});

test('the usual shapes are accepted', () => {
  const columns = new Set(['status', 'amount', 'created_at', 'version', 'email', 'is_active', 'code']);
  const opts: FragmentOptions = { columns, types: new Set(['order_status']) };
  const usual = [
    'amount >= 0', "status IN ('a', 'b')", 'amount BETWEEN 0 AND 365', 'email IS NOT NULL AND created_at IS NULL', 'is_active',
    "status <> 'x' OR created_at IS NOT NULL", "lower(email) = 'x'", "code ~ '^[a-z]+$'", 'amount::numeric > 1.5', 'NOT is_active',
    "status::text LIKE 'a%'", "status = 'open'::order_status", 'created_at < now()', 'length(code) <= 64', 'amount % 2 = 0',
    'version >= 1', "(amount > 0) = true", 'amount NOT IN (1, 2)', 'is_active IS NOT FALSE', "email NOT ILIKE '%@example.com'",
    "created_at > current_timestamp", 'amount * 2 + 1 > -1',
  ];
  for (const sql of usual) {
    assert.is(recogniseFragment(sql, opts), 'accepted', sql);
    assert.is(disagreement(sql, opts), undefined);
  }
  const defaults: FragmentOptions = { columns: new Set() };
  for (const sql of ['now()', 'gen_random_uuid()', "'{}'::jsonb", '1 + 2', 'current_date', "'a' || 'b'"]) {
    assert.is(recogniseFragment(sql, defaults), 'accepted', sql);
    assert.is(disagreement(sql, defaults), undefined);
  }
});

test('every keyword as a column, function and type name: the recogniser agrees', () => {
  const before = accepted;
  for (const k of KEYWORDS) {
    const opts: FragmentOptions = { columns: new Set([k, 'x']), allowFunctions: new Set([k, 'lower']), types: new Set([k]) };
    const forms = [
      k, `${k} = 1`, `1 = ${k}`, `x = ${k}`, `${k}(x)`, `${k}()`, `x::${k}`, `${k} IS NULL`, `x IN (${k})`, `x BETWEEN ${k} AND ${k}`,
      `x LIKE ${k}`, `NOT ${k}`, `-${k}`, `${k}::text`, `(${k})`, `lower(${k})`, `${k} || x`, `x ~ ${k}`, `${k} AND x`, `x OR ${k}`,
      `${k.toUpperCase()} <> x`,
    ];
    for (const sql of forms) {
      assert.is(disagreement(sql, opts), undefined);
      assert.is(disagreement(sql, { ...opts, immutable: true }), undefined);
    }
  }
  assert.ok(accepted - before > 2000, `the recogniser should take most unreserved keywords as names, took ${accepted - before} forms`);
});

test('type names a cast may use: the recogniser agrees', () => {
  const spellings = [
    'int', 'integer', 'smallint', 'bigint', 'real', 'float', 'decimal', 'dec', 'numeric', 'boolean', 'bool', 'varchar', 'time', 'timestamp',
    'interval', 'json', 'jsonb', 'text', 'uuid', 'date', 'timestamptz', 'int2', 'int4', 'int8', 'float4', 'float8', 'char', 'character',
    'bit', 'nchar', 'double', 'bytea', 'inet', 'cidr', 'vector', 'citext', 'money', 'regclass', 'oid', 'name', 'xml', 'Int', 'TEXT',
  ];
  for (const t of spellings) {
    assert.is(disagreement(`x::${t}`, { columns: new Set(['x']) }), undefined);
    assert.is(disagreement(`'a'::${t}`, { columns: new Set(), types: new Set([t]) }), undefined);
  }
  for (const t of ['int', 'integer', 'text', 'jsonb', 'boolean', 'timestamptz']) assert.is(recogniseFragment(`x::${t}`, { columns: new Set(['x']) }), 'accepted', t);
});

// Generated fragments: a grammar of SQL expressions much wider than the recogniser's.

const COLUMN_NAMES = ['status', 'amount', 'x', 'y', 'email', 'version', 'name', 'type', 'value', 'at', 'nulls', 'format', 'double', 'is_active', 'created_at', 'Status', 'a'.repeat(63), 'b'.repeat(64), 'user', 'end', 'int', 'time', 'left', 'position'];
const TYPE_NAMES = ['mood', 'double', 'status', 'Mood', 'json', 'text', 'int', 'regclass'];
const FUNCTION_NAMES = [
  ...ALLOWED_FUNCTIONS, 'pg_sleep', 'count', 'exists', 'coalesce', 'greatest', 'nextval', 'random', 'set_config', 'format', 'replace', 'nulls',
  'version', 'pg_catalog.lower', 'public.lower', 'LOWER', 'Now', '"lower"', 'clock_timestamp', 'pg_read_file',
];

const separator = fc.constantFrom(' ', ' ', ' ', ' ', '', '', '\n', '\t', '  ', '\r', '\f', '\v', '\u00a0', '\u2028');

const opts: fc.Arbitrary<FragmentOptions> = fc.record({
  columns: fc.subarray(COLUMN_NAMES).map((c) => new Set(c)),
  types: fc.option(fc.subarray(TYPE_NAMES).map((t) => new Set(t)), { nil: undefined }),
  allowFunctions: fc.option(fc.subarray(FUNCTION_NAMES.filter((f) => /^[a-z_]+$/.test(f))).map((f) => new Set(f)), { nil: undefined, freq: 4 }),
  immutable: fc.boolean(),
}, { requiredKeys: ['columns'] });

const number = fc.oneof(
  fc.nat().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('0', '1', '-1', '1.5', '.5', '1.', '1e5', '1E-3', '1_000', '0x1F', '0o17', '0b101', '123abc', '99999999999999999999', '1..2', '00', '1.5.3', '1$'),
);
const string = fc.oneof(
  fc.string({ unit: 'grapheme-ascii' }).map((s) => `'${s.replaceAll("'", "''")}'`),
  fc.string({ unit: 'binary' }).map((s) => `'${s.replaceAll("'", "''")}'`),
  fc.string({ unit: fc.constantFrom("'", '\\', 'a', '\n', ' ', '%', '$', ';', '-', '/', '*') }).map((s) => `'${s}'`),
  fc.constantFrom("E'a\\'b'", "e'x'", '$$x$$', '$tag$x$tag$', "B'01'", "X'1F'", "U&'d\\0061'", "N'x'", "'a' 'b'", "'a'\n'b'", "'\\'", "''", "'it''s'", "'é'", "'\u0000'"),
);
const word = fc.constantFrom(...COLUMN_NAMES, ...KEYWORDS, 'clients.id', 't.x', 't.*', '*', '"status"', '"Status"', '"x""y"', 'x$', 'é', 'ß', '_x', 'X1');
const junk = fc.constantFrom(
  '$1', '?', ';', '--', '/*', '*/', '/* c */', '-- c\n', ',', ')', '(', '::', '[', ']', '{', '}', '"', "'", '\\', '@', '#', '`', '%', 'SELECT 1',
  '(SELECT 1)', 'EXISTS (SELECT 1)', 'ARRAY[1,2]', 'CASE WHEN x THEN 1 ELSE 2 END', 'x[1]', "interval '1 day'", "date '2024-01-01'", 'current_user',
  'session_user', 'current_timestamp(3)', 'count(*)', 'lower(DISTINCT x)', 'now() OVER ()', 'x COLLATE "C"', 'ROW(1,2)', '(1,2)', '\u0000', '\ufffd', '\ud800',
  'x IS DISTINCT FROM y', 'x AT TIME ZONE \'utc\'', 'x OPERATOR(pg_catalog.=) y', "x SIMILAR TO 'a'", "x LIKE 'a' ESCAPE '!'", 'lower(x => 1)',
);
const operator = fc.constantFrom(
  ...[...ALLOWED_OPERATORS].filter((o) => !o.includes('BETWEEN')), 'AND', 'OR', 'and', 'Or', '=-', '>-', '!=-', '<=>', '#', '@', '^', '**', 'IS',
  'LIKE', 'NOT LIKE', 'ILIKE', 'not ilike', 'SIMILAR TO', 'IS DISTINCT FROM', '||/', '!', ',', ':=', '=>', '*-', '<-', '-', '+', '::',
);
const castType = fc.constantFrom(
  ...TYPE_NAMES, 'int', 'integer', 'text', 'uuid', 'jsonb', 'double precision', 'varchar(10)', 'int[]', 'timestamp with time zone', 'timestamptz',
  'bool', 'boolean', '"mood"', 'pg_catalog.int4', 'public.mood', 'char', 'float', 'interval', 'time', 'date', 'real', 'numeric(10,2)', 'bigint',
  'smallint', 'dec', 'decimal', 'citext', 'vector', 'money', 'oid', 'INT', 'Text', 'a'.repeat(64),
);
const prefix = fc.constantFrom('-', '+', 'NOT', 'not', '~', '!', '@', '- -', '--');
const suffix = fc.constantFrom('IS NULL', 'IS NOT NULL', 'is null', 'ISNULL', 'NOTNULL', 'IS TRUE', 'is not false', 'IS UNKNOWN', 'IS DOCUMENT', '!', '[1]', 'IS', 'IS NOT');

/** Joins parts with generated separators. */
function spaced(...parts: Array<fc.Arbitrary<string>>): fc.Arbitrary<string> {
  return fc.tuple(...parts.flatMap((p, i) => (i === 0 ? [p] : [separator, p]))).map((xs) => xs.join(''));
}

const text = (...xs: string[]) => fc.constantFrom(...xs);

const { expression: wide } = fc.letrec((tie) => {
  const e = tie('expression') as fc.Arbitrary<string>;
  const list = fc.array(e, { maxLength: 3 }).map((xs) => xs.join(', '));
  return {
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.oneof(word, number, string, junk, text('true', 'false', 'null', 'TRUE', 'current_date', 'localtime', 'current_timestamp')),
      spaced(e, operator, e),
      spaced(prefix, e),
      spaced(e, suffix),
      spaced(e, text('::', ' :: '), castType),
      spaced(fc.constantFrom(...FUNCTION_NAMES), text('(', '(', ' ('), list, text(')')),
      spaced(e, text('IN', 'NOT IN', 'in', 'not in'), text('('), list, text(')')),
      spaced(e, text('BETWEEN', 'NOT BETWEEN', 'BETWEEN SYMMETRIC'), e, text('AND', 'and', 'OR'), e),
      spaced(text('('), e, text(')', ')', ')', '', '))')),
    ),
  };
});

test('generated fragments, hostile ones included: whenever the recogniser accepts, the parser check agrees', () => {
  const before = accepted;
  fc.assert(fc.property(wide, opts, (sql, o) => disagreement(sql, o) === undefined), { numRuns: RUNS });
  assert.ok(accepted - before > RUNS / 100, `the recogniser accepted only ${accepted - before} of ${RUNS}`);
});

test('generated expressions, hostile ones included: the printed text parses back to the same tree', () => {
  const before = printed;
  fc.assert(fc.property(wide, (sql) => roundTrip(sql) === undefined), { numRuns: RUNS });
  fc.assert(fc.property(near, (sql) => roundTrip(sql) === undefined), { numRuns: RUNS });
  assert.ok(printed - before > RUNS / 2, `the printer printed only ${printed - before} of ${2 * RUNS}`);
});

test('every keyword as a column, function, type and collation name, quoted or not: printed and parsed back the same', () => {
  const before = printed;
  for (const k of KEYWORDS) {
    for (const name of [k, `"${k}"`, `"${k.toUpperCase()}"`]) {
      for (const sql of [name, `${name}(x)`, `x::${name}`, `x::${name}[]`, `x COLLATE ${name}`, `(x).${name}`, `x.${name}`, `pg_catalog.${name}(x)`, `x::pg_catalog.${name}`]) {
        assert.is(roundTrip(sql), undefined);
      }
    }
  }
  assert.ok(printed - before > 5000, `printed only ${printed - before}`);
});

test('every allowed operator, and the SQL-syntax forms of allowed functions: printed and parsed back the same', () => {
  const before = printed;
  const operands = ['x', '-x', '-1', '(a + b)', 'a || b', 'a = b', 'NOT a', 'a AND b', 'a IS NULL', "x COLLATE \"C\"", "x AT TIME ZONE 'utc'", 'x::int', "a LIKE 'b'"];
  for (const op of ALLOWED_OPERATORS) {
    if (op.includes('BETWEEN')) continue;
    for (const l of operands) for (const r of operands) assert.is(roundTrip(`${l} ${op} ${r}`), undefined);
    for (const r of operands) assert.is(roundTrip(`${op} ${r}`), undefined);
  }
  for (const l of operands) for (const r of operands) {
    for (const form of ['BETWEEN', 'NOT BETWEEN', 'BETWEEN SYMMETRIC', 'NOT BETWEEN SYMMETRIC']) assert.is(roundTrip(`${l} ${form} ${r} AND ${l}`), undefined);
    for (const form of ['IN', 'NOT IN']) assert.is(roundTrip(`${l} ${form} (${r}, ${l})`), undefined);
    for (const form of ['LIKE', 'NOT ILIKE', 'SIMILAR TO', 'NOT SIMILAR TO']) {
      assert.is(roundTrip(`${l} ${form} ${r}`), undefined);
      assert.is(roundTrip(`${l} ${form} ${r} ESCAPE ${l}`), undefined);
    }
    for (const form of ['IS DISTINCT FROM', 'IS NOT DISTINCT FROM', '= ANY', '<> ALL']) assert.is(roundTrip(`${l} ${form} ${form.includes('ANY') || form.includes('ALL') ? `(${r})` : r}`), undefined);
    for (const sql of [`${l} AT TIME ZONE ${r}`, `${l} AT LOCAL`, `EXTRACT(day FROM ${l})`, `POSITION(${l} IN ${r})`, `SUBSTRING(${l} FROM ${r} FOR ${l})`,
      `SUBSTRING(${l} FOR ${r})`, `TRIM(BOTH ${l} FROM ${r})`, `TRIM(LEADING FROM ${r})`, `TRIM(${r})`, `${l} IS TRUE`, `(${l})::text[]`, `(${l})[1:2]`]) {
      assert.is(roundTrip(sql), undefined);
    }
  }
  assert.ok(printed - before > 3000, `printed only ${printed - before}`);
});

test('hostile literals are printed so that no setting or line changes what they mean', () => {
  const hostile = ["'\\'", "'a\\' || 'b'", "E'\\n-- migrate:down\\r\\nx'", "'$schemac$'", "'*/ -- $$'", "E'\\u2028\\u2029\\u0085'", "E'\\x01\\t'", "'\\' || ')); CREATE ROLE evil SUPERUSER; --'"];
  for (const sql of hostile) {
    assert.is(roundTrip(sql), undefined);
    const out = deparseExpression(parserTree(sql));
    assert.ok('sql' in out && !/[\n\r\u2028\u2029\u0085\x00-\x1f]/.test(out.sql), sql);
    // Read with standard_conforming_strings off, a printed literal keeps its meaning: a backslash only ever appears in E'' strings.
    assert.ok('sql' in out && !/(^|[^E])'[^']*\\/.test(out.sql.replace(/E'(?:[^'\\]|''|\\.)*'/g, "E''")), out.sql);
  }
});

// Generated fragments close to the recogniser's grammar, so that most are accepted and its corners are exercised.

const { expression: near } = fc.letrec((tie) => {
  const e = tie('expression') as fc.Arbitrary<string>;
  const leaf = fc.oneof(
    fc.constantFrom('status', 'amount', 'x', 'version', 'name', 'at', 'nulls', 'Status', 'y', 'double'),
    fc.constantFrom('0', '1', '42', '1.5', '-1', "'a'", "''", "'it''s'", "'a\\b'", "'%'", 'true', 'FALSE', 'null', 'current_date', 'localtimestamp'),
    string,
  );
  const list = fc.array(e, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(', '));
  return {
    expression: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      spaced(e, fc.constantFrom('=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '~', '~*', '!~', '!~*', '||', 'AND', 'OR', 'LIKE', 'NOT ILIKE', 'IS', '^'), e),
      spaced(text('-', 'NOT', '-', '+'), e),
      spaced(e, text('IS NULL', 'IS NOT NULL', 'IS TRUE', 'IS NOT FALSE')),
      spaced(e, text('::'), fc.constantFrom('int', 'integer', 'text', 'jsonb', 'numeric', 'boolean', 'mood', 'double', 'timestamp', 'json', 'float', 'real', 'char', 'regclass')),
      spaced(fc.constantFrom('lower', 'upper', 'length', 'now', 'abs', 'btrim', 'replace', 'round', 'gen_random_uuid', 'md5', 'left', 'nosuch'), text('('), fc.option(list, { nil: '' }), text(')')),
      spaced(e, text('IN', 'NOT IN'), text('('), list, text(')')),
      spaced(e, text('BETWEEN', 'NOT BETWEEN'), e, text('AND'), e),
      spaced(text('('), e, text(')')),
    ),
  };
});

const nearOpts: fc.Arbitrary<FragmentOptions> = fc.record({
  columns: fc.subarray(['status', 'amount', 'x', 'version', 'name', 'at', 'nulls', 'y', 'double'], { minLength: 7 }).map((c) => new Set(c)),
  types: fc.option(fc.subarray(['mood', 'double', 'regclass']).map((t) => new Set(t)), { nil: undefined }),
  immutable: fc.boolean(),
}, { requiredKeys: ['columns'] });

test('generated fragments near the usual shapes: the recogniser agrees, and accepts many', () => {
  const before = accepted;
  fc.assert(fc.property(near, nearOpts, (sql, o) => disagreement(sql, o) === undefined), { numRuns: RUNS });
  assert.ok(accepted - before > RUNS / 10, `the recogniser accepted only ${accepted - before} of ${RUNS}`);
});

test('the types a cast may name are on the allowlist or the workspace enums', () => {
  assert.is(recogniseFragment('x::regclass', { columns: new Set(['x']) }), 'unknown');
  assert.is(recogniseFragment('x::mood', { columns: new Set(['x']), types: new Set(['mood']) }), 'accepted');
  assert.is(recogniseFragment('x::mood', { columns: new Set(['x']) }), 'unknown');
});

test.run();
