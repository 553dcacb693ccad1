/** The per-user cache's entry folders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readEntry, storeEntry } from '../compiler/commands/cache-entries.ts';

test('an entry gives back its JSON as written; a damaged or missing one is no entry', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-entries-'));
  try {
    storeEntry(folder, 'k', { owner: 'acme', list: ['x\ny', '"q"'] }, 10);
    assert.equal(readEntry(folder, 'k'), { owner: 'acme', list: ['x\ny', '"q"'] });
    fs.writeFileSync(path.join(folder, 'k.json'), '{ not json');
    assert.is(readEntry(folder, 'k'), undefined);
    assert.is(readEntry(folder, 'missing'), undefined);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('past the bound, the oldest entries are removed; files of other kinds are left alone', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-entries-'));
  try {
    const old = Date.now() / 1000 - 100;
    fs.writeFileSync(path.join(folder, 'other.txt'), 'x');
    storeEntry(folder, 'a', {}, 3);
    storeEntry(folder, 'b', {}, 3);
    fs.utimesSync(path.join(folder, 'a.json'), old, old);
    fs.utimesSync(path.join(folder, 'b.json'), old + 1, old + 1);
    storeEntry(folder, 'c', {}, 3);
    storeEntry(folder, 'd', {}, 3);
    assert.equal(fs.readdirSync(folder).sort(), ['b.json', 'c.json', 'd.json', 'other.txt']);
    storeEntry(folder, 'e', {}, 3);
    assert.equal(fs.readdirSync(folder).sort(), ['c.json', 'd.json', 'e.json', 'other.txt']);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test.run();
