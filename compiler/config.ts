/**
 * The workspace config (`schemac.config.yaml`, optional) and its defaults (SPEC §2).
 * Loading and validating it against `schemas/config.schema.json` happens in `loadConfig`.
 */
import type { RuleSeverity } from './ir.ts';

/** A Config is a workspace's resolved settings; every path is relative to `root`. */
export interface Config {
  /** Absolute path of the workspace root (`--cwd`, or the config file's folder). */
  readonly root: string;
  /** Absolute path of the config file, when there is one. */
  readonly file?: string;
  /** Globs of core models files. */
  readonly core: readonly string[];
  /** Globs of custom models files; `{org}` captures the owning org. */
  readonly custom: readonly string[];
  readonly out: {
    readonly migrations: string;
    readonly snapshots: string;
    readonly types: string;
  };
  readonly lint: {
    /** rule id → severity override. */
    readonly rules: Readonly<Record<string, RuleSeverity>>;
    /** rule id → reason: allowed in the whole workspace. */
    readonly allow: Readonly<Record<string, string>>;
  };
  /** Extensions orgs may use (core may use any). */
  readonly extensions: readonly string[];
  /** Workspace default of `rls`: tenant tables with a client_id get a policy unless they say `rls: false`. */
  readonly rls?: boolean;
  /** A distributed PostgreSQL the schema must fit, when configured. */
  readonly distribution?: Distribution;
}

/** A Distribution is the `distribution:` option: the engine and the column tenant tables are sharded by. */
export interface Distribution {
  readonly engine: 'citus';
  readonly column: string;
}

/** The defaults of SPEC §2. */
export const DEFAULT_CONFIG: Omit<Config, 'root'> = {
  core: ['schemas/core/**/models.yaml'],
  custom: ['schemas/custom_tools/{org}/**/models.yaml', 'schemas/custom_resources/{org}/**/models.yaml'],
  out: { migrations: 'generated/migrations', snapshots: 'generated/snapshots', types: 'generated/db.ts' },
  lint: { rules: {}, allow: {} },
  extensions: ['vector', 'pgcrypto', 'citext', 'pg_trgm'],
};

/** The config file names looked for in the workspace root, in order. */
export const CONFIG_FILE_NAMES = ['schemac.config.yaml', 'schemac.config.yml'] as const;

/** Org names (SPEC §2). */
export const ORG_NAME = /^[a-z][a-z0-9_]{0,30}$/;
