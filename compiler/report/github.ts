/** The `github` format: GitHub Actions workflow annotations, one line per diagnostic. */
import type { Diagnostic } from '../diagnostics.ts';
import type { Span } from '../ir.ts';
import { locate } from './locate.ts';

const COMMAND = { error: 'error', warn: 'warning', info: 'notice' } as const;

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(command: string, span: Span, code: string, message: string, sources: ReadonlyMap<string, string>): string {
  const at = locate(span, sources);
  const props = `file=${escapeProperty(span.file)},line=${at.line},col=${at.column},endLine=${at.endLine},endColumn=${at.endColumn},title=${escapeProperty(code)}`;
  return `::${command} ${props}::${escapeData(message)}\n`;
}

/**
 * Renders `::error file=…,line=…,col=…,title=rule::message` lines: one per diagnostic, and
 * one more at each related place (so a pull request that touches only that file shows it).
 */
export function renderGithub(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return diagnostics
    .map((d) => {
      const command = COMMAND[d.severity];
      const head = annotation(command, d.span, d.code, d.hint ? `${d.message}\n${d.hint}` : d.message, sources);
      const at = locate(d.span, sources);
      const related = (d.related ?? []).map((r) => annotation(command, r.span, d.code, `${r.message}: ${d.message} (${d.span.file}:${at.line}:${at.column})`, sources));
      return head + related.join('');
    })
    .join('');
}
