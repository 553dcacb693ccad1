/**
 * The node-kind checks that spare loading the `yaml` package: they equal the package's own
 * on its nodes, on the fast path's and on other values; and linting a workspace the fast
 * path reads does not load the package.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as yaml from 'yaml';
import { parseFast } from '../compiler/front/fast-yaml.ts';
import * as nodes from '../compiler/front/yaml-nodes.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const CHECKS = ['isAlias', 'isMap', 'isPair', 'isScalar', 'isSeq', 'isCollection'] as const;

/** Every node, pair and value reachable from `root`. */
function everything(root: unknown): unknown[] {
  const out: unknown[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    out.push(v);
    if (yaml.isCollection(v)) stack.push(...v.items);
    if (yaml.isPair(v)) stack.push(v.key, v.value);
  }
  return out;
}

function assertSameKinds(values: unknown[]): void {
  for (const v of values) {
    for (const check of CHECKS) assert.is((nodes[check] as (n: unknown) => boolean)(v), (yaml[check] as (n: unknown) => boolean)(v), `${check}(${String(v)})`);
  }
}

test('the checks equal the package’s on its nodes and on other values', () => {
  const doc = yaml.parseDocument('a: &x [1, {b: c}]\nd: *x\ne: "s"\nf: |\n  block\ng: !!str 1\n? [k]\n: v\n');
  assertSameKinds(everything(doc.contents));
  assertSameKinds([null, undefined, 0, '', 'map', {}, [], new Map(), doc, new yaml.Scalar(1), new yaml.YAMLMap(), new yaml.YAMLSeq(), new yaml.Pair(1)]);
});

test('the checks equal the package’s on the fast path’s nodes', () => {
  const fast = parseFast('tables:\n  t:\n    columns:\n      id: { type: uuid, primary_key: true }\n    indexes:\n      - [a, b]\n');
  assert.ok(fast !== undefined);
  const all = everything(fast.contents);
  assert.ok(all.length > 10);
  assertSameKinds(all);
});

test('linting a workspace the fast path reads leaves the yaml package unloaded', () => {
  const script = [
    "import { createRequire } from 'node:module';",
    "const { loadWorkspace } = await import('./compiler/index.ts');",
    'const result = await loadWorkspace({ cwd: process.cwd() });',
    "const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('/node_modules/yaml/'));",
    'console.log(JSON.stringify({ read: result.files.length > 0, loaded }));',
  ].join('\n');
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SCHEMAC_NO_CACHE: '1' } });
  assert.equal(JSON.parse(out.trim().split('\n').pop()!), { read: true, loaded: false });
});

test('a file outside the fast path loads the package and parses', () => {
  const full = nodes.loadYaml().parseDocument('a: &x 1\nb: *x\n');
  assert.ok(nodes.isAlias((full.contents as yaml.YAMLMap).items[1].value));
});

test.run();
