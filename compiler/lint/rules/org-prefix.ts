/** `org-prefix`: every table, enum and explicitly named index or constraint of an org starts with `<org>_`. */
import { forEachExplicitName } from '../../front/index.ts';
import type { Finding, SchemaRule } from '../rule.ts';
import { allEnums, allTables, isCustom } from '../walk.ts';

const prefixed = (name: string, org: string): string => `${org}_${name}`;

/** The org-prefix rule. */
export const orgPrefix: SchemaRule = {
  id: 'org-prefix',
  defaultSeverity: 'error',
  description: "A custom table, enum or explicit index or constraint name starts with its org's name and an underscore.",
  check({ workspace }, report) {
    for (const table of allTables(workspace)) {
      const org = table.owner;
      if (!isCustom(org)) continue;
      if (!table.name.startsWith(`${org}_`)) report(missing('table', table.name, org, table.span, { table: table.name }));
      for (const index of table.indexes) {
        if (index.name !== undefined && !index.name.startsWith(`${org}_`)) {
          report(missing('index', index.name, org, index.span, { table: table.name }));
        }
      }
      forEachExplicitName(table, (name, what, span) => {
        if (!name.startsWith(`${org}_`)) report(missing(what, name, org, span, { table: table.name }));
      });
    }
    for (const e of allEnums(workspace)) {
      if (isCustom(e.owner) && !e.name.startsWith(`${e.owner}_`)) report(missing('enum', e.name, e.owner, e.span, {}));
    }
  },
};

function missing(what: string, name: string, org: string, span: Finding['span'], at: { table?: string }): Finding {
  return {
    span,
    ...at,
    message: `${what} '${name}' belongs to org '${org}' but does not start with '${org}_'`,
    hint: `rename to ${prefixed(name, org)}: org prefixes keep every org's objects apart in the shared database`,
  };
}
