/** The per-user cache's entry folders: JSON entries and entries with a text beside them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readEntry, readEntryWithText, storeEntry, storeEntryWithText } from '../compiler/commands/cache-entries.ts';

test('an entry with a text gives back its JSON and its text as written, newlines and quotes included; a damaged one is no entry', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-entries-'));
  try {
    const text = 'export interface A {\n  "b": string;\n}\n\n// \\n is not a newline here\n';
    storeEntryWithText(folder, 'k', { owner: 'acme', list: ['x\ny'] }, text, 10);
    assert.equal(readEntryWithText(folder, 'k'), { entry: { owner: 'acme', list: ['x\ny'] }, text });
    fs.writeFileSync(path.join(folder, 'k.entry'), '{ not json\nrest');
    assert.is(readEntryWithText(folder, 'k'), undefined);
    fs.writeFileSync(path.join(folder, 'k.entry'), '{"no": "newline"}');
    assert.is(readEntryWithText(folder, 'k'), undefined);
    assert.is(readEntryWithText(folder, 'missing'), undefined);
    assert.is(readEntry(folder, 'k'), undefined, 'the two kinds do not answer for each other');
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('past the bound, the oldest entries of either kind are removed', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-entries-'));
  try {
    const old = Date.now() / 1000 - 100;
    storeEntryWithText(folder, 'a', {}, 'a', 3);
    storeEntry(folder, 'b', {}, 3);
    fs.utimesSync(path.join(folder, 'a.entry'), old, old);
    fs.utimesSync(path.join(folder, 'b.json'), old + 1, old + 1);
    storeEntry(folder, 'c', {}, 3);
    storeEntryWithText(folder, 'd', {}, 'd', 3);
    assert.equal(fs.readdirSync(folder).sort(), ['b.json', 'c.json', 'd.entry']);
    storeEntry(folder, 'e', {}, 3);
    assert.equal(fs.readdirSync(folder).sort(), ['c.json', 'd.entry', 'e.json']);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test.run();
