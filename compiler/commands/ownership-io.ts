/**
 * The edge of the ownership check of org migrations (runtime/ownership.ts) that `check`,
 * `sum` and `migrate` share: which orgs the workspace has, a per-user cache of org files
 * found clean, and each problem as a diagnostic at the offending statement of the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MigrationFile } from '../../runtime/files.ts';
import { ownershipKey, ownershipProblems, type OwnershipScope } from '../../runtime/ownership.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import { migrationPath } from '../engine/index.ts';
import type { Config, Owner } from '../ir.ts';
import { CORE, ORG_NAME } from '../ir.ts';
import { cacheDir, makeDirs } from '../shared/index.ts';

/** The diagnostic code of a statement an org's migration may not run. */
export const OWNERSHIP_CODE = 'migration-ownership';

/**
 * Every org the workspace knows: `owners` (from models and migration headers), the
 * snapshots' names, and the folders the config's custom globs take `{org}` from. More orgs
 * only make the prefix rule stricter (a name inside a longer org's prefix is that org's).
 */
export function workspaceOrgs(config: Config, owners: Iterable<Owner | undefined>): string[] {
  const orgs = new Set<string>();
  const add = (o: string | undefined) => void (o !== undefined && o !== CORE && ORG_NAME.test(o) && orgs.add(o));
  for (const o of owners) add(o);
  for (const name of listDir(config.root, config.out.snapshots)) if (name.endsWith('.json')) add(name.slice(0, -5));
  for (const glob of config.custom) {
    const parts = glob.split('/');
    const at = parts.indexOf('{org}');
    if (at < 0 || parts.slice(0, at).some((p) => /[*?[\]{}]/.test(p))) continue;
    for (const name of listDir(config.root, parts.slice(0, at).join('/'), true)) add(name);
  }
  return [...orgs].sort();
}

function listDir(root: string, dir: string, dirsOnly = false): string[] {
  try {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).filter((e) => !dirsOnly || e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** The ownership scope of a workspace: its orgs and the extensions its config lets orgs use. */
export function ownershipScope(config: Config, orgs: readonly string[]): OwnershipScope {
  return { orgs, extensions: config.extensions };
}

/**
 * Every statement of the org migrations in `files` that touches what its org does not own,
 * as diagnostics (core's files are trusted). Files found clean before with the same scope
 * and bytes are taken from the per-user cache, so an unchanged history is not parsed again.
 */
export async function ownershipDiagnostics(config: Config, files: readonly MigrationFile[], scope: OwnershipScope): Promise<Diagnostic[]> {
  const orgFiles = files.filter((f) => f.owner !== CORE);
  if (orgFiles.length === 0) return [];
  const dir = cacheDir();
  const known = readClean(dir);
  const added: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of orgFiles) {
    const key = cacheKey(file, scope);
    if (known.has(key)) continue;
    const problems = await ownershipProblems(file, scope);
    if (problems.length === 0) added.push(key);
    for (const p of problems) {
      const span = { file: migrationPath(config, file.name), start: p.start, end: p.end };
      diagnostics.push(error(OWNERSHIP_CODE, span, `${file.owner}'s migration (migrate:${p.section}) ${p.message}`, `an org's migration may touch only its own objects; remove or rewrite this statement: ${p.statement}`));
    }
  }
  rememberClean(dir, known, added);
  return diagnostics;
}

/** Bump with OWNERSHIP_RULES_VERSION's file name when the cache's format changes. */
const CACHE_FILE = 'ownership-clean-v1.txt';
const MAX_ENTRIES = 20_000;

function cacheKey(file: MigrationFile, scope: OwnershipScope): string {
  return crypto.createHash('sha256').update(ownershipKey(file, scope)).digest('hex').slice(0, 32);
}

function readClean(dir: string | undefined): Set<string> {
  if (dir === undefined) return new Set();
  try {
    return new Set(fs.readFileSync(path.join(dir, CACHE_FILE), 'utf8').split('\n').filter((k) => /^[0-9a-f]{32}$/.test(k)));
  } catch {
    return new Set();
  }
}

function rememberClean(dir: string | undefined, known: ReadonlySet<string>, added: readonly string[]): void {
  if (dir === undefined || added.length === 0) return;
  try {
    makeDirs(dir);
    const tmp = path.join(dir, `${CACHE_FILE}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, `${[...known, ...added].slice(-MAX_ENTRIES).join('\n')}\n`);
    fs.renameSync(tmp, path.join(dir, CACHE_FILE));
  } catch {
    // A read-only home or a full disk only costs speed.
  }
}
