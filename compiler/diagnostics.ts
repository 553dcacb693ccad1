/**
 * Diagnostics are data: collected by every stage, never thrown, rendered once by a
 * reporter (`compiler/report/`). Every diagnostic comes from a named factory below (or,
 * for lint rules, from the rule's own `report`), with a stable code.
 */
import type { Severity, Span } from './ir.ts';

/** A Related is another place a diagnostic is about, e.g. the first declaration of a name declared twice. */
export interface Related {
  readonly span: Span;
  /** What is there, e.g. `the table 'acme_items' is first declared here`. */
  readonly message: string;
}

/** A Diagnostic is one finding: a stable code, a severity, a message, an optional hint, where. */
export interface Diagnostic {
  /** A stable id: a lint rule id (`org-prefix`) or a front-end code (`yaml-syntax`, `unknown-key`). */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
  /** Where: every diagnostic about an input names its file and the node's range. */
  readonly span: Span;
  /** Other places the finding involves, each rendered with its own file:line:col. */
  readonly related?: readonly Related[];
}

/** Builds an error diagnostic. */
export function error(code: string, span: Span, message: string, hint?: string, related?: readonly Related[]): Diagnostic {
  return make(code, 'error', span, message, hint, related);
}

/** Builds a warning diagnostic. */
export function warning(code: string, span: Span, message: string, hint?: string, related?: readonly Related[]): Diagnostic {
  return make(code, 'warn', span, message, hint, related);
}

function make(code: string, severity: Severity, span: Span, message: string, hint: string | undefined, related: readonly Related[] | undefined): Diagnostic {
  const d: Diagnostic = hint === undefined ? { code, severity, message, span } : { code, severity, message, hint, span };
  return related === undefined || related.length === 0 ? d : { ...d, related };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts diagnostics by file, then offset, then code: the order every reporter prints. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // Diagnostics sorted once are often sorted again on their way out: checking is cheaper than sorting.
  for (let i = 1; i < diagnostics.length; i++) if (compareDiagnostics(diagnostics[i - 1], diagnostics[i]) > 0) return [...diagnostics].sort(compareDiagnostics);
  return [...diagnostics];
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
    a.span.start - b.span.start ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
