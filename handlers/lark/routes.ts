import { Hono } from 'hono';
import type { Deps } from '../../src/deps.js';
import { isCardActionBody } from '../../src/lark/events.js';
import { answerCardCallback } from '../../src/lark/inbound/cards.js';
import { receiveLarkBody } from '../../src/lark/inbound/entry.js';
import type { InboundHandlers } from '../../src/lark/inbound/handlers.js';
import { verifyLarkRequest } from '../../src/lark/verify.js';
import { invalidJson } from '../../src/platform/errors.js';

/**
 * POST /lark/events and POST /lark/cards. Every request passes verifyLarkRequest over the raw
 * body bytes first, then goes where the long connection's bodies go too (receiveLarkBody).
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
    return c.json(await receiveLarkBody(deps, handlers, verified.body, verified.style, receivedAt));
  });

  app.post('/cards', async (c) => {
    // Lark's 3 s count from when it sent the callback: the answer budget counts from arrival.
    const receivedAt = performance.now();
    const verified = await verify(c);
    if (verified.kind === 'challenge') return c.json({ challenge: verified.challenge });
    if (!isCardActionBody(verified.body)) {
      throw invalidJson('The body is not a card callback.');
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
