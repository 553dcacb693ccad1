/**
 * The distribution fixture: a core with two global tables and an org with two tenant tables
 * (tests/distribution.test.ts checks its migrations on plain PostgreSQL, tests/citus.test.ts
 * applies them on a real Citus cluster).
 */

export const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
  currencies:
    tenant: global
    columns:
      code: { type: char(3), primary_key: true }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

/** acme's tables reference the core currencies by code, so the config exposes it. */
export const EXPOSE = 'expose: [clients.id, currencies.code]\n';

export const ACME = `tables:
  acme_customers:
    primary_key: [client_id, id]
    columns:
      id: { type: uuid, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      email: varchar(320)
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    unique:
      - [client_id, email]
    rls: true
  acme_invoices:
    primary_key: [client_id, id]
    columns:
      id: { type: uuid, default: gen_random_uuid() }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      currency: { type: char(3), index: true, references: currencies.code }
      number: varchar(50)
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - { columns: [client_id, number], unique: true }
    rls: true
`;

export const ACME_PATH = 'schemas/custom_tools/acme/billing/models.yaml';

/** The fixture's workspace: config, core and acme (tests/citus.test.ts runs it on a real cluster). */
export const CITUS_FIXTURE: Readonly<Record<string, string>> = {
  'schemac.config.yaml': `distribution: { engine: citus }\n${EXPOSE}`,
  'schemas/core/models.yaml': CORE,
  [ACME_PATH]: ACME,
};
