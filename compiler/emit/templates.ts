/**
 * Handlebars, set up once: every helper is registered here. The templates are precompiled
 * from `templates/*.hbs` by scripts/gen-templates.mjs (with `noEscape`: SQL and TypeScript,
 * not HTML; and `strict`: a missing field is an error, not an empty string), so only the
 * Handlebars runtime loads, on the first render. Templates loop and branch over flat view
 * models; they do not compute.
 */
import { createRequire } from 'node:module';
import type * as Handlebars from 'handlebars';
import { quoteIdent, quoteLiteral } from '../shared/index.ts';
import { templates } from './templates-compiled.js';

/** The runtime in one file: the same code as `handlebars/runtime`, which spreads over a dozen. */
const RUNTIME = 'handlebars/dist/handlebars.runtime.js';

function registerHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('ident', (name: unknown) => quoteIdent(String(name)));
  hbs.registerHelper('literal', (value: unknown) => quoteLiteral(String(value)));
  hbs.registerHelper('join', (items: unknown, sep: unknown) => (Array.isArray(items) ? items.join(typeof sep === 'string' ? sep : ', ') : ''));
  hbs.registerHelper('identList', (items: unknown) => (Array.isArray(items) ? items.map((i) => quoteIdent(String(i))).join(', ') : ''));
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
}

let runtime: typeof Handlebars | undefined;

/** The Handlebars runtime with schemac's helpers, loaded on first use. */
function loadRuntime(): typeof Handlebars {
  if (runtime === undefined) {
    runtime = (createRequire(import.meta.url)(RUNTIME) as typeof Handlebars).create();
    registerHelpers(runtime);
  }
  return runtime;
}

const cache = new Map<string, HandlebarsTemplateDelegate>();

/** Renders `templates/<name>` with a view model. */
export function render(name: string, view: object): string {
  let template = cache.get(name);
  if (template === undefined) {
    const spec = templates[name];
    if (spec === undefined) throw new Error(`unknown template ${name}`);
    template = loadRuntime().template(spec);
    cache.set(name, template);
  }
  return template(view);
}
