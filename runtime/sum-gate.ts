/**
 * `schemac.sum` as a gate at apply time: what runs is what the sum says was reviewed. Before
 * anything runs, every migration file is compared with the line the sum holds for it (`h1:`
 * and the base64 SHA-256 of its text, as `schemac sum` writes it, compiler/engine/sum.ts). A
 * file edited after the sum was written, or added without it, refuses its owner: an org's
 * refuses that org's chain only, a core file's the whole run, as does a sum whose first line
 * (the hash of the lines below it) no longer matches them. A folder without a sum is run
 * with a warning: golang-migrate, dbmate and Flyway folders have none, and `schemac check`,
 * the CI gate, already fails a workspace whose sum is missing, while a deleted sum could as
 * well have been rewritten (it is not a signature), so refusing would protect nothing more.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CORE, type Owner } from '../compiler/ir.ts';
import type { MigrationFile } from './files.ts';

/** The sum file's name inside the migrations folder. */
export const SUM_FILE = 'schemac.sum';

/** A SumGate is what the sum lets run: like `sortMalformed`, refused orgs, reasons to run nothing, and warnings. */
export interface SumGate {
  /** Orgs whose chain may not run (a file of theirs differs from the sum), with why. */
  readonly refusedOwners: Map<Owner, string>;
  /** Why nothing may run (a core file differs from the sum, or the sum is damaged); empty when the run may go on. */
  readonly fatal: string[];
  /** What refuses nothing: no sum at all, or a file the sum lists that is gone. */
  readonly warnings: string[];
}

/**
 * Compares the migration files of `dir` with its `schemac.sum`. `shown` is the folder as
 * messages name it (default `dir`).
 */
export function gateOnSum(dir: string, files: readonly MigrationFile[], shown: string = dir): SumGate {
  const sumShown = `${shown}/${SUM_FILE}`;
  const gate: SumGate = { refusedOwners: new Map(), fatal: [], warnings: [] };
  const text = readSum(path.join(dir, SUM_FILE));
  if (typeof text === 'object') {
    gate.fatal.push(`cannot read ${sumShown}: ${text.error}`);
    return gate;
  }
  if (text === undefined) {
    if (files.length > 0) gate.warnings.push(`${sumShown} is missing: the migrations were not checked against it (\`schemac sum\` writes it)`);
    return gate;
  }
  const [total = '', ...lines] = text.replace(/\n$/, '').split('\n');
  if (hashText(lines.map((l) => `${l}\n`).join('')) !== total) {
    gate.fatal.push(`${sumShown} is damaged (edited by hand?): its first line is not the hash of the lines below it; review the migrations, then run \`schemac sum\``);
    return gate;
  }
  const recorded = new Map(lines.map((l) => /^(\S+\.sql) (h1:\S+)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1], m[2]] as const));
  const byOwner = new Map<Owner, string[]>();
  for (const f of files) {
    const hash = recorded.get(f.name);
    const why = hash === undefined ? `${shown}/${f.name} is not in ${sumShown}` : hash !== hashText(f.text) ? `${shown}/${f.name} was edited after ${sumShown} was written` : undefined;
    if (why !== undefined) byOwner.set(f.owner, [...(byOwner.get(f.owner) ?? []), why]);
  }
  for (const [owner, whys] of byOwner) {
    const reason = `${whys.join('; ')}; review ${whys.length === 1 ? 'it' : 'them'}, then run \`schemac sum\``;
    if (owner === CORE) gate.fatal.push(reason);
    else gate.refusedOwners.set(owner, reason);
  }
  const names = new Set(fs.readdirSync(dir));
  for (const name of recorded.keys()) if (!names.has(name)) gate.warnings.push(`${sumShown} lists ${name}, which does not exist`);
  return gate;
}

/** `h1:` and the base64 SHA-256 of a text's UTF-8 bytes: the hash `schemac sum` records. */
function hashText(text: string): string {
  return `h1:${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/** The sum's text; undefined when there is none. */
function readSum(file: string): string | undefined | { error: string } {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : { error: (e as Error).message };
  }
}
