/** The `pretty` format: `file:line:col: severity[rule]: message`, a code frame with a caret, the hint. */
import { createRequire } from 'node:module';
import type Picocolors from 'picocolors';
import type { Diagnostic } from '../diagnostics.ts';
import type { Location } from './locate.ts';
import { lineText, locate } from './locate.ts';

type Paint = (s: string) => string;

interface Palette {
  readonly error: Paint;
  readonly warn: Paint;
  readonly info: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
  readonly hint: Paint;
}

const plain: Paint = (s) => s;

function palette(color: boolean): Palette {
  if (!color) return { error: plain, warn: plain, info: plain, dim: plain, bold: plain, hint: plain };
  const c = loadColors().createColors(true);
  return { error: (s) => c.bold(c.red(s)), warn: (s) => c.bold(c.yellow(s)), info: (s) => c.bold(c.blue(s)), dim: c.dim, bold: c.bold, hint: c.cyan };
}

/** picocolors, loaded only for a terminal that shows colours (plain output never needs it). */
function loadColors(): typeof Picocolors {
  return createRequire(import.meta.url)('picocolors') as typeof Picocolors;
}

const MAX_FRAME = 160;

function frame(d: Diagnostic, at: Location, sources: ReadonlyMap<string, string>, p: Palette): string {
  const text = lineText(d.span.file, at.line, sources);
  if (text === undefined || !sources.get(d.span.file)) return '';
  const shown = text.length > MAX_FRAME ? `${text.slice(0, MAX_FRAME)}…` : text;
  const gutter = String(at.line);
  const width = at.endLine === at.line ? Math.max(1, at.endColumn - at.column) : Math.max(1, text.length - at.column + 1);
  const caretStart = Math.min(at.column - 1, shown.length);
  const carets = '^'.repeat(Math.max(1, Math.min(width, shown.length - caretStart, MAX_FRAME)));
  const before = shown.slice(0, caretStart);
  const pad = before.includes('\t') ? before.replace(/[^\t]/g, ' ') : ' '.repeat(before.length);
  const paint = p[d.severity];
  return `${p.dim(`${gutter} |`)} ${shown}\n${' '.repeat(gutter.length)} ${p.dim('|')} ${pad}${paint(carets)}\n`;
}

/** Renders one diagnostic. */
function renderOne(d: Diagnostic, sources: ReadonlyMap<string, string>, p: Palette): string {
  const at = locate(d.span, sources);
  const label = d.severity === 'warn' ? 'warning' : d.severity;
  const head = `${p.bold(`${d.span.file}:${at.line}:${at.column}`)}: ${p[d.severity](`${label}[${d.code}]`)}: ${d.message}\n`;
  const hint = d.hint ? `  ${p.hint('hint:')} ${d.hint}\n` : '';
  const related = (d.related ?? []).map((r) => {
    const where = locate(r.span, sources);
    return `  ${p.dim('note:')} ${p.bold(`${r.span.file}:${where.line}:${where.column}`)}: ${r.message}\n`;
  });
  return `${head}${frame(d, at, sources, p)}${hint}${related.join('')}`;
}

/** Renders diagnostics for a terminal, separated by blank lines. */
export function renderPretty(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, color: boolean): string {
  return diagnostics.map(prettyRenderer(sources, color)).join('\n');
}

/** Renders one diagnostic at a time, as `renderPretty` does (which puts a blank line between them). */
export function prettyRenderer(sources: ReadonlyMap<string, string>, color: boolean): (d: Diagnostic) => string {
  const p = palette(color);
  return (d) => renderOne(d, sources, p);
}

/** The one-line summary: `2 errors, 1 warning in 3 files`. */
export function summary(diagnostics: readonly Diagnostic[], files: number): string {
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warn').length;
  const infos = diagnostics.filter((d) => d.severity === 'info').length;
  const parts = [count(errors, 'error'), count(warnings, 'warning'), ...(infos ? [count(infos, 'note')] : [])];
  return `${parts.join(', ')} in ${count(files, 'file')}`;
}
