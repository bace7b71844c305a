import { type Insertable, sql } from 'kysely';
import type { Db, OutboxRow, OutboxTable, Trx } from '../schema.js';
import { claimOwnerGone } from './instances.js';

/** outbox: every outgoing Lark message, written in the transaction of the change that caused it. */

/** One earlier message that showed a card, as far as refreshing it needs. */
export interface SentCardRow {
  id: string;
  uuid: string;
  operation: 'send' | 'reply' | 'patch' | 'card_update';
  status: string;
  receive_id_type: string | null;
  receive_id: string | null;
  sent_message_id: string | null;
  sent_at: Date | null;
  item_ids: string[];
  purpose: string;
}

/**
 * The messages of one purpose (e.g. 'item-card') or several that named an item, oldest first: the
 * copies of its cards to bring up to date when the item changes.
 */
export async function listCardsNamingItem(
  db: Db,
  purpose: string | readonly string[],
  itemId: string,
): Promise<SentCardRow[]> {
  const purposes = typeof purpose === 'string' ? [purpose] : [...purpose];
  const rows = await db
    .selectFrom('outbox')
    .select([
      'id',
      'uuid',
      'operation',
      'status',
      'receive_id_type',
      'receive_id',
      'sent_message_id',
      'sent_at',
      'item_ids',
      'purpose',
    ])
    .where('purpose', 'in', purposes)
    .where('operation', 'in', ['send', 'reply'])
    .where(sql<boolean>`item_ids @> array[${itemId}]::text[]`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

export interface SentMessage {
  /** The outbox row that sent it. */
  id: string;
  purpose: string;
  itemIds: string[];
  sentAt: Date | null;
}

/** The message Lark knows by this id, as the outbox sent it (null when the bot never sent it). */
export async function findSentMessage(db: Db, messageId: string): Promise<SentMessage | null> {
  const row = await db
    .selectFrom('outbox')
    .select(['id', 'purpose', 'item_ids', 'sent_at'])
    .where('sent_message_id', '=', messageId)
    // A patch row carries the message id it patched; the message itself is the send or reply.
    .where('operation', 'in', ['send', 'reply'])
    .orderBy('id')
    .executeTakeFirst();
  return row
    ? { id: String(row.id), purpose: row.purpose, itemIds: row.item_ids, sentAt: row.sent_at }
    : null;
}

/** Replaces the content of a message not yet sent (a row already taken by a sender is left alone). */
export async function rewritePendingContent(db: Db, id: string, content: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ content })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/**
 * What a card naming `itemId` shows (or will show once its queue is through): the content of the
 * latest patch enqueued for its message, else the content it was sent with. Patches of such a
 * card carry the card's item ids, so they are found through the item.
 */
export async function latestCardContent(
  db: Db,
  row: { id: string; sent_message_id: string | null },
  itemId: string,
): Promise<string | null> {
  if (row.sent_message_id) {
    const patch = await db
      .selectFrom('outbox')
      .select('content')
      .where(sql<boolean>`item_ids @> array[${itemId}]::text[]`)
      .where('operation', '=', 'patch')
      .where('message_id', '=', row.sent_message_id)
      .where('status', '<>', 'failed')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (patch) return patch.content;
  }
  const own = await db.selectFrom('outbox').select('content').where('id', '=', row.id).executeTakeFirst();
  return own?.content ?? null;
}

export type OutboxStatus = OutboxRow['status'];

/**
 * Inserts one message, idempotent by `uuid`: a second insert with the same uuid writes nothing
 * and answers the existing row's id with `inserted: false`.
 */
export async function insertOutboxMessage(
  db: Db,
  row: Insertable<OutboxTable>,
): Promise<{ id: string; inserted: boolean }> {
  const inserted = await db
    .insertInto('outbox')
    .values(row)
    .onConflict((oc) => oc.column('uuid').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: String(inserted.id), inserted: true };
  const existing = await db
    .selectFrom('outbox')
    .select('id')
    .where('uuid', '=', row.uuid)
    .executeTakeFirstOrThrow();
  return { id: String(existing.id), inserted: false };
}

/**
 * Several messages in one statement; each idempotent by its uuid. Answers the uuids written now
 * (a uuid already in the outbox is left as it is and not among them).
 */
export async function insertOutboxMessages(db: Db, rows: Insertable<OutboxTable>[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await db
    .insertInto('outbox')
    .values(rows)
    .onConflict((oc) => oc.column('uuid').doNothing())
    .returning('uuid')
    .execute();
  return new Set(inserted.map((r) => r.uuid));
}

/**
 * Claims due rows for sending, oldest first, for instance `self`: pending ones whose time has
 * come, ones whose sender's lease ran out, and ones whose sender stopped beating (no heartbeat
 * since `aliveSince`: it died mid-way, see repos/instances.ts). FOR UPDATE SKIP LOCKED, the lease
 * and the owner mean several dispatchers never send one row at the same time. Answers the rows
 * and how many of them were taken over from another instance.
 */
export async function claimDueOutbox(
  trx: Trx,
  o: { now: Date; limit: number; leaseMs: number; self: string; aliveSince: Date },
): Promise<{ rows: OutboxRow[]; takenOver: number }> {
  const due = await trx
    .selectFrom('outbox')
    .select(['id', 'status'])
    .where('status', 'in', ['pending', 'sending'])
    .where('next_attempt_at', '<=', o.now)
    .where((eb) =>
      eb.or([
        eb('locked_until', 'is', null),
        eb('locked_until', '<', o.now),
        claimOwnerGone('outbox', { self: o.self, aliveSince: o.aliveSince }),
      ]),
    )
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(o.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (due.length === 0) return { rows: [], takenOver: 0 };
  const rows = await trx
    .updateTable('outbox')
    .set({ status: 'sending', locked_until: new Date(o.now.getTime() + o.leaseMs), claimed_by: o.self })
    .where(
      'id',
      'in',
      due.map((r) => r.id),
    )
    .returningAll()
    .execute();
  return {
    rows: rows.sort((a, b) => Number(a.id) - Number(b.id)),
    takenOver: due.filter((r) => r.status === 'sending').length,
  };
}

/** Puts rows `self` claimed back as they were (same next_attempt_at, so the order is kept). */
export async function handBackOutbox(db: Db, ids: string[], self: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ status: 'pending', locked_until: null })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', self)
    .execute();
}

/**
 * Counts an attempt by `self`, recording the first one's time (it opens Lark's uuid window).
 * Answers false when the row is no longer `self`'s to send (another instance took it over while
 * this one was silent): then it must not be sent.
 */
export async function recordOutboxAttempt(
  db: Db,
  o: { id: string; self: string; firstAttemptAt: Date },
): Promise<boolean> {
  const res = await db
    .updateTable('outbox')
    .set({ first_attempt_at: o.firstAttemptAt, attempts: sql`attempts + 1` })
    .where('id', '=', o.id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', o.self)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function markOutboxSent(
  db: Db,
  id: string,
  sent: { at: Date; messageId: string | null },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      sent_at: sent.at,
      sent_message_id: sent.messageId,
      locked_until: null,
      last_error: null,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Sends it no more: failed for good, or flagged for an admin to decide. Only while it is still
 * `self`'s claim (one taken over meanwhile is the new owner's to settle).
 */
export async function markOutboxGivenUp(
  db: Db,
  id: string,
  o: { status: 'failed' | 'flagged'; error: string; self: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: o.status, locked_until: null, last_error: o.error })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', o.self)
    .execute();
}

/**
 * Back in the queue until `nextAttemptAt`; with `error` when an attempt failed. Only while it is
 * still `self`'s claim (one taken over meanwhile, perhaps sent already, is left alone).
 */
export async function rescheduleOutbox(
  db: Db,
  id: string,
  o: { nextAttemptAt: Date; error?: string; self: string },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: 'pending',
      locked_until: null,
      next_attempt_at: o.nextAttemptAt,
      ...(o.error === undefined ? {} : { last_error: o.error }),
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('claimed_by', '=', o.self)
    .execute();
}

/** The outgoing messages, newest first, without their contents. */
export async function listOutbox(db: Db, o: { status?: OutboxStatus; limit: number }) {
  let query = db
    .selectFrom('outbox')
    .select([
      'id',
      'uuid',
      'operation',
      'receive_id_type',
      'receive_id',
      'message_id',
      'msg_type',
      'purpose',
      'item_ids',
      'status',
      'attempts',
      'created_at',
      'first_attempt_at',
      'next_attempt_at',
      'sent_at',
      'sent_message_id',
      'last_error',
    ])
    .orderBy('id', 'desc')
    .limit(o.limit);
  if (o.status) query = query.where('status', '=', o.status);
  return query.execute();
}

/**
 * Puts a failed or flagged message back in the queue as if new (a fresh uuid window). Answers
 * undefined when there is no such message in one of those states.
 */
export async function requeueOutbox(
  db: Db,
  id: string,
  now: Date,
): Promise<{ id: string; status: OutboxStatus } | undefined> {
  return db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now, first_attempt_at: null, locked_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'flagged'])
    .returning(['id', 'status'])
    .executeTakeFirst();
}

export async function findOutboxStatus(db: Db, id: string): Promise<OutboxStatus | undefined> {
  const row = await db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/** How many messages are unsent per status, and the oldest one's creation time. */
export async function countUnsentOutbox(
  db: Db,
): Promise<Array<{ status: string; n: string | number; oldest: Date | null }>> {
  const { rows } = await sql<{ status: string; n: string | number; oldest: Date | null }>`
    select status, count(*) as n, min(created_at) as oldest from outbox
    where status in ('pending', 'sending', 'failed', 'flagged') group by status`.execute(db);
  return rows;
}
