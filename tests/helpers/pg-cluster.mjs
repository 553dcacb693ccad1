// A throwaway PostgreSQL cluster for tests: DATABASE_URL when set; else the local server
// binaries (/usr/lib/postgresql/*/bin, run as the `postgres` OS user when we are root) on a
// random port in a temp dir; else @databases/pg-test when a Docker daemon answers; else a
// clear error. Plain JavaScript so the test runner can start it before loading TypeScript.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Finds initdb/pg_ctl, newest major first (15 preferred when several). */
export function findServerBin() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const majors = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
  majors.sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)));
  return majors.length ? path.join(root, majors[0], 'bin') : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function asPostgres(bin, args, opts = {}) {
  const cmd = isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd[0], cmd[1], { stdio: 'pipe', ...opts });
}

/**
 * Starts a cluster; resolves to { url, stop() }. `settings` adds or overrides server
 * settings (`-c name=value`), e.g. the benchmark's larger lock table.
 */
export async function startCluster({ settings = {} } = {}) {
  const bin = findServerBin();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-pg-'));
  if (isRoot()) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const server = { listen_addresses: '127.0.0.1', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200', ...settings };
  const opts = [`-p ${port} -k ${dir}`, ...Object.entries(server).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = () => {
    spawnSync(isRoot() ? 'runuser' : path.join(bin, 'pg_ctl'), isRoot() ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop, bin };
}

/** Whether a Docker daemon answers. */
export function dockerAnswers() {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

/** DATABASE_URL, a local cluster (with `options.settings`), or @databases/pg-test; resolves to { url, stop() }. */
export async function provideDatabase(options = {}) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => {} };
  if (findServerBin()) return startCluster(options);
  if (dockerAnswers()) {
    const { default: getDatabase } = await import('@databases/pg-test');
    const { databaseURL, kill } = await getDatabase();
    return { url: databaseURL, stop: () => void kill() };
  }
  throw new Error(
    'tests need PostgreSQL: set DATABASE_URL, install the server (apt-get install postgresql), or run a Docker daemon',
  );
}
