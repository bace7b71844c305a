import {
  claimInboundEvents,
  handBackInboundEvents,
  markInboundDone,
  markInboundRetry,
  pruneInboundEvents,
  storeInboundEvent,
} from '../../db/repos/inbound-events.js';
import type { Trx } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { loopTask } from '../../platform/background.js';
import { aliveSince, beat, beatWhenDue } from '../../platform/liveness.js';
import { type InboundEvent, MESSAGE_RECEIVED, parseInboundEvent } from '../events.js';
import { enqueueOutbox, outboxKey } from '../outbox/enqueue.js';
import type { InboundEventHandler } from './handlers.js';

const LEASE_MS = 60_000;
/** After this many failed attempts an event is marked failed and left for an admin. */
export const MAX_INBOUND_ATTEMPTS = 8;

/** 30 s, 1 min, 2 min, … capped at 30 min. */
export function inboundBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

export interface InboundSummary {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
}

/**
 * Stores an acknowledged event (before the 200 goes out), deduplicated by its event_id: answers
 * false for a redelivery.
 */
export async function receiveInboundEvent(
  deps: Deps,
  event: { eventId: string; eventType: string; payload: unknown },
): Promise<boolean> {
  return storeInboundEvent(deps.database.db, { ...event, now: deps.clock.now() });
}

/**
 * Processes stored events (all due ones up to `limit`, or just `eventId`): parses each into an
 * InboundEvent and hands it to `handler` (the app passes the router's). A failure is recorded
 * and retried with backoff.
 */
export async function processInboundEvents(
  deps: Deps,
  handler: InboundEventHandler,
  options: { limit?: number; eventId?: string; leaseMs?: number; silentAfterMs?: number } = {},
): Promise<InboundSummary> {
  const { db } = deps.database;
  const summary: InboundSummary = { claimed: 0, done: 0, retried: 0, failed: 0 };
  const now = deps.clock.now();
  await beat(deps);
  const beatIfDue = beatWhenDue(deps);
  const rows = await db.transaction().execute((trx) =>
    claimInboundEvents(trx, {
      now,
      limit: options.limit ?? 20,
      leaseMs: options.leaseMs ?? LEASE_MS,
      self: deps.instanceId,
      aliveSince: aliveSince(now, options.silentAfterMs),
      ...(options.eventId === undefined ? {} : { eventId: options.eventId }),
    }),
  );
  summary.claimed = rows.length;
  // Past half the lease, the rest of the batch goes back, so no lease lapses under unstarted work.
  const handBackAfter = performance.now() + (options.leaseMs ?? LEASE_MS) / 2;
  for (const [index, row] of rows.entries()) {
    if (performance.now() > handBackAfter) {
      await handBackInboundEvents(
        db,
        rows.slice(index).map((r) => r.event_id),
      );
      summary.claimed = index;
      break;
    }
    let event: InboundEvent | null = null;
    await beatIfDue();
    try {
      const body = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<
        string,
        unknown
      >;
      // The bot's open_id tells its own mention from others'; fetched once per gateway.
      const botOpenId = row.event_type === MESSAGE_RECEIVED && deps.lark ? await deps.lark.botOpenId() : null;
      event = parseInboundEvent(body, botOpenId, row.received_at);
      if (event) await handler(deps, event);
      else deps.logger.debug('inbound event ignored', { eventType: row.event_type, eventId: row.event_id });
      await markInboundDone(db, row.event_id, deps.clock.now());
      summary.done++;
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const giveUp = row.attempts >= MAX_INBOUND_ATTEMPTS;
      const nextAttemptAt = giveUp
        ? null
        : new Date(deps.clock.now().getTime() + inboundBackoffMs(row.attempts));
      await db.transaction().execute(async (trx) => {
        await markInboundRetry(trx, row.event_id, { error: message, nextAttemptAt });
        if (giveUp && event?.type === 'message') await tellSenderNotHandled(trx, deps, row.event_id, event);
      });
      deps.logger.warn(giveUp ? 'inbound event failed for good' : 'inbound event failed, will retry', {
        eventId: row.event_id,
        eventType: row.event_type,
        attempts: row.attempts,
        error: message,
      });
      if (giveUp) summary.failed++;
      else summary.retried++;
    }
  }
  return summary;
}

/** Said in the thread of a message that failed for good (an admin can retry it from the API). */
export const NOT_HANDLED_TEXT =
  '抱歉，这条消息未能处理，已记录并告知管理员。请稍后重新发送，或发送“帮助”查看用法。';

/** The sender of a message that failed for good hears so, once (the key is the event's id). */
async function tellSenderNotHandled(
  trx: Trx,
  deps: Deps,
  eventId: string,
  event: Extract<InboundEvent, { type: 'message' }>,
): Promise<void> {
  if (event.chatType === 'group' && !event.mentionsBot) return;
  await enqueueOutbox(trx, {
    uuid: outboxKey('inbound-failed', eventId),
    operation: 'reply',
    messageId: event.messageId,
    msgType: 'text',
    content: { text: NOT_HANDLED_TEXT },
    purpose: 'inbound-failed',
    now: deps.clock.now(),
  });
}

/** The processor loop: due events every second, old events pruned every hour or so. */
export function inboundProcessorTask(deps: Deps, handler: InboundEventHandler, intervalMs = 1000) {
  let lastPrune = 0;
  return loopTask(
    'lark-inbound',
    intervalMs,
    async () => {
      await processInboundEvents(deps, handler, { limit: 50 });
      const now = deps.clock.now().getTime();
      if (now - lastPrune > 3600_000) {
        lastPrune = now;
        await pruneInboundEvents(deps.database.db, deps.clock.now());
      }
    },
    deps.logger,
  );
}
