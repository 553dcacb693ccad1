/**
 * Unit tables for the front end: globs, types, literals, SQL fragments, the IR built from
 * a models file, the reporters, and the `lint` command's streams and exit codes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { literalProblem } from '../compiler/front/defaults.ts';
import { compileGlob, matchGlob } from '../compiler/front/discover.ts';
import { createFileCache } from '../compiler/front/file-cache.ts';
import { parseYaml } from '../compiler/front/parse.ts';
import { checkFragment, loadSqlParser } from '../compiler/front/sql-fragment.ts';
import { memoizedTypeParser, parseType } from '../compiler/front/type-ref.ts';
import { loadWorkspace } from '../compiler/index.ts';
import type { Fragment, Span } from '../compiler/ir.ts';
import { locate, renderDiagnostics } from '../compiler/report/index.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const SPAN: Span = { file: 'm.yaml', start: 0, end: 0 };

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-fe-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}


test('globs: ** spans folders, * one name, {org} captures', () => {
  const g = compileGlob('schemas/custom_tools/{org}/**/models.yaml');
  assert.is(g.base, 'schemas/custom_tools');
  assert.is(matchGlob(g, 'schemas/custom_tools/acme/models.yaml'), 'acme');
  assert.is(matchGlob(g, 'schemas/custom_tools/acme/a/b/models.yaml'), 'acme');
  assert.is(matchGlob(g, 'schemas/custom_tools/models.yaml'), undefined);
  assert.is(matchGlob(g, 'schemas/custom_tools/acme/models.yml'), undefined);
  const star = compileGlob('db/*.yaml');
  assert.is(matchGlob(star, 'db/core.yaml'), '');
  assert.is(matchGlob(star, 'db/x/core.yaml'), undefined);
  assert.is(matchGlob(compileGlob('a.b/(x)/*.yaml'), 'a.b/(x)/y.yaml'), '');
});

test('types: canonical SQL, modifiers, enums, arrays, hints', () => {
  const cases: Array<[string, string | RegExp]> = [
    ['integer', 'integer'], ['varchar(50)', 'varchar(50)'], ['numeric(10, 2)', 'numeric(10,2)'], ['numeric', 'numeric'],
    ['double   precision', 'double precision'], ['text[]', 'text[]'], ['acme_status', 'acme_status'], ['vector(3)', 'vector(3)'],
    ['int', /did you mean 'integer'/], ['varchar', /needs a length/], ['integer(4)', /takes no size/], ['char(0)', /out of range/],
    ['numeric(10', /cut short/], ['uuid[][]', /one-dimensional/], ['Varchar(5)!', /not a valid type/],
  ];
  for (const [text, want] of cases) {
    const r = parseType(text, SPAN);
    if (typeof want === 'string') assert.is(r.type?.sql, want, text);
    else assert.match(`${r.diagnostic?.message} ${r.diagnostic?.hint}`, want, text);
  }
  assert.is(parseType('acme_status[]', SPAN).type?.enumName, 'acme_status');
});

test('types: a memoized parser gives what parseType gives (diagnostics at the span of each use), the same TypeRef for a repeated text', () => {
  const parse = memoizedTypeParser();
  const texts = ['integer', 'varchar(50)', 'numeric(10, 2)', 'text[]', 'acme_status', 'acme_status[]', 'int', 'numeric(10'];
  for (const [i, text] of [...texts, ...texts].entries()) {
    const span: Span = { file: 'm.yaml', start: i, end: i + text.length };
    assert.is(JSON.stringify(parse(text, span)), JSON.stringify(parseType(text, span)), text);
  }
  assert.ok(parse('varchar(50)', SPAN).type === parse('varchar(50)', { file: 'm.yaml', start: 1, end: 2 }).type);
});

test('literals are type-checked against the column type', () => {
  const t = (s: string) => parseType(s, SPAN).type!;
  const ok: Array<[unknown, string]> = [[1, 'integer'], [true, 'boolean'], ['a', 'varchar(1)'], [[1, 2], 'integer[]'], [{ a: 1 }, 'jsonb'], ['2024-02-29', 'date'],
    ['2024-01-01 10:00:00+02', 'timestamptz'], ['10.0.0.1/8', 'inet'], [[1, 2, 3], 'vector(3)'], [9.99, 'numeric(3,2)'], ['00000000-0000-0000-0000-000000000000', 'uuid']];
  for (const [v, type] of ok) assert.is(literalProblem(v, t(type)), undefined, `${JSON.stringify(v)} ${type}`);
  const bad: Array<[unknown, string]> = [['1', 'integer'], [1.5, 'integer'], [40000, 'smallint'], ['yes', 'boolean'], ['ab', 'char(1)'], [[1, 'x'], 'integer[]'],
    ['2023-02-29', 'date'], ['nope', 'inet'], [[1, 2], 'vector(3)'], [10.5, 'numeric(3,2)'], [1, 'text'], ['x', 'uuid']];
  for (const [v, type] of bad) assert.type(literalProblem(v, t(type)), 'string', `${JSON.stringify(v)} ${type}`);
});

test('sql fragments: expressions over own columns pass; escapes are refused', async () => {
  await loadSqlParser();
  const columns = new Set(['amount', 'status', 'paid_at']);
  const check = (sql: string) => checkFragment({ kind: 'fragment', sql, span: SPAN } as Fragment, { columns });
  for (const sql of ["amount >= 0", "status <> 'paid' OR paid_at IS NOT NULL", "lower(status) IN ('a', 'b')", 'amount BETWEEN 1 AND 10',
    "coalesce(amount, 0) > 0", "status::text ~ '^[a-z]+$'", "CASE WHEN amount > 0 THEN true ELSE false END", "paid_at < now() - interval '1 day'"]) {
    assert.equal(check(sql), [], sql);
  }
  const refused: Array<[string, RegExp]> = [
    ['1); DROP TABLE x; --', /parenthesis|comment|';'/], ['(SELECT 1)', /subquery/], ['pg_sleep(10)', /pg_sleep/], ["now()); drop table y", /parenthesis/],
    ['amount > 0 -- hi', /comments/], ['other.amount > 0', /own columns/], ['nosuch > 0', /not a column/], ['amount::regclass', /cast/],
    ['amount >', /not valid SQL/], ['amount > 0; SELECT 1', /';'/], ['x) OR (true', /parenthesis/], ['count(*) > 1', /count/],
    ['amount > $1', /parameters/], ["current_user = 'x'", /current_user/],
  ];
  for (const [sql, want] of refused) {
    const d = check(sql);
    assert.ok(d.length > 0, sql);
    assert.match(d[0].message, want, sql);
  }
});

test('sql fragments point inside the fragment when it maps onto the source', async () => {
  await loadSqlParser();
  const source = 'check: "amount > pg_sleep(1)"';
  const start = source.indexOf('"');
  const d = checkFragment({ kind: 'fragment', sql: 'amount > pg_sleep(1)', span: { file: 'f', start, end: source.length } }, { columns: new Set(['amount']), source });
  assert.is(d[0].span.start, source.indexOf('pg_sleep'));
});

test('parse refuses hostile YAML quickly', () => {
  const started = performance.now();
  const cases: Array<[string, string]> = [
    ['', 'empty-file'], ['# only a comment\n', 'empty-file'], ['- a\n', 'not-a-map'], ['a: [1\n', 'yaml-syntax'], ['a: 1\na: 2\n', 'duplicate-key'],
    ['a: &x 1\nb: *x\n', 'yaml-alias'], [`a: ${'['.repeat(100_000)}`, 'yaml-depth'], [`a: ${'{b: '.repeat(70)}1${'}'.repeat(70)}\n`, 'yaml-depth'],
    ['a: !!binary aGk=\n', 'yaml-tag'], ['a: "x\\0y"\n', 'invalid-character'], ['a: 1\n---\nb: 2\n', 'yaml-syntax'],
  ];
  for (const [text, code] of cases) {
    const r = parseYaml('f.yaml', text);
    assert.is(r.doc, undefined, code);
    assert.is(r.diagnostics[0]?.code, code, JSON.stringify(text.slice(0, 40)));
  }
  assert.ok(performance.now() - started < 2000);
});

test('loadWorkspace builds the IR with key and value spans', async () => {
  const dir = workspace({
    'schemas/core/models.yaml': CORE_CLIENTS,
    'schemas/custom_tools/acme/billing/models.yaml': `tables:
  acme_invoices:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade, index: true }
      amount: { type: "numeric(10,2)", default: 0, check: amount >= 0 }
      note: text?
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - { columns: [note], where: "note IS NOT NULL" }
enums:
  acme_state: { values: [a, b], renamed_from: acme_status }
`,
  });
  const r = await loadWorkspace({ cwd: dir });
  assert.is(r.configError, false);
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const ws = r.workspace!;
  assert.equal(ws.owners, ['core', 'acme']);
  const t = ws.tables.get('acme_invoices')!;
  assert.is(t.owner, 'acme');
  assert.equal(t.columns.map((c) => c.name), ['id', 'client_id', 'amount', 'note', 'created_at', 'updated_at']);
  const text = r.sources.get(t.file)!;
  const amount = t.columns[2];
  assert.is(text.slice(amount.span.start, amount.span.end), 'amount');
  assert.ok(text.slice(amount.valueSpan.start, amount.valueSpan.end).startsWith('{ type: "numeric(10,2)"'));
  assert.is(text.slice(amount.typeSpan.start, amount.typeSpan.end), '"numeric(10,2)"');
  assert.equal(t.columns[3].typeSpan, t.columns[3].valueSpan, 'a shorthand column: its type is its value');
  assert.equal(amount.default, { kind: 'literal', value: 0, span: amount.default!.span });
  assert.is(amount.type.sql, 'numeric(10,2)');
  assert.is(t.columns[3].nullable, true);
  assert.equal(t.columns[1].references && { ...t.columns[1].references, span: undefined }, { kind: 'reference', table: 'clients', column: 'id', onDelete: 'cascade', onUpdate: 'no action', span: undefined });
  assert.is(t.columns[5].onUpdateNow, true);
  assert.is(t.indexes[0].where?.sql, 'note IS NOT NULL');
  assert.equal(ws.enums.get('acme_state')?.renamedFrom, 'acme_status');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a bad config is a located diagnostic and configError', async () => {
  const dir = workspace({ 'schemac.config.yaml': 'core: [schemas/core/**/models.yaml]\nout:\n  typs: x.ts\n' });
  const r = await loadWorkspace({ cwd: dir });
  assert.is(r.configError, true);
  assert.is(r.config, undefined);
  assert.equal(locate(r.diagnostics[0].span, r.sources), { line: 3, column: 3, endLine: 3, endColumn: 7 });
  assert.is(r.diagnostics[0].hint, "did you mean 'types'?");
  const missing = await loadWorkspace({ cwd: dir, configPath: path.join(dir, 'nope.yaml') });
  assert.is(missing.configError, true);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('reporters: pretty code frame, json, github escaping, sarif 2.1.0', () => {
  const sources = new Map([['s/m.yaml', 'tables:\n  t:\n    colums: {}\n']]);
  const d = [{ code: 'unknown-key', severity: 'error' as const, message: "unknown key 'colums', 100%", hint: "did you mean 'columns'?", span: { file: 's/m.yaml', start: 17, end: 23 } }];
  const pretty = renderDiagnostics(d, { format: 'pretty', sources, color: false });
  assert.match(pretty, /^s\/m\.yaml:3:5: error\[unknown-key\]: unknown key 'colums', 100%\n3 \|     colums: \{\}\n  \|     \^{6}\n  hint: did you mean 'columns'\?\n$/);
  assert.not.match(pretty, /\x1b\[/);
  assert.match(renderDiagnostics(d, { format: 'pretty', sources, color: true }), /\x1b\[/);
  const json = JSON.parse(renderDiagnostics(d, { format: 'json', sources, color: false }));
  assert.equal(json[0], { file: 's/m.yaml', line: 3, column: 5, endLine: 3, endColumn: 11, rule: 'unknown-key', severity: 'error', message: "unknown key 'colums', 100%", hint: "did you mean 'columns'?" });
  assert.is(renderDiagnostics(d, { format: 'github', sources, color: false }),
    "::error file=s/m.yaml,line=3,col=5,endLine=3,endColumn=11,title=unknown-key::unknown key 'colums', 100%25%0Adid you mean 'columns'?\n");
  const sarif = JSON.parse(renderDiagnostics(d, { format: 'sarif', sources, color: false }));
  assert.is(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 11 });
  assert.is(sarif.runs[0].tool.driver.rules[0].id, 'unknown-key');
});

test('lint: pretty to stderr, json to stdout, --strict, unknown format', async () => {
  const dir = workspace({
    'schemas/core/models.yaml': CORE_CLIENTS.replace('name: varchar(255)', 'name: varchar(255)\n      meta: json?'),
  });
  let io = captureIo();
  assert.is(await run(['--cwd', dir, 'lint'], io), 0);
  assert.is(io.out(), '');
  assert.match(io.err(), /warning\[prefer-jsonb\]/);
  assert.match(io.err(), /0 errors, 1 warning in 1 file/);
  io = captureIo();
  assert.is(await run(['--cwd', dir, 'lint', '--strict'], io), 1);
  io = captureIo();
  assert.is(await run(['--cwd', dir, 'lint', '--format', 'json'], io), 0);
  assert.is(JSON.parse(io.out())[0].rule, 'prefer-jsonb');
  io = captureIo();
  assert.is(await run(['--cwd', dir, 'lint', '--format', 'xml'], io), 2);
  assert.match(io.err(), /unknown format 'xml'/);
  fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), 'core: 5\n');
  io = captureIo();
  assert.is(await run(['--cwd', dir, 'lint'], io), 2);
  assert.match(io.err(), /schemac\.config\.yaml:1:7/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('caches: a second load reuses parsed files and accepted fragments, an edit misses', async () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-cache-'));
  // left() is a keyword: the recogniser leaves the check to the parser, whose verdict is cached.
  const dir = workspace({ 'schemas/core/models.yaml': CORE_CLIENTS.replace('name: varchar(255)', 'name: { type: varchar(255), check: "left(name, 1) <> \'x\'" }\n      meta: json?') });
  process.env.SCHEMAC_CACHE_DIR = cache;
  const fileCache = createFileCache();
  try {
    const first = await loadWorkspace({ cwd: dir, fileCache });
    assert.equal(fs.readdirSync(cache).sort(), ['fragments-v2.txt']);
    const second = await loadWorkspace({ cwd: dir, fileCache });
    assert.equal(second.diagnostics, first.diagnostics);
    assert.is(second.workspace!.tables.get('clients'), first.workspace!.tables.get('clients'), 'an unchanged file comes from the cache');
    fs.writeFileSync(path.join(dir, 'schemas/core/models.yaml'), CORE_CLIENTS.replace('name: varchar(255)', 'name: { type: varchar(255), check: "nosuch <> 1" }'));
    const third = await loadWorkspace({ cwd: dir, fileCache });
    assert.ok(third.diagnostics.some((d) => d.code === 'forbidden-sql'));
    assert.is.not(third.workspace!.tables.get('clients'), first.workspace!.tables.get('clients'));
  } finally {
    delete process.env.SCHEMAC_CACHE_DIR;
    fs.rmSync(cache, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the precompiled validators are up to date with schemas/*.schema.json', async () => {
  const { generate } = (await import('../scripts/gen-validators.mjs' as string)) as { generate: () => string };
  assert.ok(generate() === fs.readFileSync(new URL('../compiler/front/schema-validators.js', import.meta.url), 'utf8'), 'run node scripts/gen-validators.mjs');
});

test('every property of the JSON Schemas has a description', () => {
  for (const file of ['models', 'config']) {
    const schema = JSON.parse(fs.readFileSync(new URL(`../schemas/${file}.schema.json`, import.meta.url), 'utf8'));
    const missing: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, { description?: string; $ref?: string }> }).properties;
      for (const [k, v] of Object.entries(props ?? {})) if (!v.description) missing.push(`${at}/properties/${k}`);
      for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
    };
    walk(schema, file);
    assert.equal(missing, []);
  }
});

test.run();
