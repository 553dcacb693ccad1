/**
 * `schemac completion bash|zsh`: a completion script made from the command table, so it
 * always knows every command, action, option and option value. zsh runs the bash function
 * through `bashcompinit`.
 */
import { BUILTIN, COMMANDS, GLOBAL_OPTIONS, type OptionSpec } from './spec.ts';

/** The shells there is a script for. */
export const SHELLS = ['bash', 'zsh'] as const;

const flags = (options: Readonly<Record<string, OptionSpec>>) => Object.keys(options).map((n) => `--${n}`).join(' ');

/** Completion of a string option's value: its choices, folders or files. */
function valueCase(options: Readonly<Record<string, OptionSpec>>): string[] {
  const out: string[] = [];
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string') continue;
    const reply = o.choices ? `compgen -W "${o.choices.join(' ')}" -- "$cur"` : o.arg === 'DIR' ? 'compgen -d -- "$cur"' : o.arg === 'FILE' ? 'compgen -f -- "$cur"' : ':';
    out.push(`    --${name}) COMPREPLY=($(${reply})); return ;;`);
  }
  return out;
}

function bash(): string {
  const commands = [...Object.keys(COMMANDS), ...Object.keys(BUILTIN)];
  const allOptions: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS };
  for (const c of Object.values(COMMANDS)) Object.assign(allOptions, c.options);
  const takesValue = Object.entries(allOptions).filter(([, o]) => o.type === 'string').map(([n]) => `--${n}`);
  const perCommand = Object.entries(COMMANDS).map(([n, c]) => `    ${n}) words="${[...(c.actions ?? []), flags(c.options)].join(' ').trim()}" ;;`);
  return `# schemac completion for bash: add  eval "$(schemac completion bash)"  to ~/.bashrc
_schemac() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" words="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${takesValue.join('|')}) ((i++)) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
${valueCase(allOptions).join('\n')}
  esac
  case "$cmd" in
    "") words="${commands.join(' ')} ${flags(GLOBAL_OPTIONS)}" ;;
${perCommand.join('\n')}
    help) words="${commands.join(' ')}" ;;
    completion) words="${SHELLS.join(' ')}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _schemac schemac
`;
}

/** The completion script for `shell`, or undefined for a shell there is none for. */
export function completionScript(shell: string): string | undefined {
  if (shell === 'bash') return bash();
  if (shell === 'zsh') return `# schemac completion for zsh: add  eval "$(schemac completion zsh)"  to ~/.zshrc\nautoload -U +X bashcompinit && bashcompinit\n${bash().split('\n').slice(1).join('\n')}`;
  return undefined;
}
