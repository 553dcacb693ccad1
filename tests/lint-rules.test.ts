/**
 * Table-driven tests of the schema lint rules: each rule's valid and invalid models, its
 * suppressions (column, table, file, workspace) and config severity overrides. Every case
 * is a real temporary workspace run through the front end (`loadWorkspace`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadWorkspace } from '../compiler/index.ts';
import { toSnakeCase } from '../compiler/lint/rules/identifier.ts';
import { sensitiveWord } from '../compiler/lint/rules/sensitive-plaintext.ts';
import { reportFindings, SCHEMA_RULES } from '../compiler/lint/run.ts';

/** One expected diagnostic: rule, 1-based line and column in the case's models file. */
interface Expected {
  readonly rule: string;
  readonly line: number;
  readonly column: number;
  readonly severity?: 'error' | 'warn' | 'info';
  /** A fragment the hint must contain. */
  readonly hint?: string;
}

/** A Case is the models file of org acme (plus a standard core) and an optional config. */
interface Case {
  readonly name: string;
  readonly yaml: string;
  readonly config?: string;
  /** Where the case's file goes (default: an acme tool). */
  readonly path?: string;
  readonly errors?: readonly Expected[];
}

interface RuleCases {
  readonly valid: readonly Case[];
  readonly invalid: readonly Case[];
}

const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

const ACME = 'schemas/custom_tools/acme/invoice_generator/models.yaml';

/** A second core file: core may allow the rules an org's files may not (see tests/cases/lint/locked-*). */
const CORE_EXTRA = 'schemas/core/extra/models.yaml';

/** The columns every clean acme table starts with (lines 4–7 of a one-table file). */
const BASE = `      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

/** A one-table acme file: `acme_things` with the base columns, then `extra` lines (from line 8). */
const table = (extra = '', head = '', name = 'acme_things'): string => `tables:\n  ${name}:\n${head}    columns:\n${BASE}${extra}`;

/** A config that distributes tenant tables over Citus by client_id. */
const CITUS = 'distribution:\n  engine: citus\n';

const CASES: Record<string, RuleCases> = {
  'org-prefix': {
    valid: [
      { name: 'prefixed table', yaml: table() },
      { name: 'prefixed enum and index name', yaml: `enums:\n  acme_status: [a, b]\n${table('    indexes:\n      - { columns: [created_at], name: acme_things_recent_idx }\n')}` },
      { name: 'enum allowed in the workspace config', config: 'lint:\n  allow:\n    org-prefix: a name shared with the billing service\n', yaml: `enums:\n  status: [a, b]\n${table()}` },
      { name: 'core tables need no prefix', path: 'schemas/core/extra/models.yaml', yaml: table('', '', 'things') },
    ],
    invalid: [
      { name: 'table', yaml: table('', '', 'invoices'), errors: [{ rule: 'org-prefix', line: 2, column: 3, hint: 'rename to acme_invoices' }] },
      { name: 'enum', yaml: `enums:\n  status: [a, b]\n${table()}`, errors: [{ rule: 'org-prefix', line: 2, column: 3, hint: 'acme_status' }] },
      {
        name: 'explicit index name',
        yaml: table('    indexes:\n      - { columns: [created_at], name: recent_idx }\n'),
        errors: [{ rule: 'org-prefix', line: 9, column: 9 }],
      },
      { name: 'the other org prefix', path: 'schemas/custom_resources/globex/r/models.yaml', yaml: table(), errors: [{ rule: 'org-prefix', line: 2, column: 3 }] },
      { name: 'severity override to warn', config: 'lint:\n  rules:\n    org-prefix: warn\n', yaml: table('', '', 'things'), errors: [{ rule: 'org-prefix', line: 2, column: 3, severity: 'warn' }] },
    ],
  },
  'require-client-id': {
    valid: [
      { name: 'client_id referenced by a table-level foreign key', yaml: table().replace('      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }\n', '      client_id: { type: uuid, index: true }\n').concat('    foreign_keys:\n      - { columns: [client_id], references: { table: clients, columns: [id] }, on_delete: cascade }\n') },
      { name: 'tenant table with client_id', yaml: table() },
      {
        name: 'global table without client_id',
        yaml: 'tables:\n  acme_rates:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n',
      },
      { name: 'suppressed on a core table', path: CORE_EXTRA, yaml: noClientId('    lint: { allow: { require-client-id: "rows are keyed by invoice" } }\n') },
      { name: 'suppressed in a core file', path: CORE_EXTRA, yaml: `lint:\n  allow:\n    require-client-id: legacy import table\n${noClientId()}` },
      { name: 'suppressed in the workspace config', config: 'lint:\n  allow:\n    require-client-id: single-tenant deployment\n', yaml: noClientId() },
      { name: 'turned off in the config', config: 'lint:\n  rules:\n    require-client-id: "off"\n', yaml: noClientId() },
    ],
    invalid: [
      { name: 'missing', yaml: noClientId(), errors: [{ rule: 'require-client-id', line: 2, column: 3, hint: 'client_id' }] },
      {
        name: 'nullable, wrong type, no reference',
        yaml: 'tables:\n  acme_things:\n    columns:\n      id: { type: uuid, primary_key: true, default: gen_random_uuid() }\n      client_id: { type: integer, nullable: true, index: true }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n',
        errors: [{ rule: 'require-client-id', line: 5, column: 7 }],
      },
      {
        name: 'references another table',
        yaml: `${table()}      parent_id: { type: uuid, index: true, references: acme_things.id }\n  acme_more:\n    columns:\n      id: { type: uuid, primary_key: true }\n      client_id: { type: uuid, index: true, references: acme_things.id }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n`,
        errors: [{ rule: 'require-client-id', line: 12, column: 7 }],
      },
      {
        name: 'an org\'s global table with a client_id has row-level security, so its client_id is checked',
        yaml: 'tables:\n  acme_rates:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n      client_id: { type: integer, index: true }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n',
        errors: [{ rule: 'require-client-id', line: 6, column: 7 }],
      },
    ],
  },
  'require-timestamps': {
    valid: [
      { name: 'both timestamps', yaml: table() },
      { name: 'timestamp without time zone is accepted here', config: 'lint:\n  rules:\n    prefer-timestamptz: "off"\n', yaml: withTimestamps('{ type: timestamp, default: now() }', '{ type: timestamp, default: now(), on_update: now() }') },
      { name: 'suppressed on the table', yaml: withTimestamps(undefined, undefined, '    lint:\n      allow:\n        require-timestamps: append-only log\n') },
    ],
    invalid: [
      { name: 'both missing', yaml: withTimestamps(), errors: [{ rule: 'require-timestamps', line: 2, column: 3, hint: 'created_at' }, { rule: 'require-timestamps', line: 2, column: 3, hint: 'on_update' }] },
      {
        name: 'nullable, no default, no on_update',
        yaml: withTimestamps('timestamptz?', '{ type: timestamptz, default: now() }'),
        errors: [{ rule: 'require-timestamps', line: 6, column: 7 }, { rule: 'require-timestamps', line: 7, column: 7, hint: 'on_update: now()' }],
      },
      { name: 'wrong type', yaml: withTimestamps('{ type: date, default: current_date }', '{ type: timestamptz, default: now(), on_update: now() }'), errors: [{ rule: 'require-timestamps', line: 6, column: 7 }] },
      {
        name: 'suppressed on a column only covers that column',
        yaml: withTimestamps('timestamptz?', '{ type: timestamptz, nullable: true, default: now(), on_update: now(), lint: { allow: { require-timestamps: "set by the importer" } } }\n      other: text'),
        errors: [{ rule: 'require-timestamps', line: 6, column: 7 }],
      },
    ],
  },
  'fk-needs-index': {
    valid: [
      { name: 'index: true', yaml: table() },
      { name: 'leading column of a composite index', yaml: table('    indexes:\n      - columns: [client_id, created_at]\n').replace('index: true, ', '') },
      { name: 'leading column of a composite unique', yaml: table('    unique:\n      - [client_id, created_at]\n').replace('index: true, ', '') },
      { name: 'unique column', yaml: table().replace('index: true', 'unique: true') },
      { name: 'suppressed on the column', yaml: table().replace('index: true', 'lint: { allow: { fk-needs-index: "tiny table" } }') },
      { name: 'leading column of a composite primary key', yaml: compositeKey('[client_id, code]') },
      { name: 'a composite foreign key led by an index', yaml: compositeFk('    indexes:\n      - columns: [client_id, customer_id, created_at]\n') },
      { name: 'a composite foreign key led by an index in another order', yaml: compositeFk('    indexes:\n      - columns: [customer_id, client_id]\n') },
    ],
    invalid: [
      { name: 'no index', yaml: table().replace('index: true, ', ''), errors: [{ rule: 'fk-needs-index', line: 5, column: 7, severity: 'warn', hint: 'index: true' }] },
      { name: 'second column of an index', yaml: table('    indexes:\n      - columns: [created_at, client_id]\n').replace('index: true, ', ''), errors: [{ rule: 'fk-needs-index', line: 5, column: 7 }] },
      { name: 'only a partial index', yaml: table("    indexes:\n      - { columns: [client_id], where: \"created_at > '2020-01-01'\" }\n").replace('index: true, ', ''), errors: [{ rule: 'fk-needs-index', line: 5, column: 7 }] },
      { name: 'second column of a composite primary key', yaml: compositeKey('[code, client_id]'), errors: [{ rule: 'fk-needs-index', line: 5, column: 7 }] },
      { name: 'a composite foreign key without an index', yaml: compositeFk(), errors: [{ rule: 'fk-needs-index', line: 18, column: 9, severity: 'warn', hint: 'columns: [client_id, customer_id]' }] },
      { name: 'a composite foreign key whose columns do not lead an index', yaml: compositeFk('    indexes:\n      - columns: [client_id, created_at, customer_id]\n'), errors: [{ rule: 'fk-needs-index', line: 18, column: 9 }] },
      { name: 'severity override to error', config: 'lint:\n  rules:\n    fk-needs-index: error\n', yaml: table().replace('index: true, ', ''), errors: [{ rule: 'fk-needs-index', line: 5, column: 7, severity: 'error' }] },
    ],
  },
  'redundant-index': {
    valid: [
      { name: 'indexes led by different columns', yaml: table('    indexes:\n      - columns: [created_at, client_id]\n') },
      { name: 'a partial index beside a full one', yaml: table("    indexes:\n      - { columns: [client_id], where: \"created_at > '2020-01-01'\", name: acme_things_recent_idx }\n") },
      { name: 'a unique index on a prefix of a longer unique constraint enforces more', yaml: table('      code: varchar(20)\n    unique:\n      - [client_id, code, created_at]\n    indexes:\n      - { columns: [client_id, code], unique: true }\n').replace('index: true, ', '') },
      { name: 'a gin index beside a btree one', yaml: table('      tags: jsonb\n    indexes:\n      - { columns: [tags], using: gin }\n      - columns: [tags, client_id]\n') },
      { name: 'suppressed on the column', yaml: table('      code: { type: varchar(20), unique: true, index: true, lint: { allow: { redundant-index: "kept while a query plan is checked" } } }\n') },
    ],
    invalid: [
      { name: 'unique: true plus index: true', yaml: table('      code: { type: varchar(20), unique: true, index: true }\n'), errors: [{ rule: 'redundant-index', line: 8, column: 7, severity: 'warn', hint: 'remove `index: true` from code' }] },
      { name: 'an index a composite unique constraint leads with', yaml: table('      code: varchar(20)\n    unique:\n      - [client_id, code]\n'), errors: [{ rule: 'redundant-index', line: 5, column: 7 }] },
      { name: 'the second of two equal indexes', yaml: table('    indexes:\n      - columns: [created_at]\n      - { columns: [created_at], name: acme_things_created_again_idx }\n'), errors: [{ rule: 'redundant-index', line: 10, column: 9, hint: 'remove the index entry acme_things_created_again_idx (created_at)' }] },
      { name: 'a unique index on the primary key\'s column', yaml: table('    indexes:\n      - { columns: [id], unique: true, name: acme_things_id_key }\n'), errors: [{ rule: 'redundant-index', line: 9, column: 9, hint: 'acme_things_id_key' }] },
    ],
  },
  'sensitive-plaintext': {
    valid: [
      { name: 'hash and encrypted suffixes', yaml: table('      password_hash: text\n      api_key_encrypted: bytea\n') },
      { name: 'encrypted: true', yaml: table('      stripe_api_key: { type: text, encrypted: true }\n') },
      { name: 'counts and timestamps are not secrets', yaml: table('      input_tokens: integer?\n      token_expires_at: timestamptz?\n') },
      { name: 'a foreign key to a key is not a key', yaml: table('      parent_token_id: { type: uuid, nullable: true, index: true, references: acme_things.id }\n') },
      { name: 'suppressed on the column', yaml: table('      public_token: { type: text, lint: { allow: { sensitive-plaintext: "a publishable key, public by design" } } }\n') },
    ],
    invalid: [
      {
        name: 'plaintext credentials',
        yaml: table('      api_key: text\n      client_secret: varchar(255)\n      smtp_password: text?\n      refresh_token: text\n'),
        errors: [
          { rule: 'sensitive-plaintext', line: 8, column: 7, hint: 'api_key_hash' },
          { rule: 'sensitive-plaintext', line: 9, column: 7 },
          { rule: 'sensitive-plaintext', line: 10, column: 7 },
          { rule: 'sensitive-plaintext', line: 11, column: 7, hint: 'encrypted: true' },
        ],
      },
      { name: 'severity override to warn', config: 'lint:\n  rules:\n    sensitive-plaintext: warn\n', yaml: table('      secret: text\n'), errors: [{ rule: 'sensitive-plaintext', line: 8, column: 7, severity: 'warn' }] },
    ],
  },
  'prefer-jsonb': {
    valid: [{ name: 'jsonb', yaml: table('      payload: jsonb?\n') }, { name: 'suppressed in the file', yaml: `lint: { allow: { prefer-jsonb: "key order matters to the signer" } }\n${table('      payload: json\n')}` }],
    invalid: [
      { name: 'json shorthand', yaml: table('      payload: json?\n'), errors: [{ rule: 'prefer-jsonb', line: 8, column: 16, severity: 'warn', hint: 'jsonb' }] },
      { name: 'json map', yaml: table('      payload: { type: json, nullable: true }\n'), errors: [{ rule: 'prefer-jsonb', line: 8, column: 24 }] },
      { name: 'turned to info', config: 'lint:\n  rules:\n    prefer-jsonb: info\n', yaml: table('      payload: json\n'), errors: [{ rule: 'prefer-jsonb', line: 8, column: 16, severity: 'info' }] },
    ],
  },
  'prefer-timestamptz': {
    valid: [{ name: 'timestamptz', yaml: table('      sent_at: timestamptz?\n') }, { name: 'suppressed on the column', yaml: table('      local_time: { type: timestamp, lint: { allow: { prefer-timestamptz: "a wall-clock reading" } } }\n') }],
    invalid: [
      { name: 'timestamp', yaml: table('      sent_at: timestamp?\n'), errors: [{ rule: 'prefer-timestamptz', line: 8, column: 16, severity: 'warn', hint: 'timestamptz' }] },
      { name: 'severity override to error', config: 'lint:\n  rules:\n    prefer-timestamptz: error\n', yaml: table('      sent_at: timestamp?\n'), errors: [{ rule: 'prefer-timestamptz', line: 8, column: 16, severity: 'error' }] },
    ],
  },
  identifier: {
    valid: [
      { name: 'snake_case names', yaml: table('      line_2_total: integer?\n') },
      { name: 'unreserved keywords are fine', yaml: table('      name: text\n      filter: text?\n      between_days: integer?\n') },
      { name: 'suppressed on a core column', path: CORE_EXTRA, yaml: table('      order: { type: integer, lint: { allow: { identifier: "external API field name" } } }\n') },
      { name: 'derived names of exactly 63 bytes', path: CORE_EXTRA, yaml: table('', '', `acme_${'x'.repeat(43)}`) },
      { name: 'an org table\'s policy name of exactly 63 bytes', yaml: table('', '', `acme_${'x'.repeat(41)}`) },
      { name: 'explicit constraint names replace long derived ones', yaml: table(`      ${'c'.repeat(40)}: { type: integer, unique: { name: acme_uq_c }, check: { sql: "${'c'.repeat(40)} > 0", name: acme_ck_c } }\n`, '', 'acme_invoice_line_items') },
      { name: 'a reserved word as a constraint name', yaml: table('      code: { type: text, unique: { name: acme_check } }\n') },
    ],
    invalid: [
      { name: 'camelCase column', yaml: table('      invoiceNumber: text\n'), errors: [{ rule: 'identifier', line: 8, column: 7, hint: 'invoice_number' }] },
      { name: 'reserved word', yaml: table('      order: integer\n      user: text\n'), errors: [{ rule: 'identifier', line: 8, column: 7 }, { rule: 'identifier', line: 9, column: 7 }] },
      { name: 'table name over 63 bytes', yaml: table('', '', `acme_${'x'.repeat(59)}`), errors: [{ rule: 'identifier', line: 2, column: 3 }] },
      {
        name: 'derived foreign key and trigger names of 64 bytes',
        path: 'schemas/core/extra/models.yaml',
        yaml: table('', '', `acme_${'x'.repeat(44)}`),
        errors: [{ rule: 'identifier', line: 5, column: 7 }, { rule: 'identifier', line: 7, column: 7, hint: 'shorten' }],
      },
      {
        name: 'derived index name over 63 bytes',
        yaml: table(`      ${'c'.repeat(40)}: { type: integer, index: true }\n`, '', 'acme_invoice_line_items'),
        errors: [{ rule: 'identifier', line: 8, column: 7, hint: 'shorten' }],
      },
      {
        name: 'derived fkey name over 63 bytes',
        yaml: table(`      ${'p'.repeat(36)}_id: { type: uuid, unique: true, references: acme_invoice_line_items.id }\n`, '', 'acme_invoice_line_items'),
        errors: [{ rule: 'identifier', line: 8, column: 7 }, { rule: 'identifier', line: 8, column: 7 }],
      },
      { name: 'an explicit unique name over 63 bytes', yaml: table(`      code: { type: text, unique: { name: acme_${'u'.repeat(59)} } }\n`), errors: [{ rule: 'identifier', line: 8, column: 7, hint: 'shorten the name' }] },
      { name: 'an explicit check name not in snake_case', yaml: table('    checks:\n      positive: { sql: "created_at IS NOT NULL", name: acme_CkPositive }\n'), errors: [{ rule: 'identifier', line: 9, column: 7, hint: 'acme_ck_positive' }] },
      { name: 'a derived composite foreign key name over 63 bytes', yaml: compositeFk('    indexes:\n      - columns: [client_id, customer_id]\n', `acme_orders_${'x'.repeat(25)}`), errors: [{ rule: 'identifier', line: 18, column: 9, hint: 'explicit, shorter `name:`' }] },
      { name: 'an org table\'s derived policy name of 64 bytes', yaml: table('', '', `acme_${'x'.repeat(42)}`), errors: [{ rule: 'identifier', line: 2, column: 3, hint: 'shorten' }] },
      { name: 'enum value of 32 characters but 64 bytes', yaml: `enums:\n  acme_kind: [short, ${'é'.repeat(32)}]\n${table()}`, errors: [{ rule: 'identifier', line: 2, column: 22 }] },
    ],
  },
  'tenant-unique': {
    valid: [
      { name: 'random uuid key and a per-client unique', yaml: table('      code: varchar(20)\n    unique:\n      - [client_id, code]\n', '    rls: true\n') },
      { name: 'composite key with client_id and a unique index including it', yaml: `${compositeKey('[client_id, code]')}    indexes:\n      - { columns: [code, client_id], unique: true }\n    rls: true\n` },
      {
        name: 'a serial primary key, generated by the database',
        yaml: 'tables:\n  acme_things:\n    columns:\n      id: { type: bigserial, primary_key: true }\n      client_id: { type: uuid, index: true, references: clients.id }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n',
      },
      { name: 'unique columns the database fills: gen_random_uuid() and serial', yaml: table('      public_id: { type: uuid, unique: true, default: gen_random_uuid() }\n      seq: { type: serial }\n    unique:\n      - [seq]\n') },
      { name: 'suppressed on a core column', path: CORE_EXTRA, yaml: table('      code: { type: varchar(20), unique: true, lint: { allow: { tenant-unique: "codes are public" } } }\n', '    rls: true\n') },
    ],
    invalid: [
      { name: 'a core tenant table without rls: its global unique is a warning', path: CORE_EXTRA, yaml: table('      code: { type: varchar(20), unique: true }\n'), errors: [{ rule: 'tenant-unique', line: 8, column: 7, severity: 'warn', hint: '[[client_id, code]]' }] },
      { name: 'core\'s rls: false opts out of the config default: a warning, not an error', path: CORE_EXTRA, config: 'rls: true\n', yaml: table('      code: { type: varchar(20), unique: true }\n', '    rls: false\n'), errors: [{ rule: 'tenant-unique', line: 9, column: 7, severity: 'warn' }] },
      { name: 'unique column under rls', yaml: table('      code: { type: varchar(20), unique: true }\n', '    rls: true\n'), errors: [{ rule: 'tenant-unique', line: 9, column: 7, hint: '[[client_id, code]]' }] },
      { name: 'rls inherited from the config default', config: 'rls: true\n', yaml: table('      code: { type: varchar(20), unique: true }\n'), errors: [{ rule: 'tenant-unique', line: 8, column: 7 }] },
      {
        name: 'unique constraint and partial unique index without client_id',
        yaml: table("      code: varchar(20)\n    unique:\n      - [code]\n    indexes:\n      - { columns: [code], unique: true, where: \"code <> ''\" }\n", '    rls: true\n'),
        errors: [{ rule: 'tenant-unique', line: 11, column: 9 }, { rule: 'tenant-unique', line: 13, column: 9, hint: 'columns: [client_id, code]' }],
      },
      { name: 'an org table has rls without saying so', yaml: table('      code: { type: varchar(20), unique: true }\n'), errors: [{ rule: 'tenant-unique', line: 8, column: 7 }] },
      {
        name: 'an integer primary key the inserter chooses',
        yaml: 'tables:\n  acme_things:\n    columns:\n      id: { type: bigint, primary_key: true }\n      client_id: { type: uuid, index: true, references: clients.id }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n',
        errors: [{ rule: 'tenant-unique', line: 4, column: 7, hint: 'gen_random_uuid()' }],
      },
      { name: 'a uuid unique without a random default', yaml: table('      ref: { type: uuid, unique: true, default: { sql: "\'00000000-0000-0000-0000-000000000000\'::uuid" } }\n'), errors: [{ rule: 'tenant-unique', line: 8, column: 7 }] },
      { name: 'composite key without client_id', yaml: `${compositeKey('[code, created_at]')}    rls: true\n`, errors: [{ rule: 'tenant-unique', line: 3, column: 18 }] },
    ],
  },
  distribution: {
    valid: [
      { name: 'not configured', yaml: table('      code: { type: varchar(20), unique: true }\n') },
      { name: 'keys include client_id', config: CITUS, yaml: `${compositeKey('[client_id, code]')}    unique:\n      - [code, client_id]\n` },
      {
        name: 'a tenant table references a global (reference) table',
        config: CITUS,
        yaml: `${compositeKey('[client_id, code]').replace('      code: varchar(20)\n', '      code: varchar(20)\n      rate_id: { type: integer, index: true, references: acme_rates.id }\n')}  acme_rates:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n      name: { type: text, unique: true }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n`,
      },
      { name: 'allowed in the workspace', config: `${CITUS}lint:\n  allow:\n    distribution: "a single-node deployment"\n`, yaml: table() },
      { name: 'a composite foreign key through client_id', config: CITUS, yaml: compositeFk('    indexes:\n      - columns: [client_id, customer_id]\n') },
    ],
    invalid: [
      { name: 'uuid primary key without client_id', config: CITUS, yaml: table(), errors: [{ rule: 'distribution', line: 4, column: 7, hint: 'primary_key: [client_id, id]' }] },
      {
        name: 'unique column, composite key and a foreign key between tenant tables',
        config: CITUS,
        yaml: `${compositeKey('[client_id, code]')}      serial_no: { type: integer, unique: true }\n  acme_children:\n    primary_key: [client_id, code]\n    columns:\n      client_id: { type: uuid, references: clients.id }\n      code: varchar(20)\n      thing_no: { type: integer, index: true, references: acme_things.serial_no }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n`,
        errors: [
          { rule: 'distribution', line: 9, column: 7 },
          { rule: 'distribution', line: 15, column: 59, hint: '`foreign_keys: [{ columns: [client_id, thing_no], references: { table: acme_things, columns: [client_id, serial_no] } }]`' },
        ],
      },
      {
        name: 'referential actions Citus refuses on a foreign key through client_id, and in the composite key a reference must become',
        config: CITUS,
        yaml: `${compositeKey('[client_id, code]').replace('references: clients.id', 'references: { table: clients, column: id, on_update: cascade }')}      serial_no: { type: integer, unique: true }\n  acme_children:\n    primary_key: [client_id, code]\n    columns:\n      client_id: { type: uuid, references: clients.id }\n      code: varchar(20)\n      thing_no: { type: integer, nullable: true, index: true, references: { table: acme_things, column: serial_no, on_delete: set null } }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n`,
        errors: [
          { rule: 'distribution', line: 5, column: 44, hint: 'drop `on_update`' },
          { rule: 'distribution', line: 9, column: 7 },
          { rule: 'distribution', line: 15, column: 75, hint: 'columns: [client_id, thing_no], references: { table: acme_things, columns: [client_id, serial_no] } }]' },
          { rule: 'distribution', line: 15, column: 75, hint: 'use `on_delete: cascade`, `restrict` or `no action`' },
        ],
      },
      {
        name: 'a global table references a tenant table',
        config: CITUS,
        yaml: 'tables:\n  acme_settings:\n    columns:\n      client_id: { type: uuid, primary_key: true, references: clients.id }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n  acme_rates:\n    tenant: global\n    columns:\n      id: { type: serial, primary_key: true }\n      settings_client: { type: uuid, index: true, references: acme_settings.client_id }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n',
        errors: [{ rule: 'distribution', line: 11, column: 63, hint: 'reverse the link' }],
      },
      {
        name: 'a composite foreign key that does not pair client_id with client_id',
        config: CITUS,
        yaml: compositeFk('    indexes:\n      - columns: [other_client, customer_id]\n')
          .replace('      customer_id: integer\n', '      customer_id: integer\n      other_client: uuid\n').replace('columns: [client_id, customer_id]', 'columns: [other_client, customer_id]'),
        errors: [{ rule: 'distribution', line: 20, column: 21, hint: 'columns: [client_id, customer_id]`, `references: { table: acme_customers, columns: [client_id, id] }' }],
      },
      {
        name: 'actions Citus refuses on keys through client_id',
        config: CITUS,
        yaml: compositeFk('    indexes:\n      - columns: [client_id, customer_id]\n', 'acme_orders').replace('columns: [client_id, id] }\n', 'columns: [client_id, id] }\n        on_delete: set default\n        on_update: cascade\n')
          .replace('      client_id: { type: uuid, references: clients.id, on_delete: cascade }\n      id: integer\n      customer_id', '      client_id: { type: uuid, references: { table: clients, column: id, on_update: cascade } }\n      id: integer\n      customer_id'),
        errors: [{ rule: 'distribution', line: 12, column: 44, hint: 'drop `on_update`' }, { rule: 'distribution', line: 18, column: 9, hint: 'restrict or no action on update' }],
      },
      {
        name: 'a global table with a composite foreign key to a tenant table',
        config: CITUS,
        yaml: compositeFk('    indexes:\n      - columns: [client_id, customer_id]\n').replace('  acme_orders:\n', '  acme_orders:\n    tenant: global\n'),
        errors: [{ rule: 'distribution', line: 20, column: 21, hint: 'reverse the link' }],
      },
    ],
  },
};

/** A table keyed by `pk`, with client_id on line 5 and no index of its own. */
function compositeKey(pk: string): string {
  return `tables:\n  acme_things:\n    primary_key: ${pk}\n    columns:\n      client_id: { type: uuid, references: clients.id }\n      code: varchar(20)\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n`;
}

/**
 * acme_customers keyed by (client_id, id), and `orders` (line 9) whose foreign key (the
 * list's entry on line 18, its references on line 19) is (client_id, customer_id), then `extra`.
 */
function compositeFk(extra = '', orders = 'acme_orders'): string {
  const stamps = '      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n';
  return `tables:\n  acme_customers:\n    primary_key: [client_id, id]\n    columns:\n      client_id: { type: uuid, references: clients.id, on_delete: cascade }\n      id: integer\n${stamps}` +
    `  ${orders}:\n    primary_key: [client_id, id]\n    columns:\n      client_id: { type: uuid, references: clients.id, on_delete: cascade }\n      id: integer\n      customer_id: integer\n${stamps}` +
    `    foreign_keys:\n      - columns: [client_id, customer_id]\n        references: { table: acme_customers, columns: [client_id, id] }\n${extra}`;
}

function noClientId(head = ''): string {
  return `tables:\n  acme_things:\n${head}    columns:\n      id: { type: uuid, primary_key: true, default: gen_random_uuid() }\n      created_at: { type: timestamptz, default: now() }\n      updated_at: { type: timestamptz, default: now(), on_update: now() }\n`;
}

/** A table with id, client_id (lines 4–5) and the given created_at (line 6) and updated_at (line 7). */
function withTimestamps(created?: string, updated?: string, head = ''): string {
  const lines = ['      id: { type: uuid, primary_key: true, default: gen_random_uuid() }', '      client_id: { type: uuid, index: true, references: clients.id }'];
  if (created !== undefined) lines.push(`      created_at: ${created}`);
  if (updated !== undefined) lines.push(`      updated_at: ${updated}`);
  return `tables:\n  acme_things:\n${head}    columns:\n${lines.join('\n')}\n`;
}

interface Got {
  readonly rule: string;
  readonly line: number;
  readonly column: number;
  readonly severity: string;
  readonly hint?: string;
  readonly file: string;
}

async function lintCase(c: Case): Promise<{ got: Got[]; frontEnd: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-lint-'));
  try {
    const files: Record<string, string> = { 'schemas/core/models.yaml': CORE, [c.path ?? ACME]: c.yaml };
    if (c.config !== undefined) files['schemac.config.yaml'] = c.config;
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    const result = await loadWorkspace({ cwd: dir });
    const ruleIds = new Set(SCHEMA_RULES.map((r) => r.id));
    const got = result.diagnostics
      .filter((d) => ruleIds.has(d.code))
      .map((d) => ({ rule: d.code, severity: d.severity, hint: d.hint, file: d.span.file, ...lineColumn(result.sources.get(d.span.file) ?? '', d.span.start) }));
    const frontEnd = result.diagnostics.filter((d) => !ruleIds.has(d.code)).map((d) => `${d.code}: ${d.message}`);
    return { got, frontEnd };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

for (const [rule, { valid, invalid }] of Object.entries(CASES)) {
  for (const c of valid) {
    test(`${rule} valid: ${c.name}`, async () => {
      const { got, frontEnd } = await lintCase(c);
      assert.equal(frontEnd, [], 'the front end accepts the case');
      assert.equal(got.filter((g) => g.rule === rule), [], 'no finding of the rule');
    });
  }
  for (const c of invalid) {
    test(`${rule} invalid: ${c.name}`, async () => {
      const { got, frontEnd } = await lintCase(c);
      assert.equal(frontEnd, [], 'the front end accepts the case');
      const mine = got.filter((g) => g.rule === rule);
      const file = c.path ?? ACME;
      assert.equal(mine.map((g) => [g.file, g.line, g.column]), (c.errors ?? []).map((e) => [file, e.line, e.column]));
      (c.errors ?? []).forEach((e, i) => {
        if (e.severity) assert.is(mine[i].severity, e.severity);
        else assert.is(mine[i].severity, SCHEMA_RULES.find((r) => r.id === rule)?.defaultSeverity);
        if (e.hint) assert.ok(mine[i].hint?.includes(e.hint), `hint ${JSON.stringify(mine[i].hint)} mentions ${e.hint}`);
      });
    });
  }
}

test('reportFindings applies overrides and suppressions to findings of any rule', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-lint-'));
  try {
    fs.mkdirSync(path.join(dir, 'schemas/core'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'schemas/core/models.yaml'), CORE.replace('      name: text\n', '      name: { type: text, lint: { allow: { unsafe-migration: "backfilled by hand" } } }\n'));
    const { workspace, config, diagnostics } = await loadWorkspace({ cwd: dir });
    assert.equal(diagnostics, []);
    if (!workspace || !config) throw new Error('no workspace');
    const span = { file: 'schemas/core/models.yaml', start: 0, end: 1 };
    const rule = { id: 'unsafe-migration', defaultSeverity: 'warn' as const };
    const findings = [
      { span, table: 'clients', column: 'name', message: 'suppressed on the column' },
      { span, table: 'clients', column: 'id', message: 'reported' },
      { span: { ...span, file: 'generated/snapshots/core.json' }, table: 'dropped_table', message: 'a table that no longer exists' },
    ];
    const ctx = { workspace, config };
    assert.equal(reportFindings(rule, findings, ctx).map((d) => [d.code, d.severity, d.message]), [
      ['unsafe-migration', 'warn', 'reported'],
      ['unsafe-migration', 'warn', 'a table that no longer exists'],
    ]);
    const strict = { workspace, config: { ...config, lint: { rules: { 'unsafe-migration': 'error' as const }, allow: {} } } };
    assert.equal(reportFindings(rule, findings, strict).map((d) => d.severity), ['error', 'error']);
    const off = { workspace, config: { ...config, lint: { rules: { 'unsafe-migration': 'off' as const }, allow: {} } } };
    assert.equal(reportFindings(rule, findings, off), []);
    const allowed = { workspace, config: { ...config, lint: { rules: {}, allow: { 'unsafe-migration': 'a staging workspace' } } } };
    assert.equal(reportFindings(rule, findings, allowed), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every schema rule has cases, a description and a SPEC severity', () => {
  const spec: Record<string, string> = {
    'org-prefix': 'error', 'require-client-id': 'error', 'require-timestamps': 'error', 'fk-needs-index': 'warn',
    'sensitive-plaintext': 'error', 'prefer-jsonb': 'warn', 'prefer-timestamptz': 'warn', identifier: 'error',
    'tenant-unique': 'error', distribution: 'error', 'redundant-index': 'warn',
  };
  assert.equal(SCHEMA_RULES.map((r) => r.id).sort(), Object.keys(spec).sort());
  for (const r of SCHEMA_RULES) {
    assert.is(r.defaultSeverity, spec[r.id], r.id);
    assert.ok(r.description.length > 20, r.id);
    assert.ok(CASES[r.id].valid.length > 0 && CASES[r.id].invalid.length > 0, r.id);
  }
});

test('sensitiveWord matches whole words of a snake_case name', () => {
  assert.is(sensitiveWord('openai_api_key'), 'an API key');
  assert.is(sensitiveWord('webhook_secret'), 'a secret');
  assert.is(sensitiveWord('access_token'), 'a token');
  assert.is(sensitiveWord('smtp_passwd'), 'a password');
  assert.is(sensitiveWord('tokenizer_name'), undefined);
  assert.is(sensitiveWord('monkey'), undefined);
});

test('toSnakeCase suggests a snake_case name', () => {
  assert.is(toSnakeCase('invoiceNumber'), 'invoice_number');
  assert.is(toSnakeCase('Line-Items'), 'line_items');
  assert.is(toSnakeCase('2fa'), '_2fa');
});

test.run();
