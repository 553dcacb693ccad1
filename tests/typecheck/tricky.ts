/** Snapshots with the odd cases of db.ts: name clashes across owners, quoted keys, comments of several lines. */
import type { SnapColumn, SnapTable, Snapshot } from '../../compiler/ir.ts';

function column(name: string, type: string, extra: Partial<SnapColumn> = {}): SnapColumn {
  return { name, type, nullable: false, default: null, comment: null, ...extra };
}

function table(name: string, columns: SnapColumn[], extra: Partial<SnapTable> = {}): SnapTable {
  return { name, comment: null, tenant: 'client', columns, primaryKey: null, foreignKeys: [], uniques: [], checks: [], indexes: [], triggers: [], rls: null, ...extra };
}

/** Core: an enum named like `DB`, a table named like `Date`, and a table that takes an org table's name. */
export const TRICKY_CORE: Snapshot = {
  version: 1,
  owner: 'core',
  extensions: [],
  enums: [{ name: 'db', values: ['a', "it's", 'back\\slash', 'say "hi"'] }, { name: 'acme-status', values: ['on'] }],
  tables: [
    table('date', [column('id', 'serial'), column('day', 'date', { nullable: true })], { comment: '  Calendar days.  ' }),
    table('acme__invoices', [column('id', 'bigserial'), column('kind', 'db[]', { nullable: true })]),
    table('json', [column('value', 'jsonb', { default: "'{}'" })], { comment: 'Line one\r\n\r\n  indented */ line\u2028last' }),
  ],
};

/** An org whose names clash with core's and with each other, with keys that need quotes. */
export const TRICKY_ACME: Snapshot = {
  version: 1,
  owner: 'acme',
  extensions: [],
  enums: [{ name: 'acme_status', values: ['draft', 'done'] }],
  tables: [
    table('acme_invoices', [
      column('id', 'integer'),
      column('odd-name', 'text', { comment: 'First\n\nthird */' }),
      column("it's", 'varchar(10)[]'),
      column('1st', 'numeric(10,2)[]', { nullable: true }),
      column('$ok', 'timestamptz[]', { default: "'{}'" }),
      column('counts', 'bigint[]', { nullable: true, default: "'{}'" }),
      column('status', 'acme_status', { default: "'draft'" }),
      column('other_status', 'acme-status'),
      column('kind', 'db'),
      column('mystery', 'some_unknown_type', { nullable: true, comment: '   ' }),
    ]),
    table('acme_status', [column('id', 'integer')]),
    table('acme_a_b', [column('id', 'integer')]),
    table('acme_a__b', [column('id', 'integer')]),
    table('acme_a_b_row', [column('id', 'integer')]),
  ],
};

/** An org with enums only, and an org with nothing (left out of db.ts). */
export const TRICKY_ENUMS_ONLY: Snapshot = { version: 1, owner: 'beta', extensions: [], enums: [{ name: 'beta_level', values: ['low', 'high'] }], tables: [] };
export const TRICKY_EMPTY: Snapshot = { version: 1, owner: 'alpha', extensions: [], enums: [], tables: [] };

/** Every tricky snapshot, not in core-first order. */
export const TRICKY_SNAPSHOTS: readonly Snapshot[] = [TRICKY_ACME, TRICKY_EMPTY, TRICKY_ENUMS_ONLY, TRICKY_CORE];
