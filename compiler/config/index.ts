/**
 * The config's face: finds, reads and validates `schemac.config.yaml` against its JSON
 * Schema. The `Config` it returns is part of the IR (`compiler/ir.ts`).
 */
export { loadConfig } from './load.ts';
export type { ConfigResult } from './load.ts';
