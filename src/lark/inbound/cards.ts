import { createHash } from 'node:crypto';
import {
  findCardCallback,
  recordCardAnswer,
  recordCardFailure,
  retakeCardCallback,
  startCardCallback,
} from '../../db/repos/inbound-events.js';
import type { Deps } from '../../deps.js';
import { aliveSince, beat } from '../../platform/liveness.js';
import { answerWithin } from '../answer-within.js';
import { CARD_ACTION, type CardAction, parseCardAction } from '../events.js';
import type { CardActionAnswer, CardActionHandler, CardCallback } from './handlers.js';

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
 * stored answer and acts no second time), then handled by `handler` (the app passes the router's).
 * Slower follow-up work (refreshing the shared card, telling others) goes through the outbox.
 */
export async function answerCardCallback(
  deps: Deps,
  body: Record<string, unknown>,
  style: '2.0' | 'v1',
  handler: CardActionHandler,
  budgetMs: number = CARD_ANSWER_BUDGET_MS,
): Promise<Record<string, unknown>> {
  const { db } = deps.database;
  const { action, dedupKey } = parseCardAction(body);
  const key = storageKey(dedupKey);
  const now = deps.clock.now();
  const lockedUntil = new Date(now.getTime() + LEASE_MS);

  // Beating first: a click that meets a dead instance's unfinished claim takes it over at once.
  await beat(deps);
  const started = await startCardCallback(db, {
    key,
    eventType: CARD_ACTION,
    payload: body,
    now,
    lockedUntil,
    self: deps.instanceId,
  });
  if (!started) {
    const existing = await findCardCallback(db, key);
    if (existing?.status === 'done') {
      deps.logger.info('card callback replayed, answering as before', { eventId: key });
      return (existing.answer as Record<string, unknown> | null) ?? {};
    }
    // A failed attempt (or one whose handler died) may be taken over; one in progress may not.
    const self = deps.instanceId;
    if (!(await retakeCardCallback(db, { key, now, lockedUntil, self, aliveSince: aliveSince(now) }))) {
      deps.logger.info('card callback already being handled', { eventId: key });
      return formatCardAnswer({ toast: { type: 'info', content: '正在处理，请稍候' } }, style);
    }
  }

  const answer = await answerWithin(handleAndRecord(deps, key, action, style, handler), budgetMs);
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
  let recorded = false;
  const callback: CardCallback = {
    async recordIn(trx, answer) {
      await recordCardAnswer(trx, key, formatCardAnswer(answer, style), deps.clock.now());
      recorded = true;
    },
  };
  try {
    const answer = formatCardAnswer(await handler(deps, action, callback), style);
    if (!recorded) await recordCardAnswer(db, key, answer, deps.clock.now());
    return answer;
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await recordCardFailure(db, key, message);
    deps.logger.error('card action failed', { eventId: key, error: message });
    return formatCardAnswer({ toast: { type: 'error', content: '操作未成功，请稍后重试' } }, style);
  }
}
