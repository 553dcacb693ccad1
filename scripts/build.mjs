#!/usr/bin/env node
// Precompiles the JSON Schema validators and the Handlebars templates, then bundles the CLI into
// dist/cli.cjs, its executable dist/cli.mjs (compiler/start.ts: runs the bundle through V8's code
// cache), the thread of verify's passes into dist/verify-pass.mjs and the runtime API into
// dist/runtime.mjs. Dependencies stay external. The CLI is one CommonJS bundle because Node.js 20
// keeps compiled code only for scripts, not ES modules.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
execFileSync(process.execPath, ['scripts/gen-validators.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/gen-templates.mjs'], { stdio: 'inherit' });
fs.rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})],
  logLevel: 'warning',
};
await build({
  ...common,
  stdin: { contents: "import { main } from './compiler/cli.ts';\nvoid main();\n", resolveDir: '.', loader: 'ts', sourcefile: 'compiler/main.ts' },
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  // The bundle's import.meta: its own URL (a source-only branch that asks for more finds nothing).
  define: { 'import.meta': '__import_meta' },
  banner: {
    js: [
      'var __import_meta = { url: require("node:url").pathToFileURL(__filename).href };',
      'var __schemac_import = typeof __schemac_import_hook === "function" ? __schemac_import_hook : (s) => import(s);',
    ].join('\n'),
  },
});
// A script run from V8's code cache cannot `import()` (Node.js loses its import callback), so the
// bundle's imports of ES-module dependencies go through the executable's (see compiler/start.ts).
const externals = common.external.map((d) => d.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
let bundle = fs.readFileSync('dist/cli.cjs', 'utf8');
bundle = bundle.replace(new RegExp(`\\bimport\\(("(?:${externals})(?:/[^"]*)?")\\)`, 'g'), '__schemac_import($1)');
// What is left of the code without its strings holds no other import().
const code = bundle.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""').replace('(s) => import(s)', '');
const left = /\bimport\(/.exec(code);
if (left) throw new Error(`dist/cli.cjs: an import() not routed through __schemac_import: ${code.slice(left.index, left.index + 80)}`);
fs.writeFileSync('dist/cli.cjs', bundle);
const hash = crypto.createHash('sha256').update(bundle).digest('hex').slice(0, 16);
await build({
  ...common,
  entryPoints: { cli: 'compiler/start.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  define: { SCHEMAC_BUNDLE_HASH: JSON.stringify(hash) },
  banner: { js: '#!/usr/bin/env node' },
});
// The thread each pass of `verify`'s fresh replay runs in (compiler/commands/verify-pass.ts).
await build({
  ...common,
  entryPoints: { 'verify-pass': 'compiler/commands/verify-pass.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
});
await build({
  ...common,
  entryPoints: { runtime: 'runtime/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
});
fs.chmodSync('dist/cli.mjs', 0o755);
