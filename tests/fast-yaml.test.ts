/**
 * The fast YAML path against the `yaml` package: whenever the fast path accepts a text,
 * its nodes (kinds, values, ranges, scalar styles) and plain value equal the full parser's,
 * and the full parser finds no problem in it. Checked on every models file of the repository
 * and on generated ones, mutated ones included (the fast path must give up, not guess).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { parseFast } from '../compiler/front/fast-yaml.ts';
import { parseYaml } from '../compiler/front/parse.ts';

const RUNS = Number(process.env.FAST_YAML_RUNS ?? 3000);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Undefined when the fast path gives up or agrees with the full parser; else what differs. */
/** How many texts the fast path took, so that a property cannot pass by giving up on everything. */
let taken = 0;
function disagreement(text: string): string | undefined {
  const fast = parseFast(text);
  if (fast === undefined) return undefined;
  taken++;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false, strict: true, version: '1.2', schema: 'core' });
  if (doc.errors.length + doc.warnings.length > 0) return `the full parser reports: ${[...doc.errors, ...doc.warnings].map((e) => e.message).join('; ')}`;
  const full = parseYaml('f.yaml', text);
  if (full.diagnostics.length > 0) return `parseYaml reports: ${full.diagnostics.map((d) => d.message).join('; ')}`;
  return nodeDifference(fast.contents, doc.contents, '$') ?? (JSON.stringify(fast.toJS()) === JSON.stringify(doc.toJS()) ? undefined : 'plain values differ');
}

function kind(n: unknown): string {
  return isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : String(n);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function nodeDifference(a: any, b: any, at: string): string | undefined {
  if (kind(a) !== kind(b)) return `${at}: ${kind(a)} vs ${kind(b)}`;
  if (a.range.join() !== b.range.join()) return `${at}: range ${a.range} vs ${b.range}`;
  if (isScalar(a)) return a.value === b.value && a.type === b.type ? undefined : `${at}: ${JSON.stringify(a.value)} (${a.type}) vs ${JSON.stringify(b.value)} (${b.type})`;
  if (Boolean(a.flow) !== Boolean(b.flow) || a.items.length !== b.items.length) return `${at}: shape`;
  for (let i = 0; i < a.items.length; i++) {
    const [x, y] = [a.items[i], b.items[i]];
    const d = isMap(a) ? nodeDifference(x.key, y.key, `${at}.key${i}`) ?? nodeDifference(x.value, y.value, `${at}.${String(x.key.value)}`) : nodeDifference(x, y, `${at}[${i}]`);
    if (d !== undefined) return d;
  }
  return undefined;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') out.push(...yamlFiles(p));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

test('every YAML file of the repository: the fast path agrees or gives up', () => {
  let accepted = 0;
  for (const file of [...yamlFiles(path.join(ROOT, 'schemas')), ...yamlFiles(path.join(ROOT, 'tests/cases'))]) {
    const text = fs.readFileSync(file, 'utf8');
    assert.is(disagreement(text), undefined, file);
    if (parseFast(text) !== undefined) accepted++;
  }
  assert.ok(accepted > 50, `the fast path should take most files, took ${accepted}`);
});

test('the fast path takes the usual shapes', () => {
  const text = [
    '# a comment', '', 'tables:', '  acme_x:   # trailing', '    comment: Some words, with commas.', '    columns:',
    "      id: { type: uuid, primary_key: true, default: gen_random_uuid() }", '      n: integer?', "      s: { type: text, default: 'it''s' }",
    '      d: { type: jsonb, default: {} }', '    indexes:', '    - columns: [n]', '      where: "n > 0"', '    - { columns: [s], using: gin }',
    '    unique:', '      - [n, s]', '', '      # between', 'enums:', '  acme_e: [a, b]',
  ].join('\n');
  assert.ok(parseFast(text) !== undefined);
  assert.is(disagreement(text), undefined);
});

test('the fast path gives up on what it does not model', () => {
  for (const text of ['tables:\n  a: &x 1\n', 'tables:\n  a: !!str 1\n', 'tables:\n  a: |\n    x\n', 'tables:\n  a: "x\\ny"\n', 'tables:\n  a: 1\n  a: 2\n', 'a: b\n---\nc: d\n', 'tables:\n\ta: 1\n', 'tables:\n  a: x\n    y\n', 'tables: {a: [1,\n 2]}\n', 'tables:\n  a: 0x1F\n', `tables:\n${Array.from({ length: 40 }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:`).join('\n')} 1\n`]) {
    assert.is(parseFast(text), undefined, JSON.stringify(text));
  }
});

const word = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/);
const plainText = fc.oneof(
  word,
  fc.constantFrom('varchar(255)?', 'now()', 'set null', 'true', 'False', 'null', '~', '0', '-12', '3.25', '007', '1e3', '.5', '2024-01-01', 'a b c', 'x#y', 'a # c', 'numeric(10,2)', 'text[]', "it's", 'a: b', 'a:b', '-x', '- x', '[x]', '{x}', 'yes', 'NULL'),
);
const scalar = fc.oneof(
  plainText,
  plainText.map((t) => `"${t}"`),
  plainText.map((t) => `'${t.replace(/'/g, "''")}'`),
  fc.constantFrom('"a\\"b"', "'a''b'", '""', "''", '&a x', '*a', '!t x', '|', '>', '"unterminated'),
);
const flow: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 3 }).chain((items) => fc.constantFrom(`[${items.join(', ')}]`, `[ ${items.join(' , ')} ]`, `[${items.join(',')}]`)),
  map: fc.array(fc.tuple(word, tie('node')), { maxLength: 3 }).chain((pairs) => fc.constantFrom(`{ ${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')} }`, `{${pairs.map(([k, v]) => `${k}:${v}`).join(',')}}`)),
})).node as fc.Arbitrary<string>;
const trailer = fc.constantFrom('', '', '  ', ' # note', '# tight');
const gap = fc.constantFrom('', '', '\n', '\n# comment\n', '\n  # indented\n\n', '\n\n');

/** A block list at `indent`: scalars, flow collections and compact maps (`- k: v` and more keys below). */
function blockList(indent: number): fc.Arbitrary<string> {
  const pad = ' '.repeat(indent);
  const compact = fc.array(fc.tuple(word, fc.oneof(scalar, flow), trailer), { minLength: 1, maxLength: 3 })
    .map((entries) => entries.map(([k, v, t], i) => `${i > 0 ? `${pad}  ` : ''}${k}: ${v}${t}`).join('\n'));
  const item = fc.oneof(fc.tuple(fc.oneof(scalar, flow), trailer).map(([v, t]) => `${v}${t}`), compact);
  return fc.array(fc.tuple(item, gap), { minLength: 1, maxLength: 3 })
    .map((items) => items.map(([v, g]) => `${pad}- ${v}\n${g}`).join('').replace(/\n+$/, ''));
}

/** A block node at `indent`, as lines. */
function block(depth: number, indent: number): fc.Arbitrary<string> {
  const pad = ' '.repeat(indent);
  const inline = fc.tuple(fc.oneof(scalar, flow), trailer).map(([v, t]) => ` ${v}${t}`);
  if (depth === 0) return inline;
  const nested = fc.oneof(block(depth - 1, indent + 2), blockList(indent)).map((b) => `\n${b}`);
  const map = fc.array(fc.tuple(word, fc.oneof(inline, nested), gap), { minLength: 1, maxLength: 3 })
    .map((entries) => entries.map(([k, v, g]) => `${pad}${k}:${v.startsWith('\n') ? v : `${v}`}\n${g}`).join('').replace(/\n+$/, ''));
  return fc.oneof(inline, map, blockList(indent));
}

const document = fc.tuple(fc.constantFrom('', '# head\n', '\n'), block(3, 2), block(2, 2), fc.constantFrom('', '\n', '\n\n', '\n# tail\n', '  '))
  .map(([head, a, b, tail]) => `${head}tables:${a.startsWith(' ') && !a.startsWith('  ') ? a : `\n${a}`}\nenums:${b.startsWith(' ') && !b.startsWith('  ') ? b : `\n${b}`}${tail}`);

test('generated documents: the fast path agrees or gives up', () => {
  taken = 0;
  fc.assert(fc.property(document, (text) => disagreement(text) === undefined), { numRuns: RUNS });
  assert.ok(taken > RUNS / 10, `the fast path took only ${taken} of ${RUNS} documents`);
});

test('mutated models files: the fast path agrees or gives up', () => {
  const base = fs.readFileSync(path.join(ROOT, 'schemas/custom_tools/acme/invoice_generator/models.yaml'), 'utf8');
  taken = 0;
  const edit = fc.tuple(fc.nat(base.length), fc.nat(4), fc.constantFrom('', ' ', '  ', '\n', '#', ':', '- ', '[', ']', '{', '}', ',', '"', "'", '&', '*', '!', '|', 'x', '0', 'true', '\n  ', '\n      k: v'));
  fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
    let text = base;
    for (const [at, cut, insert] of edits) text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
    return disagreement(text) === undefined;
  }), { numRuns: RUNS });
  assert.ok(taken > RUNS / 10, `the fast path took only ${taken} of ${RUNS} mutated files`);
});

test.run();
