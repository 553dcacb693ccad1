/**
 * Handlebars, set up once: every helper is registered here, templates are compiled with
 * `noEscape` (SQL and TypeScript, not HTML) and `strict` (a missing field is an error, not
 * an empty string). Templates loop and branch over flat view models; they do not compute.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from './paths.ts';
import { quoteIdent, quoteLiteral } from './sql.ts';

const hbs = Handlebars.create();

hbs.registerHelper('ident', (name: unknown) => quoteIdent(String(name)));
hbs.registerHelper('literal', (value: unknown) => quoteLiteral(String(value)));
hbs.registerHelper('join', (items: unknown, sep: unknown) => (Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : ''));
hbs.registerHelper('identList', (items: unknown) => (Array.isArray(items) ? items.map((i) => quoteIdent(String(i))).join(', ') : ''));
hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Renders `templates/<name>` with a view model. */
export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    const source = fs.readFileSync(path.join(TEMPLATES_DIR, name), 'utf8');
    template = hbs.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(view);
}
