/**
 * Durations on the command line (`--lock-timeout 3s`): a number and a unit, `ms`, `s`,
 * `min` (or `m`) or `h`, as in `500ms`, `3s`, `2min`, `1.5h`.
 */
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** The duration `text` names, in milliseconds; undefined when it is not one (no unit, a negative or unknown unit). */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)$/.exec(text.trim());
  if (m === null) return undefined;
  const ms = Number(m[1]) * UNITS[m[2]];
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
