import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { captureIo } from './helpers/io.ts';

test('an unknown command exits 2 with a hint', async () => {
  const io = captureIo();
  const code = await run(['lintt'], io);
  assert.is(code, 2);
  assert.match(io.err(), /did you mean 'lint'/);
});

test('--help prints the usage and exits 0', async () => {
  const io = captureIo();
  assert.is(await run(['--help'], io), 0);
  assert.match(io.out(), /usage: schemac/);
});

test.run();
