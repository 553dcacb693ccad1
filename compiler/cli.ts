/**
 * The `schemac` command line: parses global options, picks a command, and loads only
 * that command's module (lazy imports keep start-up fast). `run` is pure of process
 * state so tests call it in-process; `main` binds it to the real process.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from './commands/context.ts';
import { EXIT } from './commands/context.ts';
import {
  BUILTIN, commandHelp, COMMANDS, completionScript, GLOBAL_OPTIONS, type OptionSpec, overview, SHELLS, usageLine,
} from './cli/index.ts';
import type { Io } from './shared/index.ts';
import { suggest, workspaceRoot } from './shared/index.ts';

/** Runs the CLI on `argv` (without node and script); resolves to the exit code. */
export async function run(argv: readonly string[], io: Io, cwd: string = process.cwd()): Promise<number> {
  if (argv.includes('--no-color')) io = { ...io, env: { ...io.env, NO_COLOR: '1', FORCE_COLOR: undefined } };
  const at = argv.findIndex((a, i) => !a.startsWith('-') && !isOptionValue(argv, i));
  const name = at < 0 ? undefined : argv[at];
  const spec = name === undefined ? undefined : COMMANDS[name];
  const rest = at < 0 ? [] : argv.slice(at + 1).filter((a) => !a.startsWith('-'));
  if (name === 'version' || (name === undefined && (argv.includes('--version') || argv.includes('-v')))) return io.stdout(`schemac ${VERSION}\n`), EXIT.ok;
  if (name === 'help') return help(io, rest[0]);
  if (argv.includes('--help') || argv.includes('-h')) return help(io, name);
  if (name === 'completion') return completion(io, rest[0]);
  if (name === undefined) return io.stderr(`${overview(VERSION)}`), EXIT.usage;
  if (spec === undefined) {
    const known = [...Object.keys(COMMANDS), ...Object.keys(BUILTIN)];
    io.stderr(`schemac: unknown command '${name}'${suggest(name, known)}\nRun 'schemac help' for the commands.\n`);
    return EXIT.usage;
  }
  const options = { ...GLOBAL_OPTIONS, ...spec.options } as Record<string, OptionSpec>;
  let parsed;
  try {
    parsed = parseArgs({ args: argv.filter((_, i) => i !== at), options: parserOptions(options), allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr(`schemac ${name}: ${optionProblem((e as Error).message, options)}\n${usageLine(name)}\nRun 'schemac help ${name}' for its options.\n`);
    return EXIT.usage;
  }
  const positionals = parsed.positionals;
  if (positionals.length < (spec.minArgs ?? 0) || positionals.length > (spec.maxArgs ?? Infinity)) {
    io.stderr(`schemac ${name}: wrong number of arguments\n${usageLine(name)}\n`);
    return EXIT.usage;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const root = path.resolve(cwd, typeof values.cwd === 'string' ? values.cwd : '.');
  const ctx: CommandContext = {
    cwd: root,
    configPath: typeof values.config === 'string' ? path.resolve(cwd, values.config) : undefined,
    args: positionals,
    flags: values,
    io,
  };
  workspaceRoot(root);
  const command = await spec.load();
  return command.run(ctx);
}

const VERSION = '0.1.0';

function help(io: Io, name: string | undefined): number {
  if (name === undefined) return io.stdout(overview(VERSION)), EXIT.ok;
  const text = commandHelp(name);
  if (text !== undefined) return io.stdout(text), EXIT.ok;
  io.stderr(`schemac help: unknown command '${name}'${suggest(name, [...Object.keys(COMMANDS), ...Object.keys(BUILTIN)])}\n`);
  return EXIT.usage;
}

function completion(io: Io, shell: string | undefined): number {
  const script = shell === undefined ? undefined : completionScript(shell);
  if (script !== undefined) return io.stdout(script), EXIT.ok;
  io.stderr(`schemac completion: ${shell === undefined ? 'name a shell' : `no completion for '${shell}'`}: one of ${SHELLS.join(', ')}\n`);
  return EXIT.usage;
}

/** The options in `parseArgs`'s shape. */
function parserOptions(options: Readonly<Record<string, OptionSpec>>): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> {
  const out: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(options)) out[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  return out;
}

/** `parseArgs`'s complaint in schemac's words, with "did you mean" for an unknown option. */
function optionProblem(message: string, options: Readonly<Record<string, OptionSpec>>): string {
  const unknown = /Unknown option '(-{1,2})([^'=]+)'/.exec(message);
  if (unknown) {
    const names = Object.keys(options);
    return `unknown option '${unknown[1]}${unknown[2]}'${suggest(unknown[2], names).replace(/'([^']+)'\?/, "'--$1'?")}`;
  }
  const missing = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  return message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
}

function isOptionValue(argv: readonly string[], i: number): boolean {
  const prev = argv[i - 1];
  if (prev === undefined || !prev.startsWith('--') || prev.includes('=')) return false;
  return ALL_OPTIONS[prev.slice(2)]?.type === 'string';
}

/** Every option of every command, and the global ones. */
const ALL_OPTIONS: Readonly<Record<string, OptionSpec>> = Object.assign({}, GLOBAL_OPTIONS, ...Object.values(COMMANDS).map((c) => c.options));

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
