/**
 * A Mermaid `erDiagram` of snapshots: one entity per table (columns with type, name and
 * PK/FK/UK markers) and one relationship per foreign key, its cardinality read from the
 * foreign key's nullability (parent side) and uniqueness (child side).
 */
import type { Owner, SnapColumn, SnapForeignKey, Snapshot, SnapTable } from '../ir.ts';
import { CORE } from '../ir.ts';
import { render } from './templates.ts';

/** ErdOptions narrow the diagram to one owner's tables plus the tables they reference, and title it. */
export interface ErdOptions {
  readonly owner?: Owner;
  /** A title shown above the rendered diagram (Mermaid front matter); none when absent. */
  readonly title?: string;
}

/** An AttributeView is one column line of an entity. */
export interface AttributeView {
  readonly type: string;
  readonly name: string;
  /** `PK`, `FK`, `UK` joined by `, `; empty when none. */
  readonly keys: string;
  /** The quoted comment's text (`nullable`, the column's comment); empty when none. */
  readonly comment: string;
}

/** An EntityView is one table. */
export interface EntityView {
  readonly name: string;
  readonly attributes: readonly AttributeView[];
}

/** A RelationshipView is one foreign key: `parent ||--o{ child : "label"`. */
export interface RelationshipView {
  readonly parent: string;
  readonly cardinality: string;
  readonly child: string;
  readonly label: string;
}

/** An ErdView is the view model of `templates/erd.mmd.hbs`. */
export interface ErdView {
  /** The title as a double-quoted YAML scalar (empty: no front matter). */
  readonly title: string;
  readonly entities: readonly EntityView[];
  readonly relationships: readonly RelationshipView[];
}

/** Renders the Mermaid ER diagram of the snapshots (or of one owner and what it references). */
export function renderErd(snapshots: readonly Snapshot[], opts: ErdOptions = {}): string {
  return render('erd.mmd.hbs', erdView(snapshots, opts));
}

/** Builds the view model of `renderErd`: entities and relationships sorted by name. */
export function erdView(snapshots: readonly Snapshot[], opts: ErdOptions = {}): ErdView {
  const all = new Map(snapshots.flatMap((s) => s.tables).map((t) => [t.name, t] as const));
  const focus = snapshots.filter((s) => opts.owner === undefined || s.owner === opts.owner).flatMap((s) => s.tables);
  const focusNames = new Set(focus.map((t) => t.name));
  const referenced = new Map<string, Set<string>>();
  for (const fk of focus.flatMap((t) => t.foreignKeys)) {
    if (focusNames.has(fk.refTable) || !all.has(fk.refTable)) continue;
    const cols = referenced.get(fk.refTable) ?? new Set<string>();
    fk.refColumns.forEach((c) => cols.add(c));
    referenced.set(fk.refTable, cols);
  }
  const entities = [
    ...focus.map((t) => entityView(t, () => true)),
    ...[...referenced].map(([name, cols]) => {
      const t = all.get(name)!;
      return entityView(t, (c) => cols.has(c.name) || (t.primaryKey?.columns.includes(c.name) ?? false));
    }),
  ].sort((a, b) => compare(a.name, b.name));
  const relationships = sortTables(focus).flatMap((t) => sortFks(t.foreignKeys).map((fk) => relationshipView(t, fk)));
  const title = commentText(opts.title ?? '');
  return { title: title === '' ? '' : JSON.stringify(title), entities, relationships };
}

/** An ErdFile is one owner's diagram, named `<owner>.mmd`. */
export interface ErdFile {
  readonly owner: Owner;
  readonly name: string;
  readonly contents: string;
  readonly tables: number;
}

/**
 * One diagram per owner (core, then the orgs by name): the owner's tables plus, for an org,
 * the core tables it references, reduced to their keys.
 */
export function erdFiles(snapshots: readonly Snapshot[], owners: readonly Owner[]): ErdFile[] {
  return owners.map((owner) => {
    const tables = snapshots.filter((s) => s.owner === owner).reduce((n, s) => n + s.tables.length, 0);
    const title = owner === CORE ? 'core' : `${owner} (and the core tables it references)`;
    return { owner, name: `${owner}.mmd`, contents: renderErd(snapshots, { owner, title }), tables };
  });
}

function entityView(table: SnapTable, keep: (c: SnapColumn) => boolean): EntityView {
  const fkColumns = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  const attributes = table.columns.filter(keep).map((c): AttributeView => {
    const keys = [
      table.primaryKey?.columns.includes(c.name) ? 'PK' : '',
      fkColumns.has(c.name) ? 'FK' : '',
      isUnique(table, [c.name]) && !(table.primaryKey?.columns.length === 1 && table.primaryKey.columns[0] === c.name) ? 'UK' : '',
    ].filter((k) => k !== '');
    const comment = [c.nullable ? 'nullable' : '', c.comment ?? ''].filter((x) => x !== '').join('; ');
    return { type: word(c.type), name: word(c.name), keys: keys.join(', '), comment: commentText(comment) };
  });
  return { name: entityName(table.name), attributes };
}

function relationshipView(child: SnapTable, fk: SnapForeignKey): RelationshipView {
  const optional = fk.columns.some((name) => child.columns.find((c) => c.name === name)?.nullable ?? false);
  const one = isUnique(child, fk.columns);
  const identifying = fk.columns.every((c) => child.primaryKey?.columns.includes(c) ?? false);
  const cardinality = `${optional ? '|o' : '||'}${identifying ? '--' : '..'}${one ? 'o|' : 'o{'}`;
  return { parent: entityName(fk.refTable), cardinality, child: entityName(child.name), label: commentText(fk.columns.join(', ')) };
}

/** True when `columns` (as a set) is the primary key, a unique constraint, or a full unique index. */
function isUnique(table: SnapTable, columns: readonly string[]): boolean {
  const same = (cols: readonly string[]): boolean => cols.length === columns.length && cols.every((c) => columns.includes(c));
  return (
    (table.primaryKey !== null && same(table.primaryKey.columns)) ||
    table.uniques.some((u) => same(u.columns)) ||
    table.indexes.some((i) => i.unique && i.where === null && same(i.columns))
  );
}

/** An attribute type or name as Mermaid accepts it: other characters become `_`; key words get a `_`. */
function word(text: string): string {
  const w = text.replace(/[^A-Za-z0-9_\-[\]()]/g, '_');
  if (/^(pk|fk|uk)$/i.test(w)) return `${w}_`;
  return /^[A-Za-z_]/.test(w) ? w : `_${w}`;
}

/** An entity name: bare when Mermaid accepts it, else double-quoted. */
function entityName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : `"${commentText(name)}"`;
}

/** Text inside double quotes: no `"` and no line breaks. */
function commentText(text: string): string {
  return text.replace(/"/g, "'").replace(/\s+/g, ' ').trim();
}

function sortTables(tables: readonly SnapTable[]): SnapTable[] {
  return [...tables].sort((a, b) => compare(a.name, b.name));
}

function sortFks(fks: readonly SnapForeignKey[]): SnapForeignKey[] {
  return [...fks].sort((a, b) => compare(a.name, b.name));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
