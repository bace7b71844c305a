import { Hono } from 'hono';
import type { Deps } from '../../src/deps.js';
import { receiveLarkBody, receiveLarkCardCallback } from '../../src/lark/inbound/entry.js';
import type { InboundHandlers } from '../../src/lark/inbound/handlers.js';
import { type LarkVerified, verifyLark } from './verify.js';

/**
 * POST /lark/events and POST /lark/cards. Every request passes the verify middleware over the raw
 * body bytes first, then goes where the long connection's bodies go too (receiveLarkBody).
 */
export function larkRoutes(deps: Deps, handlers: InboundHandlers) {
  const app = new Hono<LarkVerified>();
  const verified = verifyLark(deps);
  app.post('/events', verified, async (c) => {
    const { body, style } = c.get('larkEnvelope');
    return c.json(await receiveLarkBody(deps, handlers, body, style, c.get('receivedAt')));
  });
  app.post('/cards', verified, async (c) => {
    const { body, style } = c.get('larkEnvelope');
    return c.json(await receiveLarkCardCallback(deps, handlers, body, style, c.get('receivedAt')));
  });
  return app;
}
