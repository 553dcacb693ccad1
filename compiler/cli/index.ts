/**
 * The command line's face: the table of commands, options, exit codes and environment, and
 * what is made from it (help, usage lines, completion scripts). `compiler/cli.ts` parses
 * the arguments with it.
 */
export { completionScript, SHELLS } from './completion.ts';
export { commandHelp, overview, usageLine } from './help.ts';
export { BUILTIN, COMMANDS, ENVIRONMENT, EXIT_MEANING, GLOBAL_OPTIONS } from './spec.ts';
export type { CommandSpec, OptionSpec } from './spec.ts';
