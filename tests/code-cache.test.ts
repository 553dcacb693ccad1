/**
 * The executable (compiler/start.ts, built as dist/cli.mjs) runs the bundle through V8's code
 * cache in the per-user cache folder: a command's first run keeps the code it compiled, later
 * runs use it and say the same, a damaged or foreign file is refused and replaced, and no code
 * is kept where the other caches are not (a folder inside the workspace, a usage error).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CLI = path.join(ROOT, 'dist', 'cli.mjs');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-code-cache-'));
const ws = path.join(work, 'ws');
const ACME = `tables:
  acme_items:
    columns:
      id: { type: serial, primary_key: true }
      client_id: { type: uuid, references: clients.id, on_delete: cascade }
      title: varchar(100)
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - columns: [client_id]
`;

interface Run { readonly code: number; readonly out: string; readonly err: string; readonly cache: string }

/** `schemac --cwd ws …args` as its own process, with the per-user cache in `cache`; `err` without trace lines. */
function schemac(cache: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [CLI, '--cwd', ws, ...args], {
    cwd: work, encoding: 'utf8',
    env: { ...process.env, SCHEMAC_TEST: '', SCHEMAC_NO_CACHE: '', SCHEMAC_CACHE_DIR: cache, SCHEMAC_TRACE: '1', NO_COLOR: '1', DATABASE_URL: '', ...env },
  });
  const lines = r.stderr.split('\n');
  return {
    code: r.status ?? -1,
    out: r.stdout,
    err: lines.filter((l) => !l.startsWith('schemac trace:')).join('\n'),
    cache: lines.find((l) => l.startsWith('schemac trace: code cache'))?.replace(/^schemac trace: code cache /, '') ?? '(no line)',
  };
}

const codeFiles = (cache: string): string[] => {
  try {
    return fs.readdirSync(path.join(cache, 'code-v1')).sort();
  } catch {
    return [];
  }
};

test.before(() => {
  fs.mkdirSync(path.join(ws, 'schemas/core'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'schemas/custom_tools/acme/billing'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'schemas/core/models.yaml'), CORE_CLIENTS);
  fs.writeFileSync(path.join(ws, 'schemas/custom_tools/acme/billing/models.yaml'), ACME);
});
test.after(() => fs.rmSync(work, { recursive: true, force: true }));

test('a command keeps its code on its first run, uses it on the next and says the same', () => {
  const cache = path.join(work, 'cache-a');
  const first = schemac(cache, ['lint']);
  assert.is(first.code, 0, first.err);
  assert.ok(first.cache.startsWith('none:'), first.cache);
  const files = codeFiles(cache);
  assert.is(files.length, 1, files.join(' '));
  assert.match(files[0], new RegExp(`^lint-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.bin$`));
  const file = path.join(cache, 'code-v1', files[0]);
  const kept = fs.readFileSync(file);
  const second = schemac(cache, ['lint']);
  assert.ok(second.cache.startsWith(`used (${kept.length} bytes)`), second.cache);
  assert.equal([second.code, second.out, second.err], [first.code, first.out, first.err]);
  assert.ok(fs.readFileSync(file).equals(kept), 'a cache that was used is not written again');
  // Another command has a file of its own; a command that fails (exit 1: no migrations yet) keeps one too.
  const check = schemac(cache, ['check']);
  assert.is(check.code, 1, check.err);
  assert.ok(check.cache.startsWith('none:'), check.cache);
  assert.equal(codeFiles(cache).map((f) => f.split('-')[0]), ['check', 'lint']);
});

test('a command run from cached code still imports ES modules (PGlite, libpg-query)', () => {
  const cache = path.join(work, 'cache-b');
  const made = schemac(cache, ['migration', 'init', '--all']);
  assert.is(made.code, 0, made.err);
  for (const round of ['none:', 'used']) {
    fs.rmSync(path.join(ws, '.schemac'), { recursive: true, force: true });
    const up = schemac(cache, ['migrate', 'up']);
    assert.ok(up.cache.startsWith(round), `${round}: ${up.cache}`);
    assert.is(up.code, 0, up.err);
    assert.match(up.out + up.err, /2 applied/);
  }
  // A fragment the recogniser does not know loads libpg-query; the parser's acceptance is kept
  // in the fragment cache, so each run gets a folder of its own with only the code cache.
  fs.writeFileSync(path.join(ws, 'schemas/custom_tools/acme/billing/models.yaml'), ACME.replace('title: varchar(100)', "title: { type: varchar(100), check: \"CASE WHEN title = 'a' THEN true ELSE false END\" }"));
  try {
    const first = schemac(cache, ['lint']);
    assert.ok(first.cache.startsWith('none:'), first.cache);
    const again = path.join(work, 'cache-b2');
    fs.cpSync(path.join(cache, 'code-v1'), path.join(again, 'code-v1'), { recursive: true });
    const lint = schemac(again, ['lint']);
    assert.ok(lint.cache.startsWith('used'), lint.cache);
    assert.equal([lint.code, lint.out, lint.err], [first.code, first.out, first.err]);
    assert.ok(fs.existsSync(path.join(again, 'fragments-v2.txt')), 'the parser ran and accepted the fragment');
  } finally {
    fs.writeFileSync(path.join(ws, 'schemas/custom_tools/acme/billing/models.yaml'), ACME);
  }
});

test('a damaged code cache is refused, the command runs, and the file is replaced', () => {
  const cache = path.join(work, 'cache-c');
  const clean = schemac(cache, ['lint']);
  const file = path.join(cache, 'code-v1', codeFiles(cache)[0]);
  const size = fs.statSync(file).size;
  const garbage = Buffer.alloc(size, 0x5a);
  fs.writeFileSync(file, garbage);
  const run = schemac(cache, ['lint']);
  assert.ok(run.cache.startsWith('refused'), run.cache);
  assert.equal([run.code, run.out, run.err], [clean.code, clean.out, clean.err]);
  assert.not.ok(fs.readFileSync(file).equals(garbage), 'the refused file is replaced');
  assert.ok(schemac(cache, ['lint']).cache.startsWith('used'));
});

test('no code is kept in a cache folder inside the workspace, or after a usage error', () => {
  const inside = path.join(ws, '.cache');
  const run = schemac(inside, ['lint']);
  assert.is(run.code, 0, run.err);
  assert.is(run.cache, '(no line)', 'the bundle is required, not run from a cache');
  assert.not.ok(fs.existsSync(inside), 'nothing is written inside the workspace');
  // The same through --config and a relative cache path.
  const viaConfig = spawnSync(process.execPath, [CLI, '--config', path.join(ws, 'schemac.config.yaml'), 'lint'], {
    cwd: work, encoding: 'utf8', env: { ...process.env, SCHEMAC_TEST: '', SCHEMAC_CACHE_DIR: 'ws/.cache', SCHEMAC_TRACE: '1' },
  });
  assert.not.ok(viaConfig.stderr.includes('code cache'), viaConfig.stderr);
  assert.not.ok(fs.existsSync(inside));
  const cache = path.join(work, 'cache-d');
  const usage = schemac(cache, ['lint', '--bogus']);
  assert.is(usage.code, 2);
  assert.equal(codeFiles(cache), []);
});

test('a cache folder that cannot be made is no cache: the command runs', () => {
  if (!fs.existsSync('/proc/self')) return console.log('  (no /proc here: skipped)');
  const r = spawnSync(process.execPath, [CLI, '--cwd', ws, 'migration', 'init', '--all'], {
    cwd: work, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, SCHEMAC_TEST: '', SCHEMAC_CACHE_DIR: '/proc/schemac-nope', NO_COLOR: '1', SCHEMAC_NOW: '2026-01-02T00:00:00Z' },
  });
  assert.is(r.signal, null, 'the command returned');
  assert.is(r.status, 0, r.stderr);
});

test("other builds' files go once they are a week old", () => {
  const cache = path.join(work, 'cache-e');
  fs.mkdirSync(path.join(cache, 'code-v1'), { recursive: true });
  const old = path.join(cache, 'code-v1', 'lint-00000000000000aa-v0-x.bin');
  const recent = path.join(cache, 'code-v1', 'lint-00000000000000bb-v0-x.bin');
  fs.writeFileSync(old, 'x');
  fs.writeFileSync(recent, 'x');
  const eightDays = (Date.now() - 8 * 24 * 3600 * 1000) / 1000;
  fs.utimesSync(old, eightDays, eightDays);
  assert.is(schemac(cache, ['lint']).code, 0);
  const files = codeFiles(cache);
  assert.not.ok(files.includes(path.basename(old)), files.join(' '));
  assert.ok(files.includes(path.basename(recent)), files.join(' '));
  assert.is(files.length, 2);
});

test.run();
