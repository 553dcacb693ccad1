/** The `github` format: GitHub Actions workflow annotations, one line per diagnostic. */
import type { Diagnostic } from '../diagnostics.ts';
import { locate } from './locate.ts';

const COMMAND = { error: 'error', warn: 'warning', info: 'notice' } as const;

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Renders `::error file=…,line=…,col=…,title=rule::message` lines. */
export function renderGithub(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return diagnostics
    .map((d) => {
      const at = locate(d.span, sources);
      const props = `file=${escapeProperty(d.span.file)},line=${at.line},col=${at.column},endLine=${at.endLine},endColumn=${at.endColumn},title=${escapeProperty(d.code)}`;
      const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
      return `::${COMMAND[d.severity]} ${props}::${escapeData(message)}\n`;
    })
    .join('');
}
