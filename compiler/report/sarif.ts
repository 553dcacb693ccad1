/** The `sarif` format: SARIF 2.1.0, for code-scanning uploads. */
import type { Diagnostic } from '../diagnostics.ts';
import type { Span } from '../ir.ts';
import { locate } from './locate.ts';

const LEVEL = { error: 'error', warn: 'warning', info: 'note' } as const;

/** A SARIF physicalLocation of a span. */
function physicalLocation(span: Span, sources: ReadonlyMap<string, string>) {
  const at = locate(span, sources);
  return {
    artifactLocation: { uri: span.file, uriBaseId: '%SRCROOT%' },
    region: { startLine: at.line, startColumn: at.column, endLine: at.endLine, endColumn: at.endColumn },
  };
}

/** Renders one SARIF log with one run of schemac. */
export function renderSarif(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  const ruleIds = [...new Set(diagnostics.map((d) => d.code))].sort();
  const results = diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: ruleIds.indexOf(d.code),
    level: LEVEL[d.severity],
    message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
    locations: [{ physicalLocation: physicalLocation(d.span, sources) }],
    ...(d.related === undefined ? {} : {
      relatedLocations: d.related.map((r, i) => ({ id: i + 1, physicalLocation: physicalLocation(r.span, sources), message: { text: r.message } })),
    }),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'schemac', informationUri: 'https://github.com/schemac/schemac', rules: ruleIds.map((id) => ({ id })) } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
