/**
 * Migration files on disk (SPEC §5): `YYYYMMDD_HHMMSS_core_<slug>.sql` or
 * `YYYYMMDD_HHMMSS_custom_<org>_<slug>.sql`, with a `-- schemac:` header, a
 * `-- migrate:up` section and a `-- migrate:down` section.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CORE, type Owner } from '../compiler/ir.ts';

/** A MigrationFile is one parsed migration file. */
export interface MigrationFile {
  /** The file name, e.g. `20260101_120000_core_init.sql`. */
  readonly name: string;
  readonly owner: Owner;
  readonly description: string;
  readonly up: string;
  readonly down: string;
  /** `-- schemac:no-transaction`: run outside a transaction (CREATE INDEX CONCURRENTLY). */
  readonly noTransaction: boolean;
  /** sha256 hex of the file's bytes. */
  readonly checksum: string;
  /** Absolute path, or the bare name when parsed from text. */
  readonly path: string;
  readonly text: string;
  /** The 1-based file line of each section's first line (for error messages). */
  readonly upLine: number;
  readonly downLine: number;
}

/** sha256 hex of a file's bytes (a string is hashed as UTF-8). */
export function checksum(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

const NAME = /^(\d{8})_(\d{6})_(core|custom)_([a-z0-9_]+)\.sql$/;
const HEADER = /^--\s*schemac:\s+(.*)$/;
const ORG = /^[a-z][a-z0-9_]{0,30}$/;

/** Parses one migration file; `error` says what is wrong, naming the file. */
export function parseMigration(
  name: string, text: string, filePath: string = name, bytes?: Uint8Array,
): { file?: MigrationFile; error?: string } {
  const fail = (why: string) => ({ error: `${name}: ${why}` });
  const m = NAME.exec(name);
  if (!m) return fail('the name must be YYYYMMDD_HHMMSS_core_<slug>.sql or YYYYMMDD_HHMMSS_custom_<org>_<slug>.sql');
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  const header = first < 0 ? null : HEADER.exec(lines[first].trim());
  if (!header) return fail('the first line must be a header like `-- schemac: owner=core description="…"`');
  const attrs = parseHeader(header[1]);
  if (typeof attrs === 'string') return fail(attrs);
  const owner = attrs.owner;
  if (!owner) return fail('the header has no owner=');
  const ownerError = checkOwner(m[3], m[4], owner);
  if (ownerError) return fail(ownerError);
  const sections = splitSections(lines);
  if (typeof sections === 'string') return fail(sections);
  return {
    file: {
      name, owner, description: attrs.description ?? '', ...sections,
      noTransaction: lines.some((l) => /^--\s*schemac:no-transaction\s*$/.test(l.trim())),
      checksum: checksum(bytes ?? text), path: filePath, text,
    },
  };
}

function parseHeader(s: string): Record<string, string> | string {
  const attrs: Record<string, string> = {};
  const re = /\s*([a-z_]+)=("(?:[^"\\]|\\.)*"|[^"\s]\S*)/y;
  let pos = 0;
  while (pos < s.trimEnd().length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return `cannot read the header at "${s.slice(pos).trim()}" (expected key=value or key="quoted value")`;
    try {
      attrs[m[1]] = m[2].startsWith('"') ? JSON.parse(m[2]) : m[2];
    } catch {
      return `the header value of ${m[1]} is not a valid quoted string`;
    }
    pos = re.lastIndex;
  }
  return attrs;
}

function checkOwner(kind: string, rest: string, owner: string): string | undefined {
  if (kind === 'core') return owner === CORE ? undefined : `the name says core but the header says owner=${owner}`;
  if (owner === CORE || !ORG.test(owner)) return `owner=${owner} is not a valid org name for a custom migration`;
  if (!rest.startsWith(`${owner}_`) || rest.length === owner.length + 1) {
    return `the name must be …_custom_${owner}_<slug>.sql for owner=${owner}`;
  }
  return undefined;
}

function splitSections(lines: string[]): { up: string; down: string; upLine: number; downLine: number } | string {
  const marker = (re: RegExp) => lines.map((l, i) => (re.test(l.trim()) ? i : -1)).filter((i) => i >= 0);
  const ups = marker(/^--\s*migrate:up\s*$/);
  const downs = marker(/^--\s*migrate:down\s*$/);
  if (ups.length !== 1) return ups.length ? 'more than one `-- migrate:up` line' : 'no `-- migrate:up` line';
  if (downs.length > 1) return 'more than one `-- migrate:down` line';
  const [up] = ups;
  const down = downs[0] ?? lines.length;
  if (down < up) return '`-- migrate:down` comes before `-- migrate:up`';
  return {
    up: lines.slice(up + 1, down).join('\n').trimEnd(),
    down: lines.slice(down + 1).join('\n').trimEnd(),
    upLine: up + 2,
    downLine: down + 2,
  };
}

/** Whether a section holds any SQL besides comments and blank lines. */
export function hasSql(section: string): boolean {
  return section.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('--'));
}

/** Reads every `*.sql` file of a folder: core by name, then custom by name; a missing folder is empty. */
export function readMigrations(dir: string): { files: MigrationFile[]; errors: string[] } {
  if (!fs.existsSync(dir)) return { files: [], errors: [] };
  const files: MigrationFile[] = [];
  const errors: string[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.sql')).sort()) {
    const full = path.join(dir, name);
    const bytes = fs.readFileSync(full);
    const parsed = parseMigration(name, bytes.toString('utf8'), full, bytes);
    if (parsed.file) files.push(parsed.file);
    else errors.push(parsed.error!);
  }
  return { files: orderMigrations(files), errors };
}

/** Every core migration by name, then every custom migration by name (SPEC §5). */
export function orderMigrations<T extends { name: string; owner: Owner }>(files: readonly T[]): T[] {
  const rank = (f: T) => (f.owner === CORE ? 0 : 1);
  return [...files].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
