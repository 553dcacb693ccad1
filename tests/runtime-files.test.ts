import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checksum, orderMigrations, parseMigration, readMigrations } from '../runtime/files.ts';
import { splitStatements } from '../runtime/statements.ts';
import { compareExpr } from '../runtime/expr.ts';
import { loadExpressionParser } from '../runtime/expr.ts';
import { makeWorkspace, migrationText } from './helpers/migrations.ts';

const GOOD = migrationText('acme', 'add "quoted" invoices', 'create table acme_x (id int);', 'drop table acme_x;');

test('a well-formed file parses into owner, description, sections and checksum', () => {
  const { file, error } = parseMigration('20260102_030405_custom_acme_add_invoices.sql', GOOD);
  assert.is(error, undefined);
  assert.is(file!.owner, 'acme');
  assert.is(file!.description, 'add "quoted" invoices');
  assert.is(file!.up.trim(), 'create table acme_x (id int);');
  assert.is(file!.down.trim(), 'drop table acme_x;');
  assert.is(file!.noTransaction, false);
  assert.is(file!.checksum, checksum(GOOD));
  assert.match(file!.checksum, /^[0-9a-f]{64}$/);
  assert.is(file!.upLine, 3);
});

test('-- schemac:no-transaction is read', () => {
  const text = migrationText('core', 'idx', 'create index concurrently i on t (a);', 'drop index concurrently i;', true);
  assert.ok(parseMigration('20260101_000000_core_idx.sql', text).file!.noTransaction);
});

const BAD: [string, string, RegExp][] = [
  ['init.sql', GOOD, /name must be YYYYMMDD_HHMMSS_core_<slug>\.sql/],
  ['20260101_000000_core_x.sql', 'create table x();', /first line must be a header/],
  ['20260101_000000_core_x.sql', '-- schemac: owner=core description="x"\ncreate table x();\n', /no `-- migrate:up` line/],
  ['20260101_000000_core_x.sql', '-- schemac: owner=core description="x"\n-- migrate:up\n-- migrate:up\n', /more than one `-- migrate:up`/],
  ['20260101_000000_core_x.sql', '-- schemac: owner=core description="x"\n-- migrate:down\n-- migrate:up\n', /comes before/],
  ['20260101_000000_core_x.sql', GOOD, /the name says core but the header says owner=acme/],
  ['20260101_000000_custom_globex_x.sql', GOOD, /must be …_custom_acme_<slug>\.sql/],
  ['20260101_000000_core_x.sql', '-- schemac: owner=core description="unterminated\n-- migrate:up\n', /cannot read the header/],
  ['20260101_000000_core_x.sql', '-- schemac: description="x"\n-- migrate:up\n', /no owner=/],
];

test('malformed files are errors naming the file and the problem', () => {
  for (const [name, text, re] of BAD) {
    const { file, error } = parseMigration(name, text);
    assert.is(file, undefined, name);
    assert.ok(error!.startsWith(`${name}: `), error);
    assert.match(error!, re);
  }
});

test('order: every core migration by name, then every custom one by name', () => {
  const f = (name: string, owner: string) => ({ name, owner });
  const ordered = orderMigrations([
    f('20260105_000000_custom_acme_b.sql', 'acme'), f('20260109_000000_core_z.sql', 'core'),
    f('20260101_000000_custom_globex_a.sql', 'globex'), f('20260102_000000_core_a.sql', 'core'),
  ]);
  assert.equal(ordered.map((x) => x.name), [
    '20260102_000000_core_a.sql', '20260109_000000_core_z.sql',
    '20260101_000000_custom_globex_a.sql', '20260105_000000_custom_acme_b.sql',
  ]);
});

test('readMigrations reads *.sql only, orders them, and reports malformed files', () => {
  const ws = makeWorkspace({
    '20260102_000000_custom_acme_x.sql': GOOD.replace('acme_x', 'acme_y'),
    '20260103_000000_core_y.sql': migrationText('core', 'y', 'select 1;', ''),
    'schemac.sum': 'whatever',
    '20260104_000000_core_broken.sql': 'nope',
  });
  try {
    const { files, errors } = readMigrations(ws.migrations);
    assert.equal(files.map((f) => f.name), ['20260103_000000_core_y.sql', '20260102_000000_custom_acme_x.sql']);
    assert.is(files[0].path, path.join(ws.migrations, '20260103_000000_core_y.sql'));
    assert.is(files[1].checksum, checksum(fs.readFileSync(files[1].path)));
    assert.is(errors.length, 1);
    assert.match(errors[0], /^20260104_000000_core_broken\.sql: /);
    assert.equal(readMigrations(path.join(ws.dir, 'absent')), { files: [], errors: [] });
  } finally {
    ws.remove();
  }
});

test('splitStatements keeps dollar-quoted bodies whole and reports each line', async () => {
  const sql = '\n-- c\ncreate table a (x int);\ncreate function f() returns int language sql as $$ select 1; $$;\n\n  select \'é\';\n';
  const stmts = await splitStatements(sql);
  assert.equal(stmts!.map((s) => s.line), [3, 4, 6]);
  assert.match(stmts![1].sql, /^create function f\(\).*\$\$;?$/);
  assert.is(stmts![2].sql, "select 'é'");
  assert.is(await splitStatements('create tabl x'), undefined);
});

test('expressions compare after PostgreSQL rewrites them', async () => {
  await loadExpressionParser();
  const same: [string, string][] = [
    ["'pending'", "'pending'::character varying"], ['0', '0'], ['now()', 'now()'], ['true', 'true'],
    ['amount >= 0', '(amount >= 0)'], ["status <> 'paid'", "((status)::text <> 'paid'::text)"],
    ["status in ('a', 'b')", "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"],
    ['x between 1 and 5', '((x >= 1) AND (x <= 5))'], ['-1', "'-1'::integer"], ['current_date', 'CURRENT_DATE'],
    [`'{"a":1}'::jsonb`, `'{"a": 1}'::jsonb`], ["name like 'a%'", "(name ~~ 'a%'::text)"],
  ];
  for (const [a, b] of same) assert.is(compareExpr(a, b), 'same', `${a} vs ${b}`);
  assert.is(compareExpr("'pending'", "'paid'::character varying"), 'different');
  assert.is(compareExpr('amount >= 0', '(amount > 0)'), 'different');
  assert.is(compareExpr('select 1; select 2', 'x'), 'undecided');
});

test.run();
