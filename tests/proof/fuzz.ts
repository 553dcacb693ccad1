/**
 * A fuzzer of the front end: mutates valid and invalid models.yaml files (bytes, tokens,
 * structure, unicode, huge values, deep nesting, aliases) and checks every input: no throw,
 * no stack trace, exit 0 or 1, every diagnostic located inside its file, and nothing written
 * by `migration` when it fails. Most inputs go through `loadWorkspace` in-process; every
 * `cliEvery`-th one goes through the CLI's `run`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { run } from '../../compiler/cli.ts';
import { loadWorkspace } from '../../compiler/index.ts';
import { renderDiagnostics } from '../../compiler/report/index.ts';
import { captureIo } from '../helpers/io.ts';
import { prng } from '../helpers/prng.ts';
import { buildSequence, sequenceArb } from './arbitraries.ts';
import { modelsPath, renderWorkspace } from './model.ts';

/** Counters of a fuzz run. */
export interface FuzzStats { inputs: number; cli: number; errors: number }

const CASES = path.join(import.meta.dirname, '..', 'cases', 'lint');

const TOKENS = [
  '', 'null', '~', '[', ']', '{', '}', ':', '- ', '&a', '*a', '<<: *a', '!!binary', '!!str', '!custom', '? ', '|', '>-', '"', "'", '#',
  '1e400', '-0', '0x1F', '.nan', '99999999999999999999999', 'true', 'yes', 'on', 'NaN', '\u0000', '\uFEFF', '\u202E', '☃', '𝔘', 'é',
  'varchar(0)', 'varchar(99999999999)', 'numeric(2,5)', 'int[][]', 'text?', 'x?', 'serial', 'clients.id', 'nope.id', "'; DROP TABLE x; --",
  'now()', '{sql: "(select 1)"}', '{value: 1}', 'a'.repeat(70), 'tables', 'columns', 'renamed_from', 'references', 'primary_key', '\t', '\r\n',
];

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const choose = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** One mutation of `text`. */
function mutate(r: Rand, text: string): string {
  const lines = text.split('\n');
  const at = int(r, text.length + 1);
  switch (int(r, 12)) {
    case 0: { // flip a byte
      const b = Buffer.from(text, 'utf8');
      if (b.length) b[int(r, b.length)] = int(r, 256);
      return b.toString('latin1');
    }
    case 1: return text.slice(0, at) + choose(r, TOKENS) + text.slice(at);
    case 2: return text.slice(0, at) + text.slice(at + 1 + int(r, 20));
    case 3: { // duplicate or delete a line
      const i = int(r, lines.length);
      if (r() < 0.5) lines.splice(i, 0, lines[i] ?? '');
      else lines.splice(i, 1);
      return lines.join('\n');
    }
    case 4: { // reindent a line
      const i = int(r, lines.length);
      lines[i] = ' '.repeat(int(r, 9)) + (lines[i] ?? '').trimStart();
      return lines.join('\n');
    }
    case 5: { // replace a scalar after a colon with a token
      const i = int(r, lines.length);
      lines[i] = (lines[i] ?? '').replace(/:\s.*$/, `: ${choose(r, TOKENS)}`);
      return lines.join('\n');
    }
    case 6: return text.slice(0, at) + '['.repeat(1 + int(r, 3000)) + text.slice(at);
    case 7: return `a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\n${text}`;
    case 8: return text.slice(0, at) + 'x'.repeat(int(r, 200_000)) + text.slice(at);
    case 9: { // swap two lines
      const [i, j] = [int(r, lines.length), int(r, lines.length)];
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return lines.join('\n');
    }
    case 10: return text.replace(/[a-z]/, () => choose(r, ['Ä', 'ß', '\u0301', '\uD800', 'İ', '\u200B']));
    default: return `${text}\n${'  '.repeat(int(r, 40))}${choose(r, TOKENS)}: ${choose(r, TOKENS)}\n`;
  }
}

/** The corpus: generated valid workspaces and every models.yaml of the lint golden cases. */
function corpus(seed: number): string[] {
  const valid = fc.sample(sequenceArb({ maxSteps: 1 }), { numRuns: 30, seed }).flatMap((s) => {
    const files = renderWorkspace(buildSequence(s)[1]);
    return Object.entries(files).filter(([k]) => k.endsWith('models.yaml')).map(([, v]) => v);
  });
  const cases = fs.existsSync(CASES) ? listModels(CASES).map((f) => fs.readFileSync(f, 'utf8')).filter((t) => t.length < 100_000) : [];
  return [...valid, ...cases];
}

function listModels(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listModels(p) : e.name === 'models.yaml' ? [p] : [];
  });
}

const CORE_OK = 'tables:\n  clients:\n    tenant: global\n    columns:\n      id: { type: uuid, primary_key: true, default: gen_random_uuid() }\n';

/** Runs `inputs` fuzz inputs; resolves to counters and failure descriptions (each naming a saved input). */
export async function fuzzCampaign(o: { seed: number; inputs: number; cliEvery?: number }): Promise<{ stats: FuzzStats; failures: string[] }> {
  const r = prng(o.seed);
  const seeds = corpus(o.seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-fuzz-'));
  const stats: FuzzStats = { inputs: 0, cli: 0, errors: 0 };
  const failures: string[] = [];
  const target = r() < 0.5 ? modelsPath('core') : modelsPath('acme');
  try {
    for (let i = 0; i < o.inputs && failures.length < 5; i++) {
      let text = choose(r, seeds);
      for (let m = r() < 0.6 ? 1 : 1 + int(r, 3); m > 0; m--) text = mutate(r, text);
      const file = i % 2 === 0 ? modelsPath('core') : target;
      const problem = await checkInput(dir, file, text, i % (o.cliEvery ?? 25) === 0, stats);
      stats.inputs++;
      if (problem !== undefined) failures.push(`${problem}\n  input saved to ${saveInput(file, text)} (seed ${o.seed}, input ${i})`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { stats, failures };
}

function saveInput(file: string, text: string): string {
  const out = path.join(os.tmpdir(), `schemac-fuzz-failure-${crypto.createHash('sha1').update(text).digest('hex').slice(0, 10)}`, file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, text);
  return out;
}

function writeInput(dir: string, file: string, text: string): void {
  fs.rmSync(path.join(dir, 'schemas'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'generated'), { recursive: true, force: true });
  for (const [rel, body] of [[modelsPath('core'), CORE_OK], [file, text]]) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }
}

/** Checks one input; resolves to a problem description or undefined. */
async function checkInput(dir: string, file: string, text: string, viaCli: boolean, stats: FuzzStats): Promise<string | undefined> {
  writeInput(dir, file, text);
  let loaded;
  try {
    loaded = await loadWorkspace({ cwd: dir });
  } catch (e) {
    return `loadWorkspace threw: ${(e as Error)?.stack ?? String(e)}`;
  }
  if (loaded.configError) return 'a models file produced a config error (exit 2)';
  if (loaded.diagnostics.some((d) => d.severity === 'error')) stats.errors++;
  const located = locationProblem(loaded.diagnostics, loaded.sources, loaded.files);
  if (located) return located;
  if (!viaCli) return undefined;
  stats.cli++;
  return (await cliProblem(dir, ['lint', '--format', 'json'])) ?? (await cliProblem(dir, ['migration', 'fuzz', '--all', '--allow-destructive']));
}

function locationProblem(diagnostics: Parameters<typeof renderDiagnostics>[0], sources: ReadonlyMap<string, string>, files: readonly string[]): string | undefined {
  let json: Array<{ file?: string; line?: number; column?: number; rule?: string; message?: string }>;
  try {
    json = JSON.parse(renderDiagnostics(diagnostics, { format: 'json', sources, color: false }) || '[]');
  } catch (e) {
    return `the json report does not parse: ${(e as Error).message}`;
  }
  for (const d of json) {
    const text = d.file === undefined ? undefined : sources.get(d.file);
    if (text === undefined && d.file !== undefined && (files.includes(d.file) || d.rule === 'unreadable-file') && d.line === 1 && d.column === 1) continue;
    if (text === undefined) return `diagnostic without a known file: ${JSON.stringify(d)}`;
    const lines = text.split('\n').length;
    if (!Number.isInteger(d.line) || !Number.isInteger(d.column) || d.line! < 1 || d.column! < 1 || d.line! > lines + 1) {
      return `diagnostic located outside its file (${lines} lines): ${JSON.stringify(d)}`;
    }
  }
  for (const d of diagnostics) {
    const text = sources.get(d.span.file);
    if (text !== undefined && (d.span.start < 0 || d.span.start > text.length || d.span.start > d.span.end)) return `span outside its file: ${JSON.stringify(d.span)} (${text.length} chars)`;
  }
  return undefined;
}

const STACK = /^\s{4}at |internal error|^\w*Error: /m;

async function cliProblem(dir: string, args: string[]): Promise<string | undefined> {
  const before = listTree(path.join(dir, 'generated'));
  const io = captureIo({ SCHEMAC_NOW: '2026-01-01T00:00:00Z' });
  let code: number;
  try {
    code = await run(['--cwd', dir, ...args], io);
  } catch (e) {
    return `schemac ${args[0]} threw: ${(e as Error)?.stack ?? String(e)}`;
  }
  const output = io.out() + io.err();
  if (code !== 0 && code !== 1) return `schemac ${args[0]} exited ${code}:\n${output.slice(0, 2000)}`;
  if (STACK.test(output)) return `schemac ${args[0]} printed a stack trace or internal error:\n${output.slice(0, 2000)}`;
  if (args[0] === 'lint' && io.out().trim() !== '') {
    try {
      JSON.parse(io.out());
    } catch {
      return `schemac lint --format json printed something that is not JSON:\n${io.out().slice(0, 500)}`;
    }
  }
  if (args[0] === 'migration' && code === 1 && listTree(path.join(dir, 'generated')).join() !== before.join()) return `schemac migration exited 1 but wrote files:\n${output.slice(0, 2000)}`;
  return undefined;
}

function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}
