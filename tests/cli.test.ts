/**
 * The command line's manners: help for schemac and every command in 80 columns, versions,
 * "did you mean" for unknown options and commands, colour switches, shell completion, and
 * `schemac init` starting a workspace from nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMMANDS, ENVIRONMENT, GLOBAL_OPTIONS } from '../compiler/cli/index.ts';
import { run } from '../compiler/cli.ts';
import { useColor } from '../compiler/shared/index.ts';
import { captureIo } from './helpers/io.ts';

async function schemac(args: string[], cwd = process.cwd(), env: Record<string, string | undefined> = {}) {
  const io = captureIo(env);
  const code = await run(args, io, cwd);
  return { code, out: io.out(), err: io.err() };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-cli-'));
const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

test('schemac help lists every command and global option, and every environment variable, in 80 columns', async () => {
  for (const args of [['help'], ['--help'], ['-h']]) {
    const r = await schemac(args);
    assert.is(r.code, 0, args.join(' '));
    for (const name of [...Object.keys(COMMANDS), 'help', 'version', 'completion']) assert.match(r.out, new RegExp(`^  ${name} `, 'm'), name);
    for (const name of Object.keys(GLOBAL_OPTIONS)) assert.ok(r.out.includes(`--${name}`), name);
    for (const name of Object.keys(ENVIRONMENT)) assert.ok(r.out.includes(name), name);
    assert.ok(longest(r.out) <= 80, `a line of ${longest(r.out)} columns`);
  }
});

test('help <command> and <command> --help describe every option, the exit codes and the environment', async () => {
  for (const [name, spec] of Object.entries(COMMANDS)) {
    const a = await schemac(['help', name]);
    const b = await schemac([name, '--help']);
    assert.is(a.code, 0, name);
    assert.is(b.out, a.out, `${name} --help equals help ${name}`);
    assert.match(a.out, new RegExp(`^usage: schemac ${name}`), name);
    for (const option of Object.keys(spec.options)) assert.ok(a.out.includes(`--${option}`), `${name} --${option}`);
    assert.match(a.out, /Exit codes:\n  0  success.*\n  1  [^]*?\n  2  a usage or config error\n/);
    assert.ok(a.out.includes(spec.fails.split(' ')[0]), `${name}: what exit 1 means`);
    for (const v of spec.env ?? []) assert.ok(a.out.includes(v), `${name}: ${v}`);
    assert.ok(longest(a.out) <= 80, `${name}: a line of ${longest(a.out)} columns`);
  }
  const unknown = await schemac(['help', 'migrat']);
  assert.is(unknown.code, 2);
  assert.match(unknown.err, /unknown command 'migrat' \(did you mean 'migrate'\?\)/);
});

test('-v, --version and version print the version', async () => {
  for (const args of [['-v'], ['--version'], ['version']]) {
    const r = await schemac(args);
    assert.is(r.code, 0);
    assert.match(r.out, /^schemac \d+\.\d+\.\d+\n$/);
  }
});

test('an unknown option gets "did you mean", the usage line and exit 2; a missing value is named', async () => {
  const r = await schemac(['lint', '--fromat', 'json']);
  assert.is(r.code, 2);
  assert.match(r.err, /^schemac lint: unknown option '--fromat' \(did you mean '--format'\?\)\nusage: schemac lint /);
  const far = await schemac(['check', '--zzzzzz']);
  assert.is(far.code, 2);
  assert.match(far.err, /unknown option '--zzzzzz'\n/);
  const missing = await schemac(['migrate', 'up', '--db']);
  assert.is(missing.code, 2);
  assert.match(missing.err, /--db needs a value/);
});

test('colour: FORCE_COLOR wins, then NO_COLOR (and --no-color), then the terminal', async () => {
  const io = (isTTY: boolean, env: Record<string, string | undefined>) => ({ ...captureIo(), isTTY, env });
  assert.is(useColor(io(true, {})), true);
  assert.is(useColor(io(false, {})), false);
  assert.is(useColor(io(true, { NO_COLOR: '1' })), false);
  assert.is(useColor(io(false, { FORCE_COLOR: '1' })), true);
  assert.is(useColor(io(true, { FORCE_COLOR: '0' })), false);
  assert.is(useColor(io(false, { FORCE_COLOR: '1', NO_COLOR: '1' })), true);
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'schemas/core'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'schemas/core/models.yaml'), 'tables:\n  Bad:\n    columns:\n      id: { type: uuid, primary_key: true }\n');
  const forced = await schemac(['lint'], dir, { NO_COLOR: undefined, FORCE_COLOR: '1' });
  assert.is(forced.code, 1);
  assert.ok(forced.err.includes('\u001b['), 'FORCE_COLOR=1 colours a non-terminal');
  const off = await schemac(['lint', '--no-color'], dir, { NO_COLOR: undefined, FORCE_COLOR: '1' });
  assert.not.ok(off.err.includes('\u001b['), '--no-color wins over FORCE_COLOR');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What bash completes for a command line whose last word is being typed. */
function complete(script: string, line: string): string[] {
  const words = line.split(' ');
  const bash = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _schemac; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', bash], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('completion bash completes commands, actions, options and option values', async () => {
  const r = await schemac(['completion', 'bash']);
  assert.is(r.code, 0);
  assert.equal(complete(r.out, 'schemac mig'), ['migrate', 'migration']);
  assert.equal(complete(r.out, 'schemac migrate s'), ['status']);
  assert.equal(complete(r.out, 'schemac lint --f'), ['--format']);
  assert.equal(complete(r.out, 'schemac lint --format s'), ['sarif']);
  assert.equal(complete(r.out, 'schemac --cwd mig'), [], 'the value of --cwd is not a command');
  assert.equal(complete(r.out, 'schemac help che'), ['check']);
  const zsh = await schemac(['completion', 'zsh']);
  assert.is(zsh.code, 0);
  assert.match(zsh.out, /bashcompinit/);
  const none = await schemac(['completion', 'fish']);
  assert.is(none.code, 2);
  assert.match(none.err, /no completion for 'fish': one of bash, zsh/);
});

test('init: a fresh folder becomes a workspace whose first tool migrates and checks clean', async () => {
  const dir = tmp();
  const init = await schemac(['init'], dir);
  assert.is(init.code, 0, init.err);
  assert.match(init.out, /schemac new acme\/hello/);
  assert.match(init.out, /schemac migration "init" --all/);
  assert.match(init.out, /schemac migrate up/);
  assert.not.match(init.out + init.err, /\bmake\b/);
  for (const d of ['schemas/core', 'schemas/custom_tools', 'schemas/custom_resources', 'generated/migrations', 'generated/snapshots']) {
    assert.ok(fs.statSync(path.join(dir, d)).isDirectory(), d);
  }
  assert.match(fs.readFileSync(path.join(dir, 'schemac.config.yaml'), 'utf8'), /^# extensions:/m);
  assert.is((await schemac(['new', 'acme/hello'], dir)).code, 0);
  const migration = await schemac(['migration', 'init', '--all'], dir, { SCHEMAC_NOW: '2026-01-02T03:04:05Z' });
  assert.is(migration.code, 0, migration.err);
  assert.equal(fs.readdirSync(path.join(dir, 'generated/migrations')).sort(), [
    '20260102_030405_core_init.sql', '20260102_030405_custom_acme_init.sql', 'schemac.sum',
  ]);
  const check = await schemac(['check'], dir);
  assert.is(check.code, 0, check.err);
  const again = await schemac(['init'], dir);
  assert.is(again.code, 1);
  assert.match(again.err, /schemac.config.yaml already exists; --force overwrites it/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('init --core, --custom (repeated), --out and --force; bad globs are usage errors that write nothing', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'schemac.config.yaml'), 'core: [x/**/models.yaml]\n');
  const r = await schemac(['init', '--force', '--core', 'db/core/**/models.yaml', '--custom', 'tools/{org}/**/models.yaml', '--custom', 'res/{org}/**/models.yaml', '--out', 'gen'], dir);
  assert.is(r.code, 0, r.err);
  const text = fs.readFileSync(path.join(dir, 'schemac.config.yaml'), 'utf8');
  assert.match(text, /core:\n  - "db\/core\/\*\*\/models.yaml"\n/);
  assert.match(text, /custom:\n  - "tools\/\{org\}\/\*\*\/models.yaml"\n  - "res\/\{org\}\/\*\*\/models.yaml"\n/);
  assert.match(text, /migrations: "gen\/migrations"/);
  assert.ok(fs.existsSync(path.join(dir, 'db/core/models.yaml')), 'a starter core models file');
  const lint = await schemac(['lint'], dir);
  assert.is(lint.code, 0, lint.err);
  for (const bad of [['--custom', 'tools/**/models.yaml'], ['--core', '../outside/**/models.yaml'], ['--out', '/abs']]) {
    const empty = tmp();
    const refused = await schemac(['init', ...bad], empty);
    assert.is(refused.code, 2, bad.join(' '));
    assert.equal(fs.readdirSync(empty), [], `${bad.join(' ')}: nothing written`);
    fs.rmSync(empty, { recursive: true, force: true });
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
