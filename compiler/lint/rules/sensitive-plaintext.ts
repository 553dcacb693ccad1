/**
 * `sensitive-plaintext`: a column whose name says it holds a credential (`api_key`,
 * `secret`, `password`, `token`) stores ciphertext (`encrypted: true`, or a name ending in
 * `_encrypted`) or a one-way hash (a name ending in `_hash`).
 */
import type { BaseType, ColumnDef } from '../../ir.ts';
import type { SchemaRule } from '../rule.ts';
import { allTables } from '../walk.ts';

/** Sensitive name segments and what a column named so probably holds. */
const WORDS: ReadonlyMap<string, string> = new Map([
  ['apikey', 'an API key'], ['apikeys', 'API keys'], ['secret', 'a secret'], ['secrets', 'secrets'],
  ['password', 'a password'], ['passwords', 'passwords'], ['passwd', 'a password'], ['token', 'a token'], ['tokens', 'tokens'],
]);

/** A quick test that a name contains some sensitive word at all (most names do not). */
const MAYBE_SENSITIVE = /api|secret|passw|token/;

/** Types that cannot hold a credential's text: counts, flags, timestamps, enums. */
const HARMLESS: ReadonlySet<BaseType> = new Set<BaseType>([
  'smallint', 'integer', 'bigint', 'serial', 'bigserial', 'numeric', 'real', 'double precision',
  'boolean', 'date', 'time', 'timestamp', 'timestamptz', 'interval', 'enum', 'vector', 'halfvec', 'sparsevec',
]);

/** What a snake_case column name says it holds (`an API key`, `a secret`, …), if it names a credential. */
export function sensitiveWord(name: string): string | undefined {
  if (!MAYBE_SENSITIVE.test(name)) return undefined;
  const parts = name.split('_');
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'api' && (parts[i + 1] === 'key' || parts[i + 1] === 'keys')) return WORDS.get(`api${parts[i + 1]}`);
    if (WORDS.has(parts[i])) return WORDS.get(parts[i]);
  }
  return undefined;
}

function isProtected(column: ColumnDef): boolean {
  return column.encrypted || column.name.endsWith('_encrypted') || column.name.endsWith('_hash');
}

/** The sensitive-plaintext rule. */
export const sensitivePlaintext: SchemaRule = {
  id: 'sensitive-plaintext',
  defaultSeverity: 'error',
  description:
    'A text-like column named like a credential (*api_key*, *secret*, *password*, *token*) is `encrypted: true` or ends in _encrypted or _hash; foreign keys and numeric, boolean and time columns are exempt.',
  check({ workspace }, report) {
    for (const table of allTables(workspace)) for (const column of table.columns) {
      const word = sensitiveWord(column.name);
      if (word === undefined || isProtected(column) || column.references || HARMLESS.has(column.type.base)) continue;
      if (table.foreignKeys?.some((fk) => fk.columns.includes(column.name))) continue;
      report({
        span: column.span,
        table: table.name,
        column: column.name,
        message: `column ${table.name}.${column.name} looks like it stores ${word} in plaintext`,
        hint: `store a hash (rename to ${column.name}_hash) or ciphertext (rename to ${column.name}_encrypted, or set \`encrypted: true\`)`,
      });
    }
  },
};
