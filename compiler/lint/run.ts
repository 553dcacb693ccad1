/**
 * The schema linter: runs every schema rule over the Workspace IR and turns findings into
 * diagnostics, applying the config's severity overrides and every `lint.allow` suppression
 * (workspace, file, table, column).
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { Config, LintSettings, Owner, Severity, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import type { Finding, SchemaRule } from './rule.ts';
import { distribution } from './rules/distribution.ts';
import { fkNeedsIndex } from './rules/fk-needs-index.ts';
import { identifier } from './rules/identifier.ts';
import { orgPrefix } from './rules/org-prefix.ts';
import { preferJsonb } from './rules/prefer-jsonb.ts';
import { preferTimestamptz } from './rules/prefer-timestamptz.ts';
import { redundantIndex } from './rules/redundant-index.ts';
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
  redundantIndex,
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

/**
 * The rules an org's files can never allow, whatever the config says: they keep one org's
 * objects, rows and names from reaching another's. `rls` (row-level security) is locked
 * too, rule or not. Core files and the workspace config may still allow them.
 */
export const LOCKED_RULES: readonly string[] = ['org-prefix', 'require-client-id', 'tenant-unique', 'identifier', 'rls'];

/** True when `lint.allow` in a file of `owner` (or a table or column of one) cannot allow `ruleId`. */
export function isLockedFor(ruleId: string, owner: Owner, config: Config): boolean {
  return owner !== CORE && (LOCKED_RULES.includes(ruleId) || (config.lint.locked ?? []).includes(ruleId));
}

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
    .map((f) => ({
      code: rule.id, severity: f.severity === 'warn' && severity === 'error' ? 'warn' as const : severity, message: f.message, ...(f.hint === undefined ? {} : { hint: f.hint }), span: f.span,
    }));
}

function effectiveSeverity(rule: { id: string; defaultSeverity: Severity }, config: Config): Severity | 'off' {
  return config.lint.rules[rule.id] ?? rule.defaultSeverity;
}

/**
 * True when the workspace, the finding's file, its table (or the table's file) or its column
 * allows the rule; an org's file, table or column never allows a locked rule (`isLockedFor`).
 */
export function isSuppressed(ruleId: string, f: Finding, ctx: { workspace: Workspace; config: Config }): boolean {
  if (Object.hasOwn(ctx.config.lint.allow, ruleId)) return true;
  return settingsFor(f, ctx.workspace).some((s) => Object.hasOwn(s.settings.allow, ruleId) && !isLockedFor(ruleId, s.owner, ctx.config));
}

const fileIndex = new WeakMap<Workspace, Map<string, Array<{ file: Workspace['files'][number]; index: number }>>>();

/** The workspace's files by path (with their position, to keep the order of `ws.files`), built once per workspace: a scan per finding is quadratic. */
function filesByPath(ws: Workspace): Map<string, Array<{ file: Workspace['files'][number]; index: number }>> {
  let map = fileIndex.get(ws);
  if (map === undefined) {
    map = new Map();
    ws.files.forEach((file, index) => {
      const list = map!.get(file.path);
      if (list) list.push({ file, index });
      else map!.set(file.path, [{ file, index }]);
    });
    fileIndex.set(ws, map);
  }
  return map;
}

/** The lint settings that may suppress a finding, each with the owner of the file that holds it. */
function settingsFor(f: Finding, ws: Workspace): Array<{ settings: LintSettings; owner: Owner }> {
  const table = f.table === undefined ? undefined : ws.tables.get(f.table);
  const byPath = filesByPath(ws);
  const paths = table?.file === undefined || table.file === f.span.file ? [f.span.file] : [f.span.file, table.file];
  const settings = paths
    .flatMap((p) => byPath.get(p) ?? [])
    .sort((a, b) => a.index - b.index)
    .map(({ file }) => ({ settings: file.lint, owner: file.owner }));
  if (table !== undefined) {
    settings.push({ settings: table.lint, owner: table.owner });
    const column = f.column === undefined ? undefined : table.columns.find((c) => c.name === f.column);
    if (column !== undefined) settings.push({ settings: column.lint, owner: table.owner });
  }
  return settings;
}
