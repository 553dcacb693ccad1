/**
 * What an org's migration file may touch. Every byte of an org's migration is written by a
 * possibly hostile customer (it may hand-edit the file), so before such a file is summed,
 * checked or run, each statement of both sections is parsed with the real PostgreSQL parser
 * and classified against an allowlist of statement kinds; anything else is refused.
 *
 * An org owns the relations (tables, their sequences, indexes and constraints, triggers and
 * policies on them), types and trigger functions named `<org>_…` in schema `public` (or
 * unqualified), and its archive schema `archive_<org>` with what it moves there. A name
 * inside a longer org's prefix is that org's (with orgs `acme` and `acme_corp`,
 * `acme_corp_x` is acme_corp's), and `pg_…`/`schemac_…` are nobody's. A statement may
 * reference (a foreign key, a column's type) a core object, but never another org's, and
 * may read only the org's own tables. `DO` blocks and function bodies are accepted only in
 * the exact shapes schemac itself writes, with the SQL inside them checked the same way.
 * Core's files are trusted and never checked.
 */
import type { ParseResult } from 'libpg-query';
import { CORE } from '../compiler/ir.ts';
import { PINNED_SETTINGS } from '../compiler/shared/index.ts';
import type { MigrationFile } from './files.ts';
import { isOwnedName, orgOf, RESERVED, recognisedClean, RlsFacts, rlsWeakened, type Rules, rulesFor, TRIGGER_BODY } from './ownership-shapes.ts';

/** An OwnershipScope is what a verdict depends on besides the file: the workspace's orgs and the extensions orgs may use. */
export interface OwnershipScope {
  /** Every org of the workspace: a name belongs to the org with the longest matching `<org>_` prefix. */
  readonly orgs: readonly string[];
  /** Extensions an org's migration may create (the config's `extensions`). */
  readonly extensions: readonly string[];
}

/** An OwnershipProblem is one statement of an org's migration that touches what the org does not own. */
export interface OwnershipProblem {
  /** The migration file's name. */
  readonly file: string;
  readonly section: 'up' | 'down';
  /** 1-based line and column in the file of the offending statement (or of the node in it). */
  readonly line: number;
  readonly column: number;
  /** Character offset in the file's text of that place, and the statement's end. */
  readonly start: number;
  readonly end: number;
  /** The statement, shortened for one line. */
  readonly statement: string;
  /** What it touches, e.g. `table "clients"`, `function pg_read_file()`, `SET ROLE`. */
  readonly object: string;
  /** What the statement does that the org may not, as a verb phrase: `reads table "clients", which acme does not own …`. */
  readonly message: string;
}

/** Bump when the rules change: cached verdicts (see `ownershipKey`) are void then. */
export const OWNERSHIP_RULES_VERSION = 'ownership-v2';

let parseSync: (sql: string) => ParseResult;
let loaded: Promise<void> | undefined;

/** Loads the parser (WASM) once, only when a file needs it; `ownershipProblems` awaits it itself. */
export function loadOwnershipParser(): Promise<void> {
  return (loaded ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    parseSync = m.parseSync;
  }));
}

/**
 * The statements of an org's migration (both sections) that touch objects the org does not
 * own, or that the checker cannot classify; [] for a core file (trusted) and a clean one.
 */
export async function ownershipProblems(file: MigrationFile, scope: OwnershipScope): Promise<OwnershipProblem[]> {
  if (file.owner === CORE) return [];
  const rules = rulesFor(file.owner, scope);
  const [fastUp, fastDown] = [new RlsFacts(), new RlsFacts()];
  const fast = recognisedClean(file.up, rules, SAFE_FUNCTIONS, fastUp) && recognisedClean(file.down, rules, SAFE_FUNCTIONS, fastDown);
  if (fast && rlsWeakened(fastUp, fastDown).length === 0) return [];
  await loadOwnershipParser();
  const up = analyse(file.up, rules);
  const down = analyse(file.down, rules);
  for (const w of rlsWeakened(up.facts, down.facts)) {
    const s = down.statements[w.statement];
    s.findings.push({ object: `table "${w.table}"`, message: RLS_WEAKENED(w.table, w.section) });
  }
  return [...located(file, 'up', up.statements, file.upLine), ...located(file, 'down', down.statements, file.downLine)];
}

const RLS_WEAKENED = (table: string, _section: 'down') =>
  `turns off row-level security on table "${table}", which the up section does not turn on (a down may undo only what its up did)`;

/** The verdicts of one org's statements, as a list of findings; exported for tests. */
export function classifySql(sql: string, owner: string, scope: OwnershipScope): { at: number; object: string; message: string }[] {
  return statementsOf(sql, rulesFor(owner, scope), new RlsFacts()).flatMap((s) => s.findings.map((f) => ({ at: f.at ?? s.start, object: f.object, message: f.message })));
}

interface Finding {
  readonly object: string;
  readonly message: string;
  /** Byte offset in the parsed text of the node, when known. */
  readonly at?: number;
}

type Node = Record<string, unknown>;

interface Analysed {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly findings: Finding[];
}

/** Each statement of a section, with its findings and the section's row-level-security facts. */
function analyse(sql: string, rules: Rules): { statements: Analysed[]; facts: RlsFacts } {
  const facts = new RlsFacts();
  return { statements: /\S/.test(sql) ? statementsOf(sql, rules, facts) : [], facts };
}

/** The findings of a section's statements as problems at their place in the file. */
function located(file: MigrationFile, section: 'up' | 'down', statements: readonly Analysed[], firstLine: number): OwnershipProblem[] {
  if (!statements.some((s) => s.findings.length > 0)) return [];
  const sql = section === 'up' ? file.up : file.down;
  const bytes = Buffer.from(sql, 'utf8');
  const lineStarts = fileLineStarts(file.text);
  const locate = (byte: number) => {
    const before = bytes.subarray(0, Math.min(byte, bytes.length)).toString('utf8');
    const lines = before.split('\n');
    const line = firstLine + lines.length - 1;
    const column = lines[lines.length - 1].length + 1;
    return { line, column, offset: (lineStarts[line - 1] ?? file.text.length) + column - 1 };
  };
  return statements.flatMap((s) => s.findings.map((f): OwnershipProblem => {
    const at = locate(f.at ?? s.start);
    const end = locate(s.end).offset;
    return {
      file: file.name, section, line: at.line, column: at.column, start: at.offset, end: Math.max(end, at.offset),
      statement: oneLine(s.text), object: f.object, message: f.message,
    };
  }));
}

/** A statement on one line, shortened (statements.ts has the same for the runner, but loads the parser with it). */
function oneLine(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function fileLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Each statement of a section with its byte range and findings; one finding for the whole section when it does not parse. */
function statementsOf(sql: string, rules: Rules, facts: RlsFacts = new RlsFacts()): Analysed[] {
  let stmts: { stmt?: Node; stmt_location?: number; stmt_len?: number }[];
  try {
    stmts = (parseSync(sql).stmts ?? []) as typeof stmts;
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    return [{ start: 0, end: Buffer.byteLength(sql), text: sql, findings: [{ object: 'the section', message: `cannot be read by the PostgreSQL parser (${message}); an org's migration must be SQL the checker can classify`, at: 0 }] }];
  }
  const bytes = Buffer.from(sql, 'utf8');
  return stmts.map((s, index) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    const raw = bytes.subarray(start, end).toString('utf8');
    const lead = Buffer.byteLength(raw) - Buffer.byteLength(raw.trimStart());
    const c = new Checker(rules, true, facts, index);
    c.statement(s.stmt ?? {});
    return { start: start + lead, end, text: raw.trim(), findings: c.findings };
  });
}

// ---------------------------------------------------------------------------
// Names and what owns them.
// ---------------------------------------------------------------------------

/** Schemas an owned object may be named in: none (public by search_path), public, the org's archive. */
function ownSchema(schema: string | undefined, rules: Rules): boolean {
  return schema === undefined || schema === 'public' || schema === `archive_${rules.owner}`;
}

/** A referenced object may be the org's own or core's (not another org's, not the catalog's, not schemac's). */
function isReferenceable(schema: string | undefined, name: string, rules: Rules): boolean {
  if (schema !== undefined && schema !== 'public' && schema !== `archive_${rules.owner}`) return false;
  if (RESERVED.test(name)) return false;
  const org = orgOf(name, rules);
  return org === undefined || org === rules.owner;
}

function qualified(schema: string | undefined, name: string): string {
  return schema === undefined ? `"${name}"` : `"${schema}"."${name}"`;
}

function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.map((x) => ((x as Node).String as { sval?: string } | undefined)?.sval ?? '\0') : [];
}

/** A `List` node's items as names (`{List: {items: [String…]}}`), or a bare array of String. */
function listNames(node: unknown): string[] {
  const list = (node as Node | undefined)?.List as { items?: unknown[] } | undefined;
  return strings(list?.items ?? node);
}

/** Splits `[schema?, name]`; undefined when there are more parts (a catalog) or none. */
function split(names: readonly string[]): { schema?: string; name: string } | undefined {
  if (names.length === 1) return { name: names[0] };
  if (names.length === 2) return { schema: names[0], name: names[1] };
  return undefined;
}

/** Reads a regclass text as PostgreSQL does (`"a"."b"`, `a.b`, `B` → b): undefined when it is anything else. */
function regclassName(text: string): { schema?: string; name: string } | undefined {
  const part = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
  const m = new RegExp(`^\\s*(?:${part}\\s*\\.\\s*)?${part}\\s*$`).exec(text);
  if (!m) return undefined;
  const ident = (s: string | undefined) => (s === undefined ? undefined : s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase());
  return { schema: ident(m[1]), name: ident(m[2])! };
}

// ---------------------------------------------------------------------------
// Functions an org's SQL may call.
// ---------------------------------------------------------------------------

/**
 * Functions without side effects outside the row being computed: a superset of the
 * fragment allowlist (compiler/front/sql-allowlist.ts; a test holds the two together) and
 * the aggregates and string, JSON and date functions a backfill needs.
 */
export const SAFE_FUNCTIONS: ReadonlySet<string> = new Set([
  'now', 'lower', 'upper', 'length', 'char_length', 'character_length', 'octet_length', 'abs', 'btrim', 'ltrim', 'rtrim',
  'gen_random_uuid', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'mod', 'sign', 'left', 'right', 'substr', 'substring',
  'replace', 'strpos', 'position', 'concat', 'array_length', 'cardinality', 'jsonb_typeof', 'json_typeof',
  'jsonb_array_length', 'date_trunc', 'date_part', 'extract', 'timezone', 'to_char', 'num_nonnulls', 'num_nulls',
  'md5', 'starts_with', 'regexp_like', 'isfinite', 'similar_to_escape', 'like_escape',
  'concat_ws', 'split_part', 'initcap', 'lpad', 'rpad', 'repeat', 'reverse', 'translate', 'regexp_replace', 'regexp_match',
  'regexp_substr', 'format', 'to_date', 'to_timestamp', 'to_number', 'make_date', 'make_time', 'make_interval',
  'make_timestamp', 'make_timestamptz', 'age', 'date_bin', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp',
  'random', 'encode', 'decode', 'sha224', 'sha256', 'sha384', 'sha512', 'digest', 'uuid_generate_v4',
  'jsonb_build_object', 'jsonb_build_array', 'json_build_object', 'json_build_array', 'to_jsonb', 'to_json', 'jsonb_set',
  'jsonb_insert', 'jsonb_strip_nulls', 'jsonb_extract_path', 'jsonb_extract_path_text', 'jsonb_object_keys',
  'jsonb_array_elements', 'jsonb_array_elements_text', 'array_append', 'array_prepend', 'array_cat', 'array_remove',
  'array_position', 'array_to_string', 'string_to_array', 'unnest', 'generate_series',
  'count', 'sum', 'min', 'max', 'avg', 'bool_and', 'bool_or', 'every', 'string_agg', 'array_agg', 'jsonb_agg', 'json_agg',
  'jsonb_object_agg', 'row_number', 'rank', 'dense_rank', 'lag', 'lead', 'first_value', 'last_value',
  'similarity', 'word_similarity',
]);

/** Functions whose first argument names a relation: allowed only with a literal naming the org's own. */
const RELATION_FUNCTIONS: ReadonlySet<string> = new Set([
  'nextval', 'currval', 'setval', 'to_regclass', 'pg_get_serial_sequence', 'create_distributed_table', 'create_reference_table',
  'undistribute_table',
]);

// ---------------------------------------------------------------------------
// The checker: one per statement.
// ---------------------------------------------------------------------------

const ALTER_TABLE_COMMANDS: ReadonlySet<string> = new Set([
  'AT_AddColumn', 'AT_DropColumn', 'AT_AlterColumnType', 'AT_ColumnDefault', 'AT_DropNotNull', 'AT_SetNotNull',
  'AT_AddConstraint', 'AT_DropConstraint', 'AT_ValidateConstraint', 'AT_EnableRowSecurity', 'AT_ForceRowSecurity',
  'AT_DisableRowSecurity', 'AT_NoForceRowSecurity',
]);

/** Node types an expression, a column or a query may contain; the checked ones have their own case in `node`. */
const PLAIN_NODES: ReadonlySet<string> = new Set([
  'A_Const', 'String', 'Integer', 'Float', 'Boolean', 'BitString', 'List', 'ColumnRef', 'A_Star', 'A_Expr', 'BoolExpr',
  'NullTest', 'BooleanTest', 'CaseExpr', 'CaseWhen', 'A_ArrayExpr', 'CoalesceExpr', 'MinMaxExpr', 'NullIfExpr',
  'A_Indirection', 'A_Indices', 'CollateClause', 'RowExpr', 'SQLValueFunction', 'ResTarget', 'SortBy', 'Alias',
  'WindowDef', 'MultiAssignRef', 'GroupingSet', 'JoinExpr', 'RangeSubselect', 'RangeFunction', 'IndexElem', 'DefElem',
  'LockingClause', 'OnConflictClause', 'InferClause', 'ReturningClause', 'ReturningOption',
]);

/** Names of the statement kinds refused with a sentence of their own (the rest: "cannot be classified"). */
const REFUSED: Readonly<Record<string, string>> = {
  GrantStmt: 'GRANT/REVOKE', GrantRoleStmt: 'GRANT/REVOKE of a role', AlterSystemStmt: 'ALTER SYSTEM', CopyStmt: 'COPY',
  LoadStmt: 'LOAD', CreateRoleStmt: 'CREATE ROLE', AlterRoleStmt: 'ALTER ROLE', DropRoleStmt: 'DROP ROLE',
  AlterOwnerStmt: 'ALTER … OWNER TO', ReassignOwnedStmt: 'REASSIGN OWNED', DropOwnedStmt: 'DROP OWNED',
  TransactionStmt: 'a transaction statement (BEGIN/COMMIT/ROLLBACK)', RuleStmt: 'CREATE RULE', CreateEventTrigStmt: 'CREATE EVENT TRIGGER',
  AlterDefaultPrivilegesStmt: 'ALTER DEFAULT PRIVILEGES', ViewStmt: 'CREATE VIEW', CreateTableAsStmt: 'CREATE TABLE AS',
  MergeStmt: 'MERGE', ExecuteStmt: 'EXECUTE', PrepareStmt: 'PREPARE', CallStmt: 'CALL', VacuumStmt: 'VACUUM/ANALYZE',
  CreateFdwStmt: 'CREATE FOREIGN DATA WRAPPER', CreateForeignServerStmt: 'CREATE SERVER', CreateForeignTableStmt: 'CREATE FOREIGN TABLE',
  CreateUserMappingStmt: 'CREATE USER MAPPING', ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA', CreatePublicationStmt: 'CREATE PUBLICATION',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION', NotifyStmt: 'NOTIFY', ListenStmt: 'LISTEN', CheckPointStmt: 'CHECKPOINT',
  DiscardStmt: 'DISCARD', LockStmt: 'LOCK', TruncateStmt: 'TRUNCATE', AlterDatabaseStmt: 'ALTER DATABASE',
  AlterDatabaseSetStmt: 'ALTER DATABASE … SET', AlterRoleSetStmt: 'ALTER ROLE … SET', CreatedbStmt: 'CREATE DATABASE',
  DropdbStmt: 'DROP DATABASE', CreateTableSpaceStmt: 'CREATE TABLESPACE', VariableShowStmt: 'SHOW', ExplainStmt: 'EXPLAIN',
  AlterFunctionStmt: 'ALTER FUNCTION', CreateCastStmt: 'CREATE CAST', CreateOpClassStmt: 'CREATE OPERATOR CLASS',
  DefineStmt: 'CREATE OPERATOR/AGGREGATE/TYPE', CompositeTypeStmt: 'CREATE TYPE … AS', CreateDomainStmt: 'CREATE DOMAIN',
  AlterExtensionStmt: 'ALTER EXTENSION', AlterExtensionContentsStmt: 'ALTER EXTENSION', SecLabelStmt: 'SECURITY LABEL',
  CreatePLangStmt: 'CREATE LANGUAGE', AlterPolicyStmt: 'ALTER POLICY', ClusterStmt: 'CLUSTER', ReindexStmt: 'REINDEX',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW', CreateStatsStmt: 'CREATE STATISTICS', AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE',
  DeallocateStmt: 'DEALLOCATE', FetchStmt: 'FETCH', DeclareCursorStmt: 'DECLARE CURSOR', ClosePortalStmt: 'CLOSE',
};

class Checker {
  readonly findings: Finding[] = [];
  readonly #rules: Rules;
  /** False inside SQL parsed a second time (a DO block's body): node offsets then refer to that text, so the statement's start is used. */
  readonly #located: boolean;
  readonly #facts: RlsFacts;
  readonly #statementIndex: number;

  constructor(rules: Rules, located: boolean, facts: RlsFacts, index: number) {
    this.#rules = rules;
    this.#located = located;
    this.#facts = facts;
    this.#statementIndex = index;
  }

  #refuse(object: string, message: string, at?: unknown): void {
    this.findings.push({ object, message, at: this.#located && typeof at === 'number' && at >= 0 ? at : undefined });
  }

  get #owner(): string {
    return this.#rules.owner;
  }

  #notOwned(what: string): string {
    const org = this.#rules.owner;
    return `${what}, which ${org} does not own (an org's migration may touch only ${org}_… objects in schema public)`;
  }

  /** A relation the statement creates, alters or drops: the org's own. */
  #own(kind: string, rel: Node | undefined, verb: string): void {
    if (rel === undefined) return this.#refuse(kind, `${verb} a ${kind} the checker cannot name`);
    const schema = rel.schemaname as string | undefined;
    const name = String(rel.relname ?? '');
    if (rel.catalogname !== undefined || !ownSchema(schema, this.#rules) || !isOwnedName(name, this.#rules)) {
      this.#refuse(`${kind} ${qualified(schema, name)}`, this.#notOwned(`${verb} ${kind} ${qualified(schema, name)}`), rel.location);
    }
  }

  /** A name (no relation node) the statement creates or alters: the org's own. */
  #ownName(kind: string, names: readonly string[], verb: string, at?: unknown): void {
    const parts = split(names);
    if (parts === undefined || !ownSchema(parts.schema, this.#rules) || !isOwnedName(parts.name, this.#rules)) {
      const shown = parts === undefined ? names.map((n) => `"${n}"`).join('.') : qualified(parts.schema, parts.name);
      this.#refuse(`${kind} ${shown}`, this.#notOwned(`${verb} ${kind} ${shown}`), at);
    }
  }

  #newName(kind: string, name: unknown, verb: string, at?: unknown): void {
    if (typeof name === 'string') this.#ownName(kind, [name], verb, at);
  }

  /** One top-level statement. */
  statement(stmt: Node, nested = false): void {
    const [type, value] = Object.entries(stmt)[0] ?? ['(empty)', {}];
    const n = value as Node;
    switch (type) {
      case 'VariableSetStmt': return this.#set(n);
      case 'CreateStmt': return this.#createTable(n);
      case 'AlterTableStmt': return this.#alterTable(n);
      case 'IndexStmt': return this.#index(n);
      case 'DropStmt': return this.#drop(n);
      case 'RenameStmt': return this.#rename(n);
      case 'CommentStmt': return this.#comment(n);
      case 'CreateEnumStmt': return this.#ownName('type', strings(n.typeName), 'creates');
      case 'AlterEnumStmt': return this.#ownName('type', strings(n.typeName), 'alters');
      case 'AlterObjectSchemaStmt': return this.#setSchema(n);
      case 'CreateSchemaStmt': return this.#createSchema(n);
      case 'CreateSeqStmt': return this.#sequence(n.sequence as Node, n.options, 'creates');
      case 'AlterSeqStmt': return this.#sequence(n.sequence as Node, n.options, 'alters');
      case 'CreateFunctionStmt': return this.#createFunction(n);
      case 'CreateTrigStmt': return this.#createTrigger(n);
      case 'CreatePolicyStmt': return this.#createPolicy(n);
      case 'DoStmt': return nested ? this.#refuse('DO', 'runs a DO block inside a DO block') : this.#do(n);
      case 'CreateExtensionStmt': return this.#createExtension(n);
      case 'InsertStmt': case 'UpdateStmt': case 'DeleteStmt': case 'SelectStmt':
        return this.#query(type, n, new Set());
      default: {
        const what = REFUSED[type];
        this.#refuse(what ?? type, what ? `runs ${what}, which an org's migration may not run` : `runs a statement the checker cannot classify (${type}); an org's migration may hold only the statement kinds schemac writes, DML on the org's own tables, and its own indexes`);
      }
    }
  }

  #set(n: Node): void {
    const name = String(n.name ?? '');
    if (n.kind === 'VAR_SET_VALUE' || n.kind === 'VAR_SET_DEFAULT' || n.kind === 'VAR_RESET') {
      if (name === 'lock_timeout' || name === 'statement_timeout') return this.#walk(n.args, new Set());
    }
    if (n.kind === 'VAR_SET_VALUE' && n.is_local !== true && isPinned(name, n.args)) return;
    if (n.kind === 'VAR_SET_VALUE' && n.is_local === true && isCitusSetting(name, n.args)) return;
    const what = name === 'role' ? (n.kind === 'VAR_RESET' ? 'RESET ROLE' : 'SET ROLE')
      : name === 'session_authorization' ? 'SET SESSION AUTHORIZATION' : `SET ${name || String(n.kind)}`;
    this.#refuse(what, `runs ${what}, which an org's migration may not run (it may SET only lock_timeout and statement_timeout)`, n.location);
  }

  #createTable(n: Node): void {
    this.#own('table', n.relation as Node, 'creates');
    const rel = n.relation as Node | undefined;
    if (rel?.relpersistence !== undefined && rel.relpersistence !== 'p') this.#refuse('table', 'creates a temporary or unlogged table');
    for (const key of ['inhRelations', 'partbound', 'partspec', 'ofTypename', 'tablespacename', 'accessMethod']) {
      if (n[key] !== undefined) this.#refuse(`${key}`, `creates a table with ${key === 'inhRelations' ? 'INHERITS' : key === 'tablespacename' ? 'a tablespace' : key}, which an org's migration may not`);
    }
    this.#walk(n.tableElts, new Set());
    this.#walk(n.constraints, new Set());
  }

  #alterTable(n: Node): void {
    if (n.objtype !== 'OBJECT_TABLE') return this.#refuse(String(n.objtype), `runs ALTER ${String(n.objtype).replace('OBJECT_', '')}, which an org's migration may not run`);
    this.#own('table', n.relation as Node, 'alters');
    for (const cmd of (n.cmds as Node[] | undefined) ?? []) {
      const c = cmd.AlterTableCmd as Node;
      if (!ALTER_TABLE_COMMANDS.has(String(c.subtype))) {
        this.#refuse(String(c.subtype), `runs ALTER TABLE … ${String(c.subtype).replace('AT_', '')}, which an org's migration may not run`);
        continue;
      }
      if (c.behavior === 'DROP_CASCADE') this.#refuse('CASCADE', 'drops with CASCADE, which may drop other owners\' objects');
      this.#facts.note(String(c.subtype), String((n.relation as Node | undefined)?.relname ?? ''), this.#statementIndex);
      this.#walk(c.def, new Set());
    }
  }

  #index(n: Node): void {
    this.#own('table', n.relation as Node, 'indexes');
    this.#newName('index', n.idxname, 'creates');
    if (n.tableSpace !== undefined) this.#refuse('tablespace', 'puts an index in a tablespace');
    this.#walk([n.indexParams, n.indexIncludingParams, n.whereClause, n.options], new Set());
  }

  #drop(n: Node): void {
    if (n.behavior === 'DROP_CASCADE') this.#refuse('CASCADE', 'drops with CASCADE, which may drop other owners\' objects');
    const objects = (n.objects as unknown[] | undefined) ?? [];
    const kind = String(n.removeType);
    for (const o of objects) {
      const obj = o as Node;
      switch (kind) {
        case 'OBJECT_TABLE': case 'OBJECT_INDEX': case 'OBJECT_SEQUENCE':
          this.#ownName(kind.slice(7).toLowerCase(), listNames(obj), 'drops');
          if (kind === 'OBJECT_TABLE') this.#facts.note('drop', listNames(obj).at(-1) ?? '', this.#statementIndex);
          break;
        case 'OBJECT_TYPE': this.#ownName('type', strings((obj.TypeName as Node | undefined)?.names), 'drops'); break;
        case 'OBJECT_FUNCTION': this.#ownName('function', strings((obj.ObjectWithArgs as Node | undefined)?.objname), 'drops'); break;
        case 'OBJECT_TRIGGER': case 'OBJECT_POLICY': this.#ownName('table', listNames(obj).slice(0, -1), `drops a ${kind.slice(7).toLowerCase()} on`); break;
        case 'OBJECT_EXTENSION': this.#extension(strings([obj])[0], 'drops'); break;
        default: this.#refuse(kind, `runs DROP ${kind.replace('OBJECT_', '')}, which an org's migration may not run`);
      }
    }
  }

  #rename(n: Node): void {
    const kind = String(n.renameType);
    switch (kind) {
      case 'OBJECT_TABLE': case 'OBJECT_INDEX': case 'OBJECT_SEQUENCE':
        this.#own(kind.slice(7).toLowerCase(), n.relation as Node, 'renames');
        if (kind === 'OBJECT_TABLE') this.#facts.note('rename', String((n.relation as Node | undefined)?.relname ?? ''), this.#statementIndex, String(n.newname));
        return this.#newName(kind.slice(7).toLowerCase(), n.newname, 'renames to');
      case 'OBJECT_COLUMN': case 'OBJECT_TRIGGER': case 'OBJECT_POLICY':
        return this.#own('table', n.relation as Node, `renames a ${kind.slice(7).toLowerCase()} of`);
      case 'OBJECT_TABCONSTRAINT':
        this.#own('table', n.relation as Node, 'renames a constraint of');
        return this.#newName('constraint', n.newname, 'renames to');
      case 'OBJECT_TYPE':
        this.#ownName('type', listNames(n.object), 'renames');
        return this.#newName('type', n.newname, 'renames to');
      default: this.#refuse(kind, `renames a ${kind.replace('OBJECT_', '').toLowerCase()}, which an org's migration may not`);
    }
  }

  #comment(n: Node): void {
    const kind = String(n.objtype);
    const obj = n.object as Node;
    switch (kind) {
      case 'OBJECT_TABLE': case 'OBJECT_INDEX': case 'OBJECT_SEQUENCE':
        return this.#ownName(kind.slice(7).toLowerCase(), listNames(obj), 'comments on');
      case 'OBJECT_COLUMN': case 'OBJECT_TABCONSTRAINT': case 'OBJECT_TRIGGER': case 'OBJECT_POLICY':
        return this.#ownName('table', listNames(obj).slice(0, -1), 'comments on');
      case 'OBJECT_TYPE': return this.#ownName('type', strings((obj.TypeName as Node | undefined)?.names), 'comments on');
      case 'OBJECT_FUNCTION': return this.#ownName('function', strings((obj.ObjectWithArgs as Node | undefined)?.objname), 'comments on');
      default: this.#refuse(kind, `runs COMMENT ON ${kind.replace('OBJECT_', '')}, which an org's migration may not run`);
    }
  }

  #setSchema(n: Node): void {
    const archive = `archive_${this.#owner}`;
    if (n.newschema !== 'public' && n.newschema !== archive) {
      this.#refuse(`schema "${String(n.newschema)}"`, `moves an object into schema "${String(n.newschema)}" (an org's objects live in public or ${archive})`);
    }
    const obj = n.object as Node | undefined;
    switch (n.objectType) {
      case 'OBJECT_TABLE': case 'OBJECT_SEQUENCE': return this.#own(String(n.objectType).slice(7).toLowerCase(), n.relation as Node, 'moves');
      case 'OBJECT_TYPE': return this.#ownName('type', listNames(obj), 'moves');
      case 'OBJECT_FUNCTION': return this.#ownName('function', strings((obj?.ObjectWithArgs as Node | undefined)?.objname), 'moves');
      default: this.#refuse(String(n.objectType), `runs ALTER ${String(n.objectType).replace('OBJECT_', '')} … SET SCHEMA, which an org's migration may not run`);
    }
  }

  #createSchema(n: Node): void {
    const archive = `archive_${this.#owner}`;
    if (n.schemaname !== archive || n.authrole !== undefined || n.schemaElts !== undefined) {
      this.#refuse(`schema "${String(n.schemaname)}"`, `creates schema "${String(n.schemaname)}" (an org's migration may create only its archive schema ${archive}, plainly)`);
    }
  }

  #sequence(seq: Node | undefined, options: unknown, verb: string): void {
    this.#own('sequence', seq, verb);
    for (const o of (options as Node[] | undefined) ?? []) {
      const d = o.DefElem as Node;
      if (d.defname === 'owned_by') {
        const names = listNames(d.arg);
        if (!(names.length === 1 && names[0] === 'none')) this.#ownName('table', names.slice(0, -1), 'ties a sequence to');
      } else if (!['as', 'start', 'increment', 'minvalue', 'maxvalue', 'cache', 'cycle', 'restart'].includes(String(d.defname))) {
        this.#refuse(String(d.defname), `sets sequence option ${String(d.defname)}`);
      } else {
        this.#walk(d.arg, new Set());
      }
    }
  }

  /** Only the `on_update: now()` trigger function schemac writes: `NEW."col" := now();` lines and `RETURN NEW;`. */
  #createFunction(n: Node): void {
    this.#ownName('function', strings(n.funcname), 'creates', undefined);
    const options = ((n.options as Node[] | undefined) ?? []).map((o) => o.DefElem as Node);
    const language = options.find((d) => d.defname === 'language');
    const body = listNames(options.find((d) => d.defname === 'as')?.arg);
    const returns = strings((n.returnType as Node | undefined)?.names).join('.');
    const shapeOk = options.length === 2 && strings([language?.arg])[0] === 'plpgsql' && body.length === 1
      && TRIGGER_BODY.test(body[0]) && (returns === 'trigger' || returns === 'pg_catalog.trigger')
      && n.parameters === undefined && n.sql_body === undefined && n.is_procedure !== true;
    if (!shapeOk) {
      this.#refuse('function', 'creates a function other than the updated_at trigger function schemac writes (`NEW."col" := now(); RETURN NEW;` in plpgsql, no options)');
    }
  }

  #createTrigger(n: Node): void {
    this.#own('table', n.relation as Node, 'creates a trigger on');
    this.#newName('trigger', n.trigname, 'creates');
    this.#ownName('function', strings(n.funcname), 'runs');
    if (n.args !== undefined || n.isconstraint === true || n.transitionRels !== undefined) {
      this.#refuse('trigger', 'creates a trigger with arguments, a constraint trigger or transition tables');
    }
    this.#walk(n.whenClause, new Set());
  }

  /** The tenant policy schemac writes, exactly; a RESTRICTIVE policy (it can only narrow) over the table's own rows. */
  #createPolicy(n: Node): void {
    this.#own('table', n.table as Node, 'creates a policy on');
    this.#newName('policy', n.policy_name, 'creates');
    const roles = ((n.roles as Node[] | undefined) ?? []).map((r) => (r.RoleSpec as Node | undefined)?.roletype);
    if (roles.some((r) => r !== 'ROLESPEC_PUBLIC')) this.#refuse('role', 'creates a policy for a role (policies of an org apply to everyone)');
    if (n.permissive !== true) return this.#walk([n.qual, n.with_check], new Set());
    if (n.cmd_name !== 'all' || !sameTree(n.qual, tenantPredicate()) || !sameTree(n.with_check, tenantPredicate())) {
      this.#refuse('policy', 'creates a permissive policy other than the tenant policy schemac writes (client_id = NULLIF(current_setting(\'app.client_id\', true), \'\')::uuid); a permissive policy widens what a tenant sees');
    }
  }

  #createExtension(n: Node): void {
    this.#extension(String(n.extname), 'creates');
    if (n.options !== undefined) this.#refuse(`extension "${String(n.extname)}"`, 'creates an extension with options (SCHEMA, VERSION, CASCADE)');
  }

  #extension(name: string, verb: string): void {
    if (!this.#rules.extensions.has(name)) {
      this.#refuse(`extension "${name}"`, `${verb} extension "${name}", which orgs may not use (the config's extensions: ${[...this.#rules.extensions].join(', ') || 'none'})`);
    }
  }

  /** `DO` blocks: only the shapes schemac writes, each with its SQL checked as a statement. */
  #do(n: Node): void {
    const args = ((n.args as Node[] | undefined) ?? []).map((a) => a.DefElem as Node);
    const language = args.find((d) => d.defname === 'language');
    const body = strings([args.find((d) => d.defname === 'as')?.arg])[0];
    if ((language !== undefined && strings([language.arg])[0] !== 'plpgsql') || body === undefined) {
      return this.#refuse('DO', 'runs a DO block in a language other than plpgsql');
    }
    const shape = doShape(body, this.#rules);
    if (typeof shape === 'string') return this.#refuse('DO', shape);
    for (const sql of shape) {
      const inner = new Checker(this.#rules, false, this.#facts, this.#statementIndex);
      let stmts: { stmt?: Node }[] = [];
      try {
        stmts = (parseSync(sql).stmts ?? []) as typeof stmts;
      } catch {
        stmts = [];
      }
      if (stmts.length !== 1) {
        this.#refuse('DO', 'runs a DO block whose inner statement the checker cannot read as exactly one statement');
        continue;
      }
      inner.statement(stmts[0].stmt ?? {}, true);
      this.findings.push(...inner.findings);
    }
  }

  /** A query or DML statement; `ctes` are the names of the common table expressions in scope. */
  #query(type: string, n: Node, outer: ReadonlySet<string>): void {
    const ctes = this.#with(n.withClause as Node | undefined, outer);
    if (type === 'SelectStmt') {
      if (n.intoClause !== undefined) this.#refuse('SELECT INTO', 'runs SELECT … INTO, which creates a table; use CREATE TABLE');
      for (const side of ['larg', 'rarg']) if (n[side] !== undefined) this.#query('SelectStmt', n[side] as Node, ctes);
      const { withClause: _w, larg: _l, rarg: _r, intoClause: _i, ...rest } = n;
      return this.#walk(rest, ctes);
    }
    const verb = type === 'InsertStmt' ? 'inserts into' : type === 'UpdateStmt' ? 'updates' : 'deletes from';
    this.#own('table', n.relation as Node, verb);
    const { withClause: _w, relation: _rel, ...rest } = n;
    this.#walk(rest, ctes);
  }

  /** Checks a WITH clause's queries and returns the names in scope after it (a CTE sees earlier ones; all with RECURSIVE). */
  #with(w: Node | undefined, outer: ReadonlySet<string>): ReadonlySet<string> {
    if (w === undefined) return outer;
    const ctes = ((w.ctes as Node[] | undefined) ?? []).map((c) => c.CommonTableExpr as Node);
    const all = new Set([...outer, ...ctes.map((c) => String(c.ctename))]);
    const seen = new Set(outer);
    for (const c of ctes) {
      if (w.recursive === true) this.#walk(c.ctequery, all);
      else this.#walk(c.ctequery, seen);
      seen.add(String(c.ctename));
    }
    return all;
  }

  /** Walks expressions, table elements and queries: every relation read, function called and type named is checked. */
  #walk(x: unknown, ctes: ReadonlySet<string>): void {
    if (Array.isArray(x)) {
      for (const item of x) this.#walk(item, ctes);
      return;
    }
    if (x === null || typeof x !== 'object') return;
    const o = x as Node;
    const keys = Object.keys(o);
    if (keys.length === 1 && /^[A-Z]/.test(keys[0])) return this.#node(keys[0], o[keys[0]] as Node, ctes);
    if ('relname' in o) return this.#read(o, ctes);
    if ('names' in o && 'typemod' in o) return this.#type(o);
    for (const v of Object.values(o)) this.#walk(v, ctes);
  }

  #node(type: string, n: Node, ctes: ReadonlySet<string>): void {
    switch (type) {
      case 'RangeVar': return this.#read(n, ctes);
      case 'TypeName': return this.#type(n);
      case 'FuncCall': return this.#call(n, ctes);
      case 'SubLink': return this.#walk([n.testexpr, n.subselect], ctes);
      case 'TypeCast': return this.#walk([n.arg, n.typeName], ctes);
      case 'SelectStmt': case 'InsertStmt': case 'UpdateStmt': case 'DeleteStmt': return this.#query(type, n, ctes);
      case 'ColumnDef': return this.#walk([n.typeName, n.constraints, n.raw_default, n.collClause], ctes);
      case 'Constraint': return this.#constraint(n, ctes);
      default:
        if (PLAIN_NODES.has(type)) return this.#walk(Object.values(n), ctes);
        this.#refuse(type, `holds ${type}, which the checker cannot classify`, n.location);
    }
  }

  #constraint(n: Node, ctes: ReadonlySet<string>): void {
    this.#newName('constraint', n.conname, 'creates', n.location);
    if (n.indexspace !== undefined) this.#refuse('tablespace', 'puts a constraint\'s index in a tablespace');
    if (n.indexname !== undefined) this.#newName('index', n.indexname, 'uses');
    for (const o of (n.options as Node[] | undefined) ?? []) {
      const d = o.DefElem as Node | undefined;
      if (d?.defname === 'sequence_name') this.#ownName('sequence', listNames(d.arg), 'creates');
    }
    if (n.contype === 'CONSTR_FOREIGN') {
      const pk = n.pktable as Node;
      const schema = pk.schemaname as string | undefined;
      const name = String(pk.relname ?? '');
      if (pk.catalogname !== undefined || !isReferenceable(schema, name, this.#rules)) {
        const org = orgOf(name, this.#rules);
        this.#refuse(`table ${qualified(schema, name)}`, `references table ${qualified(schema, name)}, ${org && org !== this.#owner ? `which belongs to org ${org}` : 'which is outside what an org may reference'} (an org may reference core's tables and its own)`, pk.location);
      }
    }
    const { pktable: _p, ...rest } = n;
    this.#walk([rest.raw_expr, rest.exclusions, rest.where_clause, rest.options], ctes);
  }

  /** A relation read (FROM, a subquery): the org's own, or a CTE in scope. */
  #read(rel: Node, ctes: ReadonlySet<string>): void {
    const schema = rel.schemaname as string | undefined;
    const name = String(rel.relname ?? '');
    if (schema === undefined && rel.catalogname === undefined && ctes.has(name)) return;
    if (rel.catalogname !== undefined || !ownSchema(schema, this.#rules) || !isOwnedName(name, this.#rules)) {
      this.#refuse(`table ${qualified(schema, name)}`, this.#notOwned(`reads table ${qualified(schema, name)}`), rel.location);
    }
  }

  /** A type named in a column or a cast: built in, core's, an extension's or the org's own; never another org's. */
  #type(t: Node): void {
    const names = strings(t.names);
    const parts = split(names);
    if (parts !== undefined && parts.schema === 'pg_catalog') return this.#walk(t.typmods, new Set());
    if (parts === undefined || !isReferenceable(parts.schema, parts.name, this.#rules)) {
      const shown = names.map((x) => `"${x}"`).join('.');
      const org = parts && orgOf(parts.name, this.#rules);
      this.#refuse(`type ${shown}`, `uses type ${shown}, ${org && org !== this.#owner ? `which belongs to org ${org}` : 'which is outside what an org may use'}`, t.location);
    }
    this.#walk(t.typmods, new Set());
  }

  #call(f: Node, ctes: ReadonlySet<string>): void {
    const names = strings(f.funcname);
    const parts = split(names);
    const name = parts?.name ?? names.join('.');
    const schemaOk = parts !== undefined && (parts.schema === undefined || parts.schema === 'pg_catalog' || parts.schema === 'public');
    const args = (f.args as Node[] | undefined) ?? [];
    if (schemaOk && name === 'current_setting' && args.length >= 1 && /^app\./.test(constText(args[0]) ?? '')) {
      return this.#walk(args.slice(1), ctes);
    }
    if (schemaOk && RELATION_FUNCTIONS.has(name)) {
      const target = constText(args[0]);
      const rel = target === undefined ? undefined : regclassName(target);
      if (rel === undefined || !ownSchema(rel.schema, this.#rules) || !isOwnedName(rel.name, this.#rules)) {
        this.#refuse(`function ${name}()`, `calls ${name}() on ${target === undefined ? 'a relation named at run time' : `"${target}"`}, which ${this.#owner} does not own (it must name one of ${this.#owner}'s relations as a literal)`, f.location);
      }
      return this.#walk([args.slice(1), f.agg_filter, f.over, f.agg_order], ctes);
    }
    if (!schemaOk || !SAFE_FUNCTIONS.has(name)) {
      const shown = `${names.join('.')}()`;
      return this.#refuse(`function ${shown}`, `calls ${shown}, which an org's migration may not call (only functions without side effects outside the org's rows are allowed)`, f.location);
    }
    this.#walk([args, f.agg_filter, f.over, f.agg_order], ctes);
  }
}

/** The string a constant (or a constant cast, `'x'::regclass`) holds. */
function constText(n: Node | undefined): string | undefined {
  if (n === undefined) return undefined;
  const c = n.A_Const as Node | undefined;
  if (c !== undefined) return (c.sval as { sval?: string } | undefined)?.sval ?? (c.sval !== undefined ? '' : undefined);
  const cast = n.TypeCast as Node | undefined;
  return cast === undefined ? undefined : constText(cast.arg as Node);
}

/** Two parse trees equal once node offsets are removed. */
function sameTree(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, dropLocation) === JSON.stringify(b, dropLocation);
}

function dropLocation(key: string, value: unknown): unknown {
  return key === 'location' ? undefined : value;
}

let tenant: unknown;

/** The tenant predicate schemac's RLS policies use, parsed. */
function tenantPredicate(): unknown {
  if (tenant === undefined) {
    const sql = `SELECT "client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid`;
    const select = (parseSync(sql).stmts![0].stmt as Node).SelectStmt as Node;
    tenant = (((select.targetList as Node[])[0].ResTarget as Node).val);
  }
  return tenant;
}

// ---------------------------------------------------------------------------
// DO blocks: the shapes of compiler/engine/render-sql.ts, and nothing else.
// ---------------------------------------------------------------------------

const IDENT = String.raw`"([a-z_][a-z0-9_$]*)"`;
const LIT = String.raw`'([a-z_][a-z0-9_$]*)'`;
const REL = `'${IDENT}'`;
const CONSTRAINT_EXISTS = `EXISTS \\(SELECT 1 FROM pg_constraint WHERE conrelid = ${REL}::regclass AND conname = ${LIT}\\)`;
const DO_SHAPES: readonly { readonly re: RegExp; readonly relations: readonly number[]; readonly sql?: number }[] = [
  // The sequence of a serial column retyped with it.
  { re: new RegExp(`^ BEGIN EXECUTE format\\('ALTER SEQUENCE %s AS (?:integer|bigint)', pg_get_serial_sequence\\(${REL}, ${LIT}\\)\\); END $`), relations: [1] },
  // A statement run once: when a constraint does (not) exist.
  { re: new RegExp(`^ BEGIN\\n {2}IF (?:NOT )?${CONSTRAINT_EXISTS} THEN\\n {4}([\\s\\S]+?)\\n {2}END IF;\\nEND $`), relations: [1], sql: 3 },
  // A NOT NULL check added once: while the column is nullable and the check does not exist.
  {
    re: new RegExp(`^ BEGIN\\n {2}IF EXISTS \\(SELECT 1 FROM pg_attribute WHERE attrelid = ${REL}::regclass AND attname = ${LIT} AND NOT attnotnull\\) AND NOT ${CONSTRAINT_EXISTS} THEN\\n {4}([\\s\\S]+?)\\n {2}END IF;\\nEND $`),
    relations: [1, 3], sql: 5,
  },
  // The invalid index an interrupted CREATE INDEX CONCURRENTLY left, dropped.
  { re: new RegExp(`^ BEGIN\\n {2}IF EXISTS \\(SELECT 1 FROM pg_index WHERE indexrelid = to_regclass\\(${REL}\\) AND NOT indisvalid\\) THEN\\n {4}([\\s\\S]+?)\\n {2}END IF;\\nEND $`), relations: [1], sql: 2 },
  // A Citus call where the citus extension is installed (compiler/engine/distribution.ts `ifCitus`).
  {
    re: /^ BEGIN IF EXISTS \(SELECT FROM pg_catalog\.pg_extension WHERE extname = 'citus'\) THEN PERFORM ((?:create_distributed_table|create_reference_table)\('"[a-z_][a-z0-9_$]*"'(?:, '[a-z_][a-z0-9_$]*')?\)); END IF; END $/,
    relations: [], sql: 1,
  },
  // An irreversible step's down: it stops `migrate down` with a message (emit's failLoudly).
  { re: /^ BEGIN RAISE EXCEPTION '%', '(?:[^']|'')*'; END $/, relations: [] },
  // A new column's backfill, in committed batches (written without the directive before it named the columns first).
  {
    re: /^\n(?:#variable_conflict use_column\n)?DECLARE n bigint;\nBEGIN\n {2}LOOP\n {4}(UPDATE [\s\S]+?)\n {4}GET DIAGNOSTICS n = ROW_COUNT;\n {4}COMMIT;\n {4}EXIT WHEN n = 0;\n {2}END LOOP;\nEND;\n$/,
    relations: [], sql: 1,
  },
];

/** The SQL statements inside a DO block of a known shape (after checking the relations its conditions name), or why it is refused. */
function doShape(body: string, rules: Rules): string[] | string {
  for (const shape of DO_SHAPES) {
    const m = shape.re.exec(body);
    if (m === null) continue;
    const foreign = shape.relations.map((i) => m[i]).find((name) => !isOwnedName(name, rules));
    if (foreign !== undefined) return `runs a DO block about "${foreign}", which ${rules.owner} does not own`;
    if (shape.sql === undefined) return [];
    return [/^(?:create_distributed_table|create_reference_table)\(/.test(m[shape.sql]) ? `SELECT ${m[shape.sql]}` : m[shape.sql]];
  }
  return 'runs a DO block other than the ones schemac writes (backfills, once-only constraints, serial sequences, invalid-index cleanup); write plain statements instead';
}

/**
 * The key of a verdict in a cache of files found clean: the rules' version, the scope and
 * the file's owner and bytes. A file is clean for these inputs whatever else changes.
 */
export function ownershipKey(file: Pick<MigrationFile, 'owner' | 'checksum'>, scope: OwnershipScope): string {
  return JSON.stringify([OWNERSHIP_RULES_VERSION, [...SAFE_FUNCTIONS].join(','), file.owner, [...scope.orgs].sort(), [...scope.extensions].sort(), file.checksum]);
}

/** The Citus settings a migration's sections set with `SET LOCAL` (compiler/engine/distribution.ts), to exactly these values. */
const CITUS_SETTINGS: readonly (readonly [string, string])[] = [['citus.multi_shard_modify_mode', 'sequential'], ['citus.enable_unsafe_triggers', 'on']];

function isCitusSetting(name: string, args: unknown): boolean {
  const want = CITUS_SETTINGS.find(([n]) => n === name);
  if (want === undefined || !Array.isArray(args) || args.length !== 1) return false;
  const c = (args[0] as { A_Const?: { sval?: { sval?: string } } }).A_Const?.sval?.sval;
  return c === want[1];
}

/** Whether `SET name = args` is one of the settings every migration file pins, to exactly its pinned value. */
function isPinned(name: string, args: unknown): boolean {
  const pinned = PINNED_SETTINGS.find(([n]) => n === name);
  if (pinned === undefined || !Array.isArray(args)) return false;
  const values = args.map((a) => (a as { A_Const?: { sval?: { sval?: string } } }).A_Const?.sval?.sval);
  return values.every((v) => typeof v === 'string') && values.join(', ') === pinned[1];
}
