/**
 * Kysely types from snapshots: the `generated/db.ts` of SPEC §8, in kysely-codegen's
 * conventions. Each owner's section (its enums and table interfaces) is rendered as text by
 * `types-section.ts`, reused from a SectionCache when its owner is unchanged, or rendered
 * ahead while its snapshot was read (`renderAhead`: a command about one org); the file's
 * frame (header, helper types, sections, `DB`) is rendered through `templates/db.ts.hbs`.
 */
import { compareText } from '../engine/index.ts';
import type { Owner, Snapshot } from '../ir.ts';
import { CORE } from '../ir.ts';
import { render } from './templates.ts';
import type { SectionCache } from './types-cache.ts';
import type { HelperName, NamedParts, NamesMemo, Section, TypeNames } from './types-section.ts';
import { allocateNames, renderSection, sectionMatches, sortBy, tsKey, unclashedNames } from './types-section.ts';

export type { HelperName, NamesMemo, TypeNames } from './types-section.ts';
export { columnType, parseType, pascalCase, tsKey, tsString } from './types-section.ts';

/** A TypesView is the whole view model of `templates/db.ts.hbs`. */
export interface TypesView {
  /** The names imported from kysely, sorted; empty when nothing is. */
  readonly kyselyImports: readonly string[];
  readonly uses: Readonly<Record<HelperName, boolean>>;
  /** Each owner's section, rendered (core first, then orgs by name). */
  readonly sections: readonly string[];
  /** `DB`'s property lines (`key: Interface;`), sorted by table name. */
  readonly db: readonly string[];
}

/** TypesOptions tune `emitTypes`. */
export interface TypesOptions {
  /** Sections rendered before: an owner whose snapshot and names are unchanged is not rendered again. */
  readonly cache?: SectionCache;
  /** Allocations made before (by another process): the same enum and table names are not allocated again. */
  readonly names?: NamesMemo;
}

/**
 * A RenderedOwner is an owner's section rendered ahead, from a snapshot that is not held
 * any more (see `renderAhead`), with the names the allocation needs of it.
 */
export interface RenderedOwner extends NamedParts {
  readonly owner: Owner;
  readonly section: Section;
  /** The snapshot again, for when the names the section used are allocated otherwise. */
  readonly snapshot: () => Snapshot;
}

/**
 * Renders an owner's section ahead, with the names its tables and enums, and those of
 * `others` (the owners whose snapshots are at hand: core's enums type org columns), get
 * when no name clashes. `emitTypes` uses it as it is unless the names it used are
 * allocated otherwise across every owner, which only a clash of names makes so.
 */
export function renderAhead(snapshot: Snapshot, others: readonly Snapshot[], again: () => Snapshot): RenderedOwner {
  const named = (xs: readonly { readonly name: string }[]) => xs.map((x) => ({ name: x.name }));
  const section = renderSection(snapshot, unclashedNames([...others.map((o) => ({ enums: o.enums, tables: [] })), snapshot]));
  return { owner: snapshot.owner, enums: named(snapshot.enums), tables: named(snapshot.tables), section, snapshot: again };
}

/** An owner's part of db.ts: its snapshot, or its section rendered ahead. */
export type TypesOwner = Snapshot | RenderedOwner;

/** Renders `generated/db.ts` for every owner (core first, then orgs by name). */
export function emitTypes(owners: readonly TypesOwner[], opts: TypesOptions = {}): string {
  return render('db.ts.hbs', typesView(owners, opts));
}

/** Builds the view model of `emitTypes`: deterministic whatever the order of `owners`; owners with nothing are left out. */
export function typesView(owners: readonly TypesOwner[], opts: TypesOptions = {}): TypesView {
  const ordered = owners
    .filter((s) => s.tables.length > 0 || s.enums.length > 0)
    .sort((a, b) => ownerRank(a.owner) - ownerRank(b.owner) || compareText(a.owner, b.owner));
  const names = allocateNames(ordered, opts.names);
  const sections = ordered.map((s) => ('section' in s ? renderedSection(s, names) : section(s, names, opts.cache)));
  const uses: Record<HelperName, boolean> = { Generated: false, ArrayType: false, Int8: false, Numeric: false, Timestamp: false, Json: false };
  for (const h of sections.flatMap((s) => s.uses)) uses[h] = true;
  const tables = ordered.flatMap((s): readonly { readonly name: string }[] => s.tables);
  const db = sortBy(tables, (t) => t.name).map((t) => `${tsKey(t.name)}: ${names.tables.get(t.name)!};`);
  return { kyselyImports: kyselyImports(uses, tables.length > 0), uses, sections: sections.map((s) => s.text), db };
}

/** A section rendered ahead, or rendered again when the names it used are allocated otherwise. */
function renderedSection(owner: RenderedOwner, names: TypeNames): Section {
  return sectionMatches(owner.section, names) ? owner.section : renderSection(owner.snapshot(), names);
}

/** An owner's section: the cached one when it used the same names, else rendered (and cached). */
function section(snapshot: Snapshot, names: TypeNames, cache: SectionCache | undefined): Section {
  const cached = cache?.get(snapshot);
  if (cached !== undefined && sectionMatches(cached, names)) return cached;
  const fresh = renderSection(snapshot, names);
  cache?.set(snapshot, fresh);
  return fresh;
}

function kyselyImports(uses: Readonly<Record<HelperName, boolean>>, anyTable: boolean): string[] {
  if (!anyTable) return [];
  const columnType = uses.Generated || uses.ArrayType || uses.Int8 || uses.Numeric || uses.Timestamp;
  return [...(columnType ? ['ColumnType'] : []), 'Insertable', 'Selectable', 'Updateable'];
}

function ownerRank(owner: Owner): number {
  return owner === CORE ? 0 : 1;
}
