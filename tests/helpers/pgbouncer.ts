/**
 * A throwaway PgBouncer in front of the test server (DATABASE_URL): Debian's pgbouncer, run
 * as the `postgres` OS user when we are root (it refuses to run as root), listening on
 * 127.0.0.1 and a random port, every database passed through, auth_type trust (the user must
 * still be in the auth_file). `stop()` kills it and removes its folder.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The pgbouncer binary, or undefined. */
export function findPgbouncer(): string | undefined {
  for (const p of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer', '/usr/local/bin/pgbouncer']) if (fs.existsSync(p)) return p;
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Resolves once something accepts TCP connections on the port. */
async function listening(port: number, deadline: number, log: string): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer did not start: ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : 'no log'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A Pgbouncer is a running PgBouncer: the URL of a database through it, its log, and `stop()`. */
export interface Pgbouncer {
  readonly port: number;
  url(database: string): string;
  log(): string;
  stop(): Promise<void>;
}

/** Starts PgBouncer in front of `serverUrl` (default DATABASE_URL); `settings` adds or overrides [pgbouncer] settings. */
export async function startPgbouncer(
  { serverUrl = process.env.DATABASE_URL, poolMode = 'transaction', settings = {} }: { serverUrl?: string; poolMode?: string; settings?: Record<string, string | number> } = {},
): Promise<Pgbouncer> {
  const bin = findPgbouncer();
  if (!bin) throw new Error('no pgbouncer binary (apt-get install pgbouncer)');
  if (!serverUrl) throw new Error('DATABASE_URL is not set: run tests with `node tests/run.mjs`');
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-pgbouncer-'));
  const port = await freePort();
  const log = path.join(dir, 'pgbouncer.log');
  const config: Record<string, string | number> = {
    listen_addr: '127.0.0.1',
    listen_port: port,
    unix_socket_dir: '',
    auth_type: 'trust',
    auth_file: path.join(dir, 'users.txt'),
    pool_mode: poolMode,
    max_client_conn: 500,
    default_pool_size: 20,
    logfile: log,
    pidfile: path.join(dir, 'pgbouncer.pid'),
    admin_users: user,
    ...settings,
  };
  const ini = [
    '[databases]',
    `* = host=${server.hostname} port=${server.port || 5432} user=${user}`,
    '[pgbouncer]',
    ...Object.entries(config).map(([k, v]) => `${k} = ${v}`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'pgbouncer.ini'), ini);
  fs.writeFileSync(path.join(dir, 'users.txt'), `"${user}" ""\n`);
  const ids = isRoot() ? postgresIds() : undefined;
  if (ids) execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, dir]);
  const child = spawn(bin, [path.join(dir, 'pgbouncer.ini')], { stdio: 'ignore', ...(ids ?? {}) });
  let exited = false;
  child.on('exit', () => (exited = true));
  try {
    await listening(port, Date.now() + 15_000, log);
  } catch (e) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    url: (database) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`,
    log: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-4000) : ''),
    stop: async () => {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
        if (!exited) child.kill('SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
