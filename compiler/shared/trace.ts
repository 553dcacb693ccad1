/**
 * Stage timings for profiling: with `SCHEMAC_TRACE=1`, each call prints to stderr the time
 * since the previous one, the heap in use and the resident set. A no-op otherwise.
 */
const enabled = process.env.SCHEMAC_TRACE !== undefined && process.env.SCHEMAC_TRACE !== '';
const origin = performance.now();
let last = origin;

/** Marks the end of a stage. */
export function trace(stage: string): void {
  if (!enabled) return;
  const now = performance.now();
  const m = process.memoryUsage();
  const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`.padStart(8);
  process.stderr.write(`schemac trace: ${stage.padEnd(22)} ${(now - last).toFixed(0).padStart(5)} ms  (at ${(now - origin).toFixed(0).padStart(5)} ms)  heap ${mib(m.heapUsed)}  rss ${mib(m.rss)}\n`);
  last = now;
}
