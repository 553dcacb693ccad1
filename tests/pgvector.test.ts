/**
 * pgvector and citext: the vector(n), halfvec(n), sparsevec(n) and citext types, hnsw and
 * ivfflat indexes with checked `opclass:` and `with:`; the SQL they plan; applied, read back
 * and compared clean on real PostgreSQL with the real extension, reverted; and on PGlite
 * (`verify`, embedded `migrate up`, `diff --db embedded`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../compiler/cli.ts';
import { literalProblem } from '../compiler/front/defaults.ts';
import { parseType } from '../compiler/front/type-ref.ts';
import type { Span } from '../compiler/ir.ts';
import { openDriver } from '../runtime/driver.ts';
import { introspect } from '../runtime/introspect.ts';
import { adminQuery, createTestDatabase } from './helpers/db.ts';
import { captureIo } from './helpers/io.ts';
import { CORE_CLIENTS } from './helpers/workspace.ts';

const SPAN: Span = { file: 'm.yaml', start: 0, end: 0 };
const MODELS = 'schemas/custom_tools/acme/search/models.yaml';

const DOCS = `extensions: [vector, citext]
tables:
  acme_docs:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: { table: clients, column: id, on_delete: cascade }, index: true }
      email: citext
      title: { type: text, default: untitled }
      embedding: vector(3)
      half: { type: halfvec(3), nullable: true, default: [1, 2, 3] }
      sparse: { type: sparsevec(5), nullable: true, default: "{1:0.5,3:2}/5" }
      meta: { type: jsonb, nullable: true }
      created_at: { type: timestamptz, default: now() }
      updated_at: { type: timestamptz, default: now(), on_update: now() }
    indexes:
      - { columns: [embedding], using: hnsw, opclass: vector_cosine_ops, with: { m: 16, ef_construction: 64 } }
      - { columns: [embedding], using: ivfflat, name: acme_docs_embedding_ivf, with: { lists: 10 } }
      - { columns: [half], using: ivfflat, opclass: halfvec_l2_ops, with: { lists: 10 } }
      - { columns: [sparse], using: hnsw, opclass: sparsevec_l1_ops }
      - { columns: [title], opclass: text_pattern_ops }
      - { columns: [meta], using: gin, opclass: { meta: jsonb_path_ops } }
    checks:
      email_has_at: "email LIKE '%@%' AND email <> ''"
      unit_half: "half IS NULL OR half <> '[0,0,0]'"
`;

function workspace(models: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemac-vector-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('schemac.config.yaml', 'core: [schemas/core/**/models.yaml]\n');
  write('schemas/core/models.yaml', CORE_CLIENTS);
  write(MODELS, models);
  return dir;
}

async function schemac(cwd: string, args: string[], env: Record<string, string> = {}) {
  const io = captureIo({ SCHEMAC_NOW: '2026-03-04T05:06:07Z', DATABASE_URL: '', ...env });
  const code = await run(args, io, cwd);
  return { code, out: io.out(), err: io.err() };
}

function migrationFiles(dir: string, owner: string): string[] {
  const folder = path.join(dir, 'generated', 'migrations');
  return fs.readdirSync(folder).filter((f) => f.includes(`_${owner}_`)).sort().map((f) => fs.readFileSync(path.join(folder, f), 'utf8'));
}

test('types: halfvec(n), sparsevec(n), citext parse; their literals are checked', () => {
  assert.is(parseType('halfvec(3)', SPAN).type?.sql, 'halfvec(3)');
  assert.is(parseType('sparsevec(5)', SPAN).type?.sql, 'sparsevec(5)');
  assert.is(parseType('citext', SPAN).type?.sql, 'citext');
  assert.is(parseType('citext[]', SPAN).type?.sql, 'citext[]');
  assert.match(parseType('halfvec', SPAN).diagnostic?.message ?? '', /halfvec needs 1 modifier\(s\), e\.g\. halfvec\(1536\)/);
  assert.match(parseType('halfvec(16001)', SPAN).diagnostic?.message ?? '', /out of range \(1\.\.16000\)/);
  assert.match(parseType('citext(3)', SPAN).diagnostic?.message ?? '', /citext takes no size/);
  const type = (t: string) => parseType(t, SPAN).type!;
  assert.is(literalProblem([1, 2, 3], type('halfvec(3)')), undefined);
  assert.match(literalProblem([1, 2], type('halfvec(3)')) ?? '', /has 2 dimensions, not 3/);
  assert.match(literalProblem([70000, 1, 1], type('halfvec(3)')) ?? '', /out of range for a halfvec/);
  assert.is(literalProblem('{1:0.5,3:2}/5', type('sparsevec(5)')), undefined);
  assert.match(literalProblem('{6:1}/5', type('sparsevec(5)')) ?? '', /index outside 1\.\.5/);
  assert.match(literalProblem('{1:1}/4', type('sparsevec(5)')) ?? '', /has 4 dimensions, not 5/);
  assert.match(literalProblem('{1:1,1:2}/5', type('sparsevec(5)')) ?? '', /index twice/);
  assert.match(literalProblem('[1,2]', type('sparsevec(5)')) ?? '', /is not a sparsevec/);
  assert.is(literalProblem('Hello', type('citext')), undefined);
  assert.match(literalProblem(3, type('citext')) ?? '', /is not a string/);
});

test('front end: missing extensions, bad opclasses and with: are errors at their file:line:col', async () => {
  const dir = workspace(`extensions: [vector]
tables:
  acme_bad:
    columns:
      id: { type: uuid, primary_key: true, default: gen_random_uuid() }
      client_id: { type: uuid, references: { table: clients, column: id } }
      email: citext
      v: vector(3)
      h: halfvec(3)
      t: text
      big: vector(2001)
    indexes:
      - { columns: [v], using: hnsw, opclass: vector_cosin_ops, name: ix5 }
      - { columns: [v], using: ivfflat, opclass: vector_l1_ops, name: ix6 }
      - { columns: [v], using: hnsw, opclass: halfvec_l2_ops, name: ix7 }
      - { columns: [v], using: hnsw, name: ix8 }
      - { columns: [h], using: ivfflat, opclass: halfvec_l2_ops, with: { m: 16 }, name: ix9 }
      - { columns: [v], using: hnsw, opclass: vector_l2_ops, with: { m: 40, ef_construction: 64 }, name: ix10 }
      - { columns: [v, h], using: hnsw, opclass: vector_l2_ops, name: ix11 }
      - { columns: [v], using: hnsw, opclass: { h: halfvec_l2_ops }, name: ix12 }
      - { columns: [t], using: gin, opclass: gin_trgm_ops, name: ix13 }
      - { columns: [t], with: { lists: 4 }, name: ix14 }
      - { columns: [v], using: hnsw, opclass: vector_l2_ops, with: { m: 1 }, name: ix15 }
      - { columns: [big], using: ivfflat, name: ix16 }
      - { columns: [t], opclass: "text_pattern_ops); DROP TABLE clients; --", name: ix17 }
`);
  try {
    const r = await schemac(dir, ['lint']);
    assert.is(r.code, 1, r.out + r.err);
    const at = (line: number, col: number, text: RegExp) =>
      assert.match(r.err + r.out, new RegExp(`${MODELS}:${line}:${col}\\b[^\\n]*${text.source}`), `${line}:${col} ${text}`);
    at(7, 14, /the citext type needs the citext extension/);
    at(13, 47, /unknown opclass 'vector_cosin_ops'/);
    at(14, 50, /opclass 'vector_l1_ops' is no operator class of ivfflat \(it is one of hnsw\)/);
    at(15, 47, /opclass 'halfvec_l2_ops' cannot index column 'v' of type vector\(3\)/);
    at(16, 9, /this hnsw index cannot cover column 'v': PostgreSQL has no default hnsw operator class for vector\(3\)/);
    at(17, 72, /an ivfflat index has no parameter 'm'/);
    at(18, 68, /ef_construction \(64\) must be at least twice m \(40\)/);
    at(19, 9, /an hnsw index takes one column/);
    at(19, 50, /one opclass for an index of 2 columns/);
    at(20, 52, /opclass names column 'h', which this index does not cover/);
    at(21, 46, /opclass 'gin_trgm_ops' needs the pg_trgm extension/);
    at(22, 31, /a btree index takes no with: parameters/);
    at(23, 73, /must be >= 2/);
    assert.match(r.err + r.out, /did you mean 'vector_cosine_ops'\?/);
    at(24, 9, /an ivfflat index covers at most 2000 dimensions of a vector, and column 'big' has 2001/);
    at(25, 34, /unknown opclass 'text_pattern_ops\); DROP TABLE clients; --'/);
    assert.not.match(r.err + r.out, /duplicate-name/);
    assert.not.ok(fs.existsSync(path.join(dir, 'generated')), 'nothing written');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('plan: hnsw and ivfflat indexes with quoted opclasses and WITH; the ivfflat default opclass is left out; a changed opclass or with: rebuilds the index', async () => {
  const dir = workspace(DOCS);
  try {
    const init = await schemac(dir, ['migration', 'init', '--all']);
    assert.is(init.code, 0, init.err);
    const [sql] = migrationFiles(dir, 'custom_acme');
    assert.ok(sql.includes('"email" citext NOT NULL'), sql);
    assert.ok(sql.includes(`"half" halfvec(3) DEFAULT '[1,2,3]'`), sql);
    assert.ok(sql.includes(`"sparse" sparsevec(5) DEFAULT '{1:0.5,3:2}/5'`), sql);
    assert.ok(sql.includes('CREATE INDEX "acme_docs_embedding_idx" ON "acme_docs" USING hnsw ("embedding" "vector_cosine_ops") WITH (ef_construction = 64, m = 16);'), sql);
    assert.ok(sql.includes('CREATE INDEX "acme_docs_embedding_ivf" ON "acme_docs" USING ivfflat ("embedding") WITH (lists = 10);'), sql);
    assert.ok(sql.includes('CREATE INDEX "acme_docs_half_idx" ON "acme_docs" USING ivfflat ("half" "halfvec_l2_ops") WITH (lists = 10);'), sql);
    assert.ok(sql.includes('CREATE INDEX "acme_docs_sparse_idx" ON "acme_docs" USING hnsw ("sparse" "sparsevec_l1_ops");'), sql);
    assert.ok(sql.includes('CREATE INDEX "acme_docs_title_idx" ON "acme_docs" ("title" "text_pattern_ops");'), sql);
    assert.ok(sql.includes('CREATE INDEX "acme_docs_meta_idx" ON "acme_docs" USING gin ("meta" "jsonb_path_ops");'), sql);
    const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'generated', 'snapshots', 'acme.json'), 'utf8'));
    const hnsw = snapshot.tables[0].indexes.find((i: { name: string }) => i.name === 'acme_docs_embedding_idx');
    assert.equal(hnsw.opclasses, { embedding: 'vector_cosine_ops' });
    assert.equal(hnsw.with, { ef_construction: 64, m: 16 });
    const db = fs.readFileSync(path.join(dir, 'generated', 'db', 'acme.ts'), 'utf8');
    assert.match(db, /email: string;\n\s+title: Generated<string>;\n\s+embedding: string;\n\s+half: Generated<string \| null>;\n\s+sparse: Generated<string \| null>;/);

    fs.writeFileSync(path.join(dir, MODELS), DOCS
      .replace('opclass: vector_cosine_ops, with: { m: 16, ef_construction: 64 }', 'opclass: vector_ip_ops, with: { m: 16, ef_construction: 64 }')
      .replace('with: { lists: 10 } }\n      - { columns: [half]', 'with: { lists: 20 } }\n      - { columns: [half]'));
    const next = await schemac(dir, ['migration', 'vector tuning', '--org', 'acme']);
    assert.is(next.code, 0, next.err);
    const second = migrationFiles(dir, 'custom_acme').slice(1).join('\n');
    assert.match(second, /DROP INDEX[^\n]*"acme_docs_embedding_idx"/);
    assert.match(second, /CREATE INDEX[^\n]*"acme_docs_embedding_idx" ON "acme_docs" USING hnsw \("embedding" "vector_ip_ops"\) WITH \(ef_construction = 64, m = 16\)/);
    assert.match(second, /CREATE INDEX[^\n]*"acme_docs_embedding_ivf" ON "acme_docs" USING ivfflat \("embedding"\) WITH \(lists = 20\)/);
    assert.not.match(second, /acme_docs_half_idx|acme_docs_sparse_idx/);

    // a renamed column keeps its indexes: PostgreSQL renames it in them, opclass and all
    const tuned = fs.readFileSync(path.join(dir, MODELS), 'utf8');
    fs.writeFileSync(path.join(dir, MODELS), tuned
      .replace('      embedding: vector(3)', '      vec: { type: vector(3), renamed_from: embedding }')
      .replaceAll('columns: [embedding]', 'columns: [vec]'));
    const rename = await schemac(dir, ['migration', 'rename embedding', '--org', 'acme']);
    assert.is(rename.code, 0, rename.err);
    const third = migrationFiles(dir, 'custom_acme').slice(-1)[0];
    assert.match(third, /RENAME COLUMN "embedding" TO "vec"/);
    assert.not.match(third.split('-- migrate:down')[0], /DROP INDEX|CREATE INDEX/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL with pgvector: apply, read back opclasses and parameters, diff --db clean, a changed opclass migrates, revert', async () => {
  const available = await adminQuery("select 1 from pg_available_extensions where name in ('vector', 'citext')");
  if (available.rowCount !== 2) {
    console.log('SKIP pgvector on PostgreSQL: the vector (or citext) extension is not installed on this server (../shared/pg-extensions/build.sh installs pgvector)');
    return;
  }
  const dir = workspace(DOCS);
  const db = await createTestDatabase();
  const env = { DATABASE_URL: db.url };
  try {
    assert.is((await schemac(dir, ['migration', 'init', '--all'])).code, 0);
    const up = await schemac(dir, ['migrate', 'up'], env);
    assert.is(up.code, 0, up.err + up.out);
    const clean = await schemac(dir, ['diff', '--db', db.url, '--exit-code'], env);
    assert.is(clean.code, 0, clean.err + clean.out);

    const driver = await openDriver({ kind: 'pg', url: db.url });
    try {
      const q = await driver.connect();
      const live = await introspect(q);
      const table = live.tables.find((t) => t.name === 'acme_docs')!;
      assert.equal(table.columns.map((c) => c.type), ['uuid', 'uuid', 'citext', 'text', 'vector(3)', 'halfvec(3)', 'sparsevec(5)', 'jsonb', 'timestamptz', 'timestamptz']);
      const index = (name: string) => table.indexes.find((i) => i.name === name)!;
      assert.equal(index('acme_docs_embedding_idx'), { name: 'acme_docs_embedding_idx', columns: ['embedding'], unique: false, using: 'hnsw', where: null, opclasses: { embedding: 'vector_cosine_ops' }, with: { ef_construction: 64, m: 16 } });
      assert.equal(index('acme_docs_embedding_ivf').opclasses, undefined, 'vector_l2_ops is the default ivfflat class');
      assert.equal(index('acme_docs_title_idx').opclasses, { title: 'text_pattern_ops' });
      assert.equal(index('acme_docs_meta_idx').opclasses, { meta: 'jsonb_path_ops' });
      await q.exec(`insert into clients (name) values ('a'); insert into acme_docs (client_id, email, embedding, half, sparse)
        select id, 'Ann@Example.com', '[1,0,0]', '[0,1,0]', '{2:1}/5' from clients`);
      assert.is((await q.query<{ n: number }>("select count(*)::int as n from acme_docs where email = 'ann@example.com'"))[0].n, 1);
      await q.exec('drop index acme_docs_embedding_idx; create index acme_docs_embedding_idx on acme_docs using hnsw (embedding vector_l2_ops) with (m = 16, ef_construction = 64)');
      const drift = await schemac(dir, ['diff', '--db', db.url, '--exit-code'], env);
      assert.is(drift.code, 1, 'a different opclass is drift');
      assert.match(drift.out + drift.err, /acme_docs_embedding_idx/);
      await q.exec('drop index acme_docs_embedding_idx; create index acme_docs_embedding_idx on acme_docs using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)');
      await q.exec('delete from acme_docs; delete from clients');
      await q.close();
    } finally {
      await driver.close();
    }

    fs.writeFileSync(path.join(dir, MODELS), DOCS.replace('opclass: vector_cosine_ops, with: { m: 16, ef_construction: 64 }', 'opclass: vector_ip_ops, with: { m: 24, ef_construction: 100 }'));
    assert.is((await schemac(dir, ['migration', 'vector tuning', '--org', 'acme'])).code, 0);
    const next = await schemac(dir, ['migrate', 'up'], env);
    assert.is(next.code, 0, next.err + next.out);
    const after = await schemac(dir, ['diff', '--db', db.url, '--exit-code'], env);
    assert.is(after.code, 0, after.err + after.out);

    for (let i = 0; i < 3; i++) {
      const down = await schemac(dir, ['migrate', 'down'], env);
      assert.is(down.code, 0, down.err + down.out);
    }
    const d2 = await openDriver({ kind: 'pg', url: db.url });
    try {
      const q = await d2.connect();
      const rest = await q.query<{ n: number }>("select count(*)::int as n from pg_class where relname in ('acme_docs', 'clients') and relkind = 'r'");
      const ext = await q.query<{ n: number }>("select count(*)::int as n from pg_extension where extname in ('vector', 'citext')");
      await q.close();
      assert.is(rest[0].n, 0, 'reverted: no table left');
      assert.is(ext[0].n, 0, 'reverted: the extensions are removed');
    } finally {
      await d2.close();
    }
  } finally {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('PGlite: verify, embedded migrate up and diff --db embedded on vector, halfvec, hnsw and ivfflat', async () => {
  const dir = workspace(DOCS);
  try {
    assert.is((await schemac(dir, ['migration', 'init', '--all'])).code, 0);
    const verify = await schemac(dir, ['verify']);
    assert.is(verify.code, 0, verify.err + verify.out);
    assert.match(verify.out, /verified 2 migration\(s\)/);
    const up = await schemac(dir, ['migrate', 'up']);
    assert.is(up.code, 0, up.err + up.out);
    assert.match(up.out, /2 applied/);
    const clean = await schemac(dir, ['diff', '--db', 'embedded', '--exit-code']);
    assert.is(clean.code, 0, clean.err + clean.out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
