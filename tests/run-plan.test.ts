/**
 * Planning a down over logical migrations (runtime/run-plan.ts, runtime/logical.ts), without
 * a database: the pairing of a file with its `_concurrent` part agrees with the name the
 * compiler writes, one down reverts a pair (the part first), `--to` counts whole logical
 * migrations, and `org` picks one owner's last migration (core's only while nothing of
 * another owner came after it).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { concurrentFileName } from '../compiler/emit/index.ts';
import { type MigrationFile, parseMigration } from '../runtime/files.ts';
import { concurrentPartName, followUpParts } from '../runtime/logical.ts';
import { type AppliedRow, type PlanOptions, planRun } from '../runtime/run-plan.ts';
import { migrationText } from './helpers/migrations.ts';
import { prng } from './helpers/prng.ts';

test('concurrentPartName agrees with the compiler\'s concurrentFileName, across days, months, years and leap days', () => {
  const fixed = [
    '20260101_000000_core_init.sql', '20261231_235959_custom_acme_add_index.sql', '20240228_235959_core_x.sql',
    '20240229_235959_core_x.sql', '20250228_235959_core_x.sql', '20260131_235959_custom_a_b_c.sql', '20260630_125959_core_concurrent.sql',
  ];
  const rand = prng(14);
  const random = Array.from({ length: 500 }, () => {
    const t = new Date(Date.UTC(2000, 0, 1) + Math.floor(rand() * 60 * 365 * 86400) * 1000);
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}_${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}_core_m.sql`;
  });
  for (const name of [...fixed, ...random]) assert.is(concurrentPartName(name), concurrentFileName(name), name);
  assert.is(concurrentPartName('no_timestamp.sql'), undefined);
});

function file(name: string, opts: { noTransaction?: boolean; down?: string } = {}): MigrationFile {
  const m = /_(core|custom_([a-z]+))_/.exec(name)!;
  const owner = m[1] === 'core' ? 'core' : m[2];
  const parsed = parseMigration(name, migrationText(owner, name, 'select 1;', opts.down ?? 'select 1;', opts.noTransaction));
  assert.ok(parsed.file, parsed.error);
  return parsed.file!;
}

const row = (f: MigrationFile, status?: 'running'): AppliedRow => ({ name: f.name, owner: f.owner, checksum: f.checksum, ...(status ? { status } : {}) });

const INIT = file('20260101_000000_core_init.sql');
const ADD = file('20260102_000000_core_add.sql');
const ADD_PART = file('20260102_000001_core_add_concurrent.sql', { noTransaction: true });
const MORE = file('20260103_000000_core_more.sql');
const MORE_PART = file('20260103_000001_core_more_concurrent.sql', { noTransaction: true });
const ACME = file('20260104_000000_custom_acme_tables.sql');
const ACME_IDX = file('20260105_000000_custom_acme_idx.sql');
const ACME_IDX_PART = file('20260105_000001_custom_acme_idx_concurrent.sql', { noTransaction: true });
const BETA = file('20260106_000000_custom_beta_tables.sql');
const FILES = [INIT, ADD, ADD_PART, MORE, MORE_PART, ACME, ACME_IDX, ACME_IDX_PART, BETA];

function down(applied: readonly AppliedRow[], extra: Partial<PlanOptions> = {}): string[] | string {
  const plan = planRun({ files: FILES, direction: 'down', ...extra }, applied);
  return 'error' in plan ? `${plan.error.kind}: ${plan.error.message}` : plan.files.map((f) => f.name);
}

test('only a no-transaction file of the same owner named a second later with _concurrent is a part', () => {
  const notMarked = file('20260102_000001_core_add_concurrent.sql');
  const otherOwner = file('20260104_000001_custom_acme_tables_concurrent.sql', { noTransaction: true });
  assert.equal([...followUpParts(FILES)], [[ADD_PART.name, ADD.name], [MORE_PART.name, MORE.name], [ACME_IDX_PART.name, ACME_IDX.name]]);
  assert.equal([...followUpParts([ADD, notMarked])], []);
  assert.equal([...followUpParts([ACME, otherOwner])].length, 1, 'same owner: acme and its own part');
  assert.equal([...followUpParts([file('20260104_000000_core_tables.sql'), file('20260104_000001_custom_acme_tables_concurrent.sql', { noTransaction: true })])], []);
});

test('one down reverts the last logical migration: the part first, then its main file', () => {
  const all = [INIT, ADD, ADD_PART, MORE, MORE_PART].map((f) => row(f));
  assert.equal(down(all), [MORE_PART.name, MORE.name]);
  assert.equal(down(all.slice(0, 3)), [ADD_PART.name, ADD.name]);
  assert.equal(down(all.slice(0, 4)), [MORE.name], 'only the main file applied: it alone');
  assert.equal(down([...all.slice(0, 4), row(MORE_PART, 'running')]), [MORE_PART.name, MORE.name], 'an interrupted part is reverted with its main file');
  assert.equal(down(all.slice(0, 2)), [ADD.name]);
  assert.equal(down([row(INIT)]), [INIT.name]);
  assert.equal(down([]), []);
});

test('a part applied before its main file (out of order) is still reverted first; another migration between them splits the pair', () => {
  assert.equal(down([row(INIT), row(ADD_PART), row(ADD)]), [ADD_PART.name, ADD.name]);
  assert.equal(down([row(INIT), row(ADD), row(ACME), row(ADD_PART)]), [ADD_PART.name], 'nothing applied after acme\'s file is reverted before it');
});

test('--to counts whole logical migrations: NAME\'s part stays, whichever file of the pair is named', () => {
  const all = [INIT, ADD, ADD_PART, MORE, MORE_PART, ACME].map((f) => row(f));
  assert.equal(down(all, { to: ADD.name }), [ACME.name, MORE_PART.name, MORE.name]);
  assert.equal(down(all, { to: ADD_PART.name.replace('.sql', '') }), [ACME.name, MORE_PART.name, MORE.name]);
  assert.equal(down(all, { to: INIT.name }), [ACME.name, MORE_PART.name, MORE.name, ADD_PART.name, ADD.name]);
  assert.equal(down(all, { to: 'base' }), [ACME.name, MORE_PART.name, MORE.name, ADD_PART.name, ADD.name, INIT.name]);
  assert.equal(down(all.slice(0, 2), { to: ADD_PART.name }), [], 'the main file applied, its part not: nothing after the migration');
  assert.match(down(all, { to: 'nope' }) as string, /^unknown-target: --to nope: no migration file has that name/);
  assert.match(down(all.slice(0, 1), { to: MORE.name }) as string, /^unknown-target: .*not applied/);
});

test('org: that owner\'s last logical migration, whatever other owners applied after it', () => {
  const all = [INIT, ADD, ADD_PART, ACME, ACME_IDX, ACME_IDX_PART, BETA].map((f) => row(f));
  assert.equal(down(all, { org: 'acme' }), [ACME_IDX_PART.name, ACME_IDX.name]);
  assert.equal(down(all, { org: 'beta' }), [BETA.name]);
  assert.equal(down(all, { org: 'acme', to: ACME.name }), [ACME_IDX_PART.name, ACME_IDX.name]);
  assert.equal(down(all, { org: 'acme', to: 'base' }), [ACME_IDX_PART.name, ACME_IDX.name, ACME.name]);
  assert.match(down(all, { org: 'acme', to: ADD.name }) as string, /^unknown-target: --to .*core's migration; --org acme reverts only acme's/);
  assert.equal(down(all.slice(0, 3), { org: 'acme' }), [], 'nothing of acme applied');
});

test('org core: refused while another owner\'s migration was applied after it, naming them; allowed when core\'s is the latest', () => {
  const all = [INIT, ADD, ADD_PART, ACME, ACME_IDX, ACME_IDX_PART, BETA].map((f) => row(f));
  const refused = down(all, { org: 'core' }) as string;
  assert.match(refused, /^dependents: --org core would revert 20260102_000000_core_add\.sql, 20260102_000001_core_add_concurrent\.sql/);
  assert.match(refused, /acme \(20260104_000000_custom_acme_tables\.sql, 20260105_000000_custom_acme_idx\.sql, 20260105_000001_custom_acme_idx_concurrent\.sql\); beta \(20260106_000000_custom_beta_tables\.sql\)/);
  assert.equal(down([...all, row(MORE), row(MORE_PART)], { org: 'core' }), [MORE_PART.name, MORE.name]);
  assert.equal(down(all.slice(0, 3), { org: 'core' }), [ADD_PART.name, ADD.name]);
});

test('an edited file of another owner does not stop an org\'s down; one of its own does', () => {
  const edited = (f: MigrationFile) => ({ ...row(f), checksum: 'x'.repeat(64) });
  const all = [row(INIT), edited(ADD), row(ACME)];
  assert.equal(down(all, { org: 'acme' }), [ACME.name]);
  assert.match(down(all) as string, /^checksum: /);
  assert.match(down([row(INIT), edited(ACME)], { org: 'acme' }) as string, /^checksum: /);
});

test('up runs an interrupted (running) file again', () => {
  const plan = planRun({ files: FILES.slice(0, 3), direction: 'up' }, [row(INIT), row(ADD), row(ADD_PART, 'running')]);
  assert.ok(!('error' in plan));
  assert.equal((plan as { files: readonly MigrationFile[] }).files.map((f) => f.name), [ADD_PART.name]);
});

test.run();
