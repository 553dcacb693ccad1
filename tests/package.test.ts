/**
 * The package as an application installs it: `npm pack` on this checkout, the tarball
 * installed with npm into a fresh repository next to nothing but `typescript` and
 * `@types/node`, its CLI run there, and a strict TypeScript application using
 * `schemac/runtime` compiled (moduleResolution node16, nodenext and bundler; no
 * skipLibCheck, no hand-written declarations) and run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ours = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string; devDependencies: Record<string, string>; scripts: Record<string, string>;
};
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-package-'));
const app = path.join(work, 'app');

function sh(cmd: string, args: readonly string[], cwd: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', NO_COLOR: '1', npm_config_update_notifier: 'false' } });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

let tarball = '';

test.before(() => {
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  tarball = path.join(work, packed.trim().split('\n').pop()!);
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  const install = sh('npm', [
    'install', '--no-audit', '--no-fund', '--prefer-offline', tarball,
    `typescript@${ours.devDependencies.typescript}`, `@types/node@${ours.devDependencies['@types/node']}`,
  ], app);
  if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
});

test.after(() => fs.rmSync(work, { recursive: true, force: true }));

test('the tarball holds what runs and no install scripts or sources', () => {
  const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  assert.ok(list.includes('dist/cli.mjs') && list.includes('dist/runtime.mjs') && list.includes('dist/runtime.d.ts'), list.join(' '));
  assert.ok(list.includes('schemas/models.schema.json'));
  assert.equal(list.filter((f) => /^(compiler|runtime|tests|scripts|templates)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts')), []);
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'schemac', 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>; dependencies: Record<string, string>; peerDependencies: Record<string, string>;
  };
  for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.is(manifest.scripts?.[hook], undefined, hook);
  assert.is(manifest.dependencies.kysely, undefined);
  assert.ok(manifest.peerDependencies.kysely);
  // npm installed the peer once, at the top: the application's Kysely is the runtime's
  assert.ok(fs.existsSync(path.join(app, 'node_modules', 'kysely', 'package.json')));
  assert.not.ok(fs.existsSync(path.join(app, 'node_modules', 'schemac', 'node_modules', 'kysely')));
});

test('the installed CLI runs: version, init, lint, migration', () => {
  const bin = path.join(app, 'node_modules', '.bin', 'schemac');
  const version = sh(bin, ['--version'], app);
  assert.is(version.status, 0, version.stderr);
  assert.match(version.stdout, ours.version);
  const init = sh(bin, ['init', '--out', 'db'], app);
  assert.is(init.status, 0, init.stderr);
  assert.ok(fs.existsSync(path.join(app, 'schemac.config.yaml')));
  assert.match(init.stdout, /schemac /);
  const lint = sh(bin, ['lint'], app);
  assert.is(lint.status, 0, lint.stderr);
  const migration = sh(bin, ['migration', 'init', '--all'], app);
  assert.is(migration.status, 0, migration.stderr);
  assert.not.match(migration.stdout + migration.stderr, /make migration/);
  assert.ok(fs.readdirSync(path.join(app, 'db', 'migrations')).some((f) => f.endsWith('.sql')));
});

const APP = `import type { Generated } from 'kysely';
import { sql } from 'kysely';
import { createDb, migrateToLatest, withClient, type MigrationRun } from 'schemac/runtime';

interface DB {
  notes: { id: Generated<number>; body: string };
}

// the migrations folder is the config's (out: db/migrations), read by migrateToLatest itself
const run: MigrationRun = await migrateToLatest({ pglite: 'memory' });
const db = createDb<DB>({ pglite: 'memory', pgliteRole: false });
await sql\`create table notes (id serial primary key, body text not null)\`.execute(db);
await db.insertInto('notes').values({ body: 'hello' }).execute();
const bodies: string[] = await withClient(db, '00000000-0000-4000-8000-000000000001', async (trx) => {
  const rows = await trx.selectFrom('notes').select('body').execute();
  return rows.map((r) => r.body);
}, { allowBypass: true });
await db.destroy();
console.log(JSON.stringify({ applied: run.results.map((r) => r.status), error: run.error?.message ?? null, bodies }));
`;

const SETTINGS: Record<string, Record<string, unknown>> = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

test('a strict application compiles against the declarations with node16, nodenext and bundler resolution', () => {
  fs.writeFileSync(path.join(app, 'app.ts'), APP);
  const tsc = path.join(app, 'node_modules', '.bin', 'tsc');
  for (const [name, options] of Object.entries(SETTINGS)) {
    const config = { compilerOptions: { target: 'es2022', strict: true, noEmit: true, types: ['node'], ...options }, files: ['app.ts'] };
    fs.writeFileSync(path.join(app, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
    const r = sh(tsc, ['-p', `tsconfig.${name}.json`], app);
    assert.is(r.status, 0, `${name}:\n${r.stdout}${r.stderr}`);
  }
  // and it fails where it should: the declarations are what the compiler read
  fs.writeFileSync(path.join(app, 'wrong.ts'), "import { createDb } from 'schemac/runtime';\ncreateDb({ pglite: 42 });\n");
  fs.writeFileSync(path.join(app, 'tsconfig.wrong.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: ['node'], ...SETTINGS.nodenext }, files: ['wrong.ts'] }));
  const wrong = sh(tsc, ['-p', 'tsconfig.wrong.json'], app);
  assert.is(wrong.status, 2, wrong.stdout);
  assert.match(wrong.stdout, /pglite/i);
});

test('the compiled application runs: migrations from the config\'s folder, then typed queries in a tenant transaction', () => {
  const tsc = path.join(app, 'node_modules', '.bin', 'tsc');
  const config = { compilerOptions: { target: 'es2022', strict: true, outDir: 'out', types: ['node'], ...SETTINGS.nodenext }, files: ['app.ts'] };
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const built = sh(tsc, ['-p', 'tsconfig.json'], app);
  assert.is(built.status, 0, built.stdout);
  const ran = sh(process.execPath, ['out/app.js'], app);
  assert.is(ran.status, 0, ran.stderr);
  const result = JSON.parse(ran.stdout.trim().split('\n').pop()!) as { applied: string[]; error: string | null; bodies: string[] };
  assert.is(result.error, null);
  assert.ok(result.applied.length >= 1 && result.applied.every((s) => s === 'applied'), ran.stdout);
  assert.equal(result.bodies, ['hello']);
});

test.run();
