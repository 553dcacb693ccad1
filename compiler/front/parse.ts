/**
 * Stage 2: parse a models.yaml (or the config) into a YAML document with node ranges.
 * Hostile input is refused with diagnostics before it can hurt: binary files, deep
 * nesting, anchors and aliases (no alias bombs), duplicate keys, custom tags.
 */
import type { Document, Node as YamlNode, ParsedNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { error } from '../diagnostics.ts';
import type { Span } from '../ir.ts';
import { parseFast } from './fast-yaml.ts';
import { isAlias, isCollection, isMap, isPair, isScalar, loadYaml } from './yaml-nodes.ts';

/** The deepest nesting of YAML collections a schema file may use. */
export const MAX_DEPTH = 64;

/** The largest schema file accepted, in bytes. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** A YamlDocument is what later stages read of a parsed file: its top node (with ranges) and its plain value. */
export interface YamlDocument {
  readonly contents: YamlNode | null;
  toJS(options?: { maxAliasCount?: number }): unknown;
}

/** A ParsedDocument is a YAML document whose top level is a map, ready for validation. */
export interface ParsedDocument {
  readonly file: string;
  readonly doc: YamlDocument;
}

/** The result of decoding a file's bytes: its text, or why it is not text. */
export type Decoded = { readonly text: string } | { readonly problem: string };

/** Decodes a schema file's bytes as UTF-8 text, refusing binary and oversized files. */
export function decodeSource(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_FILE_BYTES) return { problem: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` };
  if (bytes.includes(0)) return { problem: 'file is binary (it contains NUL bytes), not YAML' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: 'file is not valid UTF-8 text' };
  }
}

/** A span covering [start, end) of `file`. */
export function spanOf(file: string, start: number, end: number): Span {
  return { file, start, end: Math.max(start, end) };
}

/**
 * The span of a YAML node (its value range, without trailing comments): from `nodeStart`
 * to `nodeEnd`.
 */
export function nodeSpan(file: string, node: YamlNode | null | undefined): Span {
  return spanOf(file, nodeStart(node), nodeEnd(node));
}

/**
 * Where a YAML node starts (0 for no node). The fast path's nodes hold their offsets as
 * numbers (`start`, `end`), read without making `range`.
 */
export function nodeStart(node: YamlNode | null | undefined): number {
  const fast = node as { start?: number } | null | undefined;
  if (typeof fast?.start === 'number') return fast.start;
  return (node as ParsedNode | null | undefined)?.range?.[0] ?? 0;
}

/** Where a YAML node's value ends, never before it starts (0 for no node). */
export function nodeEnd(node: YamlNode | null | undefined): number {
  const fast = node as { start?: number; end?: number } | null | undefined;
  const end = typeof fast?.start === 'number' ? fast.end! : ((node as ParsedNode | null | undefined)?.range?.[1] ?? 0);
  return Math.max(nodeStart(node), end);
}

/**
 * Parses one YAML text into a document whose top level is a map; `what` names it in
 * messages. The usual shapes take the fast path (`fast-yaml.ts`, same nodes and ranges);
 * everything else, and every problem, goes through the full parser (loaded then).
 */
export function parseYaml(file: string, text: string, what = 'a models file'): { doc?: ParsedDocument; diagnostics: Diagnostic[] } {
  if (text.trim() === '') return { diagnostics: [error('empty-file', spanOf(file, 0, 0), `the file is empty; expected ${what}`, emptyHint(what))] };
  const fast = parseFast(text);
  if (fast !== undefined) return { doc: { file, doc: fast }, diagnostics: [] };
  const deep = scanFlowDepth(text);
  if (deep !== undefined) return { diagnostics: [tooDeep(spanOf(file, deep, deep + 1))] };
  let doc: Document.Parsed;
  try {
    doc = loadYaml().parseDocument(text, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false, strict: true, version: '1.2', schema: 'core' });
  } catch (e) {
    if (e instanceof RangeError) return { diagnostics: [tooDeep(spanOf(file, 0, 0))] };
    return { diagnostics: [error('yaml-syntax', spanOf(file, 0, 0), `the YAML could not be parsed: ${(e as Error).message}`)] };
  }
  const syntax = [...doc.errors, ...doc.warnings].map((e) => yamlError(file, e.code, e.message, e.pos));
  if (doc.errors.length > 0) return { diagnostics: dedupe(syntax) };
  const shape = checkTree(file, doc.contents);
  if (syntax.length + shape.length > 0) return { diagnostics: dedupe([...syntax, ...shape]) };
  if (doc.contents === null) return { diagnostics: [error('empty-file', spanOf(file, 0, 0), `the file has no content; expected ${what}`, emptyHint(what))] };
  if (!isMap(doc.contents)) {
    const span = doc.contents === null ? spanOf(file, 0, 0) : nodeSpan(file, doc.contents);
    return { diagnostics: [error('not-a-map', span, `the top level must be a map; expected ${what}`, emptyHint(what))] };
  }
  return { doc: { file, doc }, diagnostics: [] };
}

function emptyHint(what: string): string | undefined {
  return what === 'a models file' ? 'a models.yaml starts with `tables:`' : undefined;
}

function tooDeep(span: Span): Diagnostic {
  return error('yaml-depth', span, `the YAML is nested deeper than ${MAX_DEPTH} levels`, 'a schema file never needs deep nesting; check for a generated or corrupted file');
}

function yamlError(file: string, code: string, message: string, pos: [number, number]): Diagnostic {
  const span = spanOf(file, pos[0], pos[1]);
  if (code === 'DUPLICATE_KEY') return error('duplicate-key', span, 'duplicate key: a key may appear only once in a map', 'remove or rename one of the two keys');
  if (code === 'RESOURCE_EXHAUSTION') return tooDeep(span);
  if (code === 'MULTIPLE_DOCS') return error('yaml-syntax', span, 'the file holds more than one YAML document', 'remove the `---` separator and merge the documents');
  if (code === 'TAG_RESOLVE_FAILED') return error('yaml-tag', span, `${message}; schema files use plain YAML without tags`);
  return error('yaml-syntax', span, `YAML syntax error: ${message}`);
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = d.code === 'yaml-depth' ? d.code : `${d.code}:${d.span.start}`;
    return seen.has(key) ? false : (seen.add(key), true);
  }).slice(0, 20);
}

/** Nesting the parser is never asked to follow: far above MAX_DEPTH, far below its stack limit. */
const SCAN_LIMIT = 256;

/**
 * Finds where the text nests deeper than the parser can safely follow, by one linear scan:
 * open flow brackets (`[`, `{`, outside quotes and comments) plus, at each line start, the
 * indentation and leading `- `/`? ` indicators. Returns that offset, or undefined.
 */
function scanFlowDepth(text: string): number | undefined {
  let depth = 0;
  let quote = '';
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    if (lineStart) {
      lineStart = false;
      const block = / *(?:[-?:] +)*/y;
      block.lastIndex = i;
      const m = block.exec(text);
      if (m && depth + blockLevels(m[0]) > SCAN_LIMIT) return i;
    }
    const c = text[i];
    if (c === '\n') lineStart = true;
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote || c === '\n') quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > SCAN_LIMIT) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** Indentation columns plus block indicators at a line start: an upper bound of its block nesting. */
function blockLevels(prefix: string): number {
  let n = 0;
  for (const c of prefix) if (c === ' ' || c === '-' || c === '?' || c === ':') n += c === ' ' ? 0.5 : 1;
  return n;
}

/** Walks the tree without recursion: refuses depth over MAX_DEPTH, anchors, aliases, tags and non-scalar keys. */
function checkTree(file: string, root: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const counts = new Map<string, number>();
  const stack: Array<{ node: unknown; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || node === undefined) continue;
    if (depth > MAX_DEPTH) return [tooDeep(nodeSpan(file, node as YamlNode))];
    for (const d of nodeProblems(file, node)) {
      const seen = counts.get(d.message) ?? 0;
      counts.set(d.message, seen + 1);
      if (seen === 0) out.push(d);
    }
    if (isCollection(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          if (item.key !== null && !isScalar(item.key)) out.push(error('yaml-key', nodeSpan(file, item.key as YamlNode), 'map keys must be plain strings'));
          stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  out.sort((a, b) => a.span.start - b.span.start);
  return out.map((d) => ((counts.get(d.message) ?? 1) > 1 ? { ...d, message: `${d.message} (${counts.get(d.message)} places in this file)` } : d));
}

function nodeProblems(file: string, node: unknown): Diagnostic[] {
  const span = nodeSpan(file, node as YamlNode);
  if (isAlias(node)) return [error('yaml-alias', span, 'YAML aliases (`*name`) are not allowed in schema files', 'write the value out in full')];
  const n = node as { anchor?: string; tag?: string };
  if (n.anchor) return [error('yaml-alias', span, 'YAML anchors (`&name`) are not allowed in schema files', 'remove the anchor and write values out in full')];
  if (n.tag?.startsWith('tag:yaml.org,2002:') && n.tag !== 'tag:yaml.org,2002:str') {
    return [error('yaml-tag', span, `the YAML tag ${n.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed in schema files`, 'write a plain value')];
  }
  if (isScalar(node) && typeof node.value === 'string' && node.value.includes('\0')) {
    return [error('invalid-character', span, 'a string may not contain the NUL character (PostgreSQL cannot store it)')];
  }
  return [];
}
