/**
 * Paths: where schemac's own files are (the package root: the folder whose `package.json`
 * names `schemac` and which holds `schemas/models.schema.json`, in a checkout and in the
 * installed package alike), and paths as the workspace writes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'schemas', 'models.schema.json')) && isSchemac(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`schemac's package root was not found above ${from}`);
  }
}

function isSchemac(manifest: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'schemac';
  } catch {
    return false;
  }
}

let packageRoot: string | undefined;

/** The absolute path of the schemac package (source checkout or installed), found on first use. */
export function packageRootPath(): string {
  return (packageRoot ??= findPackageRoot(path.dirname(fileURLToPath(import.meta.url))));
}

/** The JSON Schema of models files. */
export function modelsSchemaPath(): string {
  return path.join(packageRootPath(), 'schemas', 'models.schema.json');
}

/** A path with forward slashes. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
