/** Small builders of snapshot IR for diff and plan tests. */
import { type RenameHints, type SnapColumn, type SnapEnum, type Snapshot, SNAPSHOT_VERSION, type SnapTable } from '../../compiler/ir.ts';
import { pkeyName } from '../../compiler/shared/names.ts';

/** A column: not null, no default, no comment unless `extra` says otherwise. */
export function col(name: string, type: string, extra: Partial<SnapColumn> = {}): SnapColumn {
  return { name, type, nullable: false, default: null, comment: null, ...extra };
}

/** A table with an `id serial` primary key first unless `extra.primaryKey` says otherwise. */
export function table(name: string, columns: readonly SnapColumn[], extra: Partial<SnapTable> = {}): SnapTable {
  const hasId = columns.some((c) => c.name === 'id');
  return {
    name,
    comment: null,
    tenant: 'global',
    columns: hasId ? columns : [col('id', 'serial'), ...columns],
    primaryKey: { name: pkeyName(name), columns: ['id'] },
    foreignKeys: [],
    uniques: [],
    checks: [],
    indexes: [],
    triggers: [],
    rls: null,
    ...extra,
  };
}

/** A snapshot of `owner` (default `core`). */
export function snap(tables: readonly SnapTable[], extra: { enums?: readonly SnapEnum[]; extensions?: readonly string[]; owner?: string } = {}): Snapshot {
  return { version: SNAPSHOT_VERSION, owner: extra.owner ?? 'core', extensions: extra.extensions ?? [], enums: extra.enums ?? [], tables };
}

/** Rename hints from plain objects (new name → old name; columns keyed `table.column`). */
export function hints(h: { tables?: Record<string, string>; columns?: Record<string, string>; enums?: Record<string, string> } = {}): RenameHints {
  return { tables: new Map(Object.entries(h.tables ?? {})), columns: new Map(Object.entries(h.columns ?? {})), enums: new Map(Object.entries(h.enums ?? {})) };
}

/** No renames. */
export const NO_HINTS: RenameHints = hints();
