/**
 * A fast path for the YAML models files are written in: block maps and lists, one-line
 * flow maps and lists, plain and simply quoted scalars, comments. It builds the nodes the
 * `yaml` package would (same kinds, values and ranges) plus the document's plain value, or
 * gives up (undefined) on anything outside that subset, so that the full parser handles
 * it and reports every error with its exact position.
 */
import type { Scalar, YAMLMap } from 'yaml';
import { MAP, PAIR, SCALAR, SEQ, taggedPrototype } from './yaml-nodes.ts';

/** A FastDocument is a file parsed by the fast path: its top-level map, and its plain value on demand. */
export interface FastDocument {
  readonly contents: YAMLMap;
  toJS(): Record<string, unknown>;
}

/** Where the fast path stops: nested deeper than this (block and flow), the full parser decides. */
const MAX_FAST_DEPTH = 32;

/** Characters the subset never contains: tabs, CR, control characters, BOM, odd line breaks. */
const UNSAFE = /[\t\r\0-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]/;
const NULL_WORD = /^(?:~|null|Null|NULL)$/;
const BOOL_WORD = /^(?:true|True|TRUE|false|False|FALSE)$/;
const SIMPLE_INT = /^(?:0|-?[1-9][0-9]{0,14})$/;
const SIMPLE_FLOAT = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** Every other text the core schema reads as a number (ints, octal, hex, floats, exponents, .inf, .nan). */
const NUMBER_LIKE = /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

/** Thrown (as this one object) when the text leaves the subset. */
const GIVE_UP = { giveUp: true };

/** The `yaml` package's kind tags, on the prototype so that a node needs no per-instance property (and the package is not loaded). */
const SCALAR_PROTO = taggedPrototype(SCALAR);
const MAP_PROTO = taggedPrototype(MAP);
const SEQ_PROTO = taggedPrototype(SEQ);
const PAIR_PROTO = taggedPrototype(PAIR);

/** The scalar styles of the fast path, as the `yaml` package names them. */
const PLAIN: Scalar.Type = 'PLAIN';
const QUOTE_DOUBLE: Scalar.Type = 'QUOTE_DOUBLE';
const QUOTE_SINGLE: Scalar.Type = 'QUOTE_SINGLE';

type Range = [number, number, number];

/*
 * A node keeps its offsets as numbers (its start, the end of its value, its end with the
 * space and comment that follow) and makes the `yaml` package's `range` array on demand:
 * most nodes are read for their values only.
 */
class FastScalar {
  constructor(public value: unknown, public start: number, public end: number, public nodeEnd: number, public type: string) {}
  get range(): Range {
    return [this.start, this.end, this.nodeEnd];
  }
}
class FastMap {
  constructor(public items: FastPair[], public start: number, public end: number, public nodeEnd: number, public flow?: boolean) {}
  get range(): Range {
    return [this.start, this.end, this.nodeEnd];
  }
}
class FastSeq {
  constructor(public items: FastNode[], public start: number, public end: number, public nodeEnd: number, public flow?: boolean) {}
  get range(): Range {
    return [this.start, this.end, this.nodeEnd];
  }
}
class FastPair {
  constructor(public key: FastScalar, public value: FastNode) {}
}
Object.setPrototypeOf(FastScalar.prototype, SCALAR_PROTO);
Object.setPrototypeOf(FastMap.prototype, MAP_PROTO);
Object.setPrototypeOf(FastSeq.prototype, SEQ_PROTO);
Object.setPrototypeOf(FastPair.prototype, PAIR_PROTO);

type FastNode = FastScalar | FastMap | FastSeq;

/**
 * The scanner's state: the text, the position, the nesting, and the items of the
 * collections being read (`stack` up to `top`), each collection's copied out when it ends
 * so that every `items` array has its exact size.
 */
interface State {
  readonly text: string;
  pos: number;
  depth: number;
  readonly stack: Array<FastPair | FastNode>;
  top: number;
}

/** A ContentLine is the next line with content after blank and comment lines. */
interface ContentLine {
  /** Offset of the line's start; the text's length at the end. */
  readonly start: number;
  /** Its indentation; -1 at the end of the text. */
  readonly indent: number;
  /** The deepest indentation of the comment lines skipped to reach it; -1 when there were none. */
  readonly commentIndent: number;
}

/** Parses a models file by the fast path; undefined when the text is outside the subset (the caller uses the full parser). */
export function parseFast(text: string): FastDocument | undefined {
  if (UNSAFE.test(text)) return undefined;
  const s: State = { text, pos: 0, depth: 0, stack: [], top: 0 };
  try {
    const first = nextContent(s, 0);
    if (first.indent !== 0) return undefined;
    s.pos = first.start;
    const root = blockMap(s, 0);
    if (nextContent(s, s.pos).indent !== -1) return undefined;
    return { contents: root as unknown as YAMLMap, toJS: () => plain(root) as Record<string, unknown> };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

/** Skips blank and comment lines from the line starting at `from`. */
function nextContent(s: State, from: number): ContentLine {
  const { text } = s;
  let start = from;
  let commentIndent = -1;
  while (start < text.length) {
    let i = start;
    while (text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    if (i < text.length && c !== 10 && c !== 35) return { start, indent: i - start, commentIndent };
    if (c === 35) commentIndent = Math.max(commentIndent, i - start);
    const nl = text.indexOf('\n', i);
    start = nl === -1 ? text.length : nl + 1;
  }
  return { start: text.length, indent: -1, commentIndent };
}

/** A block map whose first key is at `s.pos`, in column `indent`. */
function blockMap(s: State, indent: number): FastMap {
  if (++s.depth > MAX_FAST_DEPTH) giveUp();
  const mark = s.top;
  let keys: Set<string> | undefined;
  const start = s.pos;
  for (;;) {
    const key = blockKey(s);
    keys = refuseDuplicate(s, mark, key.value as string, keys);
    const value = blockValue(s, indent);
    pushItem(s, new FastPair(key, value));
    const next = nextContent(s, s.pos);
    if (next.indent === indent) {
      s.pos = next.start + indent;
      continue;
    }
    if (next.indent > indent) giveUp();
    s.depth--;
    return new FastMap(popItems(s, mark), start, value.nodeEnd, blockEnd(value.nodeEnd, indent, next));
  }
}

/**
 * The node end of a block collection whose last item ends at `end`, before `next`: it also
 * covers the blank and comment lines that follow when one of those comments is indented at
 * least as deep as the collection (so never for a collection in column 0).
 */
function blockEnd(end: number, indent: number, next: ContentLine): number {
  const absorbs = next.commentIndent >= indent && indent > 0;
  return absorbs ? Math.max(end, next.start + Math.max(next.indent, 0)) : end;
}

/** A `key:` of a block map; leaves `s.pos` after the colon. */
function blockKey(s: State): FastScalar {
  const key = plainKey(s);
  if (s.text.charCodeAt(s.pos) !== 58) giveUp();
  s.pos++;
  return key;
}

function plainKey(s: State): FastScalar {
  const end = keyEnd(s.text, s.pos);
  if (end === s.pos) giveUp();
  const name = s.text.slice(s.pos, end);
  if (isReservedKey(name)) giveUp();
  const key = new FastScalar(name, s.pos, end, end, PLAIN);
  s.pos = end;
  return key;
}

/** The end of the key (`[A-Za-z_][A-Za-z0-9_-]*`) that starts at `at`; `at` itself when none does. */
function keyEnd(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (!(isLetter(c) || c === 95)) return at;
  let i = at + 1;
  for (let d = text.charCodeAt(i); isLetter(d) || isDigit(d) || d === 95 || d === 45; d = text.charCodeAt(++i));
  return i;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Keys the core schema reads as null or a boolean, and `__proto__`: the full parser decides. */
function isReservedKey(name: string): boolean {
  const c = name[0];
  if (c === 'n' || c === 'N' || c === 't' || c === 'T' || c === 'f' || c === 'F') return NULL_WORD.test(name) || BOOL_WORD.test(name);
  return name === '__proto__';
}

/**
 * Gives up when `name` is already a key of the map whose pairs are on the stack from
 * `mark`. Most maps have a few keys, scanned; past SMALL_MAP keys they go to a set,
 * returned to be passed back with the next key.
 */
function refuseDuplicate(s: State, mark: number, name: string, index: Set<string> | undefined): Set<string> | undefined {
  if (index === undefined) {
    for (let i = mark; i < s.top; i++) if ((s.stack[i] as FastPair).key.value === name) giveUp();
    if (s.top - mark < SMALL_MAP) return undefined;
    index = new Set();
    for (let i = mark; i < s.top; i++) index.add((s.stack[i] as FastPair).key.value as string);
  } else if (index.has(name)) giveUp();
  index.add(name);
  return index;
}

/** How many keys of a map the duplicate check scans before it uses a set. */
const SMALL_MAP = 16;

/** Puts an item of the collection being read on the stack. */
function pushItem(s: State, item: FastPair | FastNode): void {
  s.stack[s.top++] = item;
}

/** The items put on the stack from `mark`, taken off it into an array of their own. */
function popItems<T extends FastPair | FastNode>(s: State, mark: number): T[] {
  const items = s.stack.slice(mark, s.top) as T[];
  s.top = mark;
  return items;
}

/** The value after a block map's `key:`: on the same line, or a nested block on the next lines. */
function blockValue(s: State, indent: number): FastNode {
  const { text } = s;
  const c = text.charCodeAt(s.pos);
  if (c === 32) {
    while (text.charCodeAt(s.pos) === 32) s.pos++;
    const d = text.charCodeAt(s.pos);
    if (s.pos < text.length && d !== 10 && d !== 35) return inlineValue(s);
  } else if (s.pos < text.length && c !== 10) giveUp();
  const nl = text.indexOf('\n', s.pos);
  if (nl === -1) giveUp();
  const next = nextContent(s, nl + 1);
  const dash = isDash(text, next.start + next.indent);
  if (next.indent < indent || (next.indent === indent && !dash)) giveUp();
  s.pos = next.start + next.indent;
  return dash ? blockSeq(s, next.indent) : blockMap(s, next.indent);
}

function isDash(text: string, at: number): boolean {
  return text.charCodeAt(at) === 45 && text.charCodeAt(at + 1) === 32;
}

/** A block list whose first `- ` is at `s.pos`, in column `indent`. */
function blockSeq(s: State, indent: number): FastSeq {
  if (++s.depth > MAX_FAST_DEPTH) giveUp();
  const { text } = s;
  const mark = s.top;
  const start = s.pos;
  for (;;) {
    s.pos += 2;
    while (text.charCodeAt(s.pos) === 32) s.pos++;
    const c = text.charCodeAt(s.pos);
    if (s.pos >= text.length || c === 10 || c === 35) giveUp();
    const item = startsKey(s) ? blockMap(s, s.pos - lineStart(text, s.pos)) : inlineValue(s);
    pushItem(s, item);
    const next = nextContent(s, s.pos);
    if (next.indent === indent && isDash(text, next.start + indent)) {
      s.pos = next.start + indent;
      continue;
    }
    if (next.indent > indent) giveUp();
    s.depth--;
    return new FastSeq(popItems(s, mark), start, item.nodeEnd, blockEnd(item.nodeEnd, indent, next));
  }
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** True when a key and `: ` (or `:` at the end of the line) start at `s.pos`. */
function startsKey(s: State): boolean {
  const after = keyEnd(s.text, s.pos);
  if (after === s.pos || s.text.charCodeAt(after) !== 58) return false;
  const c = s.text.charCodeAt(after + 1);
  return c === 32 || c === 10 || after + 1 >= s.text.length;
}

/** A scalar or flow collection that ends its line (a comment may follow); its range ends after the line break. */
function inlineValue(s: State): FastNode {
  const { text } = s;
  const c = text.charCodeAt(s.pos);
  let node: FastNode;
  if (c === 91 || c === 123) node = flowCollection(s);
  else if (c === 34 || c === 39) node = quoted(s);
  else return blockPlain(s);
  let i = s.pos;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) === 35 && i > s.pos) i = lineEnd(text, i);
  else if (i < text.length && text.charCodeAt(i) !== 10) giveUp();
  s.pos = i < text.length ? i + 1 : i;
  node.nodeEnd = s.pos;
  return node;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

/** A plain scalar in block context: up to the end of the line or a ` #` comment. */
function blockPlain(s: State): FastScalar {
  const { text } = s;
  const start = s.pos;
  startsPlain(text, start);
  let end = start;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (c === 10 || (c === 35 && text.charCodeAt(end - 1) === 32)) break;
    if (c === 58) giveUp();
  }
  const eol = lineEnd(text, end);
  while (text.charCodeAt(end - 1) === 32) end--;
  s.pos = eol < text.length ? eol + 1 : eol;
  return new FastScalar(resolvePlain(text.slice(start, end)), start, end, s.pos, PLAIN);
}

/** Refuses what a plain scalar may not start with, or what makes it something else (anchors, tags, block scalars…). */
function startsPlain(text: string, at: number): void {
  const c = text[at];
  if ('-?:,[]{}#&*!|>\'"%@`'.includes(c) && !(c === '-' && /[0-9]/.test(text[at + 1] ?? ''))) giveUp();
}

/** The value of a plain scalar under YAML 1.2's core schema; gives up on anything but plain strings, null, booleans and simple numbers. */
function resolvePlain(raw: string): unknown {
  if (NULL_WORD.test(raw)) return null;
  if (BOOL_WORD.test(raw)) return raw[0] === 't' || raw[0] === 'T';
  const c = raw.charCodeAt(0);
  if (c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57)) {
    if (SIMPLE_INT.test(raw) || SIMPLE_FLOAT.test(raw)) return Number(raw);
    if (NUMBER_LIKE.test(raw)) giveUp();
  }
  return raw;
}

/** A one-line quoted scalar without escapes; `''` in single quotes is a quote. */
function quoted(s: State): FastScalar {
  const { text } = s;
  const q = text[s.pos];
  const start = s.pos;
  let i = start + 1;
  let value = '';
  for (;;) {
    const close = text.indexOf(q, i);
    const nl = text.indexOf('\n', i);
    if (close === -1 || (nl !== -1 && nl < close)) giveUp();
    const part = text.slice(i, close);
    if (q === '"' && part.includes('\\')) giveUp();
    value += part;
    if (q === "'" && text[close + 1] === "'") {
      value += "'";
      i = close + 2;
      continue;
    }
    s.pos = close + 1;
    return new FastScalar(value, start, s.pos, s.pos, q === '"' ? QUOTE_DOUBLE : QUOTE_SINGLE);
  }
}

/** A one-line flow list or map at `s.pos`; leaves `s.pos` after its closing bracket. */
function flowCollection(s: State): FastMap | FastSeq {
  if (++s.depth > MAX_FAST_DEPTH) giveUp();
  const { text } = s;
  const map = text.charCodeAt(s.pos) === 123;
  const close = map ? 125 : 93;
  const start = s.pos++;
  const mark = s.top;
  let keys: Set<string> | undefined;
  skipSpaces(s);
  if (text.charCodeAt(s.pos) !== close) {
    for (;;) {
      if (map) {
        const key = plainKey(s);
        keys = refuseDuplicate(s, mark, key.value as string, keys);
        if (text.charCodeAt(s.pos) !== 58 || text.charCodeAt(s.pos + 1) !== 32) giveUp();
        s.pos += 2;
        skipSpaces(s);
        pushItem(s, new FastPair(key, flowItem(s)));
      } else pushItem(s, flowItem(s));
      const c = text.charCodeAt(s.pos);
      if (c === close) break;
      if (c !== 44) giveUp();
      s.pos++;
      skipSpaces(s);
      if (text.charCodeAt(s.pos) === close) giveUp();
    }
  }
  s.pos++;
  s.depth--;
  return map ? new FastMap(popItems(s, mark), start, s.pos, s.pos, true) : new FastSeq(popItems(s, mark), start, s.pos, s.pos, true);
}

function skipSpaces(s: State): void {
  while (s.text.charCodeAt(s.pos) === 32) s.pos++;
}

/** An item of a flow collection; its range ends after the spaces that follow it. */
function flowItem(s: State): FastNode {
  const { text } = s;
  const c = text.charCodeAt(s.pos);
  const node = c === 91 || c === 123 ? flowCollection(s) : c === 34 || c === 39 ? quoted(s) : flowPlain(s);
  skipSpaces(s);
  node.nodeEnd = s.pos;
  return node;
}

/** A plain scalar in flow context: up to `,`, `]` or `}`. */
function flowPlain(s: State): FastScalar {
  const { text } = s;
  const start = s.pos;
  startsPlain(text, start);
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 93 || c === 125) break;
    if (c === 10 || c === 58 || c === 91 || c === 123 || (c === 35 && text.charCodeAt(i - 1) === 32)) giveUp();
  }
  let end = i;
  while (text.charCodeAt(end - 1) === 32) end--;
  if (end === start) giveUp();
  s.pos = end;
  return new FastScalar(resolvePlain(text.slice(start, end)), start, end, end, PLAIN);
}

/** The plain value of a node, as `toJS` would give it. */
function plain(node: FastNode): unknown {
  if (node instanceof FastScalar) return node.value;
  if (node instanceof FastSeq) return node.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const p of node.items) out[p.key.value as string] = plain(p.value);
  return out;
}
