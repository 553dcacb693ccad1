/**
 * The import rules of docs/architecture.md, checked against the sources: the picture's
 * arrows are exactly the imports between folders, no crossed arrow exists, stages are
 * imported through their index.ts, runtime/ takes from compiler/ only the IR and shared/,
 * and no file imports itself through a cycle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');

/** Folders whose other-folder importers must go through their index.ts. */
const STAGES = ['config', 'front', 'lint', 'engine', 'emit', 'report', 'shared'];
/** Boxes every folder may import; left out of the picture. */
const BASE = ['ir', 'shared'];

/** The box of the picture a source file belongs to. */
function boxOf(rel: string): string {
  const parts = rel.split('/');
  if (parts[0] === 'runtime') return 'runtime';
  if (parts.length > 2) return parts[1];
  const name = parts[1];
  if (name === 'bin.ts' || name === 'cli.ts' || name === 'start.ts') return 'cli';
  if (name === 'index.ts') return 'wiring';
  if (name === 'ir.ts' || name === 'diagnostics.ts') return 'ir';
  if (name === 'watch.ts') return 'watch';
  return `unplaced:${name}`;
}

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return sources(rel);
    return /\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

interface Import {
  readonly from: string;
  readonly to: string;
}

/** Every relative import of a file: static, `export … from`, dynamic and `typeof import()`. */
function importsOf(rel: string): Import[] {
  const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)) {
    out.push({ from: rel, to: path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1])) });
  }
  return out;
}

const FILES = [...sources('compiler'), ...sources('runtime')];
const IMPORTS = FILES.flatMap(importsOf);

/** The arrows of the doc's Mermaid picture: `a --> b` allowed, `a --x|never| b` forbidden. */
function pictureArrows(): { allowed: Set<string>; forbidden: Set<string>; boxes: Set<string> } {
  const block = DOC.match(/```mermaid\n([\s\S]*?)```/)?.[1] ?? '';
  const allowed = new Set<string>(), forbidden = new Set<string>(), boxes = new Set<string>();
  for (const line of block.split('\n').map((l) => l.trim())) {
    let m = line.match(/^(\w+)\s*-->\s*(\w+)$/);
    if (m) allowed.add(`${m[1]} -> ${m[2]}`);
    m = line.match(/^(\w+)\s*--x\|never\|\s*(\w+)$/);
    if (m) forbidden.add(`${m[1]} -> ${m[2]}`);
    m = line.match(/^(\w+)\[/);
    if (m) boxes.add(m[1]);
  }
  return { allowed, forbidden, boxes };
}

test('the picture has the boxes, arrows and crossed arrows it should', () => {
  const { allowed, forbidden, boxes } = pictureArrows();
  assert.ok(allowed.size > 10, `arrows read from docs/architecture.md: ${allowed.size}`);
  for (const f of ['runtime -> front', 'runtime -> engine', 'front -> commands', 'engine -> commands', 'front -> cli', 'engine -> cli']) {
    assert.ok(forbidden.has(f), `crossed arrow ${f}`);
  }
  for (const f of FILES) assert.ok(boxes.has(boxOf(f)) || BASE.includes(boxOf(f)), `${f} is in no box of the picture (${boxOf(f)})`);
});

test('the imports between folders are exactly the arrows of the picture', () => {
  const { allowed, forbidden } = pictureArrows();
  const actual = new Map<string, string>();
  for (const i of IMPORTS) {
    const a = boxOf(i.from), b = boxOf(i.to);
    if (a === b || (BASE.includes(b) && !BASE.includes(a))) continue;
    if (!actual.has(`${a} -> ${b}`)) actual.set(`${a} -> ${b}`, `${i.from} imports ${i.to}`);
  }
  const unexpected = [...actual].filter(([arrow]) => !allowed.has(arrow)).map(([arrow, why]) => `${arrow} (${why})`);
  assert.equal(unexpected, [], 'imports the picture does not allow');
  const unused = [...allowed].filter((arrow) => !actual.has(arrow));
  assert.equal(unused, [], 'arrows of the picture no import uses');
  assert.equal([...forbidden].filter((arrow) => actual.has(arrow)), [], 'crossed arrows that exist');
});

test('ir.ts imports nothing; diagnostics.ts only ir.ts; shared/ nothing outside itself', () => {
  const bad = IMPORTS.filter((i) =>
    (i.from === 'compiler/ir.ts') ||
    (i.from === 'compiler/diagnostics.ts' && i.to !== 'compiler/ir.ts') ||
    (boxOf(i.from) === 'shared' && boxOf(i.to) !== 'shared'));
  assert.equal(bad, []);
});

test('other folders import a stage only through its index.ts', () => {
  const bad = IMPORTS.filter((i) => {
    const b = boxOf(i.to);
    return STAGES.includes(b) && boxOf(i.from) !== b && i.to !== `compiler/${b}/index.ts`;
  }).map((i) => `${i.from} imports ${i.to}`);
  assert.equal(bad, []);
});

test('runtime/ takes from compiler/ only the IR and shared/, and only commands/ import the runtime', () => {
  const fromRuntime = IMPORTS.filter((i) => i.from.startsWith('runtime/') && i.to.startsWith('compiler/'))
    .filter((i) => !['compiler/ir.ts', 'compiler/shared/index.ts'].includes(i.to));
  assert.equal(fromRuntime, []);
  const intoRuntime = IMPORTS.filter((i) => i.to.startsWith('runtime/') && i.from.startsWith('compiler/') && boxOf(i.from) !== 'commands');
  assert.equal(intoRuntime, []);
});

test('no import cycle between files', () => {
  const edges = new Map<string, string[]>();
  for (const i of IMPORTS) edges.set(i.from, [...(edges.get(i.from) ?? []), i.to]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of edges.get(f) ?? []) {
      if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of FILES) if (!state.has(f)) visit(f);
  assert.equal(cycles, []);
});

test('the reader finds imports of every form (a check of the check)', () => {
  const found = importsOf('compiler/cli/spec.ts').map((i) => i.to);
  assert.ok(found.includes('compiler/commands/lint.ts'), 'dynamic import()');
  assert.ok(importsOf('compiler/front/fragment-checker.ts').some((i) => i.to === 'compiler/front/sql-fragment.ts'), 'typeof import()');
  assert.ok(importsOf('compiler/front/index.ts').some((i) => i.to === 'compiler/front/discover.ts'), 'export … from');
  assert.ok(importsOf('compiler/engine/plan.ts').some((i) => i.to === 'compiler/engine/render-sql.ts'), 'a multi-line import');
});

test.run();
