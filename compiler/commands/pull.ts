/**
 * `schemac pull --db URL [--out FILE] [--force] [--skip-unsupported]`: reads a live
 * database (what `diff --db` introspects) and writes, as core models, every table, enum and
 * extension that no models file declares and no `ignore:` glob covers, keeping every name.
 * The result is linted in a scratch copy of the workspace, and each rule the legacy schema
 * breaks gets a `lint: allow:` entry ("pulled from an existing database") on the table or
 * column it is about, so the pulled workspace lints clean and shows its debt.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument, isMap, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../diagnostics.ts';
import { PULLED_REASON, type PulledAllows, type PullSource, renderModelsFile, unsupportedColumns, type Unsupported } from '../emit/index.ts';
import { loadWorkspace } from '../index.ts';
import type { Config, SnapTable } from '../ir.ts';
import { RULE_IDS } from '../lint/index.ts';
import { isIgnoredTable, makeDirs, toPosix, updatedAtTriggerName } from '../shared/index.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { connectTarget, hasDatabase, readConfig, targetOf } from './migrate.ts';
import { schemaPathFrom } from './new.ts';
import { printDiagnostics } from './workspace-io.ts';

/** Runs `schemac pull`; resolves to the exit code. */
export async function run(ctx: CommandContext): Promise<number> {
  const config = readConfig(ctx);
  if (config === undefined) return EXIT.usage;
  const out = outFile(ctx, config);
  if (out === undefined) return EXIT.usage;
  const abs = path.resolve(config.root, out);
  if (fs.existsSync(abs) && ctx.flags.force !== true) {
    ctx.io.stderr(`schemac pull: ${out} exists; pass --force to overwrite it, or --out another file\n`);
    return EXIT.failed;
  }
  const declared = await declaredNames(ctx, out);
  if (declared === undefined) return EXIT.failed;
  const read = await readDatabase(ctx, config);
  if (read === undefined) return EXIT.failed;
  const source = pulledSource(read, declared, config);
  const unsupported = unsupportedColumns(source, declared.enums);
  if (unsupported.length > 0 && ctx.flags['skip-unsupported'] !== true) {
    for (const u of unsupported) ctx.io.stderr(`schemac pull: ${out}: table "${u.table}" column "${u.column}": type ${u.type} cannot be written in models.yaml\n`);
    ctx.io.stderr(`schemac pull: nothing was written; ${unsupported.length} column(s) have types schemac does not support (--skip-unsupported leaves them out)\n`);
    return EXIT.failed;
  }
  reportLeftOut(ctx, source, unsupported);
  const kept = withoutColumns(source, unsupported);
  if (kept.tables.length === 0 && kept.enums.length === 0) {
    ctx.io.stdout('nothing to pull: every table and enum of the database is declared or ignored\n');
    return EXIT.ok;
  }
  const header = [
    `yaml-language-server: $schema=${schemaPathFrom(config.root, abs)}`,
    `Pulled from an existing database by schemac pull: ${kept.tables.length} table(s), ${kept.enums.length} enum(s).`,
  ];
  const linted = await lintPulled(ctx, config, out, kept, header);
  makeDirs(path.dirname(abs));
  fs.writeFileSync(`${abs}.tmp`, linted.text);
  fs.renameSync(`${abs}.tmp`, abs);
  ctx.io.stdout(`wrote ${out}: ${kept.tables.length} table(s), ${kept.enums.length} enum(s), ${linted.allowed} lint allow(s)\n`);
  const known = read.tables.filter((t) => declared.tables.has(t.name)).length;
  if (known > 0) ctx.io.stdout(`${known} table(s) the models files declare already were left as they are (schemac diff --db shows how they differ)\n`);
  if (linted.problems.length > 0) {
    printDiagnostics(ctx, linted.problems, new Map([[out, linted.text]]));
    ctx.io.stderr(`schemac pull: ${out} was written, but schemac does not accept it as it is (above); edit it, then run schemac lint\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

/** Says what is left out: the columns --skip-unsupported skips, and triggers models.yaml cannot declare. */
function reportLeftOut(ctx: CommandContext, source: PullSource, skipped: readonly Unsupported[]): void {
  for (const u of skipped) ctx.io.stderr(`schemac pull: skipped table "${u.table}" column "${u.column}" (type ${u.type}) and what uses it\n`);
  for (const t of source.tables) {
    for (const tr of t.triggers) {
      if (tr.name !== updatedAtTriggerName(t.name)) ctx.io.stderr(`schemac pull: table "${t.name}": trigger "${tr.name}" is not pulled (models.yaml declares only on_update: now() triggers)\n`);
    }
  }
}

/** `--out`, else the first core glob's file: its folders up to the first wildcard, and `models.yaml`. */
function outFile(ctx: CommandContext, config: Config): string | undefined {
  if (typeof ctx.flags.out === 'string') {
    const rel = toPosix(path.relative(config.root, path.resolve(ctx.cwd, ctx.flags.out)));
    if (rel.startsWith('..') || path.isAbsolute(rel)) return ctx.io.stderr(`schemac pull: --out ${ctx.flags.out} must be inside the workspace\n`), undefined;
    return rel;
  }
  const glob = config.core[0];
  if (glob === undefined) return ctx.io.stderr('schemac pull: the config names no core glob; pass --out FILE\n'), undefined;
  const parts = glob.split('/');
  const fixed = parts.slice(0, -1).filter((p) => !/[*?{[]/.test(p));
  const last = parts.at(-1)!;
  return [...fixed, /[*?{[]/.test(last) ? 'models.yaml' : last].join('/');
}

/** What the models files declare already (the file to be overwritten left out): table, enum and extension names. */
interface Declared {
  readonly tables: ReadonlySet<string>;
  readonly enums: ReadonlySet<string>;
  readonly extensions: ReadonlySet<string>;
}

async function declaredNames(ctx: CommandContext, out: string): Promise<Declared | undefined> {
  const loaded = await loadWorkspace({ cwd: ctx.cwd, configPath: ctx.configPath, lint: false });
  if (!loaded.workspace) {
    printDiagnostics(ctx, loaded.diagnostics, loaded.sources);
    ctx.io.stderr('schemac pull: the models files cannot be read (above); nothing was written\n');
    return undefined;
  }
  const files = loaded.workspace.files.filter((f) => f.path !== out);
  return {
    tables: new Set(files.flatMap((f) => f.tables.map((t) => t.name))),
    enums: new Set(files.flatMap((f) => f.enums.map((e) => e.name))),
    extensions: new Set(files.flatMap((f) => f.extensions.map((e) => e.name))),
  };
}

interface Read {
  readonly tables: readonly SnapTable[];
  readonly enums: PullSource['enums'];
  readonly extensions: readonly string[];
  readonly indexExtras: PullSource['indexExtras'];
  readonly shown: string;
}

async function readDatabase(ctx: CommandContext, config: Config): Promise<Read | undefined> {
  const { redactUrl } = await import('../../runtime/driver.ts');
  const { introspect } = await import('../../runtime/introspect.ts');
  const { indexExtras } = await import('../../runtime/index-extras.ts');
  const target = targetOf(ctx, config);
  const shown = target.kind === 'pg' ? redactUrl(target.url) : `the embedded database in ${target.shown}`;
  if (target.kind === 'pglite' && !hasDatabase(target.dataDir)) {
    ctx.io.stderr(`schemac pull: no --db or DATABASE_URL, and no embedded database in ${target.shown}: nothing to read\n`);
    return undefined;
  }
  const driver = await connectTarget(ctx, 'pull', target);
  if (driver === undefined) return undefined;
  try {
    const q = await driver.connect();
    try {
      const live = await introspect(q);
      return { tables: live.tables, enums: live.enums, extensions: live.extensions, indexExtras: await indexExtras(q), shown };
    } finally {
      await q.close();
    }
  } catch (e) {
    ctx.io.stderr(`schemac pull: cannot read ${shown}: ${(e as Error).message}\n`);
    return undefined;
  } finally {
    await driver.close();
  }
}

/** What the database holds that no models file declares and no `ignore:` glob covers. */
function pulledSource(read: Read, declared: Declared, config: Config): PullSource {
  return {
    tables: read.tables.filter((t) => !declared.tables.has(t.name) && !isIgnoredTable(config.ignore, t.name)),
    enums: read.enums.filter((e) => !declared.enums.has(e.name)),
    extensions: read.extensions.filter((e) => !declared.extensions.has(e)),
    indexExtras: read.indexExtras,
  };
}

/** The source without the unsupported columns, and without the constraints and indexes over them. */
function withoutColumns(source: PullSource, skipped: readonly Unsupported[]): PullSource {
  if (skipped.length === 0) return source;
  const gone = (t: string, cols: readonly string[]) => cols.some((c) => skipped.some((s) => s.table === t && s.column === c));
  const tables = source.tables.map((t): SnapTable => ({
    ...t,
    columns: t.columns.filter((c) => !gone(t.name, [c.name])),
    primaryKey: t.primaryKey && gone(t.name, t.primaryKey.columns) ? null : t.primaryKey,
    foreignKeys: t.foreignKeys.filter((f) => !gone(t.name, f.columns)),
    uniques: t.uniques.filter((u) => !gone(t.name, u.columns)),
    indexes: t.indexes.filter((i) => !gone(t.name, i.columns)),
    checks: t.checks.filter((c) => !skipped.some((s) => s.table === t.name && c.expr.includes(s.column))),
  }));
  return { ...source, tables: tables.filter((t) => t.columns.length > 0) };
}

/**
 * Renders the file, lints it in a scratch copy of the workspace, allows each rule a finding
 * names on its table or column, and renders again (up to three rounds: an allow can uncover
 * nothing new, but a round is cheap). `problems`: diagnostics that are not lint findings
 * (syntax this schemac does not accept), or findings an allow could not place.
 */
async function lintPulled(
  ctx: CommandContext, config: Config, out: string, source: PullSource, header: readonly string[],
): Promise<{ text: string; allowed: number; problems: Diagnostic[] }> {
  const allows = new Map<string, Map<string, string>>();
  let text = renderModelsFile(source, allows, header);
  let problems: Diagnostic[] = [];
  for (let round = 0; round < 3; round++) {
    const diagnostics = await lintScratch(ctx, config, out, text);
    const mine = diagnostics.filter((d) => d.span.file === out && d.severity !== 'info');
    const findings = mine.filter((d) => RULE_IDS.includes(d.code));
    problems = mine.filter((d) => !RULE_IDS.includes(d.code) && d.severity === 'error');
    let added = 0;
    for (const d of findings) {
      const scope = scopeAt(text, d.span.start);
      if (scope === undefined) continue;
      const rules = allows.get(scope) ?? new Map<string, string>();
      if (!rules.has(d.code)) added++;
      rules.set(d.code, PULLED_REASON);
      allows.set(scope, rules);
    }
    if (added === 0) {
      problems.push(...findings.filter((d) => scopeAt(text, d.span.start) === undefined));
      break;
    }
    text = renderModelsFile(source, allows, header);
  }
  const allowed = [...allows.values()].reduce((n, r) => n + r.size, 0);
  return { text, allowed, problems };
}

/** Lints the workspace with `text` at `out`, in a scratch copy holding the config and every models file. */
async function lintScratch(ctx: CommandContext, config: Config, out: string, text: string): Promise<Diagnostic[]> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-pull-'));
  try {
    const configName = config.file ? path.basename(config.file) : 'schemac.config.yaml';
    if (config.file) fs.copyFileSync(config.file, path.join(scratch, configName));
    const first = await loadWorkspace({ cwd: config.root, configPath: ctx.configPath, lint: false });
    for (const rel of first.files) {
      if (rel === out) continue;
      makeDirs(path.dirname(path.join(scratch, rel)));
      fs.copyFileSync(path.join(config.root, rel), path.join(scratch, rel));
    }
    makeDirs(path.dirname(path.join(scratch, out)));
    fs.writeFileSync(path.join(scratch, out), text);
    const loaded = await loadWorkspace({ cwd: scratch, configPath: config.file ? path.join(scratch, configName) : undefined });
    return loaded.diagnostics;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The table (`t`) or column (`t.c`) whose node in the pulled file holds the offset; undefined outside every table. */
export function scopeAt(text: string, offset: number): string | undefined {
  const doc = parseDocument(text);
  const tables = doc.get('tables', true);
  if (!isMap(tables)) return undefined;
  for (const pair of (tables as YAMLMap).items) {
    const name = String((pair.key as { value?: unknown }).value);
    const table = pair.value as YAMLMap | null;
    const keyRange = (pair.key as { range?: number[] }).range;
    const range = (table as { range?: number[] } | null)?.range;
    if (!range || !keyRange || offset < keyRange[0] || offset > range[2]) continue;
    const columns = isMap(table) ? table.get('columns', true) : undefined;
    if (isMap(columns)) {
      for (const c of (columns as YAMLMap).items) {
        const ck = (c.key as { range?: number[] }).range;
        const cv = (c.value as { range?: number[] } | null)?.range;
        if (ck && cv && offset >= ck[0] && offset <= cv[2]) return `${name}.${String((c.key as { value?: unknown }).value)}`;
      }
    }
    return name;
  }
  return undefined;
}
