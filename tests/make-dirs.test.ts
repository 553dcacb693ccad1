/**
 * `makeDirs` (compiler/shared/make-dirs.ts): `mkdir -p` that fails where Node.js's recursive
 * `mkdirSync` spins forever (a folder under /proc, a dangling symlink). Each case runs in a child
 * process with a time limit, so a regression fails the test instead of hanging the suite.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-make-dirs-'));
test.after(() => fs.rmSync(work, { recursive: true, force: true }));

/** `makeDirs(dir)` in a child process: 'ok' or the error's code; 'hung' when it does not return within 10 s. */
function makeDirsIn(dir: string): string {
  const script = `import { makeDirs } from ${JSON.stringify(path.join(ROOT, 'compiler/shared/make-dirs.ts'))};
try { makeDirs(${JSON.stringify(dir)}); console.log('ok'); } catch (e) { console.log(e.code ?? e.message); }`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
  return r.error || r.signal ? 'hung' : r.stdout.trim();
}

test('makes a nested folder, and is fine when it exists', () => {
  const dir = path.join(work, 'a', 'b', 'c');
  assert.is(makeDirsIn(dir), 'ok');
  assert.ok(fs.statSync(dir).isDirectory());
  assert.is(makeDirsIn(dir), 'ok');
});

test('a file in the way is ENOTDIR', () => {
  fs.writeFileSync(path.join(work, 'file'), '');
  assert.is(makeDirsIn(path.join(work, 'file', 'sub')), 'ENOTDIR');
});

test('a folder under a dangling symlink fails instead of spinning', () => {
  fs.symlinkSync(path.join(work, 'nowhere'), path.join(work, 'dangling'));
  assert.is(makeDirsIn(path.join(work, 'dangling', 'cache')), 'ENOENT');
});

test('a folder under /proc fails instead of spinning', () => {
  if (!fs.existsSync('/proc/self')) return console.log('  (no /proc here: skipped)');
  assert.is(makeDirsIn('/proc/schemac-nope/cache'), 'ENOENT');
});

test.run();
