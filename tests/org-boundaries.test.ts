/**
 * An org's files can never hurt anyone else, at the edges the golden lint cases cannot
 * hold: a name declared twice shows both places in every report format; a models file or
 * folder that leads outside the workspace is refused without its content ever being read
 * or printed; an org folder stuffed with junk stops discovery with an error (the other
 * orgs' models are still compiled); and "did you mean" over thousands of unknown names
 * does a bounded amount of work.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { loadConfig } from '../compiler/config/index.ts';
import { discover, parseYaml, reservedOrgName, resolve, validate } from '../compiler/front/index.ts';
import { BUILTIN_TYPE_NAMES, EXTENSION_TYPES, namespaceOwner } from '../compiler/front/namespaces.ts';
import type { ModelFile } from '../compiler/ir.ts';
import { candidateIndex, closest, SUGGEST_LIMITS, suggester } from '../compiler/shared/index.ts';
import { editDistance } from '../compiler/shared/suggest.ts';
import { adminQuery } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const TIMESTAMPS = `      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

/** An org table `name` with the columns every clean tenant table has. */
const orgTable = (name: string, extra = ''): string => `  ${name}:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
${TIMESTAMPS}${extra}`;

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-boundaries-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function lint(dir: string, format: string): Promise<{ exit: number; out: string; err: string }> {
  const io = captureIo();
  const exit = await run(['--cwd', dir, 'lint', '--format', format], io);
  return { exit, out: io.out(), err: io.err() };
}

// ---------------------------------------------------------------------------------------
// A name declared twice: both places, in every format

const ACME_FILE = 'schemas/custom_tools/acme/billing/models.yaml';
const CORE_FILE = 'schemas/core/models.yaml';

/** acme declares `acme_ledger`, which core (first by path) already declares on line 10. */
function clashing(): string {
  const core = `${CORE_CLIENTS}  acme_ledger:\n    tenant: global\n    columns:\n      id: { type: uuid, primary_key: true, default: gen_random_uuid() }\n${TIMESTAMPS}`;
  return workspace({ [CORE_FILE]: core, [ACME_FILE]: `tables:\n${orgTable('acme_ledger')}` });
}

test('a name declared twice names the other place in json, sarif, github and pretty', async () => {
  const dir = clashing();
  try {
    const coreLine = fs.readFileSync(path.join(dir, CORE_FILE), 'utf8').split('\n').indexOf('  acme_ledger:') + 1;
    const json = await lint(dir, 'json');
    assert.is(json.exit, 1);
    const [d] = (JSON.parse(json.out) as Array<Record<string, unknown>>).filter((x) => x.rule === 'duplicate-name');
    assert.equal([d.file, d.line, d.column], [ACME_FILE, 2, 3]);
    assert.equal(d.related, [{ file: CORE_FILE, line: coreLine, column: 3, endLine: coreLine, endColumn: 14, message: "the table 'acme_ledger' is declared here too" }]);

    const sarif = JSON.parse((await lint(dir, 'sarif')).out);
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'duplicate-name');
    assert.is(result.locations[0].physicalLocation.artifactLocation.uri, ACME_FILE);
    assert.equal(result.relatedLocations, [{
      id: 1,
      physicalLocation: { artifactLocation: { uri: CORE_FILE, uriBaseId: '%SRCROOT%' }, region: { startLine: coreLine, startColumn: 3, endLine: coreLine, endColumn: 14 } },
      message: { text: "the table 'acme_ledger' is declared here too" },
    }]);

    const github = (await lint(dir, 'github')).out.split('\n').filter((l) => l.includes('title=duplicate-name'));
    assert.is(github.length, 2, 'one annotation at each place');
    assert.match(github[0], `::error file=${ACME_FILE},line=2,col=3,`);
    assert.match(github[1], `::error file=${CORE_FILE},line=${coreLine},col=3,`);
    assert.match(github[1], `(${ACME_FILE}:2:3)`);

    const pretty = await lint(dir, 'pretty');
    assert.match(pretty.err, `${ACME_FILE}:2:3: error[duplicate-name]`);
    assert.match(pretty.err, `  note: ${CORE_FILE}:${coreLine}:3: the table 'acme_ledger' is declared here too`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------
// Symlinks out of the workspace

const SECRET = 'SECRET-3f9a1c: the first line of a file outside the workspace';

/** A folder outside any workspace holding secrets shaped like broken models files (a parse error would print a code frame). */
function outside(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-outside-'));
  const secret = `${SECRET}\n  tables: [\n`;
  fs.writeFileSync(path.join(dir, 'secret.yaml'), secret);
  fs.mkdirSync(path.join(dir, 'org/tool'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'org/tool/models.yaml'), secret);
  fs.mkdirSync(path.join(dir, 'resources/acme/tool'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'resources/acme/tool/models.yaml'), secret);
  return dir;
}

test("a symlinked models file, org folder or models folder that leads outside is refused, and its content is never printed", async () => {
  const secrets = outside();
  const dir = workspace({ [CORE_FILE]: CORE_CLIENTS, [ACME_FILE]: `tables:\n${orgTable('acme_invoices')}` });
  try {
    fs.mkdirSync(path.join(dir, 'schemas/custom_tools/acme/leak'), { recursive: true });
    fs.symlinkSync(path.join(secrets, 'secret.yaml'), path.join(dir, 'schemas/custom_tools/acme/leak/models.yaml'));
    fs.symlinkSync(path.join(secrets, 'org'), path.join(dir, 'schemas/custom_tools/globex'));
    fs.symlinkSync(path.join(secrets, 'resources'), path.join(dir, 'schemas/custom_resources'));
    fs.mkdirSync(path.join(dir, 'schemas/custom_tools/acme/up'), { recursive: true });
    fs.symlinkSync('../../../../../' + path.relative(path.dirname(dir), path.join(secrets, 'secret.yaml')), path.join(dir, 'schemas/custom_tools/acme/up/models.yaml'));
    for (const format of ['pretty', 'json', 'github', 'sarif']) {
      const got = await lint(dir, format);
      assert.is(got.exit, 1, format);
      assert.not.match(got.out + got.err, 'SECRET-3f9a1c', `${format} prints nothing of the outside files`);
      assert.not.match(got.out + got.err, secrets, `${format} does not name the outside folder`);
    }
    const diagnostics = JSON.parse((await lint(dir, 'json')).out) as Array<{ file: string; rule: string; line: number }>;
    assert.equal(diagnostics.map((d) => [d.file, d.rule, d.line]), [
      ['schemas/custom_resources', 'path-outside-workspace', 1],
      ['schemas/custom_tools/acme/leak/models.yaml', 'path-outside-workspace', 1],
      ['schemas/custom_tools/acme/up/models.yaml', 'path-outside-workspace', 1],
      ['schemas/custom_tools/globex', 'path-outside-workspace', 1],
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(secrets, { recursive: true, force: true });
  }
});

test('a symlinked models file inside the workspace is read; a symlinked folder inside it is reported, not walked', async () => {
  const dir = workspace({ [CORE_FILE]: CORE_CLIENTS, 'shared/acme/models.yaml': `tables:\n${orgTable('acme_invoices')}` });
  try {
    fs.mkdirSync(path.join(dir, 'schemas/custom_tools/acme/billing'), { recursive: true });
    fs.symlinkSync('../../../../shared/acme/models.yaml', path.join(dir, 'schemas/custom_tools/acme/billing/models.yaml'));
    fs.symlinkSync('../../../shared/acme', path.join(dir, 'schemas/custom_tools/acme/linked'));
    const got = JSON.parse((await lint(dir, 'json')).out) as Array<{ file: string; rule: string; severity: string }>;
    assert.equal(got.map((d) => [d.file, d.rule, d.severity]), [['schemas/custom_tools/acme/linked', 'symlink-not-followed', 'warn']]);
    const io = captureIo();
    assert.is(await run(['--cwd', dir, 'diff', '--org', 'acme'], io), 0, io.err());
    assert.match(io.out(), 'CREATE TABLE "acme_invoices"');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------
// Discovery limits

test("an org folder past the file limit is an error naming it, and the other orgs' models are still compiled", async () => {
  const junk = 'schemas/custom_tools/acme/junk';
  const dir = workspace({
    [CORE_FILE]: CORE_CLIENTS,
    [ACME_FILE]: `tables:\n${orgTable('acme_invoices')}`,
    'schemas/custom_tools/globex/tool/models.yaml': `tables:\n${orgTable('invoices')}`,
  });
  try {
    fs.mkdirSync(path.join(dir, junk));
    fs.writeFileSync(path.join(dir, junk, 'f0'), '');
    for (let i = 1; i < 10_001; i++) fs.linkSync(path.join(dir, junk, 'f0'), path.join(dir, junk, `f${i}`)); // hard links: quicker to make than files
    const got = JSON.parse((await lint(dir, 'json')).out) as Array<{ file: string; rule: string; severity: string; message: string }>;
    assert.equal(got.map((d) => [d.file, d.rule, d.severity]), [
      ['schemas/custom_tools/acme', 'too-many-files', 'error'],
      ['schemas/custom_tools/globex/tool/models.yaml', 'org-prefix', 'error'],
    ]);
    assert.match(got[0].message, 'more than 10000 files and folders');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('discovery past its total limit stops with an error, never silently', () => {
  const dir = workspace({ [CORE_FILE]: CORE_CLIENTS });
  try {
    for (const org of ['a1', 'a2', 'a3']) {
      fs.mkdirSync(path.join(dir, `schemas/custom_tools/${org}/tool`), { recursive: true });
      fs.writeFileSync(path.join(dir, `schemas/custom_tools/${org}/tool/models.yaml`), `tables:\n${orgTable(`${org}_things`)}`);
      for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(dir, `schemas/custom_tools/${org}/f${i}`), '');
    }
    const config = loadConfig(dir).config!;
    const all = discover(config, undefined, undefined, { perOrg: 100, total: 1000 });
    assert.equal(all.diagnostics, []);
    assert.is(all.files.length, 4);
    const stopped = discover(config, undefined, undefined, { perOrg: 100, total: 50 });
    assert.equal(stopped.diagnostics.map((d) => [d.code, d.severity]), [['too-many-files', 'error']]);
    assert.match(stopped.diagnostics[0].message, 'more than 50 files and folders');
    const perOrg = discover(config, undefined, undefined, { perOrg: 20, total: 1000 });
    assert.equal(perOrg.diagnostics.map((d) => `${d.code} ${d.span.file}`).sort(), [
      'too-many-files schemas/custom_tools/a1', 'too-many-files schemas/custom_tools/a2', 'too-many-files schemas/custom_tools/a3',
    ]);
    assert.is(perOrg.files.length, 1, "only core's file: every org's walk stopped");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------
// Namespaces

test("the built-in type names cover every type of PostgreSQL's pg_catalog (array and catalog row types aside)", async () => {
  const { rows } = await adminQuery("SELECT typname FROM pg_type WHERE typnamespace = 'pg_catalog'::regnamespace AND typname !~ '^_' AND typtype <> 'c'");
  const missing = rows.map((r: { typname: string }) => r.typname).filter((t) => !BUILTIN_TYPE_NAMES.has(t));
  assert.equal(missing, []);
  const { rows: citext } = await adminQuery("SELECT count(*)::int AS n FROM pg_available_extensions WHERE name IN ('citext', 'pg_trgm')");
  assert.is(citext[0].n, 2, 'the extensions whose types are listed are available to check against');
  assert.equal(EXTENSION_TYPES.citext, ['citext']);
});

test('reserved org names, and who owns a name when one org prefix holds another', () => {
  for (const org of ['schemac', 'core', 'public', 'information_schema', 'pg', 'pgsodium', 'pg_x', 'archive', 'archive_acme']) assert.ok(reservedOrgName(org), org);
  for (const org of ['acme', 'postgres', 'page', 'arch', 'publicity', 'schemacorp']) assert.is(reservedOrgName(org), undefined, org);
  const orgs = new Set(['acme', 'acme_corp', 'beta']);
  assert.is(namespaceOwner('acme_corp_ledger', orgs), 'acme_corp');
  assert.is(namespaceOwner('acme_corporate', orgs), 'acme');
  assert.is(namespaceOwner('acme_corp', orgs), 'acme');
  assert.is(namespaceOwner('beta__x', orgs), 'beta');
  assert.is(namespaceOwner('_beta_x', orgs), undefined);
  assert.is(namespaceOwner('clients', orgs), undefined);
});

// ---------------------------------------------------------------------------------------
// "Did you mean", bounded

/** Levenshtein distance, the textbook way. */
function naiveDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/** The first candidate nearest to `word` within max(2, ⌊|word|/3⌋), the textbook way. */
function naiveClosest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = naiveDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

test('the banded distance and the indexed lookup give the textbook answers', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const word = () => Array.from({ length: Math.floor(random() * 12) }, () => 'abcd_'[Math.floor(random() * 5)]).join('');
  for (let i = 0; i < 2000; i++) {
    const [a, b] = [word(), word()];
    assert.is(editDistance(a, b), naiveDistance(a, b), `${a} / ${b}`);
  }
  for (let i = 0; i < 300; i++) {
    const candidates = Array.from({ length: 40 }, word);
    const w = word();
    const expected = naiveClosest(w, candidates);
    assert.is(closest(w, candidates), expected, w);
    assert.is(suggester().closest(w, () => candidateIndex(candidates), 'f'), expected, w);
  }
});

/** acme's file: `count` tables, each with a column referencing a misspelt table (`acme_tabel_<i>` for `acme_table_<i>`). */
function typos(count: number): string {
  const tables = Array.from({ length: count }, (_, i) => `  acme_table_${i}:\n    tenant: global\n    columns:\n      id: { type: uuid, primary_key: true }\n      next_id: { type: uuid, references: acme_tabel_${(i + 1) % count}.id }\n`);
  return `tables:\n${tables.join('')}`;
}

function modelFile(rel: string, owner: string, text: string): ModelFile {
  const parsed = parseYaml(rel, text);
  const file = validate(parsed.doc!, { path: rel, owner, text }).file!;
  return file;
}

test('10,000 unknown names cost a bounded number of comparisons, and a typo in another file still gets its hint', () => {
  const count = 10_000;
  const config = { ...loadConfig(os.tmpdir()).config!, root: os.tmpdir() };
  const files = [
    modelFile(CORE_FILE, 'core', CORE_CLIENTS),
    modelFile(ACME_FILE, 'acme', typos(count)),
    modelFile('schemas/custom_tools/acme/other/models.yaml', 'acme', `tables:\n${orgTable('acme_other', '      table_1_id: { type: uuid, index: true, references: acme_tabel_1.id }\n')}`),
  ];
  const s = suggester();
  const { diagnostics } = resolve(files, config, [], undefined, s);
  const unknown = diagnostics.filter((d) => d.code === 'unknown-reference');
  assert.is(unknown.length, count + 1);
  const hinted = unknown.filter((d) => d.hint !== undefined);
  assert.is(hinted.length, SUGGEST_LIMITS.perFile + 1, 'hints stop at the per-file cap; the other file still gets one');
  assert.is(hinted[0].hint, "did you mean 'acme_table_1'?");
  assert.ok(hinted.some((d) => d.span.file.endsWith('other/models.yaml') && d.hint === "did you mean 'acme_table_1'?"));
  assert.ok(s.work.lookups <= SUGGEST_LIMITS.perFile + 1, `${s.work.lookups} lookups`);
  assert.ok(s.work.comparisons <= s.work.lookups * (count + 1), `${s.work.comparisons} comparisons`);
  assert.ok(s.work.cells <= SUGGEST_LIMITS.cells + 20 * 64, `${s.work.cells} cells`);
});

test('a suggester stops at its run-wide limits, however many files ask', () => {
  const s = suggester({ perFile: 5, lookups: 40, cells: 1_000_000 });
  const index = candidateIndex(Array.from({ length: 5000 }, (_, i) => `acme_table_${i}`));
  let answered = 0;
  for (let f = 0; f < 100; f++) for (let i = 0; i < 100; i++) if (s.closest(`acme_tabel_${i}`, () => index, `f${f}`) !== undefined) answered++;
  assert.ok(s.work.lookups <= 40, `${s.work.lookups} lookups`);
  assert.ok(s.work.cells <= 1_000_000 + 64 * 64, `${s.work.cells} cells`);
  assert.ok(answered > 0 && answered <= 40);
});

test.run();
