import type { Db } from '../schema.js';

/** 留痕 for duty: every notice, confirmation, escalation, log, swap and import, append-only. */
export async function appendDutyHistory(
  db: Db,
  entry: { date: string; at: Date; actor: string; action: string; details?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('duty_history')
    .values({
      date: entry.date,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface DutyHistoryEntry {
  id: string;
  date: string;
  at: Date;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

export async function listDutyHistory(db: Db, from: string, to: string = from): Promise<DutyHistoryEntry[]> {
  const rows = await db
    .selectFrom('duty_history')
    .selectAll()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    date: r.date,
    at: r.at,
    actor: r.actor,
    action: r.action,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
  }));
}

/** Claims one notice (date, kind, recipient): false when it was already sent. */
export async function claimDutyNotice(
  db: Db,
  n: { date: string; kind: string; recipient: string; at: Date; outboxUuid: string },
): Promise<boolean> {
  const r = await db
    .insertInto('duty_notices')
    .values({ date: n.date, kind: n.kind, recipient: n.recipient, sent_at: n.at, outbox_uuid: n.outboxUuid })
    .onConflict((oc) => oc.columns(['date', 'kind', 'recipient']).doNothing())
    .returning('kind')
    .executeTakeFirst();
  return r !== undefined;
}

export async function sentDutyNotices(
  db: Db,
  from: string,
  to: string,
): Promise<Array<{ date: string; kind: string; recipient: string }>> {
  return db
    .selectFrom('duty_notices')
    .select(['date', 'kind', 'recipient'])
    .where('date', '>=', from)
    .where('date', '<=', to)
    .execute();
}
