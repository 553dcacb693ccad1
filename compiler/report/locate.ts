/** Turns character offsets into 1-based lines and columns: the only place that does. */
import type { Span } from '../ir.ts';

/** A Location is a span as a reader sees it: 1-based lines and columns. */
export interface Location {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

const lineStarts = new WeakMap<object, Map<string, number[]>>();

function startsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function cachedStarts(file: string, text: string, sources: ReadonlyMap<string, string>): number[] {
  let perSources = lineStarts.get(sources);
  if (!perSources) lineStarts.set(sources, (perSources = new Map()));
  let starts = perSources.get(file);
  if (!starts) perSources.set(file, (starts = startsOf(text)));
  return starts;
}

function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** The 1-based line and column of a span's start and end; 1:1 when the file's text is unknown. */
export function locate(span: Span, sources: ReadonlyMap<string, string>): Location {
  const text = sources.get(span.file);
  if (text === undefined) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const starts = cachedStarts(span.file, text, sources);
  const start = position(starts, Math.min(Math.max(0, span.start), text.length));
  const end = position(starts, Math.min(Math.max(span.start, span.end), text.length));
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** The text of a 1-based line, without its newline. */
export function lineText(file: string, line: number, sources: ReadonlyMap<string, string>): string | undefined {
  const text = sources.get(file);
  if (text === undefined) return undefined;
  const starts = cachedStarts(file, text, sources);
  if (line < 1 || line > starts.length) return undefined;
  const end = line < starts.length ? starts[line] - 1 : text.length;
  return text.slice(starts[line - 1], end).replace(/\r$/, '');
}
