/**
 * A per-user cache of SQL fragments the PostgreSQL parser has already accepted, with the
 * text printed from their parse trees, so an unchanged workspace is linted (and its
 * migrations written) without loading the parser (WASM). Only acceptances are cached,
 * keyed by a hash of the fragment, its context and the checker's allowlists; refusals are
 * always recomputed. Lives outside the workspace: `$SCHEMAC_CACHE_DIR`, or
 * `$XDG_CACHE_HOME/schemac`, or `~/.cache/schemac`. `SCHEMAC_NO_CACHE=1` turns it off.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Fragment } from '../ir.ts';
import { makeDirs } from '../shared/index.ts';
import type { TypingContext } from './fragment-types.ts';
import { typingKey } from './fragment-types.ts';

/** Bump when the checker's rules or the printer change in a way the allowlists below do not show. */
const CHECKER_VERSION = 'fragments-v2';
const FILE = `${CHECKER_VERSION}.txt`;
const MAX_ENTRIES = 200_000;

/** A FragmentContext is what a fragment's verdict depends on besides its text. */
export interface FragmentContext {
  readonly what?: string;
  readonly immutable?: boolean;
  readonly columns: ReadonlySet<string>;
  readonly types?: ReadonlySet<string>;
  readonly allowFunctions?: ReadonlySet<string>;
  /** The column types and expectation the fragment is typed in. */
  readonly typing?: TypingContext;
  readonly growing?: readonly string[];
}

/** The cache key of a fragment in its context; `salt` names the checker's allowlists. */
export function fragmentKey(fragment: Fragment, ctx: FragmentContext, salt: string): string {
  const sorted = (s?: ReadonlySet<string> | readonly string[]) => (s ? [...s].sort() : null);
  const material = JSON.stringify([
    CHECKER_VERSION, salt, fragment.sql, ctx.what ?? '', ctx.immutable === true, sorted(ctx.columns), sorted(ctx.types), sorted(ctx.allowFunctions),
    sorted(ctx.growing), typingKey(ctx.typing, fragment.sql),
  ]);
  return crypto.createHash('sha256').update(material).digest('hex').slice(0, 32);
}

/** One cache line: a key, a tab, the printed SQL (one line: the printer never breaks lines). */
const LINE = /^([0-9a-f]{32})\t([^\t\n\r]+)$/;

/** The printed SQL of every fragment accepted before, by key (empty when there is no cache). */
export function readAccepted(dir: string | undefined): Map<string, string> {
  const accepted = new Map<string, string>();
  if (dir === undefined) return accepted;
  try {
    for (const line of fs.readFileSync(path.join(dir, FILE), 'utf8').split('\n')) {
      const m = LINE.exec(line);
      if (m) accepted.set(m[1], m[2]);
    }
  } catch {
    // No cache yet.
  }
  return accepted;
}

/** Adds newly accepted fragments (key, printed SQL); a cache that cannot be written is silently skipped. */
export function rememberAccepted(dir: string | undefined, known: ReadonlyMap<string, string>, added: ReadonlyArray<readonly [string, string]>): void {
  if (dir === undefined || added.length === 0) return;
  const all = new Map([...known, ...added]);
  const lines = [...all].slice(-MAX_ENTRIES).map(([k, sql]) => `${k}\t${sql}`);
  try {
    makeDirs(dir);
    const tmp = path.join(dir, `${FILE}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, `${lines.join('\n')}\n`);
    fs.renameSync(tmp, path.join(dir, FILE));
  } catch {
    // A read-only home or a full disk only costs speed.
  }
}
