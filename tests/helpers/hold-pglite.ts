/**
 * An application on the embedded database, as a process of its own: loads the runtime and
 * PGlite, prints `ready`, and on the line `go` on stdin opens `createDb` on the PGlite folder
 * `argv[2]` (waiting up to `argv[3]` ms for another holder, default the runtime's), runs a
 * query, prints `holding <pid>`, keeps the database open until stdin ends, then destroys it
 * and prints `released`. When the folder stays held, prints the error and exits 1.
 * usage: node --import tsx tests/helpers/hold-pglite.ts DIR [WAIT_MS]
 */
import readline from 'node:readline';
import '@electric-sql/pglite';
import { sql } from 'kysely';
import { createDb } from '../../runtime/index.ts';

const [dir, waitMs] = process.argv.slice(2);
const lines = readline.createInterface({ input: process.stdin });
const ended = new Promise<void>((r) => lines.once('close', () => r()));
const go = new Promise<void>((r) => lines.on('line', (l) => l === 'go' && r()));
process.stdout.write('ready\n');
await Promise.race([go, ended]);
const db = createDb({ pglite: dir, pgliteRole: false, ...(waitMs === undefined ? {} : { lockWaitMs: Number(waitMs) }) });
try {
  await sql`select 1`.execute(db);
  process.stdout.write(`holding ${process.pid}\n`);
  await ended;
  await db.destroy();
  process.stdout.write('released\n');
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
  lines.close();
}
