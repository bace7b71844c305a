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
import { CARD_ACTION, type CardAction, parseCardAction } from '../events.js';
import { enqueueOutbox, outboxKey } from '../outbox/enqueue.js';
import type { CardActionAnswer, CardActionHandler, CardCallback } from './handlers.js';

const LEASE_MS = 30_000;

/**
 * Lark waits 3 s for a callback's answer. Past this budget the clicker is told the click was
 * received; the work goes on, records its own answer (a replay gets it), refreshes the shared
 * cards through the outbox as usual, and replaces the clicker's card with the callback's token
 * (the delayed update: the token lasts 30 minutes and works twice; the card must be under 30 KB).
 */
export const CARD_ANSWER_BUDGET_MS = 2_500;
/**
 * The same on the embedded database (PGlite), which does one thing at a time: there a burst of
 * clicks is taken one click at a time, in the order they came, and a click still waiting for its
 * turn (or still being handled) this long after it arrived is told it was received.
 */
export const EMBEDDED_ANSWER_BUDGET_MS = 800;
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
  budgetMs: number = deps.database.engine === 'pglite' ? EMBEDDED_ANSWER_BUDGET_MS : CARD_ANSWER_BUDGET_MS,
  /** performance.now() when the request arrived: the budget counts from then. */
  receivedAt: number = performance.now(),
): Promise<Record<string, unknown>> {
  const { action, dedupKey } = parseCardAction(body);
  const key = storageKey(dedupKey);
  const deadline = receivedAt + budgetMs;
  const turn = takeTurn(deps);
  const waited = await beforeDeadline(turn, deadline);
  if (!waited) {
    // Still queued past the budget: answered now, handled in its turn (which records its answer).
    void turn.then((release) =>
      receive(deps, body, key, action, style, handler)
        .then((r) =>
          r.work ? r.work.then((late) => updateLater(deps, key, action, late, style)) : undefined,
        )
        .catch((error) => deps.logger.error('queued card action failed', { eventId: key, error }))
        .finally(release),
    );
    deps.logger.warn('card action still queued at its answer budget; answered that it is in progress', {
      eventId: key,
      budgetMs,
    });
    return formatCardAnswer(STILL_WORKING, style);
  }
  const release = waited.value;
  let received: Awaited<ReturnType<typeof receive>>;
  try {
    received = await receive(deps, body, key, action, style, handler);
  } catch (error) {
    release();
    throw error;
  }
  if (!received.work) {
    release();
    return received.answer;
  }
  void received.work.finally(release);
  const answer = await beforeDeadline(received.work, deadline);
  if (answer) return answer.value;
  deps.logger.warn('card action slower than its answer budget; answered that it is in progress', {
    eventId: key,
    budgetMs,
  });
  void received.work.then((late) => updateLater(deps, key, action, late, style));
  return formatCardAnswer(STILL_WORKING, style);
}

const turns = new WeakMap<object, Promise<void>>();

/**
 * The click's turn on the database: at once on Postgres; on the embedded database after every
 * click that came before it has been handled. Answers the function that ends the turn.
 */
function takeTurn(deps: Deps): Promise<() => void> {
  if (deps.database.engine !== 'pglite') return Promise.resolve(() => {});
  const previous = turns.get(deps.database) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  turns.set(
    deps.database,
    previous.then(() => mine),
  );
  return previous.then(() => release);
}

/** What `promise` gives if it settles before `deadline` (performance.now() time); null after. */
async function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<{ value: T } | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), Math.max(0, deadline - performance.now()));
  });
  const result = await Promise.race([promise.then((value) => ({ value })), late]);
  clearTimeout(timer);
  return result;
}

/**
 * Stores the callback (deduplicated by event id): a replay gets the stored answer, one being
 * handled elsewhere is told so; a new one is handed to `handler`, whose work is answered.
 */
async function receive(
  deps: Deps,
  body: Record<string, unknown>,
  key: string,
  action: CardAction,
  style: '2.0' | 'v1',
  handler: CardActionHandler,
): Promise<{ answer: Record<string, unknown>; work: null } | { work: Promise<Record<string, unknown>> }> {
  const { db } = deps.database;
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
      return { answer: (existing.answer as Record<string, unknown> | null) ?? {}, work: null };
    }
    // A failed attempt (or one whose handler died) may be taken over; one in progress may not.
    const self = deps.instanceId;
    if (!(await retakeCardCallback(db, { key, now, lockedUntil, self, aliveSince: aliveSince(now) }))) {
      deps.logger.info('card callback already being handled', { eventId: key });
      return {
        answer: formatCardAnswer({ toast: { type: 'info', content: '正在处理，请稍候' } }, style),
        work: null,
      };
    }
  }
  return { work: handleAndRecord(deps, key, action, style, handler) };
}

/** Lark's limit for the delayed update's card. */
const DELAYED_CARD_MAX_BYTES = 30 * 1024;

/**
 * The card a late answer carries, sent with the callback's token through the outbox (which
 * sends it after this answer went out, as Lark requires, and gives up past the token's 30 min).
 */
async function updateLater(
  deps: Deps,
  key: string,
  action: CardAction,
  late: Record<string, unknown>,
  style: '2.0' | 'v1',
): Promise<void> {
  const token = action.updateToken;
  if (!token) return;
  const card =
    style === 'v1'
      ? Object.keys(late).length > 0
        ? late
        : undefined
      : (late.card as { data?: unknown })?.data;
  if (!card) return;
  const content = JSON.stringify(card);
  if (Buffer.byteLength(content) > DELAYED_CARD_MAX_BYTES) {
    deps.logger.warn('late card answer over 30 KB: not sent as a delayed update', { eventId: key });
    return;
  }
  try {
    await enqueueOutbox(deps.database.db, {
      uuid: outboxKey('card-update', key),
      operation: 'card_update',
      cardToken: token,
      msgType: 'interactive',
      content,
      purpose: 'card-late-answer',
      now: deps.clock.now(),
    });
  } catch (error) {
    deps.logger.error('could not queue the delayed card update', { eventId: key, error });
  }
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
