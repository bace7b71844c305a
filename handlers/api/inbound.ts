import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import {
  type InboundEventRow,
  inboundEventsForAdmin,
  retryInboundEvent,
} from '../../src/lark/inbound/admin.js';
import { param, validate } from './body.js';
import * as F from './fields.js';
import { apiApp, route } from './openapi.js';

const querySchema = z
  .object({
    status: z.enum(['pending', 'processing', 'done', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
const eventId = F.id({ max: 200, what: 'a stored event id' });
const idParams = z.object({ id: eventId.meta({ description: 'The Lark event id.' }) });

const show = (r: InboundEventRow) => ({
  id: r.event_id,
  type: r.event_type,
  status: r.status,
  attempts: r.attempts,
  receivedAt: r.received_at.toISOString(),
  nextAttemptAt: r.next_attempt_at.toISOString(),
  processedAt: r.processed_at?.toISOString() ?? null,
  error: r.last_error,
});

/**
 * GET /inbound?status=failed&limit= — stored Lark events (without their contents), newest first.
 * POST /inbound/:id/retry — puts one that failed after its retries back in the queue.
 */
export function inboundRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'inbound';
  route(
    app,
    {
      method: 'get',
      path: '/inbound',
      tag,
      summary: 'Stored Lark events, newest first, without their contents',
      query: querySchema,
      ok: { description: '`{events}`' },
    },
    async (c) => {
      const q = validate(querySchema, c.req.query());
      return c.json({ events: (await inboundEventsForAdmin(deps, q)).map(show) });
    },
  );
  route(
    app,
    {
      method: 'post',
      path: '/inbound/{id}/retry',
      tag,
      summary: 'Put an event that failed after its retries back in the queue',
      params: idParams,
      ok: { description: 'The event.' },
      errors: [404, 409],
    },
    async (c) => {
      const id = param(c, 'id', eventId);
      return c.json(show(await retryInboundEvent(deps, id)));
    },
  );
  return app;
}
