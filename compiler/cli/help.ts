/** `schemac help`, `schemac help <command>` and `<command> --help`, in 80 columns. */
import { BUILTIN, COMMANDS, ENVIRONMENT, EXIT_MEANING, GLOBAL_OPTIONS, type OptionSpec } from './spec.ts';

const WIDTH = 80;

/** Words of `text` in lines of at most `width - indent` characters, each indented. */
export function wrap(text: string, indent: number, width = WIDTH, first = indent): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const room = width - (lines.length === 0 ? first : indent);
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? ' '.repeat(first) : ' '.repeat(indent)) + l).join('\n');
}

/** Rows of `name  text`, names padded to one column, texts wrapped beside them. */
function table(rows: readonly (readonly [string, string])[], pad = 2): string {
  const col = Math.min(26, Math.max(...rows.map(([n]) => n.length)) + pad + 2);
  return rows
    .map(([name, text]) => {
      const head = `${' '.repeat(pad)}${name}`;
      if (head.length + 2 > col) return `${head}\n${wrap(text, col)}`;
      return head.padEnd(col) + wrap(text, col, WIDTH, col).slice(col);
    })
    .join('\n');
}

/** `--db URL`, `-h, --help`. */
export function optionLabel(name: string, o: OptionSpec): string {
  const long = `--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** The usage line of a command (of schemac without one). */
export function usageLine(name?: string): string {
  const spec = name === undefined ? undefined : COMMANDS[name];
  const text = spec ? `schemac ${spec.usage}` : 'schemac [--cwd DIR] [--config FILE] <command> [arguments] [options]';
  return wrap(text, 10, WIDTH, 7).replace(/^ {7}/, 'usage: ');
}

/** The rows of the global options. */
function globalOptions(): string {
  return table(Object.entries(GLOBAL_OPTIONS).map(([n, o]) => [optionLabel(n, o), o.description]));
}

/** The exit codes, with what 1 means. */
function exitCodes(failed: string): string {
  return table([['0', EXIT_MEANING.ok], ['1', failed], ['2', EXIT_MEANING.usage]]);
}

/** The help of schemac as a whole. */
export function overview(version: string): string {
  const commands = [
    ...Object.entries(COMMANDS).map(([n, c]) => [n, c.summary] as const),
    ...Object.entries(BUILTIN).map(([n, c]) => [n, c.summary] as const),
  ];
  return [
    `schemac ${version}: models.yaml in; PostgreSQL migrations and Kysely types out`,
    '',
    usageLine(),
    '',
    'Commands:',
    table(commands),
    '',
    'Global options:',
    globalOptions(),
    '',
    'Exit codes:',
    exitCodes('errors were found, or a refusal (see each command)'),
    '',
    'Environment:',
    table(Object.entries(ENVIRONMENT)),
    '',
    'Run `schemac help <command>` (or `schemac <command> --help`) for its options.',
    '',
  ].join('\n');
}

/** The help of one command. */
export function commandHelp(name: string): string | undefined {
  const spec = COMMANDS[name];
  if (spec === undefined) {
    if (!(name in BUILTIN)) return undefined;
    const b = BUILTIN[name as keyof typeof BUILTIN];
    return `usage: schemac ${name}${b.args ? ` ${b.args}` : ''}\n\n${wrap(`${b.summary}.`, 0)}\n`;
  }
  const options = Object.entries(spec.options).map(([n, o]) => [optionLabel(n, o), o.description + (o.multiple ? ' (repeatable)' : '')] as const);
  const env = (spec.env ?? []).map((v) => [v, ENVIRONMENT[v]] as const);
  return [
    usageLine(name),
    '',
    ...spec.description.map((p) => `${wrap(p, 0)}\n`),
    ...(options.length ? ['Options:', table(options), ''] : []),
    'Global options:',
    globalOptions(),
    '',
    'Exit codes:',
    exitCodes(spec.fails),
    ...(env.length ? ['', 'Environment:', table(env)] : []),
    '',
  ].join('\n');
}
