import { findOutboxStatus, listOutbox, type OutboxStatus, requeueOutbox } from '../../db/repos/outbox.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';

/** One outgoing message as an admin sees it: where it goes and how it fared, never its contents. */
export interface OutboxMessageView {
  id: string;
  uuid: string;
  operation: string;
  receiveIdType: string | null;
  receiveId: string | null;
  messageId: string | null;
  msgType: string;
  purpose: string;
  itemIds: string[];
  status: OutboxStatus;
  attempts: number;
  createdAt: string;
  firstAttemptAt: string | null;
  nextAttemptAt: string;
  sentAt: string | null;
  sentMessageId: string | null;
  error: string | null;
}

/** The outgoing messages, newest first, optionally of one status. */
export async function listOutboxMessages(
  deps: Deps,
  q: { status?: OutboxStatus | undefined; limit: number },
): Promise<OutboxMessageView[]> {
  const rows = await listOutbox(deps.database.db, {
    limit: q.limit,
    ...(q.status ? { status: q.status } : {}),
  });
  return rows.map((r) => ({
    id: String(r.id),
    uuid: r.uuid,
    operation: r.operation,
    receiveIdType: r.receive_id_type,
    receiveId: r.receive_id,
    messageId: r.message_id,
    msgType: r.msg_type,
    purpose: r.purpose,
    itemIds: r.item_ids,
    status: r.status,
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    firstAttemptAt: r.first_attempt_at?.toISOString() ?? null,
    nextAttemptAt: r.next_attempt_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    sentMessageId: r.sent_message_id,
    error: r.last_error,
  }));
}

/**
 * Puts a failed or flagged message back in the queue (an admin's decision: a flagged one may
 * already have arrived). 404 for no such message, 409 for one in another state.
 */
export async function retryOutboxMessage(
  deps: Deps,
  id: string,
): Promise<{ id: string; status: OutboxStatus }> {
  if (!/^\d{1,18}$/.test(id)) throw new AppError(404, 'not_found', `No outbox message ${id}.`);
  const row = await requeueOutbox(deps.database.db, id, deps.clock.now());
  if (!row) {
    const status = await findOutboxStatus(deps.database.db, id);
    if (!status) throw new AppError(404, 'not_found', `No outbox message ${id}.`);
    throw new AppError(
      409,
      'conflict',
      `Outbox message ${id} is ${status}; only failed or flagged ones can be retried.`,
    );
  }
  deps.logger.info('outbox message requeued by an admin', { id });
  return { id: String(row.id), status: row.status };
}
