/** The `json` format: an array of located diagnostics. */
import type { Diagnostic } from '../diagnostics.ts';
import { locate } from './locate.ts';

/** A JsonRelated is another place a diagnostic is about, located. */
export interface JsonRelated {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
}

/** A JsonDiagnostic is one diagnostic as the json format prints it. */
export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly rule: string;
  readonly severity: string;
  readonly message: string;
  readonly hint?: string;
  /** Present when the diagnostic involves other places (a name's first declaration). */
  readonly related?: readonly JsonRelated[];
}

/** Locates every diagnostic. */
export function toJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): JsonDiagnostic[] {
  return diagnostics.map((d) => ({
    file: d.span.file,
    ...locate(d.span, sources),
    rule: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    ...(d.related === undefined ? {} : { related: d.related.map((r) => ({ file: r.span.file, ...locate(r.span, sources), message: r.message })) }),
  }));
}

/** Renders the json format. */
export function renderJson(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return `${JSON.stringify(toJson(diagnostics, sources), null, 2)}\n`;
}
