/**
 * The one intermediate representation of schemac.
 *
 * Two layers live here:
 * - the *model* IR (`ModelFile`, `TableDef`, `ColumnDef`, …): what a models.yaml says,
 *   every node carrying the `Span` of the YAML node it came from;
 * - the *schema* IR (`Snapshot`, `SnapTable`, …): the normalized, span-free schema of one
 *   owner, with every constraint, index and trigger named explicitly. Snapshots are written
 *   to `generated/snapshots/<owner>.json`, diffed, and compared with live databases.
 *
 * And the workspace config (`Config`, SPEC §2), the settings every stage reads; loading and
 * validating `schemac.config.yaml` is `config/`'s.
 */

/** A Span is a half-open range of character offsets into one source file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** An Owner is `core` or the name of an org (`^[a-z][a-z0-9_]{0,30}$`, never `core`). */
export type Owner = string;

export const CORE: Owner = 'core';

/** A Severity is how much a diagnostic matters; `off` silences a rule. */
export type Severity = 'error' | 'warn' | 'info';

/** A RuleSeverity is a severity a workspace may set for a lint rule. */
export type RuleSeverity = Severity | 'off';

/** A LintSettings is the `lint:` block of a workspace, file, table or column. */
export interface LintSettings {
  /** rule id → the reason it is allowed here (a reason is required). */
  readonly allow: Readonly<Record<string, string>>;
  readonly span?: Span;
}

/** A BaseType is one of the scalar types of the models.yaml language. */
export type BaseType =
  | 'smallint' | 'integer' | 'bigint' | 'serial' | 'bigserial'
  | 'numeric' | 'real' | 'double precision' | 'boolean'
  | 'text' | 'varchar' | 'char' | 'uuid'
  | 'date' | 'time' | 'timestamp' | 'timestamptz' | 'interval'
  | 'json' | 'jsonb' | 'bytea' | 'inet' | 'vector' | 'halfvec' | 'sparsevec' | 'citext'
  | 'enum';

/**
 * A TypeRef is a parsed column type: `varchar(50)`, `numeric(10,2)`, `acme_status[]`. It says
 * what the type is, not where it is written (that is the column's `typeSpan`), so the columns
 * of a file that write the same type text share one TypeRef.
 */
export interface TypeRef {
  readonly kind: 'type';
  readonly base: BaseType;
  /** Type modifiers: `[50]` for varchar(50), `[10, 2]` for numeric(10,2). */
  readonly params: readonly number[];
  readonly array: boolean;
  /** The enum's name when `base` is `enum`. */
  readonly enumName?: string;
  /** Canonical type text, e.g. `varchar(50)`, `double precision`, `acme_status[]` (names unquoted). */
  readonly sql: string;
}

/** A Fragment is a user-written SQL expression (`sql:` default, `check`, index `where`). */
export interface Fragment {
  readonly kind: 'fragment';
  readonly sql: string;
  readonly span: Span;
}

/** A DefaultDef is a column default: a typed literal, an allowlisted function, or an expression. */
export type DefaultDef =
  | { readonly kind: 'literal'; readonly value: unknown; readonly span: Span }
  | { readonly kind: 'function'; readonly fn: AllowedFunction; readonly span: Span }
  | { readonly kind: 'sql'; readonly fragment: Fragment; readonly span: Span };

/** An AllowedFunction is a function call a default or fragment may use. */
export type AllowedFunction = 'now()' | 'current_date' | 'current_timestamp' | 'gen_random_uuid()';

/** A ReferentialAction is what a foreign key does on delete or update. */
export type ReferentialAction = 'cascade' | 'restrict' | 'set null' | 'set default' | 'no action';

/** A ReferenceDef is a column's foreign key target. */
export interface ReferenceDef {
  readonly kind: 'reference';
  readonly table: string;
  readonly column: string;
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  /** An explicit constraint name (default `<table>_<column>_fkey`). */
  readonly name?: string;
  readonly span: Span;
}

/** ColumnConstraintNames are the explicit names of a column's own constraints (`primary_key: {name}` …). */
export interface ColumnConstraintNames {
  readonly primaryKey?: string;
  readonly unique?: string;
  readonly check?: string;
}

/** A ColumnDef is one column of a table as a models.yaml declares it. */
export interface ColumnDef {
  readonly kind: 'column';
  readonly name: string;
  readonly type: TypeRef;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly unique: boolean;
  readonly index: boolean;
  readonly default?: DefaultDef;
  readonly references?: ReferenceDef;
  readonly comment?: string;
  readonly check?: Fragment;
  /** Explicit names of the column's primary key, unique and check constraints; absent when none is named. */
  readonly constraintNames?: ColumnConstraintNames;
  /** `on_update: now()`: the column is set to now() by a trigger on every UPDATE. */
  readonly onUpdateNow: boolean;
  readonly encrypted: boolean;
  readonly renamedFrom?: string;
  readonly lint: LintSettings;
  /** The span of the column's key in its table's `columns` map. */
  readonly span: Span;
  /** The span of the column's value (shorthand string or map). */
  readonly valueSpan: Span;
  /** The span of the column's type text: the shorthand string (its `valueSpan`), or the value of `type:`. */
  readonly typeSpan: Span;
}

/** An IndexMethod is an index access method. */
export type IndexMethod = 'btree' | 'gin' | 'gist' | 'brin' | 'hash' | 'hnsw' | 'ivfflat';

/** An IndexDef is an entry of a table's `indexes` list. */
export interface IndexDef {
  readonly kind: 'index';
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly where?: Fragment;
  readonly using: IndexMethod;
  readonly name?: string;
  /** Column → operator class (`opclass:`), each with the span of its text; absent for the method's defaults. */
  readonly opclasses?: Readonly<Record<string, { readonly name: string; readonly span: Span }>>;
  /** The storage parameters of `with:` (hnsw: m, ef_construction; ivfflat: lists), with the span of the map. */
  readonly with?: { readonly params: Readonly<Record<string, unknown>>; readonly span: Span };
  readonly span: Span;
}

/** A UniqueDef is an entry of a table's `unique` list: a composite unique constraint. */
export interface UniqueDef {
  readonly kind: 'unique';
  readonly columns: readonly string[];
  /** An explicit constraint name (default `<table>_<columns>_key`). */
  readonly name?: string;
  readonly span: Span;
}

/** A CheckDef is an entry of a table's `checks` map (name → expression). */
export interface CheckDef {
  readonly kind: 'check';
  readonly name: string;
  readonly expr: Fragment;
  /** An explicit constraint name (default `<table>_<key>_check`). */
  readonly constraintName?: string;
  readonly span: Span;
}

/** A ForeignKeyDef is an entry of a table's `foreign_keys` list: a (possibly composite) foreign key. */
export interface ForeignKeyDef {
  readonly kind: 'foreignKey';
  /** The referencing columns of this table, in order. */
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly table: string;
  /** The referenced columns, paired in order with `columns`. */
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  /** An explicit constraint name (default `<table>_<columns>_fkey`). */
  readonly name?: string;
  /** The span of the entry. */
  readonly span: Span;
  /** The span of its `references` map (the entry's when absent). */
  readonly refSpan: Span;
}

/** A Tenancy says whether a table's rows belong to one client or to everyone. */
export type Tenancy = 'client' | 'global';

/** A TableDef is one table as a models.yaml declares it. */
export interface TableDef {
  readonly kind: 'table';
  readonly name: string;
  readonly owner: Owner;
  readonly file: string;
  readonly comment?: string;
  readonly columns: readonly ColumnDef[];
  /** A composite primary key from the table-level `primary_key` key. */
  readonly primaryKey?: { readonly columns: readonly string[]; readonly span: Span; readonly name?: string };
  readonly indexes: readonly IndexDef[];
  readonly uniques: readonly UniqueDef[];
  readonly checks: readonly CheckDef[];
  /** The table-level `foreign_keys` (composite ones among them); absent when it declares none. */
  readonly foreignKeys?: readonly ForeignKeyDef[];
  readonly tenant: Tenancy;
  readonly rls: boolean;
  /** True when the table sets `rls` itself; otherwise the config's `rls` default applies. */
  readonly rlsExplicit?: boolean;
  readonly renamedFrom?: string;
  readonly lint: LintSettings;
  /** The span of the table's key in `tables`. */
  readonly span: Span;
}

/** An EnumDef is one enum type as a models.yaml declares it. */
export interface EnumDef {
  readonly kind: 'enum';
  readonly name: string;
  readonly owner: Owner;
  readonly file: string;
  readonly values: readonly string[];
  readonly renamedFrom?: string;
  readonly span: Span;
  /** One span per value, in order. */
  readonly valueSpans: readonly Span[];
}

/** An ExtensionRef is one entry of a file's `extensions` list. */
export interface ExtensionRef {
  readonly kind: 'extension';
  readonly name: string;
  readonly span: Span;
}

/** A ModelFile is one validated models.yaml: its owner, its source, and what it declares. */
export interface ModelFile {
  readonly kind: 'file';
  /** Path relative to the workspace root, with forward slashes. */
  readonly path: string;
  readonly owner: Owner;
  readonly tables: readonly TableDef[];
  readonly enums: readonly EnumDef[];
  readonly extensions: readonly ExtensionRef[];
  readonly lint: LintSettings;
}

/** A SourceFile is a discovered models.yaml before parsing: where it is, who owns it, its text. */
export interface SourceFile {
  readonly path: string;
  readonly owner: Owner;
  readonly text: string;
}

/**
 * A Workspace is every model file after resolution: references checked, names unique,
 * derived names computed (see `compiler/names.ts`).
 */
export interface Workspace {
  readonly kind: 'workspace';
  readonly files: readonly ModelFile[];
  /** Every table by name. */
  readonly tables: ReadonlyMap<string, TableDef>;
  /** Every enum by name. */
  readonly enums: ReadonlyMap<string, EnumDef>;
  /** `core` first, then every org in name order, including orgs with only snapshots. */
  readonly owners: readonly Owner[];
}

// ---------------------------------------------------------------------------
// The schema IR: normalized snapshots.
// ---------------------------------------------------------------------------

/** The snapshot format version; bump it when the shape below changes. */
export const SNAPSHOT_VERSION = 1;

/** A Snapshot is the normalized schema of one owner's objects after its latest migration. */
export interface Snapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly owner: Owner;
  /** Extension names, sorted. */
  readonly extensions: readonly string[];
  /** Enums sorted by name. */
  readonly enums: readonly SnapEnum[];
  /** Tables sorted by name. */
  readonly tables: readonly SnapTable[];
  /** Tables and enums of uninstalled tools, kept with their data in schema `archive_<owner>`; absent when none. */
  readonly archived?: SnapArchive;
  /**
   * The names of the owner's migration files this snapshot is the result of, in order: `check`
   * and `migration` refuse while one of them is missing. Absent in snapshots written before
   * schemac recorded it (nothing is checked for those).
   */
  readonly migrations?: readonly string[];
}

/** A SnapArchive is what `schemac uninstall` moved out of `public`: restored by name when a tool comes back. */
export interface SnapArchive {
  /** Tables sorted by name, as they were when archived. */
  readonly tables: readonly SnapTable[];
  /** Enums sorted by name. */
  readonly enums: readonly SnapEnum[];
}

/** A SnapEnum is an enum type with its values in order. */
export interface SnapEnum {
  readonly name: string;
  readonly values: readonly string[];
}

/** A SnapColumn is a column: canonical type text, nullability, default as SQL, comment. */
export interface SnapColumn {
  readonly name: string;
  /** Canonical type SQL: `integer`, `varchar(50)`, `numeric(10,2)`, `acme_status[]`, `serial`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default as the SQL expression emitted, e.g. `'pending'`, `0`, `now()`; null when none. */
  readonly default: string | null;
  readonly comment: string | null;
}

/** A SnapPrimaryKey is a named primary key. */
export interface SnapPrimaryKey {
  readonly name: string;
  readonly columns: readonly string[];
}

/** A SnapForeignKey is a named foreign key. */
export interface SnapForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

/** A SnapUnique is a named unique constraint. */
export interface SnapUnique {
  readonly name: string;
  readonly columns: readonly string[];
}

/** A SnapCheck is a named check constraint with its expression as written. */
export interface SnapCheck {
  readonly name: string;
  readonly expr: string;
}

/** A SnapIndex is a named index (not backing a constraint). */
export interface SnapIndex {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
  readonly using: IndexMethod;
  readonly where: string | null;
  /** Column → operator class, for the columns whose class is not their type's default (absent when none). */
  readonly opclasses?: Readonly<Record<string, string>>;
  /** Storage parameters, name → value (absent when none). */
  readonly with?: Readonly<Record<string, number>>;
}

/** A SnapTrigger is a trigger schemac manages; `set_updated_at` sets `columns` to now() on UPDATE. */
export interface SnapTrigger {
  readonly name: string;
  readonly kind: 'set_updated_at';
  /** The trigger function's name (one per table). */
  readonly function: string;
  readonly columns: readonly string[];
}

/** A SnapRls is a table's row-level-security policy on `client_id`. */
export interface SnapRls {
  readonly policy: string;
}

/** A SnapTable is a table with every constraint, index and trigger named. */
export interface SnapTable {
  readonly name: string;
  readonly comment: string | null;
  readonly tenant: Tenancy;
  /** Columns in declared order. */
  readonly columns: readonly SnapColumn[];
  readonly primaryKey: SnapPrimaryKey | null;
  /** Sorted by name, as are the lists below. */
  readonly foreignKeys: readonly SnapForeignKey[];
  readonly uniques: readonly SnapUnique[];
  readonly checks: readonly SnapCheck[];
  readonly indexes: readonly SnapIndex[];
  readonly triggers: readonly SnapTrigger[];
  readonly rls: SnapRls | null;
}

/** RenameHints are the `renamed_from` declarations of the models, keyed by the new name. */
export interface RenameHints {
  /** new table name → old table name. */
  readonly tables: ReadonlyMap<string, string>;
  /** `table.newColumn` (table's new name) → old column name. */
  readonly columns: ReadonlyMap<string, string>;
  /** new enum name → old enum name. */
  readonly enums: ReadonlyMap<string, string>;
}

/** An empty snapshot for an owner with no history. */
export function emptySnapshot(owner: Owner): Snapshot {
  return { version: SNAPSHOT_VERSION, owner, extensions: [], enums: [], tables: [] };
}

/** Fails to compile when a switch over a closed union misses a case. */
export function assertNever(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}

// ---------------------------------------------------------------------------------------
// The workspace config (`schemac.config.yaml`, optional) and its defaults (SPEC §2)

/** A Config is a workspace's resolved settings; every path is relative to `root`. */
export interface Config {
  /** Absolute path of the workspace root (`--cwd`, or the config file's folder). */
  readonly root: string;
  /** Absolute path of the config file, when there is one. */
  readonly file?: string;
  /** Globs of core models files. */
  readonly core: readonly string[];
  /** Globs of custom models files; `{org}` captures the owning org. */
  readonly custom: readonly string[];
  readonly out: {
    readonly migrations: string;
    readonly snapshots: string;
    readonly types: string;
  };
  readonly lint: {
    /** rule id → severity override. */
    readonly rules: Readonly<Record<string, RuleSeverity>>;
    /** rule id → reason: allowed in the whole workspace. */
    readonly allow: Readonly<Record<string, string>>;
    /**
     * Rules an org's files may not allow, besides those always locked (`LOCKED_RULES` in
     * `lint/run.ts`): an `allow` of one in an org's file is itself an error.
     */
    readonly locked?: readonly string[];
  };
  /** Extensions orgs may use (core may use any). */
  readonly extensions: readonly string[];
  /** The core columns (`table.column`) an org's foreign keys may reference; anything else of core is out of reach. */
  readonly expose: readonly string[];
  /** Workspace default of `rls`: tenant tables with a client_id get a policy unless they say `rls: false`. */
  readonly rls?: boolean;
  /** A distributed PostgreSQL the schema must fit, when configured. */
  readonly distribution?: Distribution;
  /** `fragments:`: what SQL fragments may do beyond the defaults, when configured. */
  readonly fragments?: FragmentSettings;
  /** `ignore:`: table-name globs schemac does not manage (`diff --db`, `pull` and `verify` skip them). */
  readonly ignore?: readonly string[];
}

/** FragmentSettings are the `fragments:` option: the string-growing functions fragments may call (sorted). */
export interface FragmentSettings {
  readonly allowFunctions: readonly string[];
}

/** A Distribution is the `distribution:` option: the engine and the column tenant tables are sharded by. */
export interface Distribution {
  readonly engine: 'citus';
  readonly column: string;
}

/** The defaults of SPEC §2. */
export const DEFAULT_CONFIG: Omit<Config, 'root'> = {
  core: ['schemas/core/**/models.yaml'],
  custom: ['schemas/custom_tools/{org}/**/models.yaml', 'schemas/custom_resources/{org}/**/models.yaml'],
  out: { migrations: 'generated/migrations', snapshots: 'generated/snapshots', types: 'generated/db.ts' },
  lint: { rules: {}, allow: {}, locked: [] },
  extensions: ['vector', 'pgcrypto', 'citext', 'pg_trgm'],
  expose: ['clients.id'],
};

/** The config file names looked for in the workspace root, in order. */
export const CONFIG_FILE_NAMES = ['schemac.config.yaml', 'schemac.config.yml'] as const;

/** Org names (SPEC §2). */
export const ORG_NAME = /^[a-z][a-z0-9_]{0,30}$/;
