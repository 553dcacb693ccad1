/**
 * Migration files on disk (SPEC §5): `YYYYMMDD_HHMMSS_core_<slug>.sql` or
 * `YYYYMMDD_HHMMSS_custom_<org>_<slug>.sql`, with a `-- schemac:` header, a
 * `-- migrate:up` section and a `-- migrate:down` section.
 *
 * The reader takes a line for a directive only where the renderer puts one: the header
 * (`-- schemac: …` first, `-- schemac:no-transaction`) only before `-- migrate:up`, and the
 * section markers only at the start of a line that does not begin inside a string literal, a
 * quoted name, a dollar-quoted body or a block comment (read as PostgreSQL reads them with
 * the settings every file pins, `standard_conforming_strings = on`). So no text a models file
 * carries into a migration (a comment, an enum value, a default) can forge one.
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
  const lines = readLines(text);
  if (typeof lines === 'string') return fail(lines);
  const first = lines.find((l) => l.text.trim() !== '');
  const header = first === undefined || !first.free ? null : HEADER.exec(first.text.trim());
  if (!header) return fail('the first line must be a header like `-- schemac: owner=core description="…"`');
  const attrs = parseHeader(header[1]);
  if (typeof attrs === 'string') return fail(attrs);
  const owner = attrs.owner;
  if (!owner) return fail('the header has no owner=');
  const ownerError = checkOwner(m[3], m[4], owner);
  if (ownerError) return fail(ownerError);
  const sections = splitSections(text, lines);
  if (typeof sections === 'string') return fail(sections);
  const headerLines = lines.slice(0, sections.upLine - 2);
  return {
    file: {
      name, owner, description: attrs.description ?? '', ...sections,
      noTransaction: headerLines.some((l) => l.free && NO_TRANSACTION.test(l.text)),
      checksum: checksum(bytes ?? text), path: filePath, text,
    },
  };
}

const NO_TRANSACTION = /^--[ \t]*schemac:no-transaction[ \t]*$/;
const UP = /^--[ \t]*migrate:up[ \t]*$/;
const DOWN = /^--[ \t]*migrate:down[ \t]*$/;

/** A Line of a migration file: its text (without the line break), where it starts and ends, and whether it starts outside any quoted text or comment. */
interface Line {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly free: boolean;
}

/** What a lexer position is inside of, when not plain SQL. */
type Inside =
  | { readonly kind: 'string'; readonly escapes: boolean; readonly from: number }
  | { readonly kind: 'name'; readonly from: number }
  | { readonly kind: 'dollar'; readonly tag: string; readonly from: number }
  | { readonly kind: 'comment'; depth: number; readonly from: number };

/** Characters that continue an identifier: a `$` or a quote after one is part of it or a new token, not a dollar quote or an E-string. */
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/**
 * The file's lines (breaks: \n, \r\n or a lone \r, as PostgreSQL's scanner ends a `--`
 * comment), each marked free when it starts outside quoted text and block comments; or why
 * the file cannot be read (quoted text or a comment never closed).
 */
function readLines(text: string): Line[] | string {
  const lines: Line[] = [];
  let inside: Inside | undefined;
  let lineStart = 0;
  let free = true;
  const endLine = (end: number, next: number) => {
    lines.push({ text: text.slice(lineStart, end), start: lineStart, end, free });
    lineStart = next;
    free = inside === undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') {
      const next = c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      endLine(i, next);
      i = next - 1;
      continue;
    }
    if (inside !== undefined) {
      const step = within(text, i, inside);
      if (step.closed) inside = undefined;
      i += step.skip;
      continue;
    }
    inside = opening(text, i);
    if (inside !== undefined) i += openingLength(inside) - 1;
    else if (text.startsWith('--', i)) while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
  }
  endLine(text.length, text.length);
  if (inside !== undefined) return `${UNCLOSED[inside.kind]} that starts on line ${lineOf(lines, inside.from)} is never closed`;
  return lines;
}

const UNCLOSED: Readonly<Record<Inside['kind'], string>> = {
  string: 'a string literal', name: 'a quoted name', dollar: 'a dollar-quoted body', comment: 'a block comment',
};

function lineOf(lines: readonly Line[], offset: number): number {
  return lines.findIndex((l) => offset >= l.start && offset <= l.end) + 1;
}

/** What starts at `i` in plain SQL: quoted text or a block comment (undefined for anything else). */
function opening(text: string, i: number): Inside | undefined {
  const c = text[i];
  const after = i === 0 || !IDENT_CHAR.test(text[i - 1]);
  if (c === "'") return { kind: 'string', escapes: false, from: i };
  if ((c === 'E' || c === 'e') && text[i + 1] === "'" && after) return { kind: 'string', escapes: true, from: i };
  if (c === '"') return { kind: 'name', from: i };
  if (c === '/' && text[i + 1] === '*') return { kind: 'comment', depth: 1, from: i };
  if (c === '$' && after) {
    DOLLAR_TAG.lastIndex = i;
    const tag = DOLLAR_TAG.exec(text)?.[0];
    if (tag !== undefined) return { kind: 'dollar', tag, from: i };
  }
  return undefined;
}

function openingLength(inside: Inside): number {
  if (inside.kind === 'dollar') return inside.tag.length;
  if (inside.kind === 'comment') return 2;
  return inside.kind === 'string' && inside.escapes ? 2 : 1;
}

/** One step inside quoted text or a comment at `i`: the characters to skip past `i`, and whether it closed there. */
function within(text: string, i: number, inside: Inside): { skip: number; closed: boolean } {
  const c = text[i];
  const next = text[i + 1];
  switch (inside.kind) {
    case 'string':
      if (inside.escapes && c === '\\' && next !== undefined && next !== '\n' && next !== '\r') return { skip: 1, closed: false };
      if (c === "'") return next === "'" ? { skip: 1, closed: false } : { skip: 0, closed: true };
      return { skip: 0, closed: false };
    case 'name':
      if (c === '"') return next === '"' ? { skip: 1, closed: false } : { skip: 0, closed: true };
      return { skip: 0, closed: false };
    case 'dollar':
      return text.startsWith(inside.tag, i) ? { skip: inside.tag.length - 1, closed: true } : { skip: 0, closed: false };
    case 'comment':
      if (c === '/' && next === '*') return (inside.depth++, { skip: 1, closed: false });
      if (c === '*' && next === '/') return { skip: 1, closed: --inside.depth === 0 };
      return { skip: 0, closed: false };
  }
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

function splitSections(text: string, lines: readonly Line[]): { up: string; down: string; upLine: number; downLine: number } | string {
  const marker = (re: RegExp) => lines.flatMap((l, i) => (l.free && re.test(l.text) ? [i] : []));
  const ups = marker(UP);
  const downs = marker(DOWN);
  if (ups.length !== 1) return ups.length ? 'more than one `-- migrate:up` line' : 'no `-- migrate:up` line';
  if (downs.length > 1) return 'more than one `-- migrate:down` line';
  const [up] = ups;
  const down = downs[0] ?? lines.length;
  if (down < up) return '`-- migrate:down` comes before `-- migrate:up`';
  const after = (i: number) => (i + 1 < lines.length ? lines[i + 1].start : text.length);
  const before = (i: number) => (i < lines.length ? lines[i].start : text.length);
  return {
    up: text.slice(after(up), before(down)).trimEnd(),
    down: down < lines.length ? text.slice(after(down)).trimEnd() : '',
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
