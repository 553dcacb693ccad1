/**
 * Derived names of constraints, indexes, triggers and policies. Deterministic, and never
 * silently truncated: the `identifier` lint rule reports any name over 63 bytes.
 */

/** PostgreSQL's identifier limit, in bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

/** The byte length of an identifier as PostgreSQL counts it (UTF-8). */
export function identifierBytes(name: string): number {
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 0x7f) return Buffer.byteLength(name, 'utf8');
  return name.length;
}

/** `<table>_pkey` */
export const pkeyName = (table: string): string => `${table}_pkey`;

/** `<table>_<cols>_fkey` */
export const fkeyName = (table: string, columns: readonly string[]): string => `${table}_${columns.join('_')}_fkey`;

/** `<table>_<cols>_key`: a unique constraint. */
export const uniqueName = (table: string, columns: readonly string[]): string => `${table}_${columns.join('_')}_key`;

/** `<table>_<cols>_idx`: an index (explicit `name:` wins). */
export const indexName = (table: string, columns: readonly string[]): string => `${table}_${columns.join('_')}_idx`;

/** `<table>_<name>_check`: a check constraint, `name` being the column or the `checks` key. */
export const checkName = (table: string, name: string): string => `${table}_${name}_check`;

/** `<table>_set_updated_at`: the trigger (and its function) that implements `on_update: now()`. */
export const updatedAtTriggerName = (table: string): string => `${table}_set_updated_at`;

/** `<table>_tenant_isolation`: the row-level-security policy on `client_id`. */
export const rlsPolicyName = (table: string): string => `${table}_tenant_isolation`;

/** `<table>_<column>_seq`: the sequence PostgreSQL creates for a serial column. */
export const sequenceName = (table: string, column: string): string => `${table}_${column}_seq`;
