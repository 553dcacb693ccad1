/**
 * The generated references in docs/reference/ are what scripts/gen-docs.ts writes from the
 * CLI's help and the JSON Schemas today: a new option or key without its line fails here
 * (`npm run docs` rewrites them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { references } from '../scripts/gen-docs.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

for (const [rel, text] of references()) {
  test(`${rel} is up to date`, () => {
    const file = path.join(root, rel);
    assert.ok(fs.existsSync(file), `${rel} is missing; run npm run docs`);
    assert.fixture(fs.readFileSync(file, 'utf8'), text);
  });
}

test('every command and every option of the CLI has its place in the CLI reference', async () => {
  const { COMMANDS } = await import('../compiler/cli/spec.ts');
  const cli = references().get('docs/reference/cli.md')!;
  for (const [name, spec] of Object.entries(COMMANDS)) {
    assert.ok(cli.includes(`## schemac ${name}\n`), name);
    for (const option of Object.keys(spec.options ?? {})) assert.ok(cli.includes(`--${option}`), `${name} --${option}`);
  }
});

test.run();
