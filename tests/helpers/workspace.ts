/** Model fixtures shared by the tests that build small workspaces. */

/** A minimal, lint-clean core: the `clients` table every tenant table references. */
export const CORE_CLIENTS = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: varchar(255)
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;
