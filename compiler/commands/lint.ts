/**
 * `schemac lint [--format pretty|json|github|sarif] [--strict]`: validate and lint every
 * models.yaml. Exit 0 (warnings are printed), 1 on errors (or warnings with --strict),
 * 2 on a usage or config error. Pretty output goes to stderr; machine formats to stdout.
 */
import { hasErrors } from '../diagnostics.ts';
import { loadWorkspace } from '../index.ts';
import type { ReportFormat } from '../report/index.ts';
import { renderDiagnostics, REPORT_FORMATS, summary } from '../report/index.ts';
import { suggest, useColor } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';

/** Runs `schemac lint`. */
export async function run(ctx: CommandContext): Promise<number> {
  const format = ctx.flags.format ?? 'pretty';
  if (!(REPORT_FORMATS as readonly unknown[]).includes(format)) {
    ctx.io.stderr(`schemac lint: unknown format '${String(format)}'${suggest(String(format), REPORT_FORMATS)}\n`);
    return EXIT.usage;
  }
  const result = await loadWorkspace({ cwd: ctx.cwd, configPath: ctx.configPath });
  const color = useColor(ctx.io);
  const text = renderDiagnostics(result.diagnostics, { format: format as ReportFormat, sources: result.sources, color });
  if (format === 'pretty') {
    if (text !== '') ctx.io.stderr(`${text}\n`);
  } else ctx.io.stdout(text);
  ctx.io.stderr(`${summary(result.diagnostics, result.files.length)}${result.configError ? ' (the config is invalid)' : ''}\n`);
  if (result.configError) return EXIT.usage;
  const strictFail = ctx.flags.strict === true && result.diagnostics.some((d) => d.severity === 'warn');
  return hasErrors(result.diagnostics) || strictFail ? EXIT.failed : EXIT.ok;
}
