/**
 * `schemac new <org>/<tool> [--resource]`: scaffolds a lint-clean models.yaml for a new
 * tool (or resource) of an org, at the path the config's custom globs discover.
 */
import fs from 'node:fs';
import path from 'node:path';
import { render } from '../emit/index.ts';
import { loadWorkspace } from '../index.ts';
import type { Config } from '../ir.ts';
import { CORE, ORG_NAME } from '../ir.ts';
import { isReservedWord } from '../lint/index.ts';
import { renderDiagnostics } from '../report/index.ts';
import {
  fkeyName, identifierBytes, indexName, makeDirs, MAX_IDENTIFIER_BYTES, modelsSchemaPath, uniqueName,
  updatedAtTriggerName, useColor,
} from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';

/** Tool and resource names: snake_case, starting with a letter. */
export const TOOL_NAME = /^[a-z][a-z0-9_]*$/;

/** A ScaffoldView is the flat view model of `templates/scaffold-*.yaml.hbs`. */
export interface ScaffoldView {
  readonly org: string;
  readonly tool: string;
  readonly table: string;
  readonly schemaPath: string;
}

/** Scaffolds the models file; exit 2 for a bad name or layout, 1 when the file exists. */
export async function run(ctx: CommandContext): Promise<number> {
  const kind = ctx.flags.resource === true ? 'resource' : 'tool';
  const parsed = parseTarget(ctx.args[0] ?? '');
  if ('problem' in parsed) return ctx.io.stderr(`schemac new: ${parsed.problem}\n`), EXIT.usage;
  const loaded = await loadWorkspace({ cwd: ctx.cwd, configPath: ctx.configPath, lint: false });
  const config = loaded.config;
  if (config === undefined) {
    const color = useColor(ctx.io);
    ctx.io.stderr(`${renderDiagnostics(loaded.diagnostics, { format: 'pretty', sources: loaded.sources, color })}\nschemac new: the config is invalid\n`);
    return EXIT.usage;
  }
  const rel = scaffoldPath(config, kind, parsed.org, parsed.tool);
  if (rel === undefined) {
    ctx.io.stderr(`schemac new: none of the config's custom globs (${config.custom.join(', ')}) is of the form <dir>/{org}/**/<file> to scaffold into\n`);
    return EXIT.usage;
  }
  const file = path.join(config.root, rel);
  if (fs.existsSync(file)) return ctx.io.stderr(`schemac new: ${rel} already exists; not overwriting it\n`), EXIT.failed;
  const table = `${parsed.org}_${parsed.tool}`;
  const taken = loaded.workspace?.tables.get(table) ?? loaded.workspace?.enums.get(table);
  if (taken) return ctx.io.stderr(`schemac new: ${table} is already declared in ${taken.file}; choose another tool name\n`), EXIT.failed;
  const view: ScaffoldView = { ...parsed, table, schemaPath: schemaPathFrom(config.root, file) };
  makeDirs(path.dirname(file));
  fs.writeFileSync(file, render(`scaffold-${kind}.yaml.hbs`, view), { flag: 'wx' });
  ctx.io.stdout(`created ${rel}\n`);
  return EXIT.ok;
}

/** Splits and validates `<org>/<tool>`. */
export function parseTarget(target: string): { org: string; tool: string } | { problem: string } {
  const parts = target.split('/');
  if (parts.length !== 2) return { problem: `expected <org>/<tool>, e.g. acme/invoice_generator; got '${target}'` };
  const [org, tool] = parts;
  if (!ORG_NAME.test(org) || org === CORE) {
    return { problem: `invalid org name '${org}': use ${ORG_NAME.source} (lower case, starting with a letter), not 'core'` };
  }
  if (!TOOL_NAME.test(tool)) return { problem: `invalid tool name '${tool}': use ${TOOL_NAME.source} (snake_case, starting with a letter)` };
  const table = `${org}_${tool}`;
  if (isReservedWord(table)) return { problem: `the table name '${table}' would be a PostgreSQL reserved word; choose another tool name` };
  const longest = [indexName(table, ['client_id', 'created_at']), uniqueName(table, ['client_id', 'key']), fkeyName(table, ['client_id']), updatedAtTriggerName(table)]
    .reduce((a, b) => (identifierBytes(a) >= identifierBytes(b) ? a : b));
  if (identifierBytes(longest) > MAX_IDENTIFIER_BYTES) {
    return { problem: `'${org}/${tool}' is too long: the derived name '${longest}' would exceed ${MAX_IDENTIFIER_BYTES} bytes` };
  }
  return { org, tool };
}

/**
 * The workspace-relative path of the new file: the first custom glob of the shape
 * `<dir>/{org}/**\/<file>` (one mentioning "resource" for --resource, another for a tool),
 * with `{org}` and `**` filled in.
 */
export function scaffoldPath(config: Config, kind: 'tool' | 'resource', org: string, tool: string): string | undefined {
  const simple = config.custom.filter((g) => /^[^*?[\]{}]*\{org\}\/\*\*\/[^*?[\]{}/]+$/.test(g));
  const forKind = simple.filter((g) => g.includes('resource') === (kind === 'resource'));
  const glob = forKind[0] ?? (simple.length === 1 ? simple[0] : undefined);
  return glob?.replace('{org}', org).replace('**', tool);
}

/** The modeline's schema path: relative when the schema is inside the workspace, else absolute. */
export function schemaPathFrom(root: string, file: string): string {
  const local = path.join(root, 'schemas', 'models.schema.json');
  const target = fs.existsSync(local) ? local : modelsSchemaPath();
  const inside = !path.relative(root, target).startsWith('..');
  return (inside ? path.relative(path.dirname(file), target) : target).split(path.sep).join('/');
}
