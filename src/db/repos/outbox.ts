import { sql } from 'kysely';
import type { Db } from '../schema.js';

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
}

/**
 * The messages of one purpose (e.g. 'item-card') that named an item, oldest first: the copies
 * of its cards to bring up to date when the item changes.
 */
export async function listCardsNamingItem(db: Db, purpose: string, itemId: string): Promise<SentCardRow[]> {
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
    ])
    .where('purpose', '=', purpose)
    .where('operation', 'in', ['send', 'reply'])
    .where(sql<boolean>`item_ids @> array[${itemId}]::text[]`)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

/** The message Lark knows by this id, as the outbox sent it (null when the bot never sent it). */
export async function findSentMessage(
  db: Db,
  messageId: string,
): Promise<{ purpose: string; itemIds: string[]; sentAt: Date | null } | null> {
  const row = await db
    .selectFrom('outbox')
    .select(['purpose', 'item_ids', 'sent_at'])
    .where('sent_message_id', '=', messageId)
    // A patch row carries the message id it patched; the message itself is the send or reply.
    .where('operation', 'in', ['send', 'reply'])
    .orderBy('id')
    .executeTakeFirst();
  return row ? { purpose: row.purpose, itemIds: row.item_ids, sentAt: row.sent_at } : null;
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
