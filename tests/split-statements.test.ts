import fc from 'fast-check';
import { parseSync } from 'libpg-query';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadExpressionParser } from '../runtime/expr.ts';
import { splitStatements } from '../runtime/statements.ts';

/** The definition splitStatements keeps: each statement's text trimmed, and the line its first non-blank character is on. */
function reference(sql: string): Array<{ sql: string; line: number }> {
  const bytes = Buffer.from(sql, 'utf8');
  return (parseSync(sql).stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    const text = bytes.subarray(start, end).toString('utf8');
    const lead = text.length - text.trimStart().length;
    return { sql: text.trim(), line: (bytes.subarray(0, start).toString('utf8') + text.slice(0, lead)).split('\n').length };
  });
}

const piece = fc.constantFrom(
  'create table a (x int);', "select 'é\nñ';", 'select 1;', '-- a comment\n', '/* multi\nline */', '\n', '\n\n', '  ', '\t',
  'create function f() returns int language sql as $$ select 1;\n select 2; $$;', "insert into a values ('日本;\n');", 'select 2',
);

test('splitStatements finds the same statements and lines as decoding the text before each one', async () => {
  await loadExpressionParser();
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 30 }), async (pieces) => {
      const sql = pieces.join(pieces.length % 2 ? '\n' : '');
      let expected: Array<{ sql: string; line: number }> | undefined;
      try {
        expected = reference(sql);
      } catch {
        expected = undefined;
      }
      assert.equal(await splitStatements(sql), expected);
    }),
    { numRuns: 300 },
  );
});

test('splitStatements numbers 2,000 statements, each after a comment line', async () => {
  const sql = Array.from({ length: 2000 }, (_, i) => `-- ${i}\ncreate table t${i} (id int);`).join('\n');
  const stmts = await splitStatements(sql);
  assert.is(stmts!.length, 2000);
  assert.equal(stmts![1999], { sql: 'create table t1999 (id int)', line: 4000 });
  assert.equal(stmts!.map((s) => s.line), Array.from({ length: 2000 }, (_, i) => 2 * i + 2));
});

test.run();
