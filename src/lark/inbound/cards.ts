import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { jsonForStorage } from '../../domain/text.js';
import { type CardActionAnswer, handleCardAction } from '../../services/inbound-router.js';
import { CARD_ACTION, type CardAction, parseCardAction } from '../events.js';

export type CardActionHandler = (deps: Deps, action: CardAction) => Promise<CardActionAnswer>;

const LEASE_MS = 30_000;

/**
 * Lark waits 3 s for a callback's answer. Past this budget the clicker is told the click was
 * received; the work goes on, records its own answer (a replay gets it) and refreshes the shared
 * cards through the outbox as usual.
 */
export const CARD_ANSWER_BUDGET_MS = 2_500;
const STILL_WORKING: CardActionAnswer = {
  toast: { type: 'info', content: '已收到，正在处理，卡片稍后自动更新' },
};

/** What Lark expects back: new style `{toast, card:{type:'raw', data}}`; v1 the card JSON itself. */
export function formatCardAnswer(answer: CardActionAnswer, style: '2.0' | 'v1'): Record<string, unknown> {
  if (style === 'v1') return answer.card ? { ...answer.card } : {};
  return {
    ...(answer.toast ? { toast: answer.toast } : {}),
    ...(answer.card ? { card: { type: 'raw', data: answer.card } } : {}),
  };
}

function storageKey(dedupKey: string): string {
  return dedupKey.length <= 100 ? dedupKey : `card:${createHash('sha256').update(dedupKey).digest('hex')}`;
}

/**
 * Answers a verified card callback within Lark's 3 s: deduplicated by event id (a replay gets the
 * stored answer and acts no second time), then handled by the router's handleCardAction.
 * Slower follow-up work (refreshing the shared card, telling others) goes through the outbox.
 */
export async function answerCardCallback(
  deps: Deps,
  body: Record<string, unknown>,
  style: '2.0' | 'v1',
  handler: CardActionHandler = handleCardAction,
  budgetMs: number = CARD_ANSWER_BUDGET_MS,
): Promise<Record<string, unknown>> {
  const { db } = deps.database;
  const { action, dedupKey } = parseCardAction(body);
  const key = storageKey(dedupKey);
  const now = deps.clock.now();
  const lockedUntil = new Date(now.getTime() + LEASE_MS);

  const inserted = await db
    .insertInto('inbound_events')
    .values({
      event_id: key,
      event_type: CARD_ACTION,
      payload: jsonForStorage(body),
      status: 'processing',
      attempts: 1,
      received_at: now,
      next_attempt_at: now,
      locked_until: lockedUntil,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();

  if (!inserted) {
    const existing = await db
      .selectFrom('inbound_events')
      .select(['status', 'answer'])
      .where('event_id', '=', key)
      .executeTakeFirst();
    if (existing?.status === 'done') {
      deps.logger.info('card callback replayed, answering as before', { eventId: key });
      return (existing.answer as Record<string, unknown> | null) ?? {};
    }
    // A failed attempt (or one whose handler died) may be taken over; one in progress may not.
    const retaken = await db
      .updateTable('inbound_events')
      .set({ status: 'processing', locked_until: lockedUntil, attempts: (eb) => eb('attempts', '+', 1) })
      .where('event_id', '=', key)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'failed'),
          eb.and([eb('status', '=', 'processing'), eb('locked_until', '<', now)]),
        ]),
      )
      .returning('event_id')
      .executeTakeFirst();
    if (!retaken) {
      deps.logger.info('card callback already being handled', { eventId: key });
      return formatCardAnswer({ toast: { type: 'info', content: '正在处理，请稍候' } }, style);
    }
  }

  const work = handleAndRecord(deps, key, action, style, handler);
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budgetMs);
  });
  const answer = await Promise.race([work, budget]);
  clearTimeout(timer);
  if (answer) return answer;
  deps.logger.warn('card action slower than its answer budget; answered that it is in progress', {
    eventId: key,
    budgetMs,
  });
  return formatCardAnswer(STILL_WORKING, style);
}

/** Runs the handler and records its answer (or its failure) on the stored callback. Never throws. */
async function handleAndRecord(
  deps: Deps,
  key: string,
  action: CardAction,
  style: '2.0' | 'v1',
  handler: CardActionHandler,
): Promise<Record<string, unknown>> {
  const { db } = deps.database;
  try {
    const answer = formatCardAnswer(await handler(deps, action), style);
    await db
      .updateTable('inbound_events')
      .set({
        status: 'done',
        processed_at: deps.clock.now(),
        locked_until: null,
        last_error: null,
        answer: JSON.stringify(answer),
      })
      .where('event_id', '=', key)
      .execute();
    return answer;
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await db
      .updateTable('inbound_events')
      .set({ status: 'failed', locked_until: null, last_error: message.slice(0, 1000) })
      .where('event_id', '=', key)
      .execute();
    deps.logger.error('card action failed', { eventId: key, error: message });
    return formatCardAnswer({ toast: { type: 'error', content: '操作未成功，请稍后重试' } }, style);
  }
}
