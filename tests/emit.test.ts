import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  concurrentFileName, migrationFileName, migrationPieces, renderMigration, renderUp, slugify, splitPlan,
} from '../compiler/emit/emit.ts';
import type { Statement } from '../compiler/engine/statement.ts';
import { checkSum, hashText, renderSum, sumMatches } from '../compiler/engine/sum.ts';
import { pinnedSettingsSql } from '../compiler/shared/sql.ts';
import { createStaging } from '../compiler/shared/staging.ts';
import { parseMigration } from '../runtime/files.ts';

const NOW = new Date('2026-03-04T05:06:07.890Z');
/** The line every section of a migration file starts with. */
const PINNED = "SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;";

test('the pinned settings line is the one the templates write', () => {
  assert.is(pinnedSettingsSql(), PINNED);
});

const stmt = (over: Partial<Statement> & Pick<Statement, 'sql' | 'comment'>): Statement => ({
  reverse: null,
  transactional: true,
  altersExisting: false,
  ...over,
});

const slugs: [string, string][] = [
  ['add invoice tables', 'add_invoice_tables'],
  ['  Add   Invoice-Tables!! ', 'add_invoice_tables'],
  ['v2: ÄÖÜ rename', 'v2_rename'],
  ['___', ''],
  ['', ''],
  ['🙂', ''],
];
for (const [input, want] of slugs) {
  test(`slugify(${JSON.stringify(input)}) is ${JSON.stringify(want)}`, () => assert.is(slugify(input), want));
}

test('a long description is cut at a word boundary', () => {
  const slug = slugify('word '.repeat(40));
  assert.ok(slug.length <= 80 && !slug.endsWith('_') && slug.startsWith('word_word'));
});

test('file names carry the UTC time and the owner', () => {
  assert.is(migrationFileName(NOW, 'core', 'Init'), '20260304_050607_core_init.sql');
  assert.is(migrationFileName(NOW, 'acme', 'add invoice tables'), '20260304_050607_custom_acme_add_invoice_tables.sql');
});

test('a migration file: header, up in order, down reversed in reverse order', () => {
  const text = renderMigration({
    owner: 'acme',
    description: 'add invoice tables',
    statements: [
      stmt({ comment: 'Create table "acme_a"', sql: 'CREATE TABLE "acme_a" ();', reverse: 'DROP TABLE "acme_a";' }),
      stmt({ comment: 'Create table "acme_b"', sql: 'CREATE TABLE "acme_b" ();', reverse: 'DROP TABLE "acme_b";' }),
    ],
  });
  assert.fixture(
    text,
    [
      '-- schemac: owner=acme description="add invoice tables"',
      '-- migrate:up',
      PINNED,
      '-- Create table "acme_a"',
      'CREATE TABLE "acme_a" ();',
      '-- Create table "acme_b"',
      'CREATE TABLE "acme_b" ();',
      '-- migrate:down',
      PINNED,
      '-- Drop table "acme_b"',
      'DROP TABLE "acme_b";',
      '-- Drop table "acme_a"',
      'DROP TABLE "acme_a";',
      '',
    ].join('\n'),
  );
});

test('no-transaction, lock timeout and an irreversible step that fails loudly', () => {
  const text = renderMigration({
    owner: 'core',
    description: 'say "hi"\nand \\ bye',
    statements: [
      stmt({ comment: 'Drop value of enum "core_s"', sql: 'DROP TYPE x;', irreversible: "values can't be restored", altersExisting: true }),
      stmt({ comment: 'Create index "i"', sql: 'CREATE INDEX CONCURRENTLY "i" ON "t" ("a");', reverse: 'DROP INDEX CONCURRENTLY "i";', transactional: false }),
    ],
  });
  const lines = text.split('\n');
  assert.is(lines[0], '-- schemac: owner=core description="say \\"hi\\"\\nand \\\\ bye"');
  assert.is(lines[1], '-- schemac:no-transaction');
  assert.is(lines[2], '-- migrate:up');
  assert.is(lines[3], PINNED);
  assert.is(lines[4], "SET lock_timeout = '5s';");
  const down = text.slice(text.indexOf('-- migrate:down'));
  assert.match(down, /-- Drop index "i"\nDROP INDEX CONCURRENTLY "i";\n-- Irreversible: values can't be restored\nDO \$schemac\$ BEGIN RAISE EXCEPTION '%', 'irreversible: values can''t be restored'; END \$schemac\$;\n$/);
});

test('the runtime reads back what emit writes: owner, description, sections, no-transaction', () => {
  const description = 'say "hi"\nand \\ bye';
  const text = renderMigration({
    owner: 'acme_corp',
    description,
    statements: [stmt({ comment: 'Create index "i"', sql: 'CREATE INDEX CONCURRENTLY "i" ON "t" ("a");', reverse: 'DROP INDEX CONCURRENTLY "i";', transactional: false })],
  });
  const parsed = parseMigration(migrationFileName(NOW, 'acme_corp', description), text);
  assert.ok(parsed.file, parsed.error);
  assert.is(parsed.file!.owner, 'acme_corp');
  assert.is(parsed.file!.description, description);
  assert.ok(parsed.file!.noTransaction);
  assert.match(parsed.file!.up, /CREATE INDEX CONCURRENTLY/);
  assert.match(parsed.file!.down, /DROP INDEX CONCURRENTLY/);
});

test('a large migration comes in pieces that are written and hashed as the text they join to', () => {
  const statements = Array.from({ length: 2000 }, (_, i) =>
    stmt({ comment: `Create table "t${i}"`, sql: `CREATE TABLE "t${i}" ();`, reverse: `DROP TABLE "t${i}";`, altersExisting: i === 0 }));
  const input = { owner: 'acme', description: 'many tables', statements };
  const pieces = migrationPieces(input);
  const text = renderMigration(input);
  assert.ok(pieces.length > 1 && pieces.every((p) => p.length < 40 * 1024), 'several pieces, none large');
  assert.is(pieces.join(''), text);
  assert.ok(text.startsWith(`-- schemac: owner=acme description="many tables"\n-- migrate:up\n${PINNED}\nSET lock_timeout = '5s';\n-- Create table "t0"\n`));
  assert.ok(text.includes(`\n-- migrate:down\n${PINNED}\nSET lock_timeout = '5s';\n-- Drop table "t1999"\n`) && text.endsWith('DROP TABLE "t0";\n'));
  assert.is(hashText(pieces), hashText(text));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-pieces-'));
  const staging = createStaging(root);
  staging.stage('m.sql', pieces);
  staging.commit();
  assert.is(fs.readFileSync(path.join(root, 'm.sql'), 'utf8'), text);
  fs.rmSync(root, { recursive: true, force: true });
});

test('sum: renders, matches, and names changed, missing and extra files', () => {
  const files = [{ name: 'b.sql', text: 'B' }, { name: 'a.sql', text: 'A' }];
  const sum = renderSum(files);
  const lines = sum.trimEnd().split('\n');
  assert.is(lines.length, 3);
  assert.match(lines[0], /^h1:[A-Za-z0-9+/]+=*$/);
  assert.match(lines[1], /^a\.sql h1:/);
  assert.ok(sumMatches(checkSum(sum, files)));
  const m = checkSum(sum, [{ name: 'a.sql', text: 'A edited' }, { name: 'c.sql', text: 'C' }]);
  assert.equal([m.changed, m.missing, m.extra, m.corrupt], [['a.sql'], ['c.sql'], ['b.sql'], false]);
  assert.ok(checkSum(sum.replace('b.sql', 'z.sql'), files).corrupt);
  assert.ok(checkSum('garbage', files).corrupt);
});

test('the concurrent part: named a second later so it sorts after, split from the plan, and never without a down section', () => {
  assert.is(concurrentFileName('20261231_235959_custom_acme_add_index.sql'), '20270101_000000_custom_acme_add_index_concurrent.sql');
  assert.ok('20260101_120000_core_x.sql' < concurrentFileName('20260101_120000_core_x.sql'));
  const main = stmt({ comment: 'Add column "u" to "t"', sql: 'ALTER TABLE "t" ADD COLUMN "u" uuid;', reverse: 'ALTER TABLE "t" DROP COLUMN "u";' });
  const fill = stmt({ comment: 'Backfill "u" of "t"', sql: 'UPDATE "t" SET "u" = gen_random_uuid();', reverse: '', transactional: false, concurrent: true });
  assert.equal(splitPlan([fill, main]), { main: [main], concurrent: [fill] });
  assert.match(renderUp([main, fill]), /ADD COLUMN "u" uuid;\n-- then, in a second file that runs outside a transaction[^\n]*\n-- Backfill/);
  const text = renderMigration({ owner: 'core', description: 'x (concurrent part)', statements: [fill] });
  const parsed = parseMigration('20260101_120001_core_x_concurrent.sql', text);
  assert.ok(parsed.file?.noTransaction);
  assert.match(parsed.file!.down, /-- Nothing to undo here[^\n]*\nSELECT 1;/);
});

test.run();
