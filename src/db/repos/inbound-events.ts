import { sql } from 'kysely';
import { jsonForStorage } from '../../domain/text.js';
import type { Db, Trx } from '../schema.js';
import { claimOwnerGone } from './instances.js';

/** The event type card callbacks are stored under (src/lark/events.ts `CARD_ACTION`). */
const CARD_CALLBACK = 'card.action.trigger';

/** inbound_events: Lark events and card callbacks, stored before they are answered. */

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
 * Claims due events for processing by instance `self`: pending ones whose time has come, and ones
 * whose previous claimer's lease ran out or whose claimer stopped beating (it crashed; see
 * repos/instances.ts). FOR UPDATE SKIP LOCKED plus the lease and the owner mean several instances
 * never work on one event at the same time.
 */
export async function claimInboundEvents(
  trx: Trx,
  o: { now: Date; limit: number; leaseMs: number; self: string; aliveSince: Date; eventId?: string },
): Promise<StoredEvent[]> {
  let q = trx
    .selectFrom('inbound_events')
    .select('event_id')
    .where('status', 'in', ['pending', 'processing'])
    // A card callback is answered in its HTTP request and handled again only on Lark's next
    // delivery (retakeCardCallback): processed here, it would be marked done with no answer.
    .where('event_type', '<>', CARD_CALLBACK)
    .where('next_attempt_at', '<=', o.now)
    .where((eb) =>
      eb.or([
        eb('locked_until', 'is', null),
        eb('locked_until', '<', o.now),
        claimOwnerGone('inbound_events', { self: o.self, aliveSince: o.aliveSince }),
      ]),
    )
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
      claimed_by: o.self,
    })
    .where('event_id', 'in', ids)
    .returning(['event_id', 'event_type', 'payload', 'attempts', 'received_at'])
    .execute();
}

/** Puts claimed events not yet started back as they were, their claim's attempt not counted. */
export async function handBackInboundEvents(db: Db, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db
    .updateTable('inbound_events')
    .set({ status: 'pending', locked_until: null, attempts: sql`attempts - 1` })
    .where('event_id', 'in', eventIds)
    .where('status', '=', 'processing')
    .execute();
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

/**
 * Stores a card callback as being handled (leased until `lockedUntil`). Answers false when its
 * key is already stored: a replay, or a click still being handled.
 */
export async function startCardCallback(
  db: Db,
  c: { key: string; eventType: string; payload: unknown; now: Date; lockedUntil: Date; self: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('inbound_events')
    .values({
      event_id: c.key,
      event_type: c.eventType,
      payload: jsonForStorage(c.payload),
      status: 'processing',
      attempts: 1,
      received_at: c.now,
      next_attempt_at: c.now,
      locked_until: c.lockedUntil,
      claimed_by: c.self,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findCardCallback(
  db: Db,
  key: string,
): Promise<{ status: string; answer: unknown } | undefined> {
  return db
    .selectFrom('inbound_events')
    .select(['status', 'answer'])
    .where('event_id', '=', key)
    .executeTakeFirst();
}

/**
 * Takes over a stored callback whose attempt failed, or whose handler died (its lease ran out, or
 * its instance stopped beating); one still in progress is not taken. Answers whether this call
 * took it.
 */
export async function retakeCardCallback(
  db: Db,
  c: { key: string; now: Date; lockedUntil: Date; self: string; aliveSince: Date },
): Promise<boolean> {
  const retaken = await db
    .updateTable('inbound_events')
    .set({
      status: 'processing',
      locked_until: c.lockedUntil,
      claimed_by: c.self,
      attempts: (eb) => eb('attempts', '+', 1),
    })
    .where('event_id', '=', c.key)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'failed'),
        eb.and([
          eb('status', '=', 'processing'),
          eb.or([
            eb('locked_until', '<', c.now),
            claimOwnerGone('inbound_events', { self: c.self, aliveSince: c.aliveSince }),
          ]),
        ]),
      ]),
    )
    .returning('event_id')
    .executeTakeFirst();
  return retaken !== undefined;
}

/** Records the answer a handled callback gave, for its replays. */
export async function recordCardAnswer(db: Db, key: string, answer: unknown, now: Date): Promise<void> {
  await db
    .updateTable('inbound_events')
    .set({
      status: 'done',
      processed_at: now,
      locked_until: null,
      last_error: null,
      answer: JSON.stringify(answer),
    })
    .where('event_id', '=', key)
    .execute();
}

/** Records a failed callback: a redelivery may try it again. */
export async function recordCardFailure(db: Db, key: string, error: string): Promise<void> {
  await db
    .updateTable('inbound_events')
    .set({ status: 'failed', locked_until: null, last_error: error.slice(0, 1000) })
    .where('event_id', '=', key)
    .execute();
}

export interface InboundEventRow {
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  received_at: Date;
  next_attempt_at: Date;
  processed_at: Date | null;
  last_error: string | null;
}

/** The columns an admin sees of a stored event (all but the payload and the claim). */
const INBOUND_EVENT_COLUMNS = [
  'event_id',
  'event_type',
  'status',
  'attempts',
  'received_at',
  'next_attempt_at',
  'processed_at',
  'last_error',
] as const;

/** Stored events for an admin, newest first, without their payloads. */
export async function listInboundEvents(
  db: Db,
  o: { status?: 'pending' | 'processing' | 'done' | 'failed'; limit: number },
): Promise<InboundEventRow[]> {
  let q = db
    .selectFrom('inbound_events')
    .select(INBOUND_EVENT_COLUMNS)
    .orderBy('received_at', 'desc')
    .limit(o.limit);
  if (o.status) q = q.where('status', '=', o.status);
  return q.execute();
}

export async function getInboundEvent(db: Db, eventId: string): Promise<InboundEventRow | undefined> {
  return db
    .selectFrom('inbound_events')
    .select(INBOUND_EVENT_COLUMNS)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
}

/** Puts a failed event back in the queue with a fresh count of attempts; answers whether it was failed. */
export async function requeueFailedInboundEvent(db: Db, eventId: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('inbound_events')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null })
    .where('event_id', '=', eventId)
    .where('status', '=', 'failed')
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** How many stored events wait, and how many failed for good (with the oldest failure's time). */
export async function countInboundByStatus(db: Db): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('inbound_events')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', 'in', ['pending', 'processing', 'failed'])
    .groupBy('status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: n('pending') + n('processing'), failed: n('failed') };
}

/** When the last event and the last card callback were received (null: none kept). */
export async function lastInboundReceived(
  db: Db,
): Promise<{ event: Date | null; cardCallback: Date | null }> {
  const rows = await db
    .selectFrom('inbound_events')
    .select([
      (eb) => eb.fn.max('received_at').filterWhere('event_type', '<>', CARD_CALLBACK).as('event'),
      (eb) => eb.fn.max('received_at').filterWhere('event_type', '=', CARD_CALLBACK).as('card'),
    ])
    .execute();
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));
  return { event: at(rows[0]?.event), cardCallback: at(rows[0]?.card) };
}
