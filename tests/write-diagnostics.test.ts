/**
 * `writeDiagnostics` (compiler/report/index.ts) writes the pretty format in pieces as it renders:
 * whatever the diagnostics, the pieces joined are `renderDiagnostics`' text with its final newline,
 * in every format, with and without colour, across the piece boundaries.
 */
import * as fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../compiler/diagnostics.ts';
import { REPORT_FORMATS, renderDiagnostics, writeDiagnostics } from '../compiler/report/index.ts';

const FILES = ['schemas/core/models.yaml', 'schemas/custom_tools/acme/a/models.yaml', 'schemas/custom_tools/beta/b/models.yaml'];
/** Sources with long lines, so a few hundred diagnostics pass the 64 KiB piece size. */
const line = (i: number) => `      column_${i}: { type: varchar(${i}), comment: "${'x'.repeat(i % 170)}" }`;
const SOURCES = new Map(FILES.map((f, k) => [f, Array.from({ length: 400 }, (_, i) => line(i + k)).join('\n')]));

const diagnostic: fc.Arbitrary<Diagnostic> = fc.record({
  file: fc.constantFrom(...FILES),
  start: fc.nat(30_000),
  length: fc.nat(200),
  code: fc.constantFrom('tenant-unique', 'redundant-index', 'yaml-syntax'),
  severity: fc.constantFrom('error' as const, 'warn' as const, 'info' as const),
  message: fc.string({ maxLength: 80 }),
  hint: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
  related: fc.option(fc.array(fc.record({ file: fc.constantFrom(...FILES), start: fc.nat(30_000), message: fc.string({ maxLength: 30 }) }), { maxLength: 2 }), { nil: undefined }),
}).map((r) => ({
  code: r.code, severity: r.severity, message: r.message,
  ...(r.hint === undefined ? {} : { hint: r.hint }),
  span: { file: r.file, start: r.start, end: r.start + r.length },
  ...(r.related === undefined ? {} : { related: r.related.map((x) => ({ message: x.message, span: { file: x.file, start: x.start, end: x.start + 1 } })) }),
}));

test('the pieces joined are the rendered text, ending in a newline', () => {
  fc.assert(
    fc.property(fc.array(diagnostic, { minLength: 1, maxLength: 700 }), fc.constantFrom(...REPORT_FORMATS), fc.boolean(), (ds, format, color) => {
      const opts = { format, sources: SOURCES, color };
      const pieces: string[] = [];
      writeDiagnostics(ds, opts, (t) => pieces.push(t));
      const text = renderDiagnostics(ds, opts);
      assert.is(pieces.join(''), text.endsWith('\n') ? text : `${text}\n`);
      assert.ok(pieces.every((p) => p !== ''), 'no empty write');
    }),
    { numRuns: 40, seed: 7 },
  );
});

test('a large pretty report goes out in several pieces', () => {
  const ds = fc.sample(diagnostic, { numRuns: 2000, seed: 3 });
  const pieces: string[] = [];
  writeDiagnostics(ds, { format: 'pretty', sources: SOURCES, color: false }, (t) => pieces.push(t));
  assert.ok(pieces.length > 3, `${pieces.length} pieces`);
  assert.ok(pieces.slice(0, -1).every((p) => p.length >= 1 << 16 && p.length < (1 << 16) + 2000), 'each full piece is just past the piece size');
  assert.is(pieces.join(''), `${renderDiagnostics(ds, { format: 'pretty', sources: SOURCES, color: false })}`);
});

test.run();
