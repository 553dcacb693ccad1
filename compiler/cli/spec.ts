/**
 * The command line, described once: every command with its arguments, options, exit codes
 * and environment. The parser (`cli.ts`), `schemac help`, `--help`, the shell completion
 * scripts and docs/cli.md are all made from this table.
 */
import type { Command } from '../commands/context.ts';

/** An OptionSpec is one `--option`: its type, what it does, and the name of its value. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** The placeholder of a string option's value in help (`--db URL`). */
  readonly arg?: string;
  /** For a string option with a closed set of values: those values (help and completion). */
  readonly choices?: readonly string[];
  /** Whether the option may be given more than once. */
  readonly multiple?: boolean;
  readonly description: string;
}

/** A CommandSpec describes one command: its usage line, help text, options and module. */
export interface CommandSpec {
  /** The usage line, without `schemac ` (`migration "<description>" [--org ORG | --all]`). */
  readonly usage: string;
  readonly summary: string;
  /** Paragraphs of the command's help. */
  readonly description: readonly string[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly minArgs?: number;
  readonly maxArgs?: number;
  /** For commands whose first argument is an action (`migrate up`): the actions. */
  readonly actions?: readonly string[];
  /** What exit code 1 means for this command (0 and 2 mean the same everywhere). */
  readonly fails: string;
  /** Environment variables the command reads, by name (see ENVIRONMENT). */
  readonly env?: readonly string[];
  readonly load: () => Promise<Command>;
}

const FORMAT: Record<string, OptionSpec> = {
  format: { type: 'string', arg: 'FORMAT', choices: ['pretty', 'json', 'github', 'sarif'], description: 'how diagnostics are printed: pretty (default), json, github (workflow annotations) or sarif' },
};
const STRICT: Record<string, OptionSpec> = { strict: { type: 'boolean', description: 'warnings fail too (exit 1)' } };
const ORG: Record<string, OptionSpec> = { org: { type: 'string', arg: 'ORG', description: 'only this org' } };
const DB: Record<string, OptionSpec> = {
  db: { type: 'string', arg: 'URL', description: 'a PostgreSQL URL (default: DATABASE_URL; with neither, the embedded PGlite database)' },
};

/** The global options, accepted before or after any command. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  cwd: { type: 'string', arg: 'DIR', description: 'the workspace folder (default: the current folder)' },
  config: { type: 'string', arg: 'FILE', description: 'the config file (default: schemac.config.yaml in the workspace); its folder is the workspace' },
  help: { type: 'boolean', short: 'h', description: 'print help and exit' },
  version: { type: 'boolean', short: 'v', description: 'print the version and exit' },
  'no-color': { type: 'boolean', description: 'no colour, even on a terminal (also NO_COLOR=1)' },
};

/** Environment variables schemac reads. */
export const ENVIRONMENT: Readonly<Record<string, string>> = {
  DATABASE_URL: 'the PostgreSQL database of migrate, verify and diff --db when no --db is given',
  NO_COLOR: 'set (to anything) for no colour',
  FORCE_COLOR: 'set to 1 for colour even when stderr is not a terminal; 0 for none',
  SCHEMAC_CACHE_DIR: "the per-user cache of accepted SQL fragments, of what a command about one org takes of the other owners' snapshots, of what check found about unchanged orgs and of schemac's compiled code (default: $XDG_CACHE_HOME/schemac or ~/.cache/schemac); a folder inside the workspace is not used, since a pull request could have committed it",
  SCHEMAC_NO_CACHE: 'set to 1 to use no per-user cache',
  SCHEMAC_NOW: 'an ISO time to name new migrations by, instead of the clock (reproducible builds)',
  SCHEMAC_LOCK_WAIT_MS: "how long migrate waits for another run's lock, in ms, when --lock-timeout is not given (default 60000)",
  SCHEMAC_TRACE: "set to 1 to print each stage's time, heap and resident set to stderr",
  SCHEMAC_DEBUG: 'set to 1 to print the stack of an internal error',
};

/** What exit codes 0 and 2 mean for every command (SPEC §6); 1 is each command's `fails`. */
export const EXIT_MEANING = {
  ok: 'success (warnings are printed but do not fail, unless --strict)',
  usage: 'a usage or config error',
} as const;

/** Every command. */
export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  init: {
    usage: 'init [--core GLOB] [--custom GLOB]… [--out DIR] [--force]',
    summary: 'start a workspace: write schemac.config.yaml and create its folders',
    description: [
      'Writes schemac.config.yaml with the defaults, commented, or with the globs given by --core, --custom and --out, and creates the folders they name. Refuses to overwrite an existing config without --force.',
    ],
    options: {
      core: { type: 'string', arg: 'GLOB', description: 'the glob of core models files (default schemas/core/**/models.yaml)' },
      custom: { type: 'string', arg: 'GLOB', multiple: true, description: 'a glob of org models files with {org} in it; repeatable (default: schemas/custom_tools/{org}/** and schemas/custom_resources/{org}/**)' },
      out: { type: 'string', arg: 'DIR', description: 'the folder of generated files (default generated)' },
      force: { type: 'boolean', description: 'overwrite an existing config' },
    },
    maxArgs: 0,
    fails: 'a config already exists (without --force), or it cannot be written',
    load: () => import('../commands/init.ts'),
  },
  new: {
    usage: 'new <org>/<tool> [--resource]',
    summary: 'scaffold a models.yaml for a new tool or resource',
    description: ['Writes a models.yaml for a new tool (or resource, with --resource) of an org, with a first table that passes every lint rule.'],
    options: { resource: { type: 'boolean', description: 'a resource (custom_resources/) instead of a tool (custom_tools/)' } },
    minArgs: 1,
    maxArgs: 1,
    fails: 'the name is invalid or the file exists',
    load: () => import('../commands/new.ts'),
  },
  lint: {
    usage: 'lint [--format pretty|json|github|sarif] [--strict]',
    summary: 'validate and lint every models.yaml',
    description: ['Reads every models file the config names, validates it against the JSON Schema, resolves names across owners and runs every lint rule. Writes nothing.'],
    options: { ...FORMAT, ...STRICT },
    maxArgs: 0,
    fails: 'errors were found (or warnings, with --strict)',
    env: ['SCHEMAC_CACHE_DIR', 'SCHEMAC_NO_CACHE'],
    load: () => import('../commands/lint.ts'),
  },
  diff: {
    usage: 'diff [--org ORG | --core] [--exit-code] [--db URL]',
    summary: 'print the pending plan as SQL; write nothing',
    description: [
      'Prints, for every owner whose models differ from its snapshot, the SQL a migration would hold. With --db, prints how a live database differs from the snapshots instead: a PostgreSQL URL, or embedded for the workspace\'s embedded PGlite database (beside the config).',
    ],
    options: {
      ...ORG,
      core: { type: 'boolean', description: 'only core' },
      'exit-code': { type: 'boolean', description: 'exit 1 when there are changes (or drift, with --db)' },
      ...DB,
      ...FORMAT,
      ...STRICT,
    },
    maxArgs: 0,
    fails: 'errors were found, or (with --exit-code) there are changes',
    env: ['DATABASE_URL'],
    load: () => import('../commands/diff.ts'),
  },
  migration: {
    usage: 'migration "<description>" [--org ORG | --all] [--allow-destructive]',
    summary: 'write the migration, snapshot, sum and types',
    description: [
      "Diffs the models with each owner's snapshot and writes the migration file (up and down), the new snapshot, schemac.sum and generated/db.ts. Without --org or --all: core's.",
    ],
    options: {
      ...ORG,
      all: { type: 'boolean', description: 'one migration per owner with changes, core first' },
      'allow-destructive': { type: 'boolean', description: 'allow changes that lose data (drops, narrowing types)' },
      ...FORMAT,
      ...STRICT,
    },
    minArgs: 1,
    maxArgs: 1,
    fails: 'errors were found, or the plan is destructive without --allow-destructive; nothing is written',
    env: ['SCHEMAC_NOW', 'SCHEMAC_CACHE_DIR', 'SCHEMAC_NO_CACHE'],
    load: () => import('../commands/migration.ts'),
  },
  types: {
    usage: 'types',
    summary: 'regenerate the Kysely types only',
    description: ['Writes generated/db.ts from the snapshots.'],
    options: { ...FORMAT },
    maxArgs: 0,
    fails: 'the snapshots cannot be read',
    load: () => import('../commands/types.ts'),
  },
  check: {
    usage: 'check [--format pretty|json|github|sarif] [--strict]',
    summary: 'the CI gate: lint, no unmigrated change, outputs up to date',
    description: [
      'Fails when any lint error is found, when a model changed without a migration, or when a snapshot, generated/db.ts or schemac.sum is not what the files say. Writes nothing in the workspace.',
      'The per-user cache remembers, by the hash of what they are made of, what check found about each org with no error (its warnings), the orgs whose models need no migration and the migration files found well-formed: an org whose files, core\'s files and the config are unchanged is hashed instead of loaded, so check on a change to one org loads that org and core. Both sums, the types\' index and core are checked in every run.',
    ],
    options: { ...FORMAT, ...STRICT },
    maxArgs: 0,
    fails: 'anything above is found',
    env: ['SCHEMAC_CACHE_DIR', 'SCHEMAC_NO_CACHE'],
    load: () => import('../commands/check.ts'),
  },
  sum: {
    usage: 'sum',
    summary: 'refresh schemac.sum after a hand edit of a migration',
    description: ['Rewrites schemac.sum from the migration files, after a reviewed hand edit, and generated/snapshots/schemac.sum from the snapshot files (a command about one org takes the other owners from it).'],
    options: {},
    maxArgs: 0,
    fails: 'a migration file is malformed',
    load: () => import('../commands/sum.ts'),
  },
  migrate: {
    usage: 'migrate up|down|status|history|baseline [--to NAME] [--db URL] [--allow-out-of-order] [--org ORG] [--allow-destructive] [--lock-timeout DURATION] [--dry-run] [--exit-code] [--format pretty|json]',
    summary: 'apply or revert migrations (embedded PGlite without --db or DATABASE_URL)',
    description: [
      'up applies every pending migration, core first; down reverts the last one (or down to --to); status lists each file as applied, pending, changed or interrupted; history lists what the database recorded.',
      "down reverts whole migrations: a file and its _concurrent part together, the part first. With --org, the last migration of that owner (core's only while no other owner's was applied after it). A down that would drop a table or column holding rows is refused before anything runs, naming each with its rows, unless --allow-destructive.",
      "On PostgreSQL, up and down hold a lock for the whole run (a table lock on schemac_lock, exclusive through transaction pooling too); another run waits for it up to --lock-timeout, saying every 5 s who holds it, then exits 1.",
      "Without --db or DATABASE_URL, the database is the embedded one in .schemac/pglite beside the config file, which one process at a time may open: another process's hold is waited for up to --lock-timeout. status, history and down never create it.",
      'up and down run only files schemac.sum lists as they are: an org\'s file that differs refuses that org\'s migrations, a core file\'s the run.',
      'baseline adopts a database another tool built (needs --db or DATABASE_URL): under the run\'s lock it records the migrations up to --to (default: all) as applied without running them, only after checking, as diff --db does, that the database matches the schema they make; on any difference it prints them, records nothing and exits 1. down stops at a baselined migration; status and history mark them.',
    ],
    options: {
      to: { type: 'string', arg: 'NAME', description: 'up, down or baseline to this migration (its file name)' },
      ...DB,
      'allow-out-of-order': { type: 'boolean', description: 'apply a pending file older than the last applied one' },
      org: { type: 'string', arg: 'ORG', description: "down: revert this owner's last migration (an org, or core)" },
      'allow-destructive': { type: 'boolean', description: 'down: drop tables and columns that hold rows' },
      'lock-timeout': { type: 'string', arg: 'DURATION', description: "how long to wait for another run's lock (or another process on the embedded database): 500ms, 3s, 2min (default 60s, or SCHEMAC_LOCK_WAIT_MS)" },
      'dry-run': { type: 'boolean', description: 'up: print the SQL of every file it would apply, in order; apply nothing' },
      'exit-code': { type: 'boolean', description: 'status: exit 1 when any file is pending, changed, missing or interrupted' },
      format: { type: 'string', arg: 'FORMAT', choices: ['pretty', 'json'], description: 'pretty (default) or json: the results, status or history as data' },
    },
    actions: ['up', 'down', 'status', 'history', 'baseline'],
    minArgs: 1,
    maxArgs: 1,
    fails: 'a migration failed or was refused (down: it would drop data, without --allow-destructive; or it reached a baselined migration), baseline found drift, the database cannot be reached, the lock was not free within --lock-timeout, or (status --exit-code) a file is pending, changed, missing or interrupted',
    env: ['DATABASE_URL', 'SCHEMAC_LOCK_WAIT_MS'],
    load: () => import('../commands/migrate.ts'),
  },
  pull: {
    usage: 'pull [--db URL] [--out FILE] [--force] [--skip-unsupported]',
    summary: 'write core models for what a live database holds and no models file declares',
    description: [
      "Reads a live database (as diff --db does) and writes, as core models, every table, enum, index, constraint, default and comment that no models file declares and no ignore: glob of the config covers: to the first core glob's file (schemas/core/models.yaml by default), or --out FILE. Refuses to overwrite an existing file without --force.",
      'Every name is kept: a constraint or index whose name differs from the one schemac derives gets name:. The result is linted, and each rule the existing schema breaks gets a lint: allow: entry with the reason "pulled from an existing database" on its table or column, so the workspace lints clean and shows its debt.',
      'A column whose type models.yaml cannot express is reported (file, table, column, type) and nothing is written, unless --skip-unsupported, which leaves such columns out (with the constraints and indexes over them).',
    ],
    options: {
      ...DB,
      out: { type: 'string', arg: 'FILE', description: "the models file to write (default: the first core glob's file)" },
      force: { type: 'boolean', description: 'overwrite the file when it exists' },
      'skip-unsupported': { type: 'boolean', description: 'leave out columns of types models.yaml cannot express, instead of writing nothing' },
    },
    maxArgs: 0,
    fails: 'the database cannot be read, the file exists (without --force), a column has an unsupported type (without --skip-unsupported), or the file was written but this schemac does not accept it as it is',
    env: ['DATABASE_URL'],
    load: () => import('../commands/pull.ts'),
  },
  verify: {
    usage: 'verify [--full]',
    summary: 'replay every migration on a fresh embedded database and compare with the snapshots',
    description: [
      'Applies the whole history to a new embedded database, introspects it and compares it with the snapshots; then reverts everything and applies it again.',
      'A successful run keeps the database it built in .schemac/verify/<hash>, the hash being that of the migration files it holds. The next run starts from the kept database holding the longest unchanged part of the history: it applies, reverts and reapplies only the files after it, reads back only the tables those files can reach, and keeps the result in its place (a failed run puts the database back when reverting restored it). A changed earlier file is never covered by a kept database; one that cannot be read is removed, with a note, and its migrations replayed. Databases of histories that went apart (the last 3) are kept side by side.',
      'A fresh replay of a large history (4 MiB of SQL or more) runs each pass (about 4 MiB of the files up or down, or reading the schema back) on an instance of the embedded database of its own, in a thread of its own, whose memory goes back when the pass ends: a few seconds more, and much less memory at thousands of tables.',
    ],
    options: { full: { type: 'boolean', description: 'replay the whole history on a fresh database, ignoring the saved ones' } },
    maxArgs: 0,
    fails: 'a migration fails, or the database differs from the snapshots',
    load: () => import('../commands/verify.ts'),
  },
  watch: {
    usage: 'watch',
    summary: 'on every save: lint, regenerate types, show the pending plan',
    description: ['Stays up through errors; Ctrl-C stops it.'],
    options: { ...FORMAT },
    maxArgs: 0,
    fails: 'the watcher cannot start',
    load: () => import('../commands/watch.ts'),
  },
  uninstall: {
    usage: 'uninstall <org>/<tool> [--remove-files]',
    summary: "archive a tool's tables (with their data) in schema archive_<org>; reinstalling restores them",
    description: ["Writes a migration that moves a removed tool's tables, with their rows, into schema archive_<org>."],
    options: { 'remove-files': { type: 'boolean', description: "also delete the tool's models.yaml" }, ...FORMAT },
    minArgs: 1,
    maxArgs: 1,
    fails: 'the tool is unknown, still referenced, or its org has other pending changes',
    load: () => import('../commands/uninstall.ts'),
  },
  erd: {
    usage: 'erd [--org ORG | --core] [--out DIR]',
    summary: 'print a Mermaid ER diagram; --out: write DIR/<owner>.mmd per owner',
    description: ['Prints a Mermaid ER diagram of the snapshots.'],
    options: { ...ORG, core: { type: 'boolean', description: 'only core' }, out: { type: 'string', arg: 'DIR', description: 'write DIR/<owner>.mmd for core and every org' } },
    maxArgs: 0,
    fails: 'the snapshots cannot be read',
    load: () => import('../commands/erd.ts'),
  },
};

/** Commands the CLI answers itself, without loading a module. */
export const BUILTIN = {
  help: { args: '[command]', summary: 'print help for schemac or one command' },
  version: { args: '', summary: 'print the version' },
  completion: { args: 'bash|zsh', summary: 'print a shell completion script' },
} as const;
