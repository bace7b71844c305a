import type { Db, Trx } from '../schema.js';

export interface DutySwap {
  id: number;
  date: string;
  from: string;
  to: string;
  status: 'pending' | 'accepted' | 'declined' | 'void';
  requestedAt: Date;
  decidedAt: Date | null;
  note: string | null;
}

type Row = {
  id: number;
  date: string;
  from_officer: string;
  to_officer: string;
  status: DutySwap['status'];
  requested_at: Date;
  decided_at: Date | null;
  note: string | null;
};

const toSwap = (r: Row): DutySwap => ({
  id: r.id,
  date: r.date,
  from: r.from_officer,
  to: r.to_officer,
  status: r.status,
  requestedAt: r.requested_at,
  decidedAt: r.decided_at,
  note: r.note,
});

/** A new pending swap; null when the officer already has one pending for that date. */
export async function insertSwap(
  db: Db,
  s: { date: string; from: string; to: string; at: Date },
): Promise<DutySwap | null> {
  const r = await db
    .insertInto('duty_swaps')
    .values({ date: s.date, from_officer: s.from, to_officer: s.to, requested_at: s.at })
    .onConflict((oc) => oc.columns(['date', 'from_officer']).where('status', '=', 'pending').doNothing())
    .returningAll()
    .executeTakeFirst();
  return r ? toSwap(r) : null;
}

export async function pendingSwap(db: Db, date: string, from: string): Promise<DutySwap | null> {
  const r = await db
    .selectFrom('duty_swaps')
    .selectAll()
    .where('date', '=', date)
    .where('from_officer', '=', from)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r ? toSwap(r) : null;
}

export async function lockSwap(trx: Trx, id: number): Promise<DutySwap | null> {
  const r = await trx
    .selectFrom('duty_swaps')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return r ? toSwap(r) : null;
}

export async function decideSwap(
  trx: Trx,
  id: number,
  status: 'accepted' | 'declined' | 'void',
  at: Date,
  note: string | null = null,
): Promise<void> {
  await trx.updateTable('duty_swaps').set({ status, decided_at: at, note }).where('id', '=', id).execute();
}

export async function listSwaps(db: Db, from: string, to: string): Promise<DutySwap[]> {
  const rows = await db
    .selectFrom('duty_swaps')
    .selectAll()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('id')
    .execute();
  return rows.map(toSwap);
}
