#!/usr/bin/env node
// The long proof campaign: `make proof` (PROOF_SEQUENCES=1000, PROOF_STATIC=1000, PROOF_FUZZ=100000, PROOF_WALK=4 unless set),
// with a random seed (PROOF_SEED to replay one). Provides its own PostgreSQL like the tests.
// A failure prints the seed and the command that reproduces it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const seed = process.env.PROOF_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const env = {
  ...process.env,
  PROOF_SEED: seed,
  PROOF_SEQUENCES: process.env.PROOF_SEQUENCES ?? '1000',
  PROOF_PGLITE: process.env.PROOF_PGLITE ?? '100',
  PROOF_FUZZ: process.env.PROOF_FUZZ ?? '100000',
  PROOF_STATIC: process.env.PROOF_STATIC ?? '1000',
  PROOF_WALK: process.env.PROOF_WALK ?? '4',
};
console.log(`proof: seed ${seed}, ${env.PROOF_SEQUENCES} sequences (${env.PROOF_PGLITE} on PGlite), ${env.PROOF_STATIC} static tables, ${env.PROOF_FUZZ} fuzz inputs, ${Math.max(20, Math.round(Number(env.PROOF_FUZZ) / 50))} hostile fragment sets`);
const r = spawnSync(process.execPath, [path.join(root, 'tests', 'run.mjs'), 'tests/proof.test.ts'], { cwd: root, env, stdio: 'inherit' });
if (r.status !== 0) {
  console.log(`\nproof failed with seed ${seed}; reproduce with:\n  PROOF_SEED=${seed} PROOF_SEQUENCES=${env.PROOF_SEQUENCES} PROOF_PGLITE=${env.PROOF_PGLITE} PROOF_FUZZ=${env.PROOF_FUZZ} PROOF_STATIC=${env.PROOF_STATIC} PROOF_WALK=${env.PROOF_WALK} node scripts/proof.mjs`);
}
process.exit(r.status ?? 1);
