/**
 * Golden diagnostic cases: every folder of tests/cases/lint/ is a small workspace plus
 * `expected.json` (`{ exit, diagnostics: [{ file, line, column, rule, severity, related? }] }`,
 * `related` listing the other places a diagnostic names, as `{ file, line, column }`).
 * Each runs `schemac lint --format json` in-process on a copy; `UPDATE=1` rewrites the
 * expectations. Inputs too big or too binary to keep in git are generated below.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { captureIo } from './helpers/io.ts';

const CASES = path.join(path.dirname(new URL(import.meta.url).pathname), 'cases', 'lint');
const UPDATE = process.env.UPDATE === '1';

/** Files written into a case's copy at test time: case name → path → contents. */
const GENERATED: Record<string, Record<string, () => string | Buffer>> = {
  'deep-nesting-flow': { 'schemas/core/models.yaml': () => `tables: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n` },
  'deep-nesting-block': { 'schemas/core/models.yaml': () => `tables:\n  x:\n    ${'- '.repeat(20_000)}z\n` },
  'deep-nesting-indent': {
    'schemas/core/models.yaml': () => `tables:\n${Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i + 2)}k${i}:\n`).join('')}`,
  },
  'binary-garbage': { 'schemas/core/models.yaml': () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]) },
  'invalid-utf8': { 'schemas/core/models.yaml': () => Buffer.concat([Buffer.from('tables:\n  a: '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('\n')]) },
  'huge-file': { 'schemas/core/models.yaml': () => `# ${'x'.repeat(5 * 1024 * 1024)}\ntables: {}\n` },
};

interface Place {
  file: string;
  line: number;
  column: number;
}

interface Expected {
  exit: number;
  diagnostics: Array<Place & { rule: string; severity: string; related?: Place[] }>;
}

/** A diagnostic of the json format as the golden files keep it. */
function kept(d: Record<string, unknown>): Expected['diagnostics'][number] {
  const place = (p: Record<string, unknown>): Place => ({ file: String(p.file), line: Number(p.line), column: Number(p.column) });
  const related = Array.isArray(d.related) ? { related: (d.related as Array<Record<string, unknown>>).map(place) } : {};
  return { ...place(d), rule: String(d.rule), severity: String(d.severity), ...related };
}

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
  });
}

function fingerprint(dir: string): string {
  return listFiles(dir)
    .sort()
    .map((f) => `${f}:${crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')}`)
    .join('\n');
}

function prepare(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `schemac-lint-${name}-`));
  fs.cpSync(path.join(CASES, name), dir, { recursive: true });
  fs.rmSync(path.join(dir, 'expected.json'), { force: true });
  for (const [rel, make] of Object.entries(GENERATED[name] ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), make());
  }
  return dir;
}

const only = process.env.CASE;
const names = (fs.existsSync(CASES) ? fs.readdirSync(CASES).filter((n) => fs.statSync(path.join(CASES, n)).isDirectory()).sort() : [])
  .filter((n) => only === undefined || n.includes(only));

for (const name of names) {
  test(`lint case: ${name}`, async () => {
    const dir = prepare(name);
    try {
      const before = fingerprint(dir);
      const io = captureIo();
      const started = performance.now();
      const exit = await run(['--cwd', dir, 'lint', '--format', 'json'], io);
      const elapsed = performance.now() - started;
      const out = io.out();
      assert.not.match(out + io.err(), /^\s{4}at /m, 'no stack trace');
      assert.ok(elapsed < 5000, `took ${elapsed.toFixed(0)} ms`);
      assert.is(fingerprint(dir), before, 'lint must not add or change files');
      const parsed = out.trim() === '' ? [] : (JSON.parse(out) as Array<Record<string, unknown>>);
      const got: Expected = {
        exit,
        diagnostics: parsed.map(kept),
      };
      const expectedFile = path.join(CASES, name, 'expected.json');
      if (UPDATE || !fs.existsSync(expectedFile)) {
        fs.writeFileSync(expectedFile, `${JSON.stringify(got, null, 2)}\n`);
        if (!UPDATE) assert.unreachable(`${name}: wrote a new expected.json; review it`);
        return;
      }
      const expected = JSON.parse(fs.readFileSync(expectedFile, 'utf8')) as Expected;
      assert.equal(got, expected, `${name}\n${out}${io.err()}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('every generated input belongs to a case folder', () => {
  for (const name of Object.keys(GENERATED)) assert.ok(fs.existsSync(path.join(CASES, name)), `tests/cases/lint/${name} is missing`);
});

test.run();
