/**
 * Kysely types from snapshots: the `generated/db.ts` of SPEC §8, in kysely-codegen's
 * conventions. Each owner's section (its enums and table interfaces) is rendered as text by
 * `types-section.ts`, reused from a SectionCache when its owner is unchanged; the file's
 * frame (header, helper types, sections, `DB`) is rendered through `templates/db.ts.hbs`.
 */
import { CORE } from './ir.ts';
import type { Owner, Snapshot } from './ir.ts';
import { compareText } from './snapshot.ts';
import { render } from './templates.ts';
import type { SectionCache } from './types-cache.ts';
import type { HelperName, Section, TypeNames } from './types-section.ts';
import { allocateNames, renderSection, sectionMatches, sortBy, tsKey } from './types-section.ts';

export type { HelperName } from './types-section.ts';
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
}

/** Renders `generated/db.ts` for every owner's snapshot (core first, then orgs by name). */
export function emitTypes(snapshots: readonly Snapshot[], opts: TypesOptions = {}): string {
  return render('db.ts.hbs', typesView(snapshots, opts));
}

/** Builds the view model of `emitTypes`: deterministic whatever the order of `snapshots`; owners with nothing are left out. */
export function typesView(snapshots: readonly Snapshot[], opts: TypesOptions = {}): TypesView {
  const ordered = snapshots
    .filter((s) => s.tables.length > 0 || s.enums.length > 0)
    .sort((a, b) => ownerRank(a.owner) - ownerRank(b.owner) || compareText(a.owner, b.owner));
  const names = allocateNames(ordered);
  const sections = ordered.map((s) => section(s, names, opts.cache));
  const uses: Record<HelperName, boolean> = { Generated: false, ArrayType: false, Int8: false, Numeric: false, Timestamp: false, Json: false };
  for (const h of sections.flatMap((s) => s.uses)) uses[h] = true;
  const tables = ordered.flatMap((s) => s.tables);
  const db = sortBy(tables, (t) => t.name).map((t) => `${tsKey(t.name)}: ${names.tables.get(t.name)!};`);
  return { kyselyImports: kyselyImports(uses, tables.length > 0), uses, sections: sections.map((s) => s.text), db };
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
