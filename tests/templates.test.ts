/**
 * The precompiled Handlebars templates: compiler/emit/templates-compiled.js matches
 * templates/*.hbs, and the compile options (`noEscape`, `strict`) hold at run time.
 */
import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ScaffoldView } from '../compiler/commands/new.ts';
import { render } from '../compiler/emit/templates.ts';

const VIEW: ScaffoldView = { org: 'acme', tool: 'billing', table: 'acme_billing', schemaPath: '../../models.schema.json' };

test('the precompiled templates are up to date with templates/*.hbs', async () => {
  const { generate } = (await import('../scripts/gen-templates.mjs' as string)) as { generate: () => string };
  assert.ok(generate() === fs.readFileSync(new URL('../compiler/emit/templates-compiled.js', import.meta.url), 'utf8'), 'run node scripts/gen-templates.mjs');
});

test('a template renders by file name; an unknown name is an error', () => {
  assert.match(render('scaffold-resource.yaml.hbs', VIEW), '\n  acme_billing:\n');
  assert.throws(() => render('nosuch.hbs', VIEW), /unknown template nosuch\.hbs/);
});

test('fields are not HTML-escaped', () => {
  const out = render('scaffold-tool.yaml.hbs', { ...VIEW, schemaPath: `a<b>&'c"` });
  assert.ok(out.startsWith(`# yaml-language-server: $schema=a<b>&'c"\n`), out);
});

test('a missing field is an error, not an empty string', () => {
  const partial = { org: VIEW.org, table: VIEW.table, schemaPath: VIEW.schemaPath };
  assert.throws(() => render('scaffold-tool.yaml.hbs', partial), /"tool" not defined/);
});

test.run();
