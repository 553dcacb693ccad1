/**
 * `schemac init [--core GLOB] [--custom GLOB]… [--out DIR] [--force]`: starts a workspace in
 * any repository: writes `schemac.config.yaml` (the defaults, commented, or the globs given),
 * creates the folders it names and a starter core models file (the `clients` table org
 * tables reference), and says what to run next.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/index.ts';
import { render } from '../emit/index.ts';
import { compileGlob, matchGlob } from '../front/index.ts';
import { CONFIG_FILE_NAMES, DEFAULT_CONFIG } from '../ir.ts';
import { makeDirs, toPosix } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { schemaPathFrom } from './new.ts';
import { printDiagnostics } from './workspace-io.ts';

/** What `init` writes: the globs and the output paths. */
interface Layout {
  readonly core: readonly string[];
  readonly custom: readonly string[];
  readonly out: { readonly migrations: string; readonly snapshots: string; readonly types: string };
}

/** Writes the config and the folders; exit 1 when a config exists (without --force), 2 for a bad glob. */
export async function run(ctx: CommandContext): Promise<number> {
  const file = ctx.configPath ?? path.join(ctx.cwd, CONFIG_FILE_NAMES[0]);
  const existing = ctx.configPath ? [file].filter((f) => fs.existsSync(f)) : CONFIG_FILE_NAMES.map((n) => path.join(ctx.cwd, n)).filter((f) => fs.existsSync(f));
  if (existing.length > 0 && ctx.flags.force !== true) {
    ctx.io.stderr(`schemac init: ${toPosix(path.relative(ctx.cwd, existing[0]) || existing[0])} already exists; --force overwrites it\n`);
    return EXIT.failed;
  }
  const layout = layoutOf(ctx);
  if (typeof layout === 'string') return ctx.io.stderr(`schemac init: ${layout}\n`), EXIT.usage;
  const root = path.dirname(file);
  makeDirs(root);
  fs.writeFileSync(file, configText(layout));
  const loaded = loadConfig(root, file);
  if (loaded.config === undefined) {
    printDiagnostics(ctx, loaded.diagnostics, new Map(loaded.source ? [[loaded.source.path, loaded.source.text]] : []));
    return EXIT.usage;
  }
  const folders = [...new Set([...layout.core, ...layout.custom].map(globBase).concat(layout.out.migrations, layout.out.snapshots))];
  for (const f of folders) makeDirs(path.join(root, f));
  const written = [toPosix(path.relative(ctx.cwd, file)) || file];
  const core = starterCoreFile(root, layout.core[0]);
  if (core !== undefined) {
    fs.writeFileSync(path.join(root, core), render('scaffold-core.yaml.hbs', { schemaPath: schemaPathFrom(root, path.join(root, core)) }), { flag: 'wx' });
    written.push(core);
  }
  ctx.io.stdout(
    `wrote ${written.join(', ')}; created ${folders.join(', ')}\n\nnext:\n` +
      '  schemac new acme/hello           write the models.yaml of org acme\'s first tool\n' +
      '  schemac migration "init" --all   write the migrations, snapshots and types\n' +
      '  schemac migrate up               apply them (embedded PGlite; --db URL for PostgreSQL)\n',
  );
  return EXIT.ok;
}

/** The layout from the flags and the defaults; a string says what is wrong. */
function layoutOf(ctx: CommandContext): Layout | string {
  const core = typeof ctx.flags.core === 'string' ? [ctx.flags.core] : DEFAULT_CONFIG.core;
  const given = ctx.flags.custom;
  const custom = Array.isArray(given) ? given : typeof given === 'string' ? [given] : DEFAULT_CONFIG.custom;
  const outDir = typeof ctx.flags.out === 'string' ? ctx.flags.out.replace(/\/+$/, '') : undefined;
  const out = outDir === undefined ? DEFAULT_CONFIG.out : { migrations: `${outDir}/migrations`, snapshots: `${outDir}/snapshots`, types: `${outDir}/db.ts` };
  for (const p of [...core, ...custom, ...(outDir === undefined ? [] : [outDir])]) {
    if (p === '' || path.isAbsolute(p) || p.split(/[\\/]/).includes('..')) return `'${p}' must be a path inside the workspace: relative, without '..'`;
  }
  const noOrg = custom.find((g) => !g.includes('{org}'));
  if (noOrg !== undefined) return `the custom glob '${noOrg}' must contain {org}, the folder that names the owning org`;
  return { core, custom, out };
}

/**
 * Where the starter core models file (a `clients` table, which org tables reference) goes:
 * `models.yaml` in the core glob's folder when that folder holds no models file yet and the
 * glob matches that name; else undefined.
 */
function starterCoreFile(root: string, glob: string): string | undefined {
  const base = globBase(glob);
  const file = `${base === '.' ? '' : `${base}/`}models.yaml`;
  const has = (dir: string): boolean => fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? has(path.join(dir, e.name)) : e.name.endsWith('.yaml')));
  if (has(path.join(root, base)) || matchGlob(compileGlob(glob), file) === undefined) return undefined;
  return file;
}

/** The folder a glob's files live under: its path up to the first wildcard or `{org}`. */
function globBase(glob: string): string {
  const parts = glob.split('/');
  const stop = parts.findIndex((p) => /[*?[{]/.test(p));
  return parts.slice(0, stop < 0 ? parts.length - 1 : stop).join('/') || '.';
}

/** The config file: every key, commented; values quoted, so any glob stays one YAML string. */
function configText(l: Layout): string {
  const list = (xs: readonly string[]) => xs.map((x) => `  - ${JSON.stringify(x)}`).join('\n');
  return `# schemac workspace config. Every key is optional; the commented ones show their defaults.

# Core models files: the platform's own tables.
core:
${list(l.core)}

# Org models files; {org} is the folder that names the org owning the files below it.
custom:
${list(l.custom)}

# Where the generated files go.
out:
  migrations: ${JSON.stringify(l.out.migrations)}
  snapshots: ${JSON.stringify(l.out.snapshots)}
  types: ${JSON.stringify(l.out.types)}

# Extensions org models may use (core may use any):
# extensions: [vector, pgcrypto, citext, pg_trgm]

# Row-level security on tenant tables (those with client_id) unless a table opts out:
# rls: true

# Lint rule severities (error, warning, off) and workspace-wide allows (rule: reason):
# lint:
#   rules:
#     prefer-jsonb: warning
#   allow:
#     require-timestamps: "append-only tables keep created_at only"
`;
}
