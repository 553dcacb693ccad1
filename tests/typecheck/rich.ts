/** A rich pair of snapshots (core and one org) covering every column type db.ts maps. */
import type { SnapColumn, SnapTable, Snapshot } from '../../compiler/ir.ts';

function column(name: string, type: string, extra: Partial<SnapColumn> = {}): SnapColumn {
  return { name, type, nullable: false, default: null, comment: null, ...extra };
}

function table(name: string, columns: SnapColumn[], extra: Partial<SnapTable> = {}): SnapTable {
  const primaryKey = { name: `${name}_pkey`, columns: [columns[0].name] };
  return {
    name, comment: null, tenant: 'client', columns, primaryKey, foreignKeys: [], uniques: [], checks: [],
    indexes: [], triggers: [], rls: null, ...extra,
  };
}

const fk = (name: string, columns: string[], refTable: string, refColumns: string[]) =>
  ({ name, columns, refTable, refColumns, onDelete: 'cascade', onUpdate: 'no action' }) as const;

const TIMESTAMPS = [
  column('created_at', 'timestamptz', { default: 'now()' }),
  column('updated_at', 'timestamptz', { default: 'now()' }),
];

/** Core: the clients table, and a table whose name would shadow the global `Date`. */
export const CORE_SNAPSHOT: Snapshot = {
  version: 1,
  owner: 'core',
  extensions: ['vector'],
  enums: [{ name: 'client_plan', values: ['free', 'pro'] }],
  tables: [
    table('clients', [
      column('id', 'uuid', { default: 'gen_random_uuid()' }),
      column('name', 'text'),
      column('plan', 'client_plan', { default: "'free'" }),
      ...TIMESTAMPS,
    ], { tenant: 'global', comment: 'Customers of the platform.' }),
    table('date', [column('id', 'serial'), column('day', 'date')], { tenant: 'global' }),
  ],
};

/** The acme org: every type, enums, nullable columns, defaults, arrays, odd names. */
export const ACME_SNAPSHOT: Snapshot = {
  version: 1,
  owner: 'acme',
  extensions: [],
  enums: [{ name: 'acme_invoice_status', values: ['pending', 'paid', 'void'] }],
  tables: [
    table('acme_invoice_data', [
      column('id', 'serial'),
      column('client_id', 'uuid'),
      column('invoice_number', 'varchar(50)'),
      column('amount', 'integer', { comment: 'Amount in cents' }),
      column('status', 'acme_invoice_status', { default: "'pending'" }),
      column('stripe_payment_intent_id', 'varchar(255)', { nullable: true }),
      column('metadata', 'jsonb', { nullable: true }),
      column('tags', 'text[]', { default: "'{}'" }),
      column('statuses', 'acme_invoice_status[]', { nullable: true }),
      ...TIMESTAMPS,
    ], {
      comment: 'Invoices created by the invoice_generator tool.',
      foreignKeys: [fk('acme_invoice_data_client_id_fkey', ['client_id'], 'clients', ['id'])],
      uniques: [{ name: 'acme_invoice_data_invoice_number_key', columns: ['invoice_number'] }],
    }),
    table('acme_every_type', [
      column('id', 'bigserial'),
      column('client_id', 'uuid'),
      column('small', 'smallint'),
      column('big', 'bigint'),
      column('big_default', 'bigint', { default: '0' }),
      column('price', 'numeric(10,2)'),
      column('ratio', 'real', { nullable: true }),
      column('score', 'double precision'),
      column('active', 'boolean', { default: 'true' }),
      column('code', 'char(3)'),
      column('born_on', 'date', { nullable: true }),
      column('at_time', 'time'),
      column('naive_at', 'timestamp'),
      column('took', 'interval', { nullable: true }),
      column('doc', 'json'),
      column('blob', 'bytea', { nullable: true }),
      column('ip', 'inet'),
      column('embedding', 'vector(3)', { nullable: true }),
      column('amounts', 'numeric(10,2)[]'),
      column('seen_at', 'timestamptz[]', { nullable: true }),
      column('counts', 'bigint[]', { default: "'{}'" }),
      column('flags', 'boolean[]'),
      column('note', 'text', { nullable: true, default: "'n/a'" }),
      column('odd-name', 'text', { nullable: true }),
      column('select', 'text', { nullable: true, comment: 'A reserved word is a fine property name.' }),
    ], { foreignKeys: [fk('acme_every_type_client_id_fkey', ['client_id'], 'clients', ['id'])] }),
    table('acme weird-table', [column('id', 'integer'), column('Mixed Case', 'text')]),
  ],
};

/** Both snapshots, deliberately not in core-first order. */
export const RICH_SNAPSHOTS: readonly Snapshot[] = [ACME_SNAPSHOT, CORE_SNAPSHOT];
