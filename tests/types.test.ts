import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TypesOwner } from '../compiler/emit/emit-types.ts';
import { emitTypes as emitTypeFiles, pascalCase, tsKey, tsString, typesLayout } from '../compiler/emit/emit-types.ts';
import type { SnapColumn, Snapshot, SnapTable } from '../compiler/ir.ts';
import { allText, assertTypeFixtures } from './helpers/type-files.ts';
import { RICH_SNAPSHOTS } from './typecheck/rich.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const TYPECHECK = path.join(ROOT, 'tests', 'typecheck');

function column(name: string, type: string, extra: Partial<SnapColumn> = {}): SnapColumn {
  return { name, type, nullable: false, default: null, comment: null, ...extra };
}

function table(name: string, columns: SnapColumn[], extra: Partial<SnapTable> = {}): SnapTable {
  return { name, comment: null, tenant: 'client', columns, primaryKey: null, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null, ...extra };
}

function snapshot(owner: string, tables: SnapTable[], enums: Snapshot['enums'] = []): Snapshot {
  return { version: 1, owner, extensions: [], enums, tables };
}

/** Every type file's text together (see `allText`). */
function emitTypes(owners: readonly TypesOwner[]): string {
  return allText(emitTypeFiles(owners));
}

/** The property line `name: type;` the column becomes. */
function property(col: SnapColumn, enums: Snapshot['enums'] = []): string {
  const out = emitTypes([snapshot('core', [table('t', [col])], enums)]);
  const line = out.split('\n').find((l) => l.startsWith(`  ${tsKey(col.name)}: `));
  assert.ok(line, `no property line for ${col.name} in:\n${out}`);
  return line.trim();
}

const MAPPINGS: [type: string, extra: Partial<SnapColumn>, want: string][] = [
  ['smallint', {}, 'number'],
  ['integer', {}, 'number'],
  ['real', {}, 'number'],
  ['double precision', {}, 'number'],
  ['serial', {}, 'Generated<number>'],
  ['bigserial', {}, 'Generated<Int8>'],
  ['bigint', {}, 'Int8'],
  ['numeric(10,2)', {}, 'Numeric'],
  ['numeric', {}, 'Numeric'],
  ['boolean', {}, 'boolean'],
  ['text', {}, 'string'],
  ['varchar(50)', {}, 'string'],
  ['char(3)', {}, 'string'],
  ['uuid', {}, 'string'],
  ['inet', {}, 'string'],
  ['time', {}, 'string'],
  ['interval', {}, 'string'],
  ['vector(1536)', {}, 'string'],
  ['date', {}, 'Timestamp'],
  ['timestamp', {}, 'Timestamp'],
  ['timestamptz', {}, 'Timestamp'],
  ['json', {}, 'Json'],
  ['jsonb', {}, 'Json'],
  ['bytea', {}, 'Buffer'],
  ['acme_status', {}, 'AcmeStatus'],
  ['text[]', {}, 'string[]'],
  ['integer[]', {}, 'number[]'],
  ['acme_status[]', {}, 'AcmeStatus[]'],
  ['jsonb[]', {}, 'Json[]'],
  ['bigint[]', {}, 'ArrayType<Int8>'],
  ['numeric(10,2)[]', {}, 'ArrayType<Numeric>'],
  ['timestamptz[]', {}, 'ArrayType<Timestamp>'],
  ['text', { nullable: true }, 'string | null'],
  ['timestamptz', { nullable: true }, 'Timestamp | null'],
  ['text[]', { nullable: true }, 'string[] | null'],
  ['timestamptz', { default: 'now()' }, 'Generated<Timestamp>'],
  ['acme_status', { default: "'draft'" }, 'Generated<AcmeStatus>'],
  ['text', { default: "'x'", nullable: true }, 'Generated<string | null>'],
  ['uuid', { default: 'gen_random_uuid()' }, 'Generated<string>'],
  ['bigint[]', { default: "'{}'" }, 'Generated<ArrayType<Int8>>'],
  ['serial', { default: 'ignored' }, 'Generated<number>'],
  ['some_unknown_type', {}, 'unknown'],
];

for (const [type, extra, want] of MAPPINGS) {
  test(`${type}${extra.nullable ? ' nullable' : ''}${extra.default ? ' with a default' : ''} → ${want}`, () => {
    assert.is(property(column('c', type, extra), [{ name: 'acme_status', values: ['draft', 'done'] }]), `c: ${want};`);
  });
}

test('enums are unions of string literals in declared order', () => {
  const out = emitTypes([snapshot('acme', [], [{ name: 'acme_invoice_status', values: ['pending', 'paid', "it's", 'back\\slash'] }])]);
  assert.match(out, "export type AcmeInvoiceStatus = 'pending' | 'paid' | 'it\\'s' | 'back\\\\slash';\n");
});

test('one interface per table, aliases, and DB sorted by table name', () => {
  const out = emitTypes([snapshot('acme', [table('acme_invoice_data', [column('id', 'serial')]), table('acme_a', [column('id', 'integer')])])]);
  assert.match(out, 'export interface AcmeInvoiceData {\n  id: Generated<number>;\n}\n');
  assert.match(out, 'export type AcmeInvoiceDataRow = Selectable<AcmeInvoiceData>;\n');
  assert.match(out, 'export type NewAcmeInvoiceData = Insertable<AcmeInvoiceData>;\n');
  assert.match(out, 'export type AcmeInvoiceDataUpdate = Updateable<AcmeInvoiceData>;\n');
  assert.match(out, 'export interface DB {\n  acme_a: AcmeA;\n  acme_invoice_data: AcmeInvoiceData;\n}\n');
  assert.match(out, "import type { Insertable, Selectable, Updateable } from 'kysely';\nimport type { Generated } from '../db.js';\n");
  assert.match(out, /^\/\*\*\n \* Kysely types[\s\S]*do not edit/);
});

test('the index re-exports every module and its DB extends theirs; each module has its own DB', () => {
  const files = emitTypeFiles([snapshot('core', [table('clients', [column('id', 'uuid')])]), snapshot('acme', [table('acme_a', [column('id', 'integer')])]), snapshot('beta', [], [{ name: 'beta_level', values: ['x'] }])]);
  assert.match(files.index, "import type { DB as DB_core } from './db/core.js';\nimport type { DB as DB_acme } from './db/acme.js';\n\n");
  assert.match(files.index, "export type * from './db/core.js';\nexport type * from './db/acme.js';\nexport type * from './db/beta.js';\n");
  assert.match(files.index, 'export interface DB extends\n  DB_core,\n  DB_acme {}\n');
  assert.match(files.modules.get('acme')!, 'export interface DB {\n  acme_a: AcmeA;\n}\n');
  assert.match(files.modules.get('beta')!, 'export interface DB {\n}\n');
  assert.not.match(files.modules.get('beta')!, 'import');
});

test('the modules go in the folder named like the index, imported with the extension its own maps to', () => {
  const one = [snapshot('core', [table('t', [column('a', 'bigint')])])];
  const mts = emitTypeFiles(one, { path: 'src/types/kysely.mts' });
  assert.match(mts.index, "import type { DB as DB_core } from './kysely/core.mjs';");
  assert.match(mts.modules.get('core')!, "import type { Int8 } from '../kysely.mjs';");
  assert.match(emitTypeFiles(one, { path: 'db.d.ts' }).modules.get('core')!, "from '../db.js';");
  assert.equal([typesLayout('generated/db.ts').dir, typesLayout('generated/db.ts').ext], ['generated/db', '.ts']);
  assert.is(typesLayout('a/b.d.ts').modulePath('acme'), 'a/b/acme.d.ts');
});

test('the index declares every helper type; a module imports only those it uses', () => {
  const plain = emitTypeFiles([snapshot('core', [table('t', [column('a', 'text')])])]);
  assert.not.match(plain.modules.get('core')!, "from '../db.js'");
  assert.match(plain.modules.get('core')!, "import type { Insertable, Selectable, Updateable } from 'kysely';\n\n");
  const rich = emitTypeFiles([snapshot('core', [table('t', [column('a', 'bigint'), column('b', 'jsonb')])])]);
  assert.match(rich.modules.get('core')!, "import type { Int8, Json } from '../db.js';\n");
  for (const files of [plain, rich]) {
    assert.match(files.index, 'export type Int8 = ColumnType<string, bigint | number | string, bigint | number | string>;');
    assert.match(files.index, 'export type Json = JsonValue;');
    assert.match(files.index, 'export type JsonValue = JsonArray | JsonObject | JsonPrimitive;');
    assert.match(files.index, 'export type Numeric = ');
    assert.match(files.index, 'export type ArrayType<T> = ');
  }
});

test('an empty workspace still yields a valid index with an empty DB, and no module', () => {
  const files = emitTypeFiles([snapshot('core', [])]);
  assert.not.match(files.index, 'import');
  assert.not.match(files.index, 'export type');
  assert.match(files.index, 'export interface DB {}\n');
  assert.is(files.modules.size, 0);
});

test('owners with no tables or enums add nothing', () => {
  const one = [snapshot('core', [table('t', [column('a', 'text')])])];
  assert.is(emitTypes([...one, snapshot('acme', []), snapshot('zeta', [])]), emitTypes(one));
  assert.equal(emitTypeFiles([...one, snapshot('acme', [])]).owners, ['core']);
});

test('odd names stay valid TypeScript: quoted keys, PascalCase from the alphanumerics', () => {
  assert.is(tsKey('id'), 'id');
  assert.is(tsKey('$x_1'), '$x_1');
  assert.is(tsKey('odd-name'), "'odd-name'");
  assert.is(tsKey("it's"), "'it\\'s'");
  assert.is(tsKey('1st'), "'1st'");
  assert.is(tsString('a"b\n\\c'), "'a\"b\\n\\\\c'");
  assert.is(pascalCase('acme_invoice_data'), 'AcmeInvoiceData');
  assert.is(pascalCase('acme weird-table'), 'AcmeWeirdTable');
  assert.is(pascalCase('2fa_codes'), '_2faCodes');
  assert.is(pascalCase('___'), 'Unnamed');
});

test('names that clash with helpers, globals or each other get suffixes', () => {
  const out = emitTypes([snapshot('core', [
    table('date', [column('id', 'integer')]),
    table('json', [column('id', 'integer')]),
    table('a_b', [column('id', 'integer')]),
    table('a__b', [column('id', 'integer')]),
    table('a_b_row', [column('id', 'integer')]),
  ], [{ name: 'db', values: ['x'] }])]);
  assert.match(out, 'export interface DateTable {');
  assert.match(out, 'export interface JsonTable {');
  assert.match(out, 'export type Db = ');
  assert.match(out, '  a__b: AB;\n  a_b: ABTable;\n  a_b_row: ABRowTable;\n');
  assert.match(out, 'export type ABRow = Selectable<AB>;');
  assert.match(out, 'export type ABRowTableRow = Selectable<ABRowTable>;');
  assert.match(out, '  date: DateTable;\n');
});

test('comments become doc comments that cannot be closed early', () => {
  const out = emitTypes([snapshot('core', [table('t', [column('a', 'text', { comment: 'Amount */ in cents' })], { comment: 'Line one\nline two' })])]);
  assert.match(out, '  /** Amount *\\/ in cents */\n  a: string;');
  assert.match(out, '/**\n * Line one\n * line two\n */\nexport interface T {');
});

test('output is deterministic: core first, whatever the input order', () => {
  const a = emitTypes(RICH_SNAPSHOTS);
  const b = emitTypes([...RICH_SNAPSHOTS].reverse());
  assert.is(a, b);
  assert.ok(a.indexOf("types of core's tables") < a.indexOf("types of acme's tables"));
});

test('the rich fixture matches tests/typecheck/db.ts and db/ (UPDATE=1 rewrites them)', () => {
  assertTypeFixtures(emitTypeFiles(RICH_SNAPSHOTS, { path: 'db.ts' }), TYPECHECK, 'db.ts');
});

test('db.ts and its usage compile under tsc --strict; every @ts-expect-error is a real error', () => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(TYPECHECK, 'tsconfig.json'), '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
  assert.is(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  const usage = fs.readFileSync(path.join(TYPECHECK, 'usage.ts'), 'utf8');
  assert.ok((usage.match(/@ts-expect-error/g) ?? []).length >= 7);
  assert.match(usage, "db.selectFrom('acme_invoice_data').select(['id', 'amount']).where('status', '=', 'paid')");
});

test.run();
