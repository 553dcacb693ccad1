/**
 * `schemac erd --out DIR`: one Mermaid file per owner. Rendering them (mermaid-cli in
 * Chromium, `make erd`) is not part of the suite: Chromium may be absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { erdFiles, renderErd } from '../compiler/emit/erd.ts';
import { captureIo } from './helpers/io.ts';
import { RICH_SNAPSHOTS } from './typecheck/rich.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      name: varchar(255)
`;

const org = (name: string) => `tables:
  ${name}_notes:
    columns:
      id: { type: uuid, primary_key: true }
      client_id: { type: uuid, references: clients.id, index: true }
      parent_id: { type: uuid, nullable: true, references: ${name}_notes.id, index: true }
      body: text
`;

const FILES = {
  'schemas/core/models.yaml': CORE,
  'schemas/custom_tools/acme/notes/models.yaml': org('acme'),
  'schemas/custom_resources/globex/notes/models.yaml': org('globex'),
};

function workspace(files: Record<string, string>): string {
  fs.mkdirSync(path.join(ROOT, 'tests', 'tmp'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, 'tests', 'tmp', 'erd-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

test('erdFiles: one titled diagram per owner, in the order given', () => {
  const files = erdFiles(RICH_SNAPSHOTS, ['core', 'acme']);
  assert.equal(files.map((f) => [f.owner, f.name, f.tables]), [['core', 'core.mmd', 2], ['acme', 'acme.mmd', 3]]);
  assert.ok(files[0].contents.startsWith('---\ntitle: "core"\n---\nerDiagram\n'));
  assert.ok(files[1].contents.startsWith('---\ntitle: "acme (and the core tables it references)"\n---\nerDiagram\n'));
  const body = (text: string) => text.slice(text.indexOf('erDiagram\n'));
  assert.is(body(files[1].contents), renderErd(RICH_SNAPSHOTS, { owner: 'acme' }));
  assert.not.match(files[0].contents, 'acme');
  const odd = renderErd(RICH_SNAPSHOTS, { title: 'a: "b" \\ c\nd' });
  assert.ok(odd.startsWith('---\ntitle: "a: \'b\' \\\\ c d"\n---\nerDiagram\n'), odd.slice(0, 60));
});

test('erd --out writes DIR/<owner>.mmd for core and every org, each with only its own tables', async () => {
  const dir = workspace(FILES);
  const io = captureIo();
  assert.is(await run(['--cwd', dir, 'erd', '--out', 'generated/erd'], io), 0, io.err());
  assert.equal(fs.readdirSync(path.join(dir, 'generated', 'erd')).sort(), ['acme.mmd', 'core.mmd', 'globex.mmd']);
  assert.is(io.out(), [
    'Wrote generated/erd/core.mmd (core: 1 table)',
    'Wrote generated/erd/acme.mmd (acme: 1 table)',
    'Wrote generated/erd/globex.mmd (globex: 1 table)',
    '',
  ].join('\n'));
  const acme = read(dir, 'generated/erd/acme.mmd');
  assert.match(acme, '  clients {\n    uuid id PK\n  }\n');
  assert.match(acme, '  clients ||..o{ acme_notes : "client_id"\n');
  assert.match(acme, '  acme_notes |o..o{ acme_notes : "parent_id"\n');
  assert.not.match(acme, 'globex');
  assert.not.match(read(dir, 'generated/erd/globex.mmd'), 'acme');
  assert.match(read(dir, 'generated/erd/core.mmd'), '  clients {\n    uuid id PK\n    varchar(255) name\n  }\n');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('erd --out with --org or --core writes only that owner; an absolute DIR works too', async () => {
  const dir = workspace(FILES);
  const out = path.join(dir, 'diagrams');
  assert.is(await run(['--cwd', dir, 'erd', '--org', 'globex', '--out', out], captureIo()), 0);
  assert.equal(fs.readdirSync(out), ['globex.mmd']);
  assert.is(await run(['--cwd', dir, 'erd', '--core', '--out', out], captureIo()), 0);
  assert.equal(fs.readdirSync(out).sort(), ['core.mmd', 'globex.mmd']);
  const stdout = captureIo();
  assert.is(await run(['--cwd', dir, 'erd', '--org', 'globex'], stdout), 0);
  assert.is(read(out, 'globex.mmd').replace(/^---\n.*\n---\n/, ''), stdout.out());
  fs.rmSync(dir, { recursive: true, force: true });
});

test('erd --out writes nothing for invalid models', async () => {
  const dir = workspace({ ...FILES, 'schemas/custom_tools/acme/notes/models.yaml': 'tables:\n  acme_notes:\n    columns: {}\n    colums: 1\n' });
  assert.is(await run(['--cwd', dir, 'erd', '--out', 'generated/erd'], captureIo()), 1);
  assert.not.ok(fs.existsSync(path.join(dir, 'generated')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('erd --out writes nothing for an unknown org or a missing directory', async () => {
  const dir = workspace(FILES);
  const unknown = captureIo();
  assert.is(await run(['--cwd', dir, 'erd', '--org', 'nope', '--out', 'generated/erd'], unknown), 2);
  assert.match(unknown.err(), "unknown org 'nope'");
  const missing = captureIo();
  assert.is(await run(['--cwd', dir, 'erd', '--out'], missing), 2);
  assert.match(missing.err(), 'usage: schemac erd [--org ORG | --core] [--out DIR]');
  assert.not.ok(fs.existsSync(path.join(dir, 'generated')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
