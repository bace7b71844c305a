import type { Deps } from '../../deps.js';
import { AppError } from '../../platform/errors.js';
import { answerWithin } from '../answer-within.js';
import { eventIdentity, isCardActionBody } from '../events.js';
import { answerCardCallback } from './cards.js';
import type { InboundHandlers } from './handlers.js';
import { processInboundEvents, receiveInboundEvent } from './processor.js';

/** How long an event's delivery waits for the immediate processing attempt before answering. */
export const IMMEDIATE_BUDGET_MS = 1500;

/**
 * The one way into cuiban for a Lark body that its transport has already authenticated (the
 * webhook routes after verifyLarkRequest, the long connection after its login): a card callback
 * is answered within Lark's 3 s (toast and card); an event is stored, deduplicated by event_id,
 * before it is acknowledged, then processed from the store — right away, and by the processor
 * loop if that attempt fails. Answers what Lark should get back; a body that is neither is a 400.
 */
export async function receiveLarkBody(
  deps: Deps,
  handlers: InboundHandlers,
  body: Record<string, unknown>,
  style: '2.0' | 'v1',
  /** performance.now() when the request arrived (a card's answer budget counts from then). */
  receivedAt: number = performance.now(),
): Promise<Record<string, unknown>> {
  if (isCardActionBody(body))
    return answerCardCallback(deps, body, style, handlers.cardAction, undefined, receivedAt);
  const identity = eventIdentity(body);
  if (!identity) throw new AppError(400, 'unknown_event', 'The body is not a Lark event envelope.');
  const stored = await receiveInboundEvent(deps, { ...identity, payload: body });
  if (!stored) {
    deps.logger.info('duplicate lark event acknowledged', { eventId: identity.eventId });
    return {};
  }
  // The event is safe in the store: try it now, but answer within Lark's 3 s whatever happens.
  const attempt = processInboundEvents(deps, handlers.event, { eventId: identity.eventId }).catch((error) =>
    deps.logger.error('immediate processing of a lark event failed', { eventId: identity.eventId, error }),
  );
  await answerWithin(attempt, IMMEDIATE_BUDGET_MS);
  return {};
}

/** A card callback only (POST /lark/cards): anything else is refused with a 400. */
export async function receiveLarkCardCallback(
  deps: Deps,
  handlers: InboundHandlers,
  body: Record<string, unknown>,
  style: '2.0' | 'v1',
  /** performance.now() when the request arrived: the answer budget counts from then. */
  receivedAt: number = performance.now(),
): Promise<Record<string, unknown>> {
  if (!isCardActionBody(body)) {
    throw new AppError(400, 'not_a_card_callback', 'The body is not a card callback.');
  }
  return answerCardCallback(deps, body, style, handlers.cardAction, undefined, receivedAt);
}
