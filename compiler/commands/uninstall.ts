/**
 * `schemac uninstall <org>/<tool> [--remove-files]`: writes the org's migration that moves
 * the tool's tables (and the enums only they used) into schema `archive_<org>` with their
 * rows, instead of dropping them, and records them in the org's snapshot under `archived`.
 * When the tool's models come back, the next `schemac migration` restores them.
 *
 * The tool's tables are those its models files declare (`--remove-files` then deletes those
 * files), or, once the files are gone, the org's snapshot tables no models file declares any
 * more. Refused, writing nothing, while core or the org has other pending changes, or while
 * another table still references one of the tool's tables or enums.
 */
import { renderMigration, typesOutput } from '../emit/index.ts';
import type { Change, OutputFile } from '../engine/index.ts';
import {
  archiveSchemaName, carryArchive, chainAfter, diff, existingHashes, hasChanges, hashText, migrationPath, plan, renameHints,
  renderSnapshotSum, renderSumOfHashes, serializeSnapshot, snapshotOf, snapshotPath, snapshotSumPath, sumPath, toSnapshot, writeFiles, removeFiles, workspaceFiles,
} from '../engine/index.ts';
import type { ModelFile, Owner, SnapEnum, Snapshot, SnapTable, Workspace } from '../ir.ts';
import { CORE } from '../ir.ts';
import type { CommandContext } from './context.ts';
import { EXIT } from './context.ts';
import { clock, freshName } from './migration.ts';
import type { Format, Loaded } from './workspace-io.ts';
import { formatOf, loadAndPlan, migrationCommand, printDiagnostics, sumFailures, typesOwners } from './workspace-io.ts';

const USAGE = 'usage: schemac uninstall <org>/<tool> [--remove-files]\n';

/** Runs `schemac uninstall`. */
export async function run(ctx: CommandContext): Promise<number> {
  const m = /^([a-z][a-z0-9_]{0,30})\/([A-Za-z0-9_.-]+)$/.exec(ctx.args[0] ?? '');
  if (m === null || m[1] === CORE) return fail(ctx, `'${ctx.args[0] ?? ''}' is not <org>/<tool> (e.g. acme/invoice_generator)\n${USAGE}`, EXIT.usage);
  const [, org, tool] = m;
  const format = formatOf(ctx, 'uninstall');
  const now = clock(ctx);
  if (format === undefined || now === undefined) return EXIT.usage;
  const result = await loadAndPlan(ctx, format);
  if ('exit' in result) return result.exit;
  const { loaded } = result;
  if (!loaded.owners.includes(org)) return fail(ctx, `unknown org '${org}': it has neither models nor a snapshot`, EXIT.usage);
  const refused = preconditions(ctx, loaded, org, format);
  if (refused !== undefined) return refused;
  const toolFiles = loaded.workspace.files.filter((f) => f.owner === org && isToolFile(f.path, org, tool));
  if (toolFiles.length > 0 && ctx.flags['remove-files'] !== true) {
    const declared = toolFiles.flatMap((f) => f.tables.map((t) => `"${t.name}"`)).join(', ') || 'no table';
    return fail(ctx, `${toolFiles.map((f) => f.path).join(', ')} still declare${toolFiles.length === 1 ? 's' : ''} ${declared}; delete the tool's models first, or rerun with --remove-files`);
  }
  const after = withoutFiles(loaded.workspace, toolFiles);
  const dangling = referencesInto(after, toolFiles);
  if (dangling.length > 0) return fail(ctx, `${dangling.join('; ')}; uninstall that tool too, or remove the reference and write its migration first`);
  const archive = archivePlan(loaded, after, org, toolFiles);
  if (typeof archive === 'string') return fail(ctx, archive);
  return write(ctx, loaded, after, { org, tool, now, toolFiles, ...archive });
}

function fail(ctx: CommandContext, message: string, code: number = EXIT.failed): number {
  ctx.io.stderr(`schemac uninstall: ${message}${message.endsWith('\n') ? '' : '\n'}`);
  if (code === EXIT.failed) ctx.io.stderr('schemac uninstall: refused; nothing was written\n');
  return code;
}

function preconditions(ctx: CommandContext, loaded: Loaded, org: Owner, format: Format): number | undefined {
  if (loaded.state.missing.length > 0) {
    printDiagnostics(ctx, loaded.state.missing, loaded.sources, format);
    return fail(ctx, 'a migration the snapshots depend on is missing; restore it first');
  }
  const stale = sumFailures(loaded.config, loaded.state);
  if (stale.length > 0) return fail(ctx, `${stale.join('\n')}\nschemac.sum must match the migrations first`);
  if (hasChanges(loaded.plans.get(CORE)!)) return fail(ctx, `core has model changes without a migration; write that first with ${migrationCommand(CORE, undefined, loaded.config.root)}`);
  return undefined;
}

/** True when a models file belongs to the tool: its path has `<org>/<tool>/` (e.g. `schemas/custom_tools/acme/invoicing/models.yaml`). */
export function isToolFile(file: string, org: Owner, tool: string): boolean {
  const parts = file.split('/');
  return parts.some((p, i) => p === org && parts[i + 1] === tool && i + 2 < parts.length);
}

/** The workspace without some files (and the tables and enums they declare). */
function withoutFiles(ws: Workspace, files: readonly ModelFile[]): Workspace {
  if (files.length === 0) return ws;
  const gone = new Set(files.map((f) => f.path));
  return {
    ...ws,
    files: ws.files.filter((f) => !gone.has(f.path)),
    tables: new Map([...ws.tables].filter(([, t]) => !gone.has(t.file))),
    enums: new Map([...ws.enums].filter(([, e]) => !gone.has(e.file))),
  };
}

/** Foreign keys and column types of the remaining models that point into the removed files. */
function referencesInto(after: Workspace, removed: readonly ModelFile[]): string[] {
  const tables = new Set(removed.flatMap((f) => f.tables.map((t) => t.name)));
  const enums = new Set(removed.flatMap((f) => f.enums.map((e) => e.name)));
  const out: string[] = [];
  for (const t of after.tables.values()) {
    for (const c of t.columns) {
      if (c.references && tables.has(c.references.table)) out.push(`"${t.name}"."${c.name}" (${t.file}) references "${c.references.table}"`);
      if (c.type.enumName !== undefined && enums.has(c.type.enumName)) out.push(`"${t.name}"."${c.name}" (${t.file}) has the type "${c.type.enumName}"`);
    }
    for (const fk of t.foreignKeys ?? []) {
      if (tables.has(fk.table)) out.push(`"${t.name}" (${fk.columns.map((c) => `"${c}"`).join(', ')}) (${t.file}) references "${fk.table}"`);
    }
  }
  return out;
}

/** What the uninstall archives, and the org's snapshot after it; a refusal message instead when the org has other pending changes. */
function archivePlan(loaded: Loaded, after: Workspace, org: Owner, toolFiles: readonly ModelFile[]): { tables: SnapTable[]; enums: SnapEnum[]; next: Snapshot } | string {
  const prev = snapshotOf(loaded.state, org);
  const next = carryArchive(toSnapshot(after, org), prev);
  const changes = diff(prev, next, renameHints(after, org));
  const tables = changes.flatMap((c) => (c.kind === 'DropTable' ? [c.table] : []));
  const enums = changes.flatMap((c) => (c.kind === 'DropEnum' ? [c.enum] : []));
  const declared = new Set(toolFiles.flatMap((f) => [...f.tables.map((t) => t.name), ...f.enums.map((e) => e.name)]));
  const foreign = [...tables, ...enums].filter((x) => toolFiles.length > 0 && !declared.has(x.name)).map((x) => `"${x.name}"`);
  const other = changes.filter((c) => !isArchivable(c, tables));
  if (other.length > 0 || foreign.length > 0) {
    const what = foreign.length > 0 ? `its models no longer declare ${foreign.join(', ')} either` : 'it has other model changes without a migration';
    return `${org} has pending changes besides this tool (${what}); write them first with ${migrationCommand(org, undefined, loaded.config.root)}`;
  }
  if (tables.length + enums.length === 0) return `nothing to archive: ${org}'s snapshot holds no table or enum of this tool (a tool never migrated needs no uninstall: delete its models)`;
  const archived = { tables: [...(next.archived?.tables ?? []), ...tables], enums: [...(next.archived?.enums ?? []), ...enums] };
  return { tables, enums, next: { ...next, archived } };
}

function isArchivable(c: Change, tables: readonly SnapTable[]): boolean {
  return c.kind === 'DropTable' || c.kind === 'DropEnum' || (c.kind === 'DropForeignKey' && tables.some((t) => t.name === c.table));
}

interface Archive {
  readonly org: Owner;
  readonly tool: string;
  readonly now: Date;
  readonly toolFiles: readonly ModelFile[];
  readonly tables: readonly SnapTable[];
  readonly enums: readonly SnapEnum[];
  readonly next: Snapshot;
}

/** Writes the migration, the org's snapshot, the sum and the types; then deletes the tool's models files when asked to. */
function write(ctx: CommandContext, loaded: Loaded, after: Workspace, a: Archive): number {
  const { config } = loaded;
  const schema = archiveSchemaName(a.org);
  const changes: Change[] = [
    ...a.tables.map((table): Change => ({ kind: 'ArchiveTable', table, schema })),
    ...a.enums.map((e): Change => ({ kind: 'ArchiveEnum', enum: e, schema })),
  ];
  const prev = snapshotOf(loaded.state, a.org);
  const statements = plan(changes, { prev, next: a.next });
  const description = `uninstall ${a.tool}`;
  const name = freshName(a.now, a.org, description, loaded.state.migrations.map((m) => ({ name: m.name, owner: m.owner })));
  const text = renderMigration({ owner: a.org, description, statements, distribution: config.distribution !== undefined });
  const owners = typesOwners(loaded, (o) => (o === a.org ? a.next : loaded.plans.has(o) ? toSnapshot(after, o) : undefined));
  const types = typesOutput(config.out.types, owners, workspaceFiles(config.root));
  const snapshot = serializeSnapshot({ ...a.next, migrations: chainAfter(loaded.state, a.org, [name]) });
  const files: OutputFile[] = [
    { path: migrationPath(config, name), contents: text },
    { path: snapshotPath(config, a.org), contents: snapshot },
    { path: snapshotSumPath(config), contents: renderSnapshotSum(loaded.state, new Map([[a.org, hashText(snapshot)]])) },
    { path: sumPath(config), contents: renderSumOfHashes([...existingHashes(loaded.state.sumText, loaded.state.migrations), { name, hash: hashText(text) }]) },
    ...types.files,
  ];
  const failure = writeFiles(config.root, files) ?? removeFiles(config.root, [...types.remove, ...a.toolFiles.map((f) => f.path)]);
  if (failure !== undefined) return fail(ctx, `could not write the files: ${failure}`);
  const moved = [...a.tables.map((t) => `table "${t.name}"`), ...a.enums.map((e) => `enum "${e.name}"`)].join(', ');
  ctx.io.stdout(`Wrote ${migrationPath(config, name)}: moves ${moved} into schema "${schema}" with their data\n`);
  ctx.io.stdout(`Updated ${files.slice(1).map((f) => f.path).join(', ')}\n`);
  for (const f of types.remove) ctx.io.stdout(`Removed ${f}\n`);
  for (const f of a.toolFiles) ctx.io.stdout(`Removed ${f.path}\n`);
  ctx.io.stdout(`Restoring the models file later makes the next \`schemac migration --org ${a.org}\` move them back.\n`);
  return EXIT.ok;
}
