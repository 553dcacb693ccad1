#!/usr/bin/env node
// Writes the type declarations of the package's `schemac/runtime` entry: tsc's declarations
// of runtime/index.ts and only the modules they reach, with `.ts` specifiers made `.js`,
// under dist/types/, and dist/runtime.d.ts pointing at them. The declarations may import
// only `kysely` (a peer dependency) and Node's own modules, so that an application compiles
// them with nothing installed but typescript and @types/node, without skipLibCheck.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ALLOWED = /^(kysely|node:[a-z_/]+)$/;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-types-'));
try {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [
    tsc, '-p', path.join(root, 'tsconfig.types.json'), '--noEmit', 'false', '--declaration', '--emitDeclarationOnly',
    '--outDir', tmp, '--rootDir', root,
  ], { stdio: 'inherit' });
  const out = path.join(root, 'dist', 'types');
  fs.rmSync(out, { recursive: true, force: true });
  const problems = [];
  const seen = new Set();
  const queue = ['runtime/index.d.ts'];
  while (queue.length) {
    const rel = queue.shift();
    if (seen.has(rel)) continue;
    seen.add(rel);
    const text = fs.readFileSync(path.join(tmp, rel), 'utf8');
    const rewritten = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, (_, head, q, spec) => {
      queue.push(path.posix.normalize(path.posix.join(path.posix.dirname(rel), `${spec}.d.ts`)));
      return `${head}${q}${spec}.js${q}`;
    });
    for (const [, spec] of rewritten.matchAll(/(?:from\s+|import\()['"]([^'".][^'"]*)['"]/g)) {
      if (!ALLOWED.test(spec)) problems.push(`${rel} imports '${spec}'`);
    }
    fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), rewritten);
  }
  if (problems.length) {
    console.error(`build-types: the runtime's declarations may import only kysely and node:*, but:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  fs.writeFileSync(path.join(root, 'dist', 'runtime.d.ts'), "export * from './types/runtime/index.js';\n");
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
