/**
 * The proof at CI budget, with a fixed seed: the migration oracle over generated workspace
 * evolutions on PostgreSQL (a subset also on PGlite), each history then walked down and up
 * one file at a time (PROOF_WALK moves at most; 0: no walk), the front-end fuzzer, and the fuzzer of
 * hostile SQL fragments (one set per 50 fuzz inputs, `tests/proof/fragments.ts`). A failure
 * prints the seed, the fast-check path and the shrunk counter-example as models.yaml files.
 * `make proof` runs the long campaign with a random seed (scripts/proof.mjs).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeFailure, runCampaign } from './proof/campaign.ts';
import { createTestDatabase } from './helpers/db.ts';
import { PHASED_KINDS } from './proof/walk.ts';

const SEED = Number(process.env.PROOF_SEED ?? 20260101);

test('proof: migrations round-trip on PostgreSQL and PGlite; the front end survives fuzzing', async () => {
  const db = await createTestDatabase();
  try {
    const started = performance.now();
    const result = await runCampaign({
      seed: SEED,
      sequences: Number(process.env.PROOF_SEQUENCES ?? 200),
      pgliteSequences: Number(process.env.PROOF_PGLITE ?? 30),
      walkMoves: Number(process.env.PROOF_WALK ?? 2),
      fuzz: Number(process.env.PROOF_FUZZ ?? 5000),
      staticRuns: Number(process.env.PROOF_STATIC ?? 150),
      databaseUrl: db.url,
      log: (line) => console.log(`  ${line}`),
    });
    console.log(`  proof: ${((performance.now() - started) / 1000).toFixed(1)} s in all (seed ${SEED})`);
    assert.equal(result.failures.map(describeFailure), []);
    if (result.oracle.pg.sequences >= 100) {
      const missing = PHASED_KINDS.filter((k) => result.oracle.pg.walk.phasedWithRows[k] === 0);
      assert.equal(missing, [], 'the histories phase every kind of change on a table holding rows');
    }
  } finally {
    await db.drop();
  }
});

test.run();
