#!/usr/bin/env node
// Precompiles the JSON Schema validators and the Handlebars templates, then bundles the CLI
// into dist/cli.mjs and the runtime API into dist/runtime.mjs (fast start-up; dependencies
// stay external, commands become lazily loaded chunks).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
execFileSync(process.execPath, ['scripts/gen-validators.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, ['scripts/gen-templates.mjs'], { stdio: 'inherit' });
fs.rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'compiler/bin.ts', runtime: 'runtime/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})],
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
fs.chmodSync('dist/cli.mjs', 0o755);
