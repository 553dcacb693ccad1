/** Where schemac's own files are: the package root holds `templates/` (the sources of the precompiled templates) and `schemas/`. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'templates'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`schemac's package root was not found above ${from}`);
  }
}

/** The absolute path of the schemac package (source checkout or installed). */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The JSON Schemas of the file formats. */
export const MODELS_SCHEMA_PATH = path.join(PACKAGE_ROOT, 'schemas', 'models.schema.json');
export const CONFIG_SCHEMA_PATH = path.join(PACKAGE_ROOT, 'schemas', 'config.schema.json');
