#!/usr/bin/env node
// The second half of `make demo`: on a temporary copy of the bundled workspace, one change
// to acme's models (a new column, and an index on a table that already holds rows), the
// migration schemac writes for it, and that migration applied to the copy's embedded
// database. The workspace itself is left as it was.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cli = path.join(root, 'dist', 'cli.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-demo-'));
const say = (text) => process.stdout.write(`\n== ${text}\n`);
const schemac = (...args) => execFileSync(process.execPath, [cli, ...args], { cwd: tmp, stdio: 'inherit' });

try {
  for (const entry of ['schemac.config.yaml', 'schemas', 'generated', '.schemac/pglite']) {
    if (fs.existsSync(path.join(root, entry))) fs.cpSync(path.join(root, entry), path.join(tmp, entry), { recursive: true });
  }
  const models = path.join(tmp, 'schemas/custom_tools/acme/invoice_generator/models.yaml');
  const before = fs.readFileSync(models, 'utf8');
  const after = before
    .replace('      metadata: jsonb?\n', '      metadata: jsonb?\n      notes: { type: text, nullable: true, comment: Free text shown on the invoice. }\n')
    .replace('    indexes:\n', '    indexes:\n      - columns: [client_id, status]\n');
  if (after === before) throw new Error(`the demo's edit no longer applies to ${path.relative(tmp, models)}`);
  fs.writeFileSync(models, after);
  say(`a copy of the workspace in ${tmp}; acme adds a column and an index to acme_invoices:`);
  process.stdout.write(`   + notes: { type: text, nullable: true, … }\n   + indexes: - columns: [client_id, status]\n`);
  say('schemac migration "add invoice notes" --org acme');
  const dir = path.join(tmp, 'generated', 'migrations');
  const known = new Set(fs.readdirSync(dir));
  schemac('migration', 'add invoice notes', '--org', 'acme');
  for (const name of fs.readdirSync(dir).filter((n) => !known.has(n) && n.endsWith('.sql')).sort()) {
    say(`written: generated/migrations/${name}`);
    process.stdout.write(fs.readFileSync(path.join(dir, name), 'utf8'));
  }
  say('schemac check && schemac migrate up (on a copy of the embedded database `make demo` migrated)');
  schemac('check');
  schemac('migrate', 'up');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
