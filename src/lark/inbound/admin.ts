import {
  getInboundEvent,
  type InboundEventRow,
  listInboundEvents,
  requeueFailedInboundEvent,
} from '../../db/repos/inbound-events.js';
import type { Deps } from '../../deps.js';
import { AppError, notFound } from '../../platform/errors.js';
import { CARD_ACTION } from '../events.js';

/** The stored Lark events an admin looks at: newest first, without their payloads. */
export async function inboundEventsForAdmin(
  deps: Deps,
  q: { status?: 'pending' | 'processing' | 'done' | 'failed'; limit: number },
): Promise<InboundEventRow[]> {
  return listInboundEvents(deps.database.db, q);
}

/**
 * Puts an event that failed for good back in the queue (an admin's decision, after fixing the
 * cause). Card clicks are not retried here: the clicker was answered at once and clicks again.
 */
export async function retryInboundEvent(deps: Deps, eventId: string): Promise<InboundEventRow> {
  const { db } = deps.database;
  const row = await getInboundEvent(db, eventId);
  if (!row) throw notFound(`id: no stored Lark event "${eventId}".`);
  if (row.event_type === CARD_ACTION)
    throw new AppError(
      409,
      'conflict',
      `id: "${eventId}" is a card click; the clicker clicks again to retry it.`,
    );
  if (!(await requeueFailedInboundEvent(db, eventId, deps.clock.now())))
    throw new AppError(
      409,
      'conflict',
      `id: event "${eventId}" is ${row.status}; only failed ones can be retried.`,
    );
  deps.logger.info('inbound event requeued by an admin', { eventId });
  return (await getInboundEvent(db, eventId))!;
}

export type { InboundEventRow };
