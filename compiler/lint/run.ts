/**
 * The schema linter: runs every schema rule over the Workspace IR and turns findings into
 * diagnostics, applying the config's severity overrides and every `lint.allow` suppression
 * (workspace, file, table, column).
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { Config, LintSettings, Severity, Workspace } from '../ir.ts';
import type { Finding, SchemaRule } from './rule.ts';
import { distribution } from './rules/distribution.ts';
import { fkNeedsIndex } from './rules/fk-needs-index.ts';
import { identifier } from './rules/identifier.ts';
import { orgPrefix } from './rules/org-prefix.ts';
import { preferJsonb } from './rules/prefer-jsonb.ts';
import { preferTimestamptz } from './rules/prefer-timestamptz.ts';
import { requireClientId } from './rules/require-client-id.ts';
import { requireTimestamps } from './rules/require-timestamps.ts';
import { sensitivePlaintext } from './rules/sensitive-plaintext.ts';
import { tenantUnique } from './rules/tenant-unique.ts';

/** Every schema rule, in the order of SPEC §4, then the tenancy rules. */
export const SCHEMA_RULES: readonly SchemaRule[] = [
  orgPrefix,
  requireClientId,
  requireTimestamps,
  fkNeedsIndex,
  sensitivePlaintext,
  preferJsonb,
  preferTimestamptz,
  identifier,
  tenantUnique,
  distribution,
];

/** The ids of the safety rules (`compiler/lint/safety.ts`), which walk planned changes. */
export const SAFETY_RULE_IDS: readonly string[] = ['destructive-change', 'unsafe-migration'];

/** Every lint rule id a config or `lint.allow` may name. */
export const RULE_IDS: readonly string[] = [...SCHEMA_RULES.map((r) => r.id), ...SAFETY_RULE_IDS];

/** Runs every schema rule over the workspace; returns their diagnostics, overridden and suppressed per the config. */
export function lintWorkspace(workspace: Workspace, config: Config): Diagnostic[] {
  const ctx = { workspace, config };
  return SCHEMA_RULES.flatMap((rule) => {
    if (effectiveSeverity(rule, config) === 'off') return [];
    const findings: Finding[] = [];
    rule.check(ctx, (f) => void findings.push(f));
    return reportFindings(rule, findings, ctx);
  });
}

/** Applies config severity overrides and `lint.allow` suppressions (workspace, file, table, column). */
export function reportFindings(
  rule: { id: string; defaultSeverity: Severity },
  findings: readonly Finding[],
  ctx: { workspace: Workspace; config: Config },
): Diagnostic[] {
  const severity = effectiveSeverity(rule, ctx.config);
  if (severity === 'off') return [];
  return findings
    .filter((f) => !isSuppressed(rule.id, f, ctx))
    .map((f) => ({ code: rule.id, severity, message: f.message, ...(f.hint === undefined ? {} : { hint: f.hint }), span: f.span }));
}

function effectiveSeverity(rule: { id: string; defaultSeverity: Severity }, config: Config): Severity | 'off' {
  return config.lint.rules[rule.id] ?? rule.defaultSeverity;
}

/** True when the workspace, the finding's file, its table (or the table's file) or its column allows the rule. */
export function isSuppressed(ruleId: string, f: Finding, ctx: { workspace: Workspace; config: Config }): boolean {
  if (Object.hasOwn(ctx.config.lint.allow, ruleId)) return true;
  return settingsFor(f, ctx.workspace).some((s) => s !== undefined && Object.hasOwn(s.allow, ruleId));
}

function settingsFor(f: Finding, ws: Workspace): (LintSettings | undefined)[] {
  const table = f.table === undefined ? undefined : ws.tables.get(f.table);
  const files = new Set([f.span.file, table?.file]);
  const settings: (LintSettings | undefined)[] = ws.files.filter((file) => files.has(file.path)).map((file) => file.lint);
  if (table !== undefined) {
    settings.push(table.lint);
    if (f.column !== undefined) settings.push(table.columns.find((c) => c.name === f.column)?.lint);
  }
  return settings;
}
