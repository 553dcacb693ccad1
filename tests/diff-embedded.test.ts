/**
 * `schemac diff --db embedded`: the workspace's embedded PGlite database (beside the
 * config) compared with the snapshots — clean after `migrate up`, drift named after a hand
 * change — and never created by the comparison.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { startPglite } from '../runtime/driver.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

async function schemac(cwd: string, args: string[]) {
  const io = captureIo({ SCHEMAC_NOW: '2026-03-04T05:06:07Z', DATABASE_URL: '' });
  const code = await run(args, io, cwd);
  return { code, out: io.out(), err: io.err() };
}

test('diff --db embedded: no database yet is an error that creates nothing; after migrate up no drift; a hand change is drift', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-diff-embedded-'));
  try {
    fs.mkdirSync(path.join(ws, 'sub', 'schemas', 'core'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'sub', 'schemac.config.yaml'), 'core: [schemas/core/**/models.yaml]\n');
    fs.writeFileSync(path.join(ws, 'sub', 'schemas', 'core', 'models.yaml'), CORE_CLIENTS);
    const config = ['--config', 'sub/schemac.config.yaml'];
    assert.is((await schemac(ws, [...config, 'migration', 'init', '--all'])).code, 0);

    const none = await schemac(ws, [...config, 'diff', '--db', 'embedded']);
    assert.is(none.code, 1);
    assert.match(none.err, /--db embedded: there is no embedded database in sub\/\.schemac\/pglite yet/);
    assert.not.ok(fs.existsSync(path.join(ws, 'sub', '.schemac', 'pglite')), 'diff created nothing');

    const up = await schemac(ws, [...config, 'migrate', 'up']);
    assert.is(up.code, 0, up.err);
    const clean = await schemac(ws, [...config, 'diff', '--db', 'embedded', '--exit-code']);
    assert.is(clean.code, 0, clean.err + clean.out);
    assert.match(clean.out, /No drift: the embedded database in sub\/\.schemac\/pglite matches the snapshots/);

    const db = await startPglite(path.join(ws, 'sub', '.schemac', 'pglite'));
    await db.exec('ALTER TABLE clients ADD COLUMN nickname text');
    await db.close();
    const drift = await schemac(ws, [...config, 'diff', '--db', 'embedded', '--exit-code']);
    assert.is(drift.code, 1);
    assert.match(drift.out, /nickname/);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
});

test.run();
