/** `schemac new`: scaffolds a lint-clean models file, refuses to overwrite, rejects bad names. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { captureIo } from './helpers/io.ts';

const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: text
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

function workspace(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-new-'));
  for (const [rel, text] of Object.entries({ 'schemas/core/models.yaml': CORE, ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await run(argv, io, dir);
  return { code, out: io.out(), err: io.err() };
}

test('new scaffolds a tool that lints clean, and refuses to overwrite it', async () => {
  const dir = workspace();
  try {
    const first = await cli(dir, 'new', 'acme/billing_reports');
    assert.is(first.code, 0, first.err);
    const rel = 'schemas/custom_tools/acme/billing_reports/models.yaml';
    assert.match(first.out, rel);
    const text = fs.readFileSync(path.join(dir, rel), 'utf8');
    assert.match(text, /^# yaml-language-server: \$schema=\S+models\.schema\.json\n/);
    assert.match(text, /acme_billing_reports:/);
    const lint = await cli(dir, 'lint', '--format', 'json');
    assert.is(lint.code, 0, lint.out + lint.err);
    assert.equal(JSON.parse(lint.out), [], 'no diagnostic at all, not even a warning');
    const second = await cli(dir, 'new', 'acme/billing_reports');
    assert.is(second.code, 1);
    assert.match(second.err, /already exists/);
    assert.is(fs.readFileSync(path.join(dir, rel), 'utf8'), text);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('new --resource scaffolds under custom_resources and lints clean', async () => {
  const dir = workspace();
  try {
    const made = await cli(dir, 'new', 'globex/price_list', '--resource');
    assert.is(made.code, 0, made.err);
    assert.ok(fs.existsSync(path.join(dir, 'schemas/custom_resources/globex/price_list/models.yaml')));
    const lint = await cli(dir, 'lint', '--format', 'json');
    assert.is(lint.code, 0, lint.out + lint.err);
    assert.equal(JSON.parse(lint.out), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('new follows the config custom globs', async () => {
  const dir = workspace({ 'schemac.config.yaml': 'custom:\n  - src/custom_tools/{org}/**/models.yaml\n' });
  try {
    const made = await cli(dir, 'new', 'acme/search');
    assert.is(made.code, 0, made.err);
    assert.ok(fs.existsSync(path.join(dir, 'src/custom_tools/acme/search/models.yaml')));
    const lint = await cli(dir, 'lint', '--format', 'json');
    assert.is(lint.code, 0, lint.out + lint.err);
    assert.equal(JSON.parse(lint.out), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('new refuses a table name another file already declares', async () => {
  const dir = workspace({ 'schemas/custom_resources/acme/reports/models.yaml': CORE.replace('clients:', 'acme_reports:') });
  try {
    const r = await cli(dir, 'new', 'acme/reports');
    assert.is(r.code, 1);
    assert.match(r.err, /acme_reports is already declared in schemas\/custom_resources\/acme\/reports\/models.yaml/);
    assert.not.ok(fs.existsSync(path.join(dir, 'schemas/custom_tools')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('new rejects bad names with exit 2 and writes nothing', async () => {
  const dir = workspace();
  try {
    for (const target of ['acme', 'Acme/tool', 'core/tool', 'acme/Tool', 'acme/my-tool', 'acme/a/b', `acme/${'x'.repeat(40)}`, '../etc/passwd']) {
      const r = await cli(dir, 'new', target);
      assert.is(r.code, 2, target);
      assert.match(r.err, /schemac new: /);
    }
    assert.equal(fs.readdirSync(path.join(dir, 'schemas')), ['core']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('new exits 2 on an invalid config or a glob it cannot fill in', async () => {
  for (const config of ['custom: 3\n', 'custom:\n  - "plugins/*/{org}/models.yaml"\n']) {
    const dir = workspace({ 'schemac.config.yaml': config });
    try {
      const r = await cli(dir, 'new', 'acme/search');
      assert.is(r.code, 2, config);
      assert.match(r.err, /schemac new: /);
      assert.equal(fs.readdirSync(path.join(dir, 'schemas')), ['core']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('the bundled workspace lints clean', async () => {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const r = await cli(root, 'lint', '--format', 'json');
  assert.is(r.code, 0, r.out + r.err);
  const diagnostics = JSON.parse(r.out || '[]') as unknown[];
  assert.equal(diagnostics, []);
});

test.run();
