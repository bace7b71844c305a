import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { jsonForStorage } from '../../domain/text.js';

type Db = Kysely<Database>;

export interface StoredEvent {
  event_id: string;
  event_type: string;
  payload: unknown;
  attempts: number;
  received_at: Date;
}

/**
 * Stores an acknowledged event before the 200 goes out. The event_id is the primary key, so a
 * redelivery (Lark retries for ~7 h) inserts nothing: answers whether this call stored it.
 */
export async function storeInboundEvent(
  db: Db,
  e: { eventId: string; eventType: string; payload: unknown; now: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('inbound_events')
    .values({
      event_id: e.eventId,
      event_type: e.eventType,
      payload: jsonForStorage(e.payload),
      received_at: e.now,
      next_attempt_at: e.now,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Claims due events for processing: pending ones whose time has come, and ones whose previous
 * claimer's lease ran out (it crashed). FOR UPDATE SKIP LOCKED plus the lease means several
 * instances never work on one event at the same time.
 */
export async function claimInboundEvents(
  db: Db,
  o: { now: Date; limit: number; leaseMs: number; eventId?: string },
): Promise<StoredEvent[]> {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('inbound_events')
      .select('event_id')
      .where('status', 'in', ['pending', 'processing'])
      .where('next_attempt_at', '<=', o.now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', o.now)]))
      .orderBy('next_attempt_at')
      .limit(o.limit)
      .forUpdate()
      .skipLocked();
    if (o.eventId !== undefined) q = q.where('event_id', '=', o.eventId);
    const ids = (await q.execute()).map((r) => r.event_id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('inbound_events')
      .set({
        status: 'processing',
        attempts: sql`attempts + 1`,
        locked_until: new Date(o.now.getTime() + o.leaseMs),
      })
      .where('event_id', 'in', ids)
      .returning(['event_id', 'event_type', 'payload', 'attempts', 'received_at'])
      .execute();
  });
}

export async function markInboundDone(db: Db, eventId: string, now: Date): Promise<void> {
  await db
    .updateTable('inbound_events')
    .set({ status: 'done', processed_at: now, locked_until: null, last_error: null })
    .where('event_id', '=', eventId)
    .execute();
}

export async function markInboundRetry(
  db: Db,
  eventId: string,
  o: { error: string; nextAttemptAt: Date | null },
): Promise<void> {
  await db
    .updateTable('inbound_events')
    .set({
      status: o.nextAttemptAt ? 'pending' : 'failed',
      last_error: o.error.slice(0, 1000),
      locked_until: null,
      ...(o.nextAttemptAt ? { next_attempt_at: o.nextAttemptAt } : {}),
    })
    .where('event_id', '=', eventId)
    .execute();
}

/**
 * Deletes finished events older than `keepMs` (default 7 days; Lark retries for ~7 h, so the
 * event ids must be kept at least 8 h). Unfinished and failed ones are kept for an admin.
 */
export async function pruneInboundEvents(db: Db, now: Date, keepMs = 7 * 24 * 3600 * 1000): Promise<number> {
  const keep = Math.max(keepMs, 8 * 3600 * 1000);
  const res = await db
    .deleteFrom('inbound_events')
    .where('status', '=', 'done')
    .where('received_at', '<', new Date(now.getTime() - keep))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
