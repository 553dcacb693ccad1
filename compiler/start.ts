/**
 * The executable (`dist/cli.mjs`): runs the bundled CLI (`dist/cli.cjs`) through V8's code
 * cache, so a command does not compile the code it ran the time before. Compiling the
 * bundle's modules was a third of a one-org migration's time.
 *
 * The cache is one file per command (what `inc` compiles is not what `check` compiles) in
 * `code-v1/` of the per-user cache folder, named by the bundle's hash and the Node.js version;
 * V8 refuses data made by another V8 or for another source. It is written when a command
 * found none, and not used at all where the other caches are not (`SCHEMAC_NO_CACHE`, a
 * folder inside the workspace: cached code would be code a pull request could bring).
 * Without it the bundle is simply required.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { cacheDir, makeDirs, workspaceRoot } from './shared/index.ts';

/** The bundle's hash, set by the build (scripts/build.mjs). */
declare const SCHEMAC_BUNDLE_HASH: string;
const FOLDER = 'code-v1';
const STALE_MS = 7 * 24 * 3600 * 1000;

const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
const require = createRequire(bundle);
const args = process.argv.slice(2);
const cacheFile = codeCacheFile();
if (cacheFile === undefined) require(bundle);
else runCached(cacheFile);

/**
 * Runs the bundle as `require` would, with the cached code when there is some; keeps new code at
 * exit. Code from the cache cannot `import()` (Node.js drops the script's import callback), so the
 * bundle imports ES modules through `__schemac_import_hook`, this module's `import()`.
 */
function runCached(file: string): void {
  const source = fs.readFileSync(bundle, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname, __schemac_import_hook) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: bundle, cachedData });
  if (process.env.SCHEMAC_TRACE) {
    const state = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'refused' : `used (${cachedData.length} bytes)`;
    process.stderr.write(`schemac trace: code cache ${state}: ${file}\n`);
  }
  if (cachedData === undefined || script.cachedDataRejected) {
    // A usage error (exit 2) ran too little of the command to be worth keeping.
    process.once('exit', (code) => void (code <= 1 && keep(file, script)));
  }
  const module = { exports: {}, id: bundle, filename: bundle, loaded: false };
  const run = script.runInThisContext() as (...a: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, bundle, path.dirname(bundle), (specifier: string) => import(specifier));
}

/**
 * Writes the code the run compiled, atomically, and removes other builds' files once they are a
 * week old (two versions of schemac in use on one machine keep their caches).
 */
function keep(file: string, script: vm.Script): void {
  try {
    const dir = path.dirname(file);
    makeDirs(dir);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
    const old = Date.now() - STALE_MS;
    for (const name of fs.readdirSync(dir)) {
      const other = path.join(dir, name);
      if (!name.includes(SCHEMAC_BUNDLE_HASH) && fs.statSync(other).mtimeMs < old) fs.rmSync(other, { force: true });
    }
  } catch {
    // A cache that cannot be written is no cache.
  }
}

/** The code cache file of this command, or undefined when none is used. */
function codeCacheFile(): string | undefined {
  // The workspaces as the CLI takes them: `--cwd` (else the current folder) and the config's folder.
  let command = 'none';
  let cwd = '.';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = /^--(cwd|config)(=(.*))?$/.exec(a);
    if (value) {
      const given = value[2] !== undefined ? value[3] : args[++i];
      if (given !== undefined && value[1] === 'cwd') cwd = given;
      if (given !== undefined && value[1] === 'config') workspaceRoot(path.dirname(path.resolve(given)));
    } else if (command === 'none' && !a.startsWith('-')) {
      command = /^[a-z][a-z-]{0,30}$/.test(a) ? a : 'other';
    }
  }
  workspaceRoot(cwd);
  const dir = cacheDir();
  return dir === undefined ? undefined : path.join(dir, FOLDER, `${command}-${SCHEMAC_BUNDLE_HASH}-${process.version}-${process.arch}.bin`);
}
