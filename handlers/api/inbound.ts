import { Hono } from 'hono';
import { z } from 'zod';
import type { InboundEventRow } from '../../src/db/repos/inbound-events.js';
import type { Deps } from '../../src/deps.js';
import { inboundEventsForAdmin, retryInboundEvent } from '../../src/services/inbound-admin.js';
import { param, validate } from './body.js';
import * as F from './fields.js';

const querySchema = z
  .object({
    status: z.enum(['pending', 'processing', 'done', 'failed']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

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
  const app = new Hono();
  app.get('/inbound', async (c) => {
    const q = validate(querySchema, c.req.query());
    return c.json({ events: (await inboundEventsForAdmin(deps, q)).map(show) });
  });
  app.post('/inbound/:id/retry', async (c) => {
    const id = param(c, 'id', F.id({ max: 200, what: 'a stored event id' }));
    return c.json(show(await retryInboundEvent(deps, id)));
  });
  return app;
}
