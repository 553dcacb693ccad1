#!/usr/bin/env node
// The test command: provides PostgreSQL (tests/helpers/pg-cluster.mjs), runs every
// tests/**/*.test.ts with uvu under tsx, one process per file, and closes with the line
// `N passed, N failed`. Exits non-zero on any failure or when no test ran.
// usage: node tests/run.mjs [substring…]   (only test files whose path contains one)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { provideDatabase } from './helpers/pg-cluster.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filters = process.argv.slice(2);
const files = walk(path.join(root, 'tests'))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules' || e.name === 'tmp' || e.name === 'cases') return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

function runFile(file, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => {
      const num = (label) => Number(out.match(new RegExp(`${label}:\\s+(\\d+)`))?.[1] ?? 0);
      const total = num('Total'), passed = num('Passed'), skipped = num('Skipped');
      let failed = total - passed - skipped;
      if (code !== 0 && failed === 0) failed = 1; // a file that crashed before reporting
      resolve({ file, passed, failed, skipped });
    });
  });
}

const db = await provideDatabase().catch((e) => { console.error(`tests: ${e.message}`); process.exit(1); });
const env = { ...process.env, DATABASE_URL: db.url, SCHEMAC_TEST: '1' };
let passed = 0, failed = 0, skipped = 0;
const failures = [];
try {
  for (const file of files) {
    console.log(`\n# ${path.relative(root, file)}`);
    const r = await runFile(file, env);
    passed += r.passed; failed += r.failed; skipped += r.skipped;
    if (r.failed) failures.push(path.relative(root, file));
  }
} finally {
  db.stop();
}
if (failures.length) console.log(`\nfailed in: ${failures.join(', ')}`);
if (passed + failed === 0) { console.log('no test ran'); failed = 1; }
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
