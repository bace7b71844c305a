import type { ExtensionRequest } from '../../domain/types.js';
import type { Db } from '../schema.js';

type ExtensionRow = {
  id: number;
  item_id: string;
  requested_by: string;
  requested_at: Date;
  current_due_at: Date | null;
  new_due_at: Date;
  reason: string | null;
  status: ExtensionRequest['status'];
  decided_by: string | null;
  decided_at: Date | null;
};

function toExtension(r: ExtensionRow): ExtensionRequest {
  return {
    id: r.id,
    itemId: r.item_id,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    currentDueAt: r.current_due_at,
    newDueAt: r.new_due_at,
    reason: r.reason,
    status: r.status,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}

export async function listExtensionRequests(db: Db, itemId: string): Promise<ExtensionRequest[]> {
  const rows = await db
    .selectFrom('extension_requests')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('id')
    .execute();
  return rows.map(toExtension);
}

export async function getExtensionRequest(
  db: Db,
  itemId: string,
  id: number,
): Promise<ExtensionRequest | null> {
  const r = await db
    .selectFrom('extension_requests')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toExtension(r) : null;
}

export async function pendingExtension(db: Db, itemId: string): Promise<ExtensionRequest | null> {
  const r = await db
    .selectFrom('extension_requests')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return r ? toExtension(r) : null;
}

export async function insertExtensionRequest(
  db: Db,
  e: {
    itemId: string;
    by: string;
    at: Date;
    currentDueAt: Date | null;
    newDueAt: Date;
    reason: string | null;
  },
): Promise<ExtensionRequest> {
  const r = await db
    .insertInto('extension_requests')
    .values({
      item_id: e.itemId,
      requested_by: e.by,
      requested_at: e.at,
      current_due_at: e.currentDueAt,
      new_due_at: e.newDueAt,
      reason: e.reason,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toExtension(r);
}

/** A pending request falls away when its item is closed or cancelled (kept on record as withdrawn). */
export async function withdrawExtension(db: Db, id: number): Promise<void> {
  await db.updateTable('extension_requests').set({ status: 'withdrawn' }).where('id', '=', id).execute();
}

export async function decideExtension(
  db: Db,
  id: number,
  d: { status: 'approved' | 'rejected'; by: string; at: Date; note: string | null },
): Promise<void> {
  await db
    .updateTable('extension_requests')
    .set({ status: d.status, decided_by: d.by, decided_at: d.at, decision_note: d.note })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}
