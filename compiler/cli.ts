/**
 * The `schemac` command line: parses global options, picks a command, and loads only
 * that command's module (lazy imports keep start-up fast). `run` is pure of process
 * state so tests call it in-process; `main` binds it to the real process.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from './commands/context.ts';
import { EXIT } from './commands/context.ts';
import type { Io } from './shared/index.ts';
import { suggest } from './shared/index.ts';

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

/** A CommandSpec describes one command: its usage line, options and module. */
interface CommandSpec {
  readonly usage: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly minArgs?: number;
  readonly maxArgs?: number;
  readonly load: () => Promise<Command>;
}

const FORMAT: Record<string, OptionSpec> = { format: { type: 'string' } };
const STRICT: Record<string, OptionSpec> = { strict: { type: 'boolean' } };

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  lint: {
    usage: 'lint [--format pretty|json|github|sarif] [--strict]',
    summary: 'validate and lint every models.yaml',
    options: { ...FORMAT, ...STRICT },
    maxArgs: 0,
    load: () => import('./commands/lint.ts'),
  },
  diff: {
    usage: 'diff [--org ORG | --core] [--exit-code] [--db URL]',
    summary: 'print the pending plan as SQL; write nothing',
    options: { org: { type: 'string' }, core: { type: 'boolean' }, 'exit-code': { type: 'boolean' }, db: { type: 'string' }, ...FORMAT, ...STRICT },
    maxArgs: 0,
    load: () => import('./commands/diff.ts'),
  },
  migration: {
    usage: 'migration "<description>" [--org ORG | --all] [--allow-destructive]',
    summary: 'write the migration, snapshot, sum and types',
    options: { org: { type: 'string' }, all: { type: 'boolean' }, 'allow-destructive': { type: 'boolean' }, ...FORMAT, ...STRICT },
    minArgs: 1,
    maxArgs: 1,
    load: () => import('./commands/migration.ts'),
  },
  types: {
    usage: 'types',
    summary: 'regenerate the Kysely types only',
    options: { ...FORMAT },
    maxArgs: 0,
    load: () => import('./commands/types.ts'),
  },
  check: {
    usage: 'check [--format pretty|json|github|sarif] [--strict]',
    summary: 'the CI gate: lint, no unmigrated change, outputs up to date',
    options: { ...FORMAT, ...STRICT },
    maxArgs: 0,
    load: () => import('./commands/check.ts'),
  },
  sum: {
    usage: 'sum',
    summary: 'refresh schemac.sum after a hand edit of a migration',
    options: {},
    maxArgs: 0,
    load: () => import('./commands/sum.ts'),
  },
  migrate: {
    usage: 'migrate up|down|status|history [--to NAME] [--db URL] [--allow-out-of-order]',
    summary: 'apply or revert migrations (embedded PGlite without --db or DATABASE_URL)',
    options: { to: { type: 'string' }, db: { type: 'string' }, 'allow-out-of-order': { type: 'boolean' } },
    minArgs: 1,
    maxArgs: 1,
    load: () => import('./commands/migrate.ts'),
  },
  verify: {
    usage: 'verify',
    summary: 'replay every migration on a fresh embedded database and compare with the snapshots',
    options: {},
    maxArgs: 0,
    load: () => import('./commands/verify.ts'),
  },
  watch: {
    usage: 'watch',
    summary: 'on every save: lint, regenerate types, show the pending plan',
    options: { ...FORMAT },
    maxArgs: 0,
    load: () => import('./commands/watch.ts'),
  },
  new: {
    usage: 'new <org>/<tool> [--resource]',
    summary: 'scaffold a models.yaml for a new tool or resource',
    options: { resource: { type: 'boolean' } },
    minArgs: 1,
    maxArgs: 1,
    load: () => import('./commands/new.ts'),
  },
  uninstall: {
    usage: 'uninstall <org>/<tool> [--remove-files]',
    summary: "archive a tool's tables (with their data) in schema archive_<org>; reinstalling restores them",
    options: { 'remove-files': { type: 'boolean' }, ...FORMAT },
    minArgs: 1,
    maxArgs: 1,
    load: () => import('./commands/uninstall.ts'),
  },
  erd: {
    usage: 'erd [--org ORG | --core] [--out DIR]',
    summary: 'print a Mermaid ER diagram; --out: write DIR/<owner>.mmd per owner',
    options: { org: { type: 'string' }, core: { type: 'boolean' }, out: { type: 'string' } },
    maxArgs: 0,
    load: () => import('./commands/erd.ts'),
  },
};

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  cwd: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

/** The help text. */
export function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return `usage: schemac [--cwd DIR] [--config FILE] <command>\n\ncommands:\n${lines.join('\n')}\n`;
}

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function run(argv: readonly string[], io: Io, cwd: string = process.cwd()): Promise<number> {
  const name = argv.find((a, i) => !a.startsWith('-') && !isOptionValue(argv, i));
  const spec = name === undefined ? undefined : COMMANDS[name];
  if (argv.includes('--version')) return io.stdout(`schemac ${VERSION}\n`), EXIT.ok;
  const help = argv.includes('--help') || argv.includes('-h');
  if (help) return io.stdout(spec ? `usage: schemac ${spec.usage}\n` : usage()), EXIT.ok;
  if (name === undefined) return io.stderr(usage()), EXIT.usage;
  if (spec === undefined) {
    io.stderr(`schemac: unknown command '${name}'${suggest(name, Object.keys(COMMANDS))}\n\n${usage()}`);
    return EXIT.usage;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv.filter((a) => a !== name), options: { ...GLOBAL_OPTIONS, ...spec.options }, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr(`schemac ${name}: ${(e as Error).message.split('\n')[0]}\nusage: schemac ${spec.usage}\n`);
    return EXIT.usage;
  }
  const positionals = parsed.positionals;
  if (positionals.length < (spec.minArgs ?? 0) || positionals.length > (spec.maxArgs ?? Infinity)) {
    io.stderr(`schemac ${name}: wrong number of arguments\nusage: schemac ${spec.usage}\n`);
    return EXIT.usage;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const root = path.resolve(cwd, typeof values.cwd === 'string' ? values.cwd : '.');
  const ctx: CommandContext = {
    cwd: root,
    configPath: typeof values.config === 'string' ? path.resolve(cwd, values.config) : undefined,
    args: positionals,
    flags: values,
    io,
  };
  const command = await spec.load();
  return command.run(ctx);
}

const VERSION = '0.1.0';

function isOptionValue(argv: readonly string[], i: number): boolean {
  const prev = argv[i - 1];
  if (prev === undefined || !prev.startsWith('--') || prev.includes('=')) return false;
  const key = prev.slice(2);
  const all = { ...GLOBAL_OPTIONS, ...Object.assign({}, ...Object.values(COMMANDS).map((c) => c.options)) } as Record<string, OptionSpec>;
  return all[key]?.type === 'string';
}

/** Binds `run` to the process; an unexpected failure prints one line, never a stack trace. */
export async function main(): Promise<void> {
  const io: Io = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (e) {
    io.stderr(`schemac: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.SCHEMAC_DEBUG) io.stderr(`${(e as Error)?.stack}\n`);
    process.exitCode = EXIT.failed;
  }
}
