/**
 * Paths: where schemac's own files are (the package root holds `templates/`, the sources of
 * the precompiled templates, and `schemas/`), and paths as the workspace writes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'templates'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`schemac's package root was not found above ${from}`);
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
