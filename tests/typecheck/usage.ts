/**
 * Compile-only checks of the emitted db.ts (run by tests/types.test.ts with `tsc -p`):
 * valid queries type-check, and every `@ts-expect-error` line must fail to compile.
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  AcmeEveryTypeRow, AcmeInvoiceDataRow, AcmeInvoiceDataUpdate, AcmeInvoiceStatus, ClientsRow, DB,
  DateTable, NewAcmeEveryType, NewAcmeInvoiceData,
} from './db.ts';

declare const db: Kysely<DB>;

/** The query of SPEC §8. */
export async function paidInvoices(): Promise<{ id: number; amount: number }[]> {
  return db.selectFrom('acme_invoice_data').select(['id', 'amount']).where('status', '=', 'paid').execute();
}

/** Generated and nullable columns may be left out of an insert. */
export async function insertInvoice(clientId: string): Promise<void> {
  const row: NewAcmeInvoiceData = { client_id: clientId, invoice_number: 'INV-1', amount: 100 };
  await db.insertInto('acme_invoice_data').values(row).execute();
  await db.insertInto('acme_invoice_data').values({ ...row, metadata: { a: [1, 'x', null, { b: true }] }, tags: ['x'] }).execute();
  const patch: AcmeInvoiceDataUpdate = { status: 'void', updated_at: new Date(), stripe_payment_intent_id: null };
  await db.updateTable('acme_invoice_data').set(patch).where('id', '=', 1).execute();
}

/** Select types: bigint and numeric as string, timestamps as Date, arrays as arrays. */
export function selectTypes(r: AcmeEveryTypeRow, i: AcmeInvoiceDataRow, c: ClientsRow): unknown[] {
  const id: string = r.id;
  const big: string = r.big;
  const price: string = r.price;
  const amounts: string[] = r.amounts;
  const seen: Date[] | null = r.seen_at;
  const counts: string[] = r.counts;
  const born: Date | null = r.born_on;
  const naive: Date = r.naive_at;
  const flags: boolean[] = r.flags;
  const blob: Buffer | null = r.blob;
  const texts: string[] = [r.code, r.at_time, r.ip, r.took ?? '', r.embedding ?? '', r['odd-name'] ?? '', r.select ?? ''];
  const numbers: number[] = [r.small, r.ratio ?? 0, r.score, i.id, i.amount];
  const status: AcmeInvoiceStatus = i.status;
  const statuses: AcmeInvoiceStatus[] | null = i.statuses;
  const created: Date = c.created_at;
  const plan: 'free' | 'pro' = c.plan;
  return [id, big, price, amounts, seen, counts, born, naive, flags, blob, texts, numbers, status, statuses, created, plan, r.doc];
}

/** Insert types: bigint from number/bigint/string, numeric from number, timestamps from string. */
export function insertTypes(): NewAcmeEveryType {
  return {
    client_id: 'c', small: 1, big: 10n, price: 9.99, score: 1.5, code: 'abc', at_time: '10:00',
    naive_at: '2026-01-01T00:00:00', doc: [1, { x: 'y' }], ip: '127.0.0.1', amounts: [1, '2.50'],
    flags: [true], seen_at: ['2026-01-01T00:00:00Z', new Date()], blob: Buffer.from('x'),
  };
}

/** Odd table and column names, and a table whose interface was renamed to keep `Date` global. */
export async function oddNames(): Promise<unknown> {
  const day: Selectable<DateTable>['day'] = new Date();
  const rows = await db.selectFrom('acme weird-table').select(['Mixed Case']).execute();
  const dates = await db.selectFrom('date').select('day').executeTakeFirstOrThrow();
  const when: Date = dates.day;
  return [day, rows, when];
}

/** What must not compile. */
export async function mistakes(): Promise<void> {
  // @ts-expect-error: 'unpaid' is not an acme_invoice_status
  await db.selectFrom('acme_invoice_data').selectAll().where('status', '=', 'unpaid').execute();
  // @ts-expect-error: no such table
  await db.selectFrom('acme_invoice_datum').selectAll().execute();
  // @ts-expect-error: no such column
  await db.selectFrom('acme_invoice_data').select(['id', 'amount_cents']).execute();
  // @ts-expect-error: amount is required on insert
  await db.insertInto('acme_invoice_data').values({ client_id: 'c', invoice_number: 'INV-2' }).execute();
  // @ts-expect-error: an enum column takes only its values
  await db.updateTable('acme_invoice_data').set({ status: 'refunded' }).execute();
  // @ts-expect-error: a bigint selects as a string, not a number
  const big: number = (await db.selectFrom('acme_every_type').select('big').executeTakeFirstOrThrow()).big;
  // @ts-expect-error: Generated columns are not nullable unless declared so
  await db.updateTable('acme_invoice_data').set({ created_at: null }).execute();
  void big;
}
