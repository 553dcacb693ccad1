/** The reporters: diagnostics are rendered once, at the edge, in one of four formats. */
import type { Diagnostic } from '../diagnostics.ts';
import { sortDiagnostics } from '../diagnostics.ts';
import { renderGithub } from './github.ts';
import { renderJson } from './json.ts';
import { prettyRenderer, renderPretty } from './pretty.ts';
import { renderSarif } from './sarif.ts';

export { locate, lineText } from './locate.ts';
export type { Location } from './locate.ts';
export { toJson } from './json.ts';
export type { JsonDiagnostic } from './json.ts';
export { summary } from './pretty.ts';

/** A ReportFormat is one of the output formats of `--format`. */
export type ReportFormat = 'pretty' | 'json' | 'github' | 'sarif';

/** Every report format. */
export const REPORT_FORMATS: readonly ReportFormat[] = ['pretty', 'json', 'github', 'sarif'];

/** Options of `renderDiagnostics`. */
export interface RenderOptions {
  readonly format: ReportFormat;
  /** Workspace-relative path → text, to locate spans and draw code frames. */
  readonly sources: ReadonlyMap<string, string>;
  readonly color: boolean;
}

/** Renders diagnostics, sorted by file and position, in the given format. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], opts: RenderOptions): string {
  const sorted = sortDiagnostics(diagnostics);
  switch (opts.format) {
    case 'pretty': return renderPretty(sorted, opts.sources, opts.color);
    case 'json': return renderJson(sorted, opts.sources);
    case 'github': return renderGithub(sorted, opts.sources);
    case 'sarif': return renderSarif(sorted, opts.sources);
  }
}

/** How much rendered text `writeDiagnostics` gathers before it writes. */
const CHUNK = 1 << 16;

/**
 * Writes what `renderDiagnostics` renders, ending in a newline. The pretty format goes out in
 * pieces as it is rendered, so tens of thousands of warnings are never one string (which cost
 * the copying of every survivor in each young-generation collection until it was written).
 */
export function writeDiagnostics(diagnostics: readonly Diagnostic[], opts: RenderOptions, write: (text: string) => void): void {
  if (opts.format !== 'pretty') {
    const text = renderDiagnostics(diagnostics, opts);
    return write(text.endsWith('\n') ? text : `${text}\n`);
  }
  const render = prettyRenderer(opts.sources, opts.color);
  let chunk = '';
  let last = '';
  const flush = () => void (chunk !== '' && (write(chunk), (last = chunk), (chunk = '')));
  sortDiagnostics(diagnostics).forEach((d, i) => {
    chunk += i === 0 ? render(d) : `\n${render(d)}`;
    if (chunk.length >= CHUNK) flush();
  });
  flush();
  if (!last.endsWith('\n')) write('\n');
}
