import type { HistoryEntry } from '../../domain/types.js';
import type { Db } from './departments.js';

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
