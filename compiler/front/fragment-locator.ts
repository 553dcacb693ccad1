/** Where in a models file an offset of one of its SQL fragments is, for diagnostics at the exact column. */
import type { Fragment, Span } from '../ir.ts';

/** Maps an offset in the fragment to a span in the source file, when the fragment's text is found there verbatim. */
export function locator(fragment: Fragment, source: string | undefined): (offset: number | undefined) => Span {
  const { file, start, end } = fragment.span;
  const raw = source?.slice(start, end) ?? '';
  const base = raw === fragment.sql ? start : raw.slice(1, -1) === fragment.sql ? start + 1 : undefined;
  return (offset) => {
    if (offset === undefined || base === undefined) return { file, start, end };
    const at = Math.min(base + Math.max(0, offset), base + fragment.sql.length);
    return { file, start: at, end: Math.min(at + 1, end) };
  };
}
