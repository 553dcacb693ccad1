/**
 * The fast path of the ownership check (runtime/ownership.ts): recognises, without the
 * PostgreSQL parser, the statement shapes schemac writes most (tables, comments, foreign
 * keys, indexes, enums, updated_at triggers, tenant policies, drops), so a large history is
 * checked without loading the parser's WASM. It answers only "clean" or "unknown": anything
 * it does not recognise exactly (a token outside its small lexicon, a shape it does not know,
 * a name it cannot place) goes to the parser, which decides. Its property test holds that
 * whatever it calls clean the parser-based checker finds clean too.
 *
 * The lexer follows PostgreSQL's for the tokens it accepts and stops at every other one:
 * `/*` comments, escape strings (`E'…'`, `U&"…"`), backslashes, parameters, adjacent strings.
 */
import { PINNED_SETTINGS } from '../compiler/shared/index.ts';

/** The rules of ownership: the file's owner, every org (longest first) and the extensions orgs may use. */
export interface Rules {
  readonly owner: string;
  /** Longest first, so the first prefix that matches is the owner. */
  readonly orgs: readonly string[];
  readonly orgSet: ReadonlySet<string>;
  /** The distinct lengths of the org names, longest first. */
  readonly orgLengths: readonly number[];
  readonly extensions: ReadonlySet<string>;
}

/** The rules for `owner`'s files in a workspace of `orgs`. */
export function rulesFor(owner: string, scope: { readonly orgs: readonly string[]; readonly extensions: readonly string[] }): Rules {
  const orgs = scope.orgs.includes(owner) ? scope.orgs : [...scope.orgs, owner];
  return { owner, orgs: [...orgs].sort((a, b) => b.length - a.length), orgSet: new Set(orgs), orgLengths: [...new Set(orgs.map((o) => o.length))].sort((a, b) => b - a), extensions: new Set(scope.extensions) };
}

/** The org whose prefix a name carries (the longest one), or undefined for a core (or nobody's) name. */
export function orgOf(name: string, rules: Rules): string | undefined {
  for (const k of rules.orgLengths) {
    if (name.length <= k + 1 || name.charCodeAt(k) !== 95) continue;
    const prefix = name.slice(0, k);
    if (rules.orgSet.has(prefix)) return prefix;
  }
  return undefined;
}

/** Names no org owns and none may reference: the catalog's and schemac's own. */
export const RESERVED = /^(pg_|schemac_)/;

/** True when `name` is the owner's (its longest org prefix is the owner's, and it is not reserved). */
export function isOwnedName(name: string, rules: Rules): boolean {
  return !RESERVED.test(name) && orgOf(name, rules) === rules.owner;
}

/** True when a name may be referenced: the owner's or core's, not another org's, not reserved. */
export function isReferenceableName(name: string, rules: Rules): boolean {
  if (RESERVED.test(name)) return false;
  const org = orgOf(name, rules);
  return org === undefined || org === rules.owner;
}

/** The body of the updated_at trigger function schemac writes (between its dollar quotes). */
export const TRIGGER_BODY = /^\nBEGIN\n(?: {2}NEW\."(?:[^"\n]|"")+" := now\(\);\n)+ {2}RETURN NEW;\nEND;\n$/;

// ---------------------------------------------------------------------------
// Row-level security across a file: a down may turn it off only on a table it drops, or on
// one its up turned it on for (a hand-edited down must not leave a live table open).
// ---------------------------------------------------------------------------

/** An RlsEvent is one thing a section does to a table's row-level security, or to the table. */
interface RlsEvent {
  readonly what: 'on' | 'forced' | 'off' | 'unforced' | 'drop' | 'rename';
  readonly table: string;
  /** For a rename: the new name. */
  readonly to?: string;
  readonly statement: number;
}

const RLS_EVENTS: Readonly<Record<string, RlsEvent['what']>> = {
  AT_EnableRowSecurity: 'on', AT_ForceRowSecurity: 'forced', AT_DisableRowSecurity: 'off', AT_NoForceRowSecurity: 'unforced', drop: 'drop', rename: 'rename',
};

/** RlsFacts are what a section does to row-level security and to tables, in order, by statement index. */
export class RlsFacts {
  readonly events: RlsEvent[] = [];

  /** Records an ALTER TABLE subcommand (`AT_…`), a `drop` or a `rename` (to `to`) of `table` by statement `index`. */
  note(what: string, table: string, index: number, to?: string): void {
    const event = RLS_EVENTS[what];
    if (event !== undefined) this.events.push(to === undefined ? { what: event, table, statement: index } : { what: event, table, to, statement: index });
  }
}

/**
 * Where a down turns row-level security off on a table and leaves it so: the down neither
 * drops the table nor turns it back on later (following renames), and its up did not turn it
 * on. An up may turn it off: that is what a models change to `rls: false` writes, and whether
 * an org may make it is the models' rules' to say (the lint), not the SQL's.
 */
export function rlsWeakened(up: RlsFacts, down: RlsFacts): { section: 'down'; table: string; statement: number }[] {
  const out: { section: 'down'; table: string; statement: number }[] = [];
  down.events.forEach((e, i) => {
    if (e.what !== 'off' && e.what !== 'unforced') return;
    const back = e.what === 'off' ? 'on' : 'forced';
    if (restoredLater(down.events.slice(i + 1), e.table, back)) return;
    if (up.events.some((u) => u.what === back && u.table === e.table)) return;
    out.push({ section: 'down', table: e.table, statement: e.statement });
  });
  return out;
}

function restoredLater(events: readonly RlsEvent[], table: string, back: RlsEvent['what']): boolean {
  let name = table;
  for (const e of events) {
    if (e.table !== name) continue;
    if (e.what === 'drop' || e.what === back) return true;
    if (e.what === 'rename') name = e.to!;
  }
  return false;
}

// ---------------------------------------------------------------------------
// The lexer: one statement at a time, into arrays reused from statement to statement (a
// history of thousands of tables is read without building its tokens as objects).
// ---------------------------------------------------------------------------

const WORD = 1;
const IDENT = 2;
const STRING = 3;
const NUMBER = 4;
const PUNCT = 5;
/** `::`, as one punctuation token. */
const CAST = 0x3a3a;
const PUNCT_CHARS = new Set([...'(),[]=<>+-*/%^&|#@!~?:'].map((ch) => ch.charCodeAt(0)));

function isLetter(ch: number): boolean {
  return (ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || ch === 95;
}

function isDigit(ch: number): boolean {
  return ch >= 48 && ch <= 57;
}

/** Reads `sql` statement by statement; `next` answers whether one was read, or undefined at a token outside the lexicon. */
class Lexer {
  readonly sql: string;
  pos = 0;
  count = 0;
  kinds = new Uint8Array(256);
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  /** For PUNCT: the character (or CAST); for IDENT and STRING: 1 when a doubled quote must be undone. */
  extra = new Int32Array(256);

  constructor(sql: string) {
    this.sql = sql;
  }

  next(): boolean | undefined {
    this.count = 0;
    const sql = this.sql;
    const n = sql.length;
    let lastString = false;
    while (this.pos < n) {
      const at = this.pos;
      const ch = sql.charCodeAt(at);
      if (ch === 32 || ch === 10 || ch === 9 || ch === 13) { this.pos++; continue; }
      if (ch === 45 && sql.charCodeAt(at + 1) === 45) {
        const eol = sql.indexOf('\n', at);
        this.pos = eol < 0 ? n : eol + 1;
        continue;
      }
      if (ch === 59) {
        this.pos++;
        if (this.count > 0) return true;
        continue;
      }
      const kind = this.#token(at, ch);
      if (kind === undefined || (kind === STRING && lastString)) return undefined;
      lastString = kind === STRING;
    }
    return this.count > 0;
  }

  #push(kind: number, start: number, end: number, extra: number): number {
    if (this.count === this.kinds.length) {
      const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T) => { const b = make(a.length * 2); b.set(a); return b; };
      this.kinds = grow(this.kinds, (k) => new Uint8Array(k));
      this.starts = grow(this.starts, (k) => new Int32Array(k));
      this.ends = grow(this.ends, (k) => new Int32Array(k));
      this.extra = grow(this.extra, (k) => new Int32Array(k));
    }
    const i = this.count++;
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.extra[i] = extra;
    return kind;
  }

  #token(at: number, ch: number): number | undefined {
    const sql = this.sql;
    if (ch === 34 || ch === 39) return this.#quoted(at, ch);
    if (ch === 36) return this.#dollar(at);
    if (isLetter(ch)) {
      let j = at + 1;
      for (let c = sql.charCodeAt(j); isLetter(c) || isDigit(c) || c === 36; c = sql.charCodeAt(++j));
      // E'…', U&"…", x"…" and non-ASCII letters continue a word in PostgreSQL's lexer.
      const after = sql.charCodeAt(j);
      if (after === 39 || after === 34 || after === 38 || after > 127) return undefined;
      this.pos = j;
      return this.#push(WORD, at, j, 0);
    }
    if (isDigit(ch)) {
      let j = at + 1;
      while (isDigit(sql.charCodeAt(j))) j++;
      if (sql.charCodeAt(j) === 46 && isDigit(sql.charCodeAt(j + 1))) for (j += 2; isDigit(sql.charCodeAt(j)); j++);
      const after = sql.charCodeAt(j);
      if (isLetter(after) || after === 46 || after === 36 || after === 39 || after === 34 || after > 127) return undefined;
      this.pos = j;
      return this.#push(NUMBER, at, j, 0);
    }
    if (ch === 47 && sql.charCodeAt(at + 1) === 42) return undefined;
    if (ch === 58 && sql.charCodeAt(at + 1) === 58) {
      this.pos = at + 2;
      return this.#push(PUNCT, at, at + 2, CAST);
    }
    if (ch !== 46 && !PUNCT_CHARS.has(ch)) return undefined;
    this.pos = at + 1;
    return this.#push(PUNCT, at, at + 1, ch);
  }

  #quoted(at: number, quote: number): number | undefined {
    const sql = this.sql;
    const q = quote === 34 ? '"' : "'";
    let j = at + 1;
    let doubled = 0;
    for (;;) {
      const k = sql.indexOf(q, j);
      if (k < 0) return undefined;
      if (sql.charCodeAt(k + 1) === quote) {
        doubled = 1;
        j = k + 2;
        continue;
      }
      if (sql.slice(at + 1, k).includes('\\') || (quote === 34 && k === at + 1)) return undefined;
      this.pos = k + 1;
      return this.#push(quote === 34 ? IDENT : STRING, at + 1, k, doubled);
    }
  }

  #dollar(at: number): number | undefined {
    const sql = this.sql;
    let j = at + 1;
    if (isLetter(sql.charCodeAt(j))) for (j++; isLetter(sql.charCodeAt(j)) || isDigit(sql.charCodeAt(j)); j++);
    if (sql.charCodeAt(j) !== 36) return undefined;
    const tag = sql.slice(at, j + 1);
    const end = sql.indexOf(tag, j + 1);
    if (end < 0) return undefined;
    this.pos = end + tag.length;
    return this.#push(STRING, j + 1, end, 0);
  }
}

// ---------------------------------------------------------------------------
// The shapes.
// ---------------------------------------------------------------------------

/** A cursor over the lexer's current statement; every method returns false (or undefined) when the next tokens do not match. */
class Cursor {
  #i = 0;
  readonly #l: Lexer;

  constructor(lexer: Lexer) {
    this.#l = lexer;
  }

  get done(): boolean {
    return this.#i >= this.#l.count;
  }

  kind(offset = 0): number {
    const i = this.#i + offset;
    return i < this.#l.count ? this.#l.kinds[i] : 0;
  }

  /** The text of a token: a word lower-cased, a quoted identifier or string with its doubled quotes undone. */
  text(offset = 0): string {
    const l = this.#l;
    const i = this.#i + offset;
    const raw = l.sql.slice(l.starts[i], l.ends[i]);
    const kind = l.kinds[i];
    if (kind === WORD) return raw.toLowerCase();
    if (l.extra[i] === 1) return raw.replaceAll(kind === IDENT ? '""' : "''", kind === IDENT ? '"' : "'");
    return raw;
  }

  isPunct(p: string, offset = 0): boolean {
    const i = this.#i + offset;
    return i < this.#l.count && this.#l.kinds[i] === PUNCT && this.#l.extra[i] === (p === '::' ? CAST : p.charCodeAt(0));
  }

  #isWord(i: number, w: string): boolean {
    const l = this.#l;
    if (i >= l.count || l.kinds[i] !== WORD || l.ends[i] - l.starts[i] !== w.length) return false;
    for (let k = 0, at = l.starts[i]; k < w.length; k++) {
      let ch = l.sql.charCodeAt(at + k);
      if (ch >= 65 && ch <= 90) ch += 32;
      if (ch !== w.charCodeAt(k)) return false;
    }
    return true;
  }

  /** The bare words, in order. */
  words(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!this.#isWord(this.#i + k, words[k])) return false;
    this.#i += words.length;
    return true;
  }

  /** Optional bare words: taken when they all match. */
  maybe(...words: string[]): boolean {
    return this.words(...words);
  }

  punct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.#i++;
    return true;
  }

  /** An identifier, quoted or bare (bare ones must not be words with a meaning here). */
  name(): string | undefined {
    const kind = this.kind();
    if (kind !== IDENT && kind !== WORD) return undefined;
    const text = this.text();
    if (kind === WORD && KEYWORDS.has(text)) return undefined;
    this.#i++;
    return text;
  }

  string(): string | undefined {
    if (this.kind() !== STRING) return undefined;
    const text = this.text();
    this.#i++;
    return text;
  }

  skip(): true {
    this.#i++;
    return true;
  }
}

/** Words that are never taken for a bare name (a name spelled like one is quoted by schemac anyway). */
const KEYWORDS = new Set([
  'select', 'from', 'where', 'with', 'values', 'table', 'not', 'null', 'default', 'constraint', 'primary', 'unique',
  'check', 'references', 'on', 'using', 'is', 'and', 'or', 'collate', 'generated', 'foreign', 'key', 'as', 'returning',
]);

/** Words an expression may hold besides column names and the safe functions. */
const EXPRESSION_WORDS = new Set([
  'and', 'or', 'not', 'is', 'null', 'true', 'false', 'between', 'symmetric', 'like', 'ilike', 'similar', 'escape', 'case',
  'when', 'then', 'else', 'end', 'current_date', 'current_timestamp', 'localtimestamp', 'distinct', 'interval', 'at',
  'time', 'zone', 'with', 'without', 'in',
]);

/** Words that start a query or a statement: an expression holding one goes to the parser. */
const QUERY_WORDS = new Set(['select', 'values', 'table', 'from', 'lateral', 'exists', 'array', 'operator', 'row', 'any', 'all', 'some']);

/** Reserved words a parenthesis may follow without making a call (`IN ('a', 'b')`, `NOT (…)`); none can name a function. */
const BEFORE_PARENTHESIS = new Set(['and', 'or', 'not', 'in', 'between', 'case', 'when', 'then', 'else']);

const ACTIONS = [['cascade'], ['restrict'], ['set', 'null'], ['set', 'default'], ['no', 'action']];

/**
 * True when every statement of `sql` is one of the shapes below and touches only the
 * owner's objects; false when the parser must decide (it may still find the section clean).
 */
export function recognisedClean(sql: string, rules: Rules, safeFunctions: ReadonlySet<string>, facts: RlsFacts = new RlsFacts()): boolean {
  const lexer = new Lexer(sql);
  for (let index = 0; ; index++) {
    const read = lexer.next();
    if (read === undefined) return false;
    if (!read) return true;
    if (!recogniseStatement(new Cursor(lexer), rules, safeFunctions, facts, index)) return false;
  }
}

function recogniseStatement(c: Cursor, r: Rules, fns: ReadonlySet<string>, facts: RlsFacts, index: number): boolean {
  let last = '';
  const own = () => {
    const n = c.name();
    if (n !== undefined) last = n;
    return n !== undefined && isOwnedName(n, r);
  };
  switch (c.kind() === WORD ? c.text() : '') {
    case 'set': return c.words('set') && (timeoutSetting(c) || pinnedSetting(c)) && c.done;
    case 'comment': return comment(c, own);
    case 'drop': {
      const table = c.words('drop', 'table');
      if (table) return (c.maybe('if', 'exists') || true) && own() && c.done && (facts.note('drop', last, index), true);
      return drop(c, own);
    }
    case 'create': return create(c, r, fns, own);
    case 'alter': {
      if (!(c.words('alter', 'table') && own())) return false;
      const table = last;
      const rls = c.words('enable', 'row', 'level', 'security') ? 'AT_EnableRowSecurity' : c.words('force', 'row', 'level', 'security') ? 'AT_ForceRowSecurity'
        : c.words('disable', 'row', 'level', 'security') ? 'AT_DisableRowSecurity' : c.words('no', 'force', 'row', 'level', 'security') ? 'AT_NoForceRowSecurity' : undefined;
      if (rls !== undefined) return c.done && (facts.note(rls, table, index), true);
      return alterTable(c, r, fns, own) && c.done;
    }
    default: return false;
  }
}

/** `lock_timeout` or `statement_timeout` set to a string or a number. */
function timeoutSetting(c: Cursor): boolean {
  return (c.maybe('lock_timeout') || c.maybe('statement_timeout')) && (c.punct('=') || c.words('to'))
    && (c.string() !== undefined || (c.kind() === NUMBER && c.skip()));
}

/** One of the settings every migration file pins, to exactly its pinned value (`search_path`: the bare names, in order). */
function pinnedSetting(c: Cursor): boolean {
  for (const [name, value] of PINNED_SETTINGS) {
    if (!c.maybe(name)) continue;
    if (!(c.punct('=') || c.words('to'))) return false;
    if (name !== 'search_path') return c.string() === value;
    const parts = value.split(', ');
    return parts.every((part, i) => (i === 0 || c.punct(',')) && c.words(part));
  }
  return false;
}

function comment(c: Cursor, own: () => boolean): boolean {
  if (!c.words('comment', 'on')) return false;
  if (c.words('table')) return own() && c.words('is') && (c.string() !== undefined || c.words('null')) && c.done;
  return c.words('column') && own() && c.punct('.') && c.name() !== undefined && c.words('is') && (c.string() !== undefined || c.words('null')) && c.done;
}

function drop(c: Cursor, own: () => boolean): boolean {
  if (!c.words('drop')) return false;
  if (c.words('type')) return (c.maybe('if', 'exists') || true) && own() && c.done;
  if (c.words('index')) return (c.maybe('concurrently') || true) && (c.maybe('if', 'exists') || true) && own() && c.done;
  if (c.words('function')) return own() && c.punct('(') && c.punct(')') && c.done;
  if (c.words('trigger') || c.words('policy')) return c.name() !== undefined && c.words('on') && own() && c.done;
  return false;
}

function create(c: Cursor, r: Rules, fns: ReadonlySet<string>, own: () => boolean): boolean {
  if (c.words('create', 'table')) return own() && createTable(c, r, fns, own) && c.done;
  if (c.words('create', 'type')) return own() && c.words('as', 'enum') && list(c, () => c.string() !== undefined) && c.done;
  if (c.words('create', 'trigger')) {
    return own() && c.words('before', 'update', 'on') && own() && c.words('for', 'each', 'row', 'execute', 'function') && own()
      && c.punct('(') && c.punct(')') && c.done;
  }
  if (c.words('create', 'or', 'replace', 'function')) {
    return own() && c.punct('(') && c.punct(')') && c.words('returns', 'trigger', 'language', 'plpgsql', 'as')
      && TRIGGER_BODY.test(c.string() ?? '') && c.done;
  }
  if (c.words('create', 'policy')) {
    return own() && c.words('on') && own() && c.words('using') && tenantPredicate(c) && c.words('with', 'check') && tenantPredicate(c) && c.done;
  }
  if (!c.words('create')) return false;
  c.maybe('unique');
  if (!c.words('index')) return false;
  c.maybe('concurrently');
  c.maybe('if', 'not', 'exists');
  if (!(own() && c.words('on') && own())) return false;
  if (c.words('using') && c.name() === undefined) return false;
  if (!list(c, () => c.name() !== undefined)) return false;
  return (!c.words('where') || expression(c, r, fns, [])) && c.done;
}

/** `( item, item … )`. */
function list(c: Cursor, item: () => boolean): boolean {
  if (!c.punct('(')) return false;
  do if (!item()) return false; while (c.punct(','));
  return c.punct(')');
}

function createTable(c: Cursor, r: Rules, fns: ReadonlySet<string>, own: () => boolean): boolean {
  return list(c, () => {
    if (c.words('constraint')) {
      if (!own()) return false;
      if (c.words('primary', 'key') || c.words('unique')) return list(c, () => c.name() !== undefined);
      if (c.kind() === WORD && c.text() === 'foreign') return foreignKey(c, r);
      return c.words('check') && c.punct('(') && expression(c, r, fns, [')']) && c.punct(')');
    }
    return column(c, r, fns);
  });
}

/** `"name" type [NOT NULL] [DEFAULT expr]`, as `columnSql` writes it. */
function column(c: Cursor, r: Rules, fns: ReadonlySet<string>): boolean {
  if (c.name() === undefined || !type(c, r)) return false;
  c.maybe('not', 'null');
  return !c.words('default') || expression(c, r, fns, [',', ')']);
}

/** A type: built-in words (`double precision`, `varchar(50)`) or a quoted enum, with `[]` suffixes. */
function type(c: Cursor, r: Rules): boolean {
  if (c.kind() === IDENT) {
    if (!isReferenceableName(c.text(), r)) return false;
    c.skip();
  } else {
    const multi = MULTI_WORD_TYPES.find((words) => c.maybe(...words));
    if (multi === undefined) {
      if (c.kind() !== WORD || KEYWORDS.has(c.text()) || !isReferenceableName(c.text(), r)) return false;
      c.skip();
    }
    if (c.punct('(') && !(c.kind() === NUMBER && c.skip() && (!c.punct(',') || (c.kind() === NUMBER && c.skip())) && c.punct(')'))) return false;
  }
  while (c.punct('[')) if (!c.punct(']')) return false;
  return true;
}

/** `FOREIGN KEY (cols) REFERENCES table (cols) [ON DELETE action] [ON UPDATE action]`, to a table the org may reference. */
function foreignKey(c: Cursor, r: Rules): boolean {
  if (!c.words('foreign', 'key') || !list(c, () => c.name() !== undefined) || !c.words('references')) return false;
  const target = c.name();
  if (target === undefined || !isReferenceableName(target, r) || !list(c, () => c.name() !== undefined)) return false;
  for (const event of ['delete', 'update']) if (c.words('on', event) && !ACTIONS.some((a) => c.words(...a))) return false;
  return true;
}

/** The built-in type names of more than one word. */
const MULTI_WORD_TYPES: readonly string[][] = [
  ['double', 'precision'], ['character', 'varying'], ['bit', 'varying'], ['timestamp', 'with', 'time', 'zone'],
  ['timestamp', 'without', 'time', 'zone'], ['time', 'with', 'time', 'zone'], ['time', 'without', 'time', 'zone'],
];

function alterTable(c: Cursor, r: Rules, fns: ReadonlySet<string>, own: () => boolean): boolean {
  if (c.words('add', 'constraint')) {
    if (!own() || !foreignKey(c, r)) return false;
    c.maybe('not', 'valid');
    return true;
  }
  if (c.words('drop', 'constraint')) return (c.maybe('if', 'exists') || true) && own();
  if (c.words('validate', 'constraint')) return own();
  if (c.words('add', 'column')) return column(c, r, fns);
  if (c.words('alter', 'column')) return c.name() !== undefined && alterColumn(c, r, fns);
  return c.words('drop', 'column') && c.name() !== undefined;
}

/**
 * What schemac's plans do to a column: `TYPE t [USING "col"::t[::t]]`, `SET DEFAULT expr`,
 * `DROP DEFAULT`, `SET NOT NULL`, `DROP NOT NULL`. Any other form (a COLLATE, another USING)
 * is left to the parser.
 */
function alterColumn(c: Cursor, r: Rules, fns: ReadonlySet<string>): boolean {
  if (c.words('type')) {
    if (!type(c, r)) return false;
    if (!c.words('using')) return true;
    // A quoted column, as schemac writes it: a bare word may be `current_user` and its kind.
    if (c.kind() !== IDENT || !c.skip() || !c.punct('::') || !type(c, r)) return false;
    while (c.punct('::')) if (!type(c, r)) return false;
    return true;
  }
  if (c.words('set', 'default')) return expression(c, r, fns, []);
  return c.words('drop', 'default') || c.words('set', 'not', 'null') || c.words('drop', 'not', 'null');
}

const TENANT: readonly (readonly [number, string])[] = [
  [PUNCT, '('], [IDENT, 'client_id'], [PUNCT, '='], [WORD, 'nullif'], [PUNCT, '('], [WORD, 'current_setting'], [PUNCT, '('],
  [STRING, 'app.client_id'], [PUNCT, ','], [WORD, 'true'], [PUNCT, ')'], [PUNCT, ','], [STRING, ''], [PUNCT, ')'], [PUNCT, '::'],
  [WORD, 'uuid'], [PUNCT, ')'],
];

/** `("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid)`, token for token. */
function tenantPredicate(c: Cursor): boolean {
  for (const [kind, text] of TENANT) {
    if (kind === PUNCT ? !c.punct(text) : c.kind() !== kind || c.text() !== text || !c.skip()) return false;
  }
  return true;
}

/**
 * An expression (a default, a check, an index predicate) up to one of `stop` at depth 0: its
 * names are no other org's and not reserved, its calls are safe functions, and it holds no
 * query (no SELECT, VALUES, TABLE, FROM…) and no qualified name.
 */
function expression(c: Cursor, r: Rules, fns: ReadonlySet<string>, stop: readonly string[]): boolean {
  let depth = 0;
  let empty = true;
  for (;;) {
    const kind = c.kind();
    if (kind === 0) return !empty && depth === 0;
    if (kind === PUNCT && depth === 0 && stop.some((p) => c.isPunct(p))) return !empty;
    empty = false;
    if (kind === PUNCT) {
      if (c.isPunct('.')) return false;
      if (c.isPunct('(')) depth++;
      if (c.isPunct(')') && --depth < 0) return false;
      c.skip();
      continue;
    }
    const text = kind === WORD || kind === IDENT ? c.text() : '';
    c.skip();
    if (kind === IDENT && !isReferenceableName(text, r)) return false;
    if (kind !== WORD) continue;
    if (c.isPunct('(') && !BEFORE_PARENTHESIS.has(text)) {
      if (!fns.has(text)) return false;
      continue;
    }
    if (QUERY_WORDS.has(text) || (!EXPRESSION_WORDS.has(text) && !isReferenceableName(text, r))) return false;
  }
}
