/**
 * Durations on the command line (`--lock-timeout 3s`): a number and a unit, `ms`, `s`,
 * `min` or `h` (`500ms`, `3s`, `1.5s`, `2min`, `1h`). `m` is not a unit: minutes or
 * milliseconds? Say `min` or `ms`.
 */

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

/** Spellings people write for a unit, and the unit they mean. */
const ALIASES: Readonly<Record<string, string>> = {
  msec: 'ms', msecs: 'ms', millis: 'ms', millisecond: 'ms', milliseconds: 'ms',
  sec: 's', secs: 's', second: 's', seconds: 's',
  mins: 'min', minute: 'min', minutes: 'min',
  hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
};

const SHAPE = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/** The duration in milliseconds (rounded to a whole ms), or undefined when `text` is not a number and a unit. */
export function parseDuration(text: string): number | undefined {
  const m = SHAPE.exec(text.trim());
  if (!m) return undefined;
  const factor = UNITS[m[2]];
  if (factor === undefined) return undefined;
  const ms = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Why `text` is not a duration, with what was probably meant: `not a duration (did you mean '5min'?); …`. */
export function durationProblem(text: string): string {
  const m = SHAPE.exec(text.trim());
  const units = "a number and a unit: ms, s, min or h (500ms, 3s, 2min)";
  if (!m) return `'${text}' is not a duration; give ${units}`;
  const [, n, unit] = m;
  if (unit === '') return `'${text}' has no unit (did you mean '${n}s'?); give ${units}`;
  if (unit.toLowerCase() === 'm') return `'${text}' is ambiguous (did you mean '${n}min' or '${n}ms'?); give ${units}`;
  const meant = ALIASES[unit.toLowerCase()] ?? (UNITS[unit.toLowerCase()] !== undefined ? unit.toLowerCase() : undefined);
  const hint = meant === undefined ? '' : ` (did you mean '${n}${meant}'?)`;
  return `'${text}' is not a duration${hint}; give ${units}`;
}

/** A duration for people: `800 ms`, `3 s`, `1.5 s`, `2 min`, `2 min 30 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const min = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 0 ? `${min} min` : `${min} min ${s} s`;
}
