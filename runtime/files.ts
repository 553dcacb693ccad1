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

/** The kinds of text that may span lines: string literals, quoted names, dollar-quoted bodies, block comments. */
type Quoted = 'string' | 'name' | 'dollar' | 'comment';

/**
 * Where quoted text or a comment may start in plain SQL: a line comment, a block comment, a
 * quote, or (not right after a character that continues an identifier) an E-string or a
 * dollar-quote tag.
 */
const START = /--|\/\*|['"]|(?<![A-Za-z0-9_$\u0080-\uffff])(?:[eE]'|\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$)/g;
const LINE_END = /[\n\r]/g;
const BREAK = /\r\n|\n|\r/g;

/**
 * The file's lines (breaks: \n, \r\n or a lone \r, as PostgreSQL's scanner ends a `--`
 * comment), each marked free when it starts outside quoted text and block comments (read as
 * PostgreSQL reads them with `standard_conforming_strings = on`); or why the file cannot be
 * read (quoted text or a comment never closed).
 */
function readLines(text: string): Line[] | string {
  const spans = quotedSpans(text);
  const lines: Line[] = [];
  let span = 0;
  const push = (start: number, end: number) => {
    while (span < spans.length && spans[span].to >= 0 && spans[span].to <= start) span++;
    const free = span >= spans.length || spans[span].from >= start;
    lines.push({ text: text.slice(start, end), start, end, free });
  };
  let start = 0;
  BREAK.lastIndex = 0;
  for (let m = BREAK.exec(text); m !== null; m = BREAK.exec(text)) {
    push(start, m.index);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  const open = spans.find((s) => s.to < 0);
  return open === undefined ? lines : `${UNCLOSED[open.kind]} that starts on line ${lines.findIndex((l) => open.from >= l.start && open.from <= l.end) + 1} is never closed`;
}

const UNCLOSED: Readonly<Record<Quoted, string>> = {
  string: 'a string literal', name: 'a quoted name', dollar: 'a dollar-quoted body', comment: 'a block comment',
};

/** The [from, to) ranges of quoted text and block comments, in order; a range never closed has `to` -1 (and is the last). */
function quotedSpans(text: string): Array<{ kind: Quoted; from: number; to: number }> {
  const spans: Array<{ kind: Quoted; from: number; to: number }> = [];
  let pos = 0;
  for (;;) {
    START.lastIndex = pos;
    const m = START.exec(text);
    if (m === null) return spans;
    const token = m[0];
    if (token === '--') {
      LINE_END.lastIndex = m.index;
      pos = LINE_END.exec(text)?.index ?? text.length;
      continue;
    }
    const kind: Quoted = token === '/*' ? 'comment' : token === '"' ? 'name' : token.startsWith('$') ? 'dollar' : 'string';
    const to = closing(text, m.index, token);
    spans.push({ kind, from: m.index, to });
    if (to < 0) return spans;
    pos = to;
  }
}

const SINGLE = /'/g;
const DOUBLE = /"/g;
const ESCAPED = /\\[^]|'/g;
const COMMENT = /\/\*|\*\//g;

/** The offset just past the end of the quoted text or comment `token` opens at `from`, or -1 when it never ends. */
function closing(text: string, from: number, token: string): number {
  if (token.startsWith('$')) {
    const end = text.indexOf(token, from + token.length);
    return end < 0 ? -1 : end + token.length;
  }
  if (token === '/*') {
    let depth = 0;
    COMMENT.lastIndex = from;
    for (let m = COMMENT.exec(text); m !== null; m = COMMENT.exec(text)) {
      depth += m[0] === '/*' ? 1 : -1;
      if (depth === 0) return COMMENT.lastIndex;
    }
    return -1;
  }
  // A quote doubled continues the text; in an E-string a backslash escapes the next character.
  const re = token === '"' ? DOUBLE : token === "'" ? SINGLE : ESCAPED;
  const quote = token === '"' ? '"' : "'";
  re.lastIndex = from + token.length;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] !== quote) continue;
    if (text[re.lastIndex] !== quote) return re.lastIndex;
    re.lastIndex++;
  }
  return -1;
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

/** A line of nothing but SET statements (the settings a section pins, `lock_timeout`): they change no schema. */
const ONLY_SETS = /^(?:SET\s+[A-Za-z_]+\s*=\s*[^;'"$]*(?:'[^']*'[^;'"$]*)*;\s*)+$/i;

/** Whether a section holds any SQL besides comments, blank lines and SET statements (a down section of settings alone undoes nothing). */
export function hasSql(section: string): boolean {
  return section.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('--') && !ONLY_SETS.test(l.trim()));
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
