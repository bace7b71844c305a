import { sql } from 'kysely';
import type { HistoryEntry } from '../../domain/types.js';
import type { Db } from '../schema.js';

/**
 * 留痕: appends one row to an item's history. Rows are never updated or deleted (a trigger
 * refuses it). Reminders and escalations call this too, inside their own transaction.
 */
export async function appendHistory(
  trx: Db,
  entry: { itemId: string; at: Date; actor: string; action: string; details?: Record<string, unknown> },
): Promise<void> {
  await trx
    .insertInto('item_history')
    .values({
      item_id: entry.itemId,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export async function listHistory(db: Db, itemId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('item_history')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    itemId: r.item_id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
  }));
}

/** Whether an action with this request id was already recorded (retries of the same click or command). */
export async function hasRequest(db: Db, itemId: string, requestId: string): Promise<boolean> {
  const r = await db
    .selectFrom('item_history')
    .select('id')
    .where('item_id', '=', itemId)
    .where((eb) => eb(eb.ref('details', '->>').key('requestId' as never), '=', requestId))
    .executeTakeFirst();
  return !!r;
}

/** How the item was last closed as a whole ('done' or 'read'; parts' closings do not count). */
export async function lastClosingAction(db: Db, itemId: string): Promise<string | null> {
  const r = await db
    .selectFrom('item_history')
    .select('action')
    .where('item_id', '=', itemId)
    .where('action', 'in', ['done', 'read'])
    .where((eb) => eb(eb.ref('details', '->>').key('part' as never), 'is', null))
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return r?.action ?? null;
}

/** The minutes tasks created with a meeting (recorded as 'minutes-task' on the meeting). */
export async function minutesTaskIds(db: Db, meetingId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('item_history')
    .select(sql<string | null>`details->>'taskId'`.as('taskId'))
    .where('item_id', '=', meetingId)
    .where('action', '=', 'minutes-task')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.taskId).filter((id): id is string => !!id);
}

/**
 * The progress reports (进展) on these items themselves — not on a co-handling unit's part —
 * oldest first: the reports a long task's rhythm is measured by.
 */
export async function listProgressReports(
  db: Db,
  itemIds: string[],
): Promise<Map<string, { at: Date; note: string }[]>> {
  const out = new Map<string, { at: Date; note: string }[]>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('item_history')
    .select(['item_id', 'at', sql<string | null>`details->>'note'`.as('note')])
    .where(sql<boolean>`item_id = any(${itemIds}::text[])`)
    .where('action', '=', 'progress')
    .where((eb) => eb(eb.ref('details', '->>').key('part' as never), 'is', null))
    .orderBy('at')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.item_id) ?? [];
    list.push({ at: r.at, note: r.note ?? '' });
    out.set(r.item_id, list);
  }
  return out;
}
