/**
 * Loads `schemac.config.yaml` (optional): parse, validate against
 * `schemas/config.schema.json`, apply the defaults of SPEC §2. A bad config yields
 * diagnostics pointing into the config file and no Config (the command exits 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Node as YamlNode } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { error, warning } from '../diagnostics.ts';
import type { YamlDocument } from '../front/index.ts';
import { decodeSource, isMap, isScalar, isSeq, nodeAt, nodeSpan, parseYaml, schemaDiagnostics, spanOf } from '../front/index.ts';
import type { Config } from '../ir.ts';
import { CONFIG_FILE_NAMES, DEFAULT_CONFIG } from '../ir.ts';
import { LOCKED_RULES, RULE_IDS } from '../lint/index.ts';
import { closest, toPosix, workspaceRoot } from '../shared/index.ts';

/** The result of loading a config: the Config when valid, the config file's text, diagnostics. */
export interface ConfigResult {
  readonly config?: Config;
  /** Workspace-relative path and text of the config file, when one was read. */
  readonly source?: { readonly path: string; readonly text: string };
  readonly diagnostics: Diagnostic[];
}

/** Finds, reads and validates the workspace config; defaults when there is none. */
export function loadConfig(cwd: string, configPath?: string): ConfigResult {
  if (!isDirectory(cwd)) return { diagnostics: [error('workspace-not-found', spanOf(cwd, 0, 0), 'the workspace folder does not exist', 'check --cwd')] };
  const root = configPath ? path.dirname(configPath) : cwd;
  // Every command's workspace: a cache folder inside it is not used (shared/cache-guard.ts).
  workspaceRoot(root);
  const file = configPath ?? CONFIG_FILE_NAMES.map((n) => path.join(cwd, n)).find((p) => fs.existsSync(p));
  if (file === undefined) return { config: { ...DEFAULT_CONFIG, root: cwd }, diagnostics: [] };
  const rel = toPosix(path.relative(root, file));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    return { diagnostics: [error('config-not-found', spanOf(rel, 0, 0), `the config file ${rel} ${reason}`)] };
  }
  const decoded = decodeSource(bytes);
  if ('problem' in decoded) return { diagnostics: [error('config-invalid', spanOf(rel, 0, 0), `the config file: ${decoded.problem}`)] };
  const source = { path: rel, text: decoded.text };
  const parsed = parseYaml(rel, decoded.text, 'a schemac config');
  if (decoded.text.trim() === '') return { config: { ...DEFAULT_CONFIG, root, file }, source, diagnostics: [] };
  if (!parsed.doc) return { source, diagnostics: parsed.diagnostics.map((d) => withGlobHint(d, decoded.text)) };
  const diagnostics = schemaDiagnostics('config', parsed.doc.doc, rel);
  diagnostics.push(...pathProblems(parsed.doc.doc, rel));
  if (diagnostics.length > 0) return { source, diagnostics };
  return { config: withDefaults(parsed.doc.doc.toJS() as RawConfig, root, file), source, diagnostics: ruleIdProblems(parsed.doc.doc, rel) };
}

interface RawConfig {
  core?: string[];
  custom?: string[];
  out?: Partial<Config['out']>;
  lint?: { rules?: Config['lint']['rules']; allow?: Config['lint']['allow']; locked?: string[] };
  extensions?: string[];
  expose?: string[];
  rls?: boolean;
  distribution?: { engine: 'citus'; column?: string };
  fragments?: { allow_functions?: string[] };
  ignore?: string[];
}

function withDefaults(raw: RawConfig, root: string, file: string): Config {
  return {
    root,
    file,
    core: raw.core ?? DEFAULT_CONFIG.core,
    custom: raw.custom ?? DEFAULT_CONFIG.custom,
    out: { ...DEFAULT_CONFIG.out, ...raw.out },
    lint: { rules: raw.lint?.rules ?? {}, allow: raw.lint?.allow ?? {}, locked: raw.lint?.locked ?? [] },
    extensions: raw.extensions ?? DEFAULT_CONFIG.extensions,
    expose: raw.expose ?? DEFAULT_CONFIG.expose,
    ...(raw.rls === undefined ? {} : { rls: raw.rls }),
    ...(raw.distribution === undefined ? {} : { distribution: { engine: raw.distribution.engine, column: raw.distribution.column ?? 'client_id' } }),
    ...(raw.fragments?.allow_functions?.length ? { fragments: { allowFunctions: [...raw.fragments.allow_functions].sort() } } : {}),
    ...(raw.ignore?.length ? { ignore: [...raw.ignore] } : {}),
  };
}

/** Every glob and output path must stay inside the workspace: relative, no `..`. */
function pathProblems(doc: YamlDocument, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (pointer: string, node: YamlNode | null) => {
    if (!isScalar(node) || typeof node.value !== 'string') return;
    const p = node.value;
    if (path.isAbsolute(p) || /^[a-zA-Z]:/.test(p) || p.split(/[\\/]/).includes('..')) {
      out.push(error('config-invalid', nodeSpan(file, node), `'${p}' (${pointer}) must be a path inside the workspace: relative, without '..'`));
    }
  };
  for (const list of ['core', 'custom']) {
    const { node, exact } = nodeAt(doc, `/${list}`);
    if (exact && node && 'items' in node && Array.isArray(node.items)) node.items.forEach((n) => check(list, n as YamlNode));
  }
  const out_ = nodeAt(doc, '/out');
  const outNode = out_.exact ? out_.node : null;
  if (isMap(outNode)) for (const pair of outNode.items) check(`out.${String((pair.key as { value?: unknown })?.value)}`, pair.value as YamlNode);
  return out;
}

/** An unquoted `{org}` in a flow list is YAML flow-map syntax: say so. */
function withGlobHint(d: Diagnostic, text: string): Diagnostic {
  if (d.code !== 'yaml-syntax' || !/[^"']\{org\}/.test(text) || d.hint) return d;
  return { ...d, hint: 'quote globs that contain {org}: "schemas/custom_tools/{org}/**/models.yaml"' };
}

/** Unknown rule ids under `lint.rules`, `lint.allow` and `lint.locked` are warnings with a hint. */
function ruleIdProblems(doc: YamlDocument, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (node: YamlNode, known: readonly string[]) => {
    const id = String((node as { value?: unknown })?.value);
    if (known.includes(id)) return;
    const guess = closest(id, known);
    out.push(warning('unknown-rule', nodeSpan(file, node), `unknown lint rule '${id}'`, guess ? `did you mean '${guess}'?` : `rules: ${known.join(', ')}`));
  };
  for (const section of ['rules', 'allow']) {
    const { node, exact } = nodeAt(doc, `/lint/${section}`);
    if (exact && isMap(node)) for (const pair of node.items) check(pair.key as YamlNode, RULE_IDS);
  }
  const locked = nodeAt(doc, '/lint/locked');
  const lockable = [...new Set([...RULE_IDS, ...LOCKED_RULES])];
  if (locked.exact && isSeq(locked.node)) for (const item of locked.node.items) check(item as YamlNode, lockable);
  return out;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
