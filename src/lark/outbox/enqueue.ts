import { createHash } from 'node:crypto';
import { insertOutboxMessage, insertOutboxMessages } from '../../db/repos/outbox.js';
import type { Db } from '../../db/schema.js';

export type OutboxOperation = 'send' | 'reply' | 'patch' | 'card_update';
export type ReceiveIdType = 'open_id' | 'user_id' | 'union_id' | 'email' | 'chat_id';

export interface OutboxMessage {
  /**
   * The idempotency key, also Lark's `uuid` (≤ 50 chars). Derive it from the caller's natural
   * key with `outboxKey(...)`, so enqueueing the same message twice writes one row.
   */
  uuid: string;
  operation: OutboxOperation;
  /** For `send`: who receives it. */
  receiveIdType?: ReceiveIdType;
  receiveId?: string;
  /** For `reply` (the message replied to) and `patch` (the message whose card is replaced). */
  messageId?: string;
  /** For `card_update`: the token from a card callback (valid 30 min, twice). */
  cardToken?: string;
  msgType: 'interactive' | 'text';
  /** A card JSON object / `{text}` object, or an already serialised JSON string. */
  content: object | string;
  /** Why it is sent (e.g. 'reminder', 'card-refresh'); shown to admins, never the contents. */
  purpose: string;
  itemIds?: string[];
  now: Date;
}

const MAX_UUID = 50;

/**
 * A deterministic outbox key (≤ 50 chars) from the parts of a natural key, e.g.
 * `outboxKey('remind', itemId, recipient, period)`. The same parts give the same key.
 */
export function outboxKey(...parts: Array<string | number>): string {
  const digest = createHash('sha256').update(parts.map(String).join('\u001f')).digest('base64url');
  const prefix = String(parts[0] ?? 'k')
    .replace(/[^A-Za-z0-9_-]/g, '')
    .slice(0, 12);
  return `${prefix}-${digest.slice(0, 32)}`;
}

function validate(m: OutboxMessage): void {
  if (!m.uuid || m.uuid.length > MAX_UUID) throw new Error(`outbox uuid must be 1–${MAX_UUID} characters`);
  if (m.operation === 'send' && (!m.receiveIdType || !m.receiveId))
    throw new Error('outbox send needs receiveIdType and receiveId');
  if ((m.operation === 'reply' || m.operation === 'patch') && !m.messageId)
    throw new Error(`outbox ${m.operation} needs messageId`);
  if (m.operation === 'card_update' && !m.cardToken) throw new Error('outbox card_update needs cardToken');
  if (m.operation === 'patch' && m.msgType !== 'interactive')
    throw new Error('outbox patch is for cards only');
}

/**
 * Writes one outgoing message in the caller's transaction, so it commits or rolls back with the
 * change that caused it. Idempotent by `uuid`: a second call with the same key inserts nothing
 * and answers the existing row's id with `inserted: false`.
 */
export async function enqueueOutbox(trx: Db, m: OutboxMessage): Promise<{ id: string; inserted: boolean }> {
  validate(m);
  return insertOutboxMessage(trx, rowOf(m));
}

/**
 * Several messages in one statement (a change that patches every copy of a card), each as
 * enqueueOutbox would write it. Answers the uuids written now; the others were there already.
 */
export async function enqueueOutboxMany(trx: Db, ms: OutboxMessage[]): Promise<Set<string>> {
  for (const m of ms) validate(m);
  return insertOutboxMessages(trx, ms.map(rowOf));
}

function rowOf(m: OutboxMessage) {
  return {
    uuid: m.uuid,
    operation: m.operation,
    receive_id_type: m.receiveIdType ?? null,
    receive_id: m.receiveId ?? null,
    message_id: m.messageId ?? null,
    card_token: m.cardToken ?? null,
    msg_type: m.msgType,
    content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
    purpose: m.purpose,
    item_ids: m.itemIds ?? [],
    created_at: m.now,
    next_attempt_at: m.now,
  };
}
