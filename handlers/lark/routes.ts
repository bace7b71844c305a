import { Hono } from 'hono';
import type { Deps } from '../../src/deps.js';
import { AppError } from '../../src/errors.js';
import { eventIdentity, isCardActionBody } from '../../src/lark/events.js';
import { answerCardCallback } from '../../src/lark/inbound/cards.js';
import type { InboundHandlers } from '../../src/lark/inbound/handlers.js';
import { processInboundEvents, receiveInboundEvent } from '../../src/lark/inbound/processor.js';
import { verifyLarkRequest } from '../../src/lark/verify.js';

/** How long the event handler waits for the immediate processing attempt before answering. */
const IMMEDIATE_BUDGET_MS = 1500;

/**
 * POST /lark/events and POST /lark/cards. Every request passes verifyLarkRequest over the raw
 * body bytes first; an event is stored (deduplicated by event_id) before the 200 goes out, then
 * processed from the store — right away, and by the processor loop if that attempt fails.
 */
export function larkRoutes(deps: Deps, handlers: InboundHandlers) {
  const app = new Hono();

  const verify = async (c: {
    req: { arrayBuffer(): Promise<ArrayBuffer>; header(n: string): string | undefined; path: string };
  }) =>
    verifyLarkRequest(
      deps.config.lark,
      {
        rawBody: new Uint8Array(await c.req.arrayBuffer()),
        header: (name) => c.req.header(name),
        now: deps.clock.now(),
        path: c.req.path,
      },
      deps.logger,
    );

  app.post('/events', async (c) => {
    const receivedAt = performance.now();
    const verified = await verify(c);
    if (verified.kind === 'challenge') return c.json({ challenge: verified.challenge });
    const { body, style } = verified;
    if (isCardActionBody(body))
      return c.json(await answerCardCallback(deps, body, style, handlers.cardAction, undefined, receivedAt));
    const identity = eventIdentity(body);
    if (!identity) throw new AppError(400, 'unknown_event', 'The body is not a Lark event envelope.');
    const stored = await receiveInboundEvent(deps, { ...identity, payload: body });
    if (!stored) {
      deps.logger.info('duplicate lark event acknowledged', { eventId: identity.eventId });
      return c.json({});
    }
    // The event is safe in the store: try it now, but answer within Lark's 3 s whatever happens.
    const attempt = processInboundEvents(deps, handlers.event, { eventId: identity.eventId }).catch((error) =>
      deps.logger.error('immediate processing of a lark event failed', { eventId: identity.eventId, error }),
    );
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise((resolve) => {
      timer = setTimeout(resolve, IMMEDIATE_BUDGET_MS);
    });
    await Promise.race([attempt, budget]);
    clearTimeout(timer);
    return c.json({});
  });

  app.post('/cards', async (c) => {
    // Lark's 3 s count from when it sent the callback: the answer budget counts from arrival.
    const receivedAt = performance.now();
    const verified = await verify(c);
    if (verified.kind === 'challenge') return c.json({ challenge: verified.challenge });
    if (!isCardActionBody(verified.body)) {
      throw new AppError(400, 'not_a_card_callback', 'The body is not a card callback.');
    }
    return c.json(
      await answerCardCallback(
        deps,
        verified.body,
        verified.style,
        handlers.cardAction,
        undefined,
        receivedAt,
      ),
    );
  });

  return app;
}
