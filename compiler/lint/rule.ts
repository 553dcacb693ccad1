/**
 * The shape of a lint rule: a small object with a stable id, a default severity and a
 * `check` that reports through `report`. Schema rules walk the Workspace IR; safety rules
 * walk the planned changes (`compiler/diff.ts`).
 */
import type { Config, Severity, Span, Workspace } from '../ir.ts';

/** A Finding is what a rule reports; the linter turns it into a Diagnostic. */
export interface Finding {
  readonly span: Span;
  /** The table the finding is about: its `lint.allow` (and its file's) may suppress it. */
  readonly table?: string;
  /** The column the finding is about: its `lint.allow` may suppress it. */
  readonly column?: string;
  readonly message: string;
  readonly hint?: string;
  /** `warn`: this finding is milder than the rule (reported as a warning even where the rule is an error). */
  readonly severity?: 'warn';
}

/** A SchemaRuleContext is what a schema rule sees. */
export interface SchemaRuleContext {
  readonly workspace: Workspace;
  readonly config: Config;
}

/** A SchemaRule is a lint rule over the models. */
export interface SchemaRule {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly description: string;
  check(ctx: SchemaRuleContext, report: (finding: Finding) => void): void;
}
