/**
 * A fuzzer of SQL fragments: hostile checks, index predicates and `{sql:}` defaults (quotes,
 * backslashes, E-strings, dollar tags such as `$schemac$`, comment markers, semicolons, line
 * breaks of every kind, directives of the migration format) go through `schemac migration`.
 * A refused fragment writes nothing; an accepted one must come out of the migration file as
 * the very tree the fragment parses to (check, predicate and default alike), in a file the
 * reader reads as written, with no statement the same models with harmless fragments do not
 * have.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModule, parseSync } from 'libpg-query';
import { run } from '../../compiler/cli.ts';
import { parseMigration } from '../../runtime/files.ts';
import { captureIo } from '../helpers/io.ts';
import { prng } from '../helpers/prng.ts';

/** Counters of a fragment fuzz run. */
export interface FragmentStats { inputs: number; accepted: number }

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const choose = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** Pieces of hostile text a literal may hold. */
const PAYLOADS = [
  "'", "''", '\\', "\\'", '\\\\', '$$', '$schemac$', '$schemac_$', '$fn$', '$q$', '--', '-- migrate:down', '-- migrate:up', '-- schemac:no-transaction',
  '/*', '*/', ';', '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\t', '); CREATE ROLE evil SUPERUSER; --', ')); DROP TABLE clients; --', 'E\'', 'x', ' ', 'é', '"',
];

/** A literal holding `text`, in one of the forms the parser takes (or, sometimes, a malformed one). */
function literal(r: Rand, text: string): string {
  switch (int(r, 6)) {
    case 0: return `'${text.replace(/'/g, "''")}'`;
    case 1: return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 2: return text.includes('$q$') ? `'x'` : `$q$${text}$q$`;
    case 3: return text.includes('$$') || text.endsWith('$') ? `'y'` : `$$${text}$$`;
    case 4: return `'${text}'`;
    default: return `U&'${text.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;
  }
}

function payload(r: Rand): string {
  return Array.from({ length: 1 + int(r, 5) }, () => choose(r, PAYLOADS)).join('');
}

/** A check or predicate over the column `code`, and a default, each holding hostile literals. */
function fragments(r: Rand): { check: string; where: string; dflt: string } {
  const lit = () => literal(r, payload(r));
  const forms = [
    () => `code <> ${lit()}`, () => `code = ${lit()} || ${lit()}`, () => `length(code) > 0 OR code = ${lit()}`,
    () => `code IN (${lit()}, ${lit()})`, () => `code LIKE ${lit()}`, () => `(code || ${lit()}) IS NOT NULL`, () => `code ~ ${lit()}`,
  ];
  return { check: choose(r, forms)(), where: choose(r, forms)(), dflt: r() < 0.5 ? lit() : `${lit()} || ${lit()}` };
}

const CORE = `tables:
  clients:
    tenant: global
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
`;

function models(f: { check: string; where: string; dflt: string }): string {
  return `tables:
  acme_items:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, index: true, references: clients.id, on_delete: cascade }
      code: { type: text, check: ${JSON.stringify(f.check)} }
      label: { type: text, default: { sql: ${JSON.stringify(f.dflt)} } }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - { columns: [code], where: ${JSON.stringify(f.where)} }
`;
}

const WHERE = new Set(['location', 'list_start', 'list_end', 'rexpr_list_start', 'rexpr_list_end', 'stmt_location', 'stmt_len']);
const plain = (tree: unknown) => JSON.stringify(tree, (k, v) => (WHERE.has(k) ? undefined : v));

/** The parse tree of one expression, or undefined when it is not one. */
function expressionTree(sql: string): unknown {
  try {
    const parsed = parseSync(`SELECT (${sql}\n)`) as { stmts: Array<{ stmt: { SelectStmt?: { targetList?: Array<{ ResTarget: { val: unknown } }> } } }> };
    return parsed.stmts.length === 1 ? parsed.stmts[0].stmt.SelectStmt?.targetList?.[0]?.ResTarget.val : undefined;
  } catch {
    return undefined;
  }
}

/** What the acme migration's up section holds: its statement kinds, and the check, predicate and default trees. */
interface Emitted {
  readonly kinds: string[];
  readonly check?: unknown;
  readonly where?: unknown;
  readonly dflt?: unknown;
  readonly noTransaction: boolean;
}

/** Writes the models, runs `schemac migration`, and reads the acme migration back; a string says what went wrong. */
async function emit(dir: string, f: { check: string; where: string; dflt: string }): Promise<Emitted | 'refused' | string> {
  fs.rmSync(path.join(dir, 'generated'), { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'schemas/custom_tools/acme/billing'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'schemas/core'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'schemas/core/models.yaml'), CORE);
  fs.writeFileSync(path.join(dir, 'schemas/custom_tools/acme/billing/models.yaml'), models(f));
  const io = captureIo({ SCHEMAC_NOW: '2026-01-01T00:00:00Z' });
  let code: number;
  try {
    code = await run(['--cwd', dir, 'migration', 'fuzz', '--all'], io);
  } catch (e) {
    return `schemac migration threw: ${(e as Error)?.stack ?? String(e)}`;
  }
  const folder = path.join(dir, 'generated', 'migrations');
  if (code === 1) return fs.existsSync(folder) ? `refused, but wrote ${fs.readdirSync(folder).join(', ')}` : 'refused';
  if (code !== 0) return `schemac migration exited ${code}: ${io.err().slice(0, 500)}`;
  const name = fs.readdirSync(folder).find((n) => n.includes('_custom_acme_'));
  if (name === undefined) return 'no acme migration was written';
  const parsed = parseMigration(name, fs.readFileSync(path.join(folder, name), 'utf8'));
  if (parsed.file === undefined) return `the reader refuses the migration: ${parsed.error}`;
  let stmts: Array<{ stmt: Record<string, Record<string, unknown>> }>;
  try {
    stmts = (parseSync(parsed.file.up) as unknown as { stmts: typeof stmts }).stmts;
  } catch (e) {
    return `the up section does not parse: ${(e as Error).message}\n${parsed.file.up}`;
  }
  const out: { kinds: string[]; check?: unknown; where?: unknown; dflt?: unknown; noTransaction: boolean } = { kinds: [], noTransaction: parsed.file.noTransaction };
  for (const { stmt } of stmts) {
    const [kind] = Object.keys(stmt);
    out.kinds.push(kind);
    if (kind === 'IndexStmt' && stmt.IndexStmt.idxname === 'acme_items_code_idx') out.where = stmt.IndexStmt.whereClause;
    if (kind !== 'CreateStmt') continue;
    for (const el of (stmt.CreateStmt.tableElts as Array<Record<string, Record<string, unknown>>>) ?? []) {
      const constraints = (el.ColumnDef?.constraints ?? []) as Array<{ Constraint: { contype: string; raw_expr?: unknown } }>;
      if (el.ColumnDef?.colname === 'label') out.dflt = constraints.find((c) => c.Constraint.contype === 'CONSTR_DEFAULT')?.Constraint.raw_expr;
      if (el.Constraint?.contype === 'CONSTR_CHECK' && el.Constraint.conname === 'acme_items_code_check') out.check = el.Constraint.raw_expr;
    }
  }
  return out;
}

/** Runs `inputs` hostile fragment triples; resolves to counters and failure descriptions. */
export async function fragmentCampaign(o: { seed: number; inputs: number }): Promise<{ stats: FragmentStats; failures: string[] }> {
  await loadModule();
  const r = prng(o.seed ^ 0x5eed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-fragments-'));
  const stats: FragmentStats = { inputs: 0, accepted: 0 };
  const failures: string[] = [];
  try {
    const baseline = await emit(dir, { check: "code <> 'x'", where: "code <> 'y'", dflt: "'z'" });
    if (typeof baseline === 'string') return { stats, failures: [`the harmless fragments are not emitted: ${baseline}`] };
    for (let i = 0; i < o.inputs && failures.length < 5; i++) {
      const f = fragments(r);
      const problem = await checkOne(dir, f, baseline);
      stats.inputs++;
      if (problem === 'accepted') stats.accepted++;
      else if (problem !== 'refused') failures.push(`${problem}\n  fragments: ${JSON.stringify(f)} (seed ${o.seed}, input ${i})`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { stats, failures };
}

async function checkOne(dir: string, f: { check: string; where: string; dflt: string }, baseline: Emitted): Promise<string> {
  const got = await emit(dir, f);
  if (got === 'refused' || typeof got === 'string') return got;
  if (got.kinds.join() !== baseline.kinds.join()) return `the statements differ from the harmless migration's: ${got.kinds.join()} vs ${baseline.kinds.join()}`;
  if (got.noTransaction !== baseline.noTransaction) return 'the file is read as marked -- schemac:no-transaction';
  for (const [what, emitted, written] of [['check', got.check, f.check], ['index predicate', got.where, f.where], ['default', got.dflt, f.dflt]] as const) {
    const tree = expressionTree(written);
    if (tree === undefined) return `the ${what} ${JSON.stringify(written)} was accepted but does not parse as one expression`;
    if (plain(emitted) !== plain(tree)) return `the ${what} is emitted as ${plain(emitted)}, not as the tree of ${JSON.stringify(written)}: ${plain(tree)}`;
  }
  return 'accepted';
}
