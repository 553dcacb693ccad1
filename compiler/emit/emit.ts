/**
 * Migration emission: turns a plan (`compiler/plan.ts` statements) into the text of one
 * migration file and names it. Pure: the commands write what these functions return.
 */
import type { Statement } from '../engine/index.ts';
import { CITUS_SECTION_SETTINGS } from '../engine/index.ts';
import type { Owner } from '../ir.ts';
import { CORE } from '../ir.ts';
import { pinnedSettingsSql, quoteLiteral } from '../shared/index.ts';
import { render } from './templates.ts';


/** The longest slug a file name carries; longer descriptions are cut at a word boundary. */
const MAX_SLUG = 80;

/** The file-name slug of a description: lowercase, `[^a-z0-9]+` → `_`, trimmed; '' when nothing is left. */
export function slugify(description: string): string {
  const slug = description.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (slug.length <= MAX_SLUG) return slug;
  const cut = slug.slice(0, MAX_SLUG);
  const boundary = cut.lastIndexOf('_');
  return (boundary > MAX_SLUG / 2 ? cut.slice(0, boundary) : cut).replace(/_+$/, '');
}

/** `YYYYMMDD_HHMMSS` of a date, in UTC. */
export function timestamp(now: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const date = `${p(now.getUTCFullYear(), 4)}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  return `${date}_${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
}

/** The owner part of a migration file name: `core` or `custom_<org>`. */
export function ownerTag(owner: Owner): string {
  return owner === CORE ? CORE : `custom_${owner}`;
}

/** `YYYYMMDD_HHMMSS_core_<slug>.sql` or `YYYYMMDD_HHMMSS_custom_<org>_<slug>.sql` (UTC); the slug must be non-empty. */
export function migrationFileName(now: Date, owner: Owner, description: string): string {
  return `${timestamp(now)}_${ownerTag(owner)}_${slugify(description)}.sql`;
}

/** A MigrationInput is what one migration file is made of. */
export interface MigrationInput {
  readonly owner: Owner;
  readonly description: string;
  readonly statements: readonly Statement[];
  /** True when the workspace configures `distribution:` (Citus settings first in each transactional section). */
  readonly distribution?: boolean;
}

/** The flat view model of `templates/migration.sql.hbs` (the header and `-- migrate:up`) and `templates/migration-down.sql.hbs`. */
interface MigrationView {
  readonly owner: string;
  readonly description: string;
  /** The SET statements pinning the settings the file's text is written for (first in each section). */
  readonly settings: string;
  readonly noTransaction: boolean;
  readonly lockTimeout: boolean;
}

/** The text of a migration file: header, `-- migrate:up` statements, `-- migrate:down` reverses in reverse order. */
export function renderMigration(input: MigrationInput): string {
  return migrationPieces(input).join('');
}

/**
 * The text of a migration file in pieces, to be written one after the other (`renderMigration`
 * joins them): the frame from the templates and the steps, in pieces of about PIECE_SIZE
 * characters. The migration of thousands of tables is thus never one string, which V8 would
 * keep among its large objects: those a young collection finds still referenced move to the
 * old generation at once and stay there until a full collection.
 */
export function migrationPieces(input: MigrationInput): string[] {
  const view = migrationView(input);
  const out = new Pieces();
  out.add(render('migration.sql.hbs', view));
  upSteps(input.statements, out);
  out.add(render('migration-down.sql.hbs', view));
  downSteps(input.statements, out);
  return out.end();
}

/** The up section alone (what `schemac diff` prints): `-- comment` + SQL per statement; the concurrent part after a marker line. */
export function renderUp(statements: readonly Statement[]): string {
  const { main, concurrent } = splitPlan(statements);
  const out = new Pieces();
  upSteps(main, out);
  if (concurrent.length) out.add('-- then, in a second file that runs outside a transaction (-- schemac:no-transaction):\n');
  upSteps(concurrent, out);
  return out.end().join('');
}

/** The size, in characters, a piece of migration text grows to before the next one starts: far below V8's large objects. */
const PIECE_SIZE = 32 * 1024;

/** Text appended in pieces of about PIECE_SIZE characters. */
class Pieces {
  private readonly done: string[] = [];
  private current = '';

  /** Appends `text` after what was added before. */
  add(text: string): void {
    this.current += text;
    if (this.current.length < PIECE_SIZE) return;
    this.done.push(this.current);
    this.current = '';
  }

  /** Every piece, the last one included. */
  end(): string[] {
    if (this.current !== '') this.done.push(this.current);
    this.current = '';
    return this.done;
  }
}

/**
 * One step of a section: its `-- comment` line and its SQL, every line ended. A migration of
 * thousands of tables has tens of thousands of steps: each is appended to the section's text
 * as it is read, not first made into a list of steps, nor looped in the template.
 */
function stepText(comment: string, sql: string): string {
  return `-- ${comment}\n${sql}\n`;
}

/** The up section: each statement's comment and SQL, in order. */
function upSteps(statements: readonly Statement[], out: Pieces): void {
  for (const s of statements) out.add(stepText(oneLine(s.comment), s.sql.trimEnd()));
}

/** A plan cut in two: the transactional file's statements and the follow-up no-transaction file's (empty when nothing was phased). */
export function splitPlan(statements: readonly Statement[]): { main: Statement[]; concurrent: Statement[] } {
  return { main: statements.filter((s) => !s.concurrent), concurrent: statements.filter((s) => s.concurrent === true) };
}

/** The file name of a migration's concurrent part: one second after the transactional part, so it sorts (and runs) after it. */
export function concurrentFileName(mainName: string): string {
  const m = /^(\d{8}_\d{6})_(.*)\.sql$/.exec(mainName);
  if (m === null) return mainName.replace(/\.sql$/, '_concurrent.sql');
  const [, ts, rest] = m;
  const t = new Date(Date.UTC(+ts.slice(0, 4), +ts.slice(4, 6) - 1, +ts.slice(6, 8), +ts.slice(9, 11), +ts.slice(11, 13), +ts.slice(13, 15)) + 1000);
  return `${timestamp(t)}_${rest}_concurrent.sql`;
}

function migrationView(input: MigrationInput): MigrationView {
  const { statements } = input;
  return {
    owner: input.owner,
    description: quoteDescription(input.description),
    settings: citusSettings(input) ? `${pinnedSettingsSql()}\n${CITUS_SECTION_SETTINGS}` : pinnedSettingsSql(),
    noTransaction: statements.some((s) => !s.transactional),
    lockTimeout: statements.some((s) => s.altersExisting),
  };
}

/** Whether the file's sections set Citus's settings: with `distribution:`, in a transactional file (SET LOCAL needs one). */
function citusSettings(input: MigrationInput): boolean {
  return input.distribution === true && input.statements.length > 0 && input.statements.every((s) => s.transactional);
}

/** The down section: reverses in reverse order; a step with nothing to undo is left out, and an empty section says why. */
function downSteps(statements: readonly Statement[], out: Pieces): void {
  let undone = 0;
  for (let i = statements.length - 1; i >= 0; i--) {
    if (statements[i].reverse === '') continue;
    out.add(downStepText(statements[i]));
    undone++;
  }
  if (undone === 0 && statements.length > 0) out.add(stepText('Nothing to undo here: the down section of the transactional part removes what this file filled in', 'SELECT 1;'));
}

function downStepText(s: Statement): string {
  if (s.reverse !== null) return stepText(oneLine(reverseComment(s)), s.reverse.trimEnd());
  const why = oneLine(s.irreversible ?? `${s.comment} cannot be reverted`);
  return stepText(`Irreversible: ${why}`, failLoudly(`irreversible: ${why}`));
}

/** A statement that stops `migrate down` with a message instead of silently diverging. */
export function failLoudly(message: string): string {
  return `DO $schemac$ BEGIN RAISE EXCEPTION '%', ${quoteLiteral(message.replace(/\$/g, ''))}; END $schemac$;`;
}

const Q = '"(?:[^"]|"")*"';

/** How an up comment reads in the down section; the first matching rule wins. */
const REVERSE_COMMENTS: readonly (readonly [RegExp, string])[] = [
  [/^Create (.*)$/, 'Drop $1'],
  [/^Add column (.*) to (.*)$/, 'Drop column $1 from $2'],
  [/^Drop column (.*) from (.*)$/, 'Add column $1 to $2'],
  [/^Add value (.*) to enum (.*)$/, 'Remove value $1 from enum $2'],
  [/^Drop (table|enum|index|trigger) (.*)$/, 'Create $1 $2'],
  [/^Drop (.*)$/, 'Add $1'],
  [/^Add (.*)$/, 'Drop $1'],
  [/^Install (.*)$/, 'Remove $1'],
  [/^Remove (extension .*)$/, 'Install $1'],
  [/^Enable (.*)$/, 'Disable $1'],
  [/^Disable (.*)$/, 'Enable $1'],
  [/^Set (.*)$/, 'Restore $1'],
  [new RegExp(`^Recreate enum (${Q}) with values .*$`), 'Recreate enum $1 with its previous values'],
  [new RegExp(`^Rename (\\w+) (${Q})((?: of ${Q})?) to (${Q})$`), 'Rename $1 $4$3 to $2'],
];

/** The down comment: the planner's own when it gives one, else the up comment inverted. */
export function reverseComment(s: Pick<Statement, 'comment'> & { reverseComment?: string }): string {
  if (s.reverseComment) return s.reverseComment;
  const comment = s.comment.replace(/ \((?:[^()]|\([^()]*\))*\)$/, '');
  for (const [pattern, replacement] of REVERSE_COMMENTS) {
    if (pattern.test(comment)) return comment.replace(pattern, replacement);
  }
  return `Revert: ${comment}`;
}

/**
 * A description as a double-quoted string with quotes, backslashes, control characters and
 * line breaks escaped (JSON, with U+2028 and U+2029 escaped too): the header stays one line.
 */
export function quoteDescription(description: string): string {
  return JSON.stringify(description).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A comment's text on one line: every line break or control character becomes a space. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]+/g, ' ');
}
