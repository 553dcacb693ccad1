/** The Kysely types as tests read them: every file's text together, or written out as fixtures. */
import fs from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import type { TypeFiles } from '../../compiler/emit/emit-types.ts';
import { typesLayout } from '../../compiler/emit/emit-types.ts';

/** The index, then each rendered module (core first, then orgs by name), as one text. */
export function allText(files: TypeFiles): string {
  return [files.index, ...files.owners.filter((o) => files.modules.has(o)).map((o) => files.modules.get(o)!)].join('');
}

/** Each file's path (the index at `indexPath`) → its text. */
export function typeFileTexts(files: TypeFiles, indexPath: string): Map<string, string> {
  const layout = typesLayout(indexPath);
  return new Map([[layout.index, files.index], ...[...files.modules].map(([o, t]): [string, string] => [layout.modulePath(o), t])]);
}

/**
 * Compares rendered types with the fixture files under `dir` (the index at `dir/<index>`, the
 * modules in the folder beside it); UPDATE=1 rewrites them, removing modules no owner has.
 */
export function assertTypeFixtures(files: TypeFiles, dir: string, index: string): void {
  const texts = typeFileTexts(files, index);
  const moduleDir = path.join(dir, typesLayout(index).dir);
  if (process.env.UPDATE === '1') {
    fs.rmSync(moduleDir, { recursive: true, force: true });
    fs.mkdirSync(moduleDir, { recursive: true });
    for (const [file, text] of texts) fs.writeFileSync(path.join(dir, file), text);
  }
  const onDisk = fs.readdirSync(moduleDir).map((n) => `${typesLayout(index).dir}/${n}`);
  assert.equal(onDisk.sort(), [...texts.keys()].filter((f) => f !== index).sort(), 'the modules on disk are the owners\'');
  for (const [file, text] of texts) assert.fixture(text, fs.readFileSync(path.join(dir, file), 'utf8'), file);
}
