import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { listOutboxMessages, retryOutboxMessage } from '../../src/services/outbox-admin.js';
import { validate } from './body.js';

const querySchema = z.object({
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'flagged']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * GET /api/v1/outbox?status=failed|flagged|pending|sent&limit= — the outgoing messages, newest
 * first, without their contents. POST /api/v1/outbox/:id/retry puts a failed or flagged one
 * back in the queue (an admin's decision: a flagged one may already have arrived).
 */
export function outboxRoutes(deps: Deps) {
  const app = new Hono();
  app.get('/outbox', async (c) => {
    const q = validate(querySchema, c.req.query());
    return c.json({ messages: await listOutboxMessages(deps, q) });
  });
  app.post('/outbox/:id/retry', async (c) => c.json(await retryOutboxMessage(deps, c.req.param('id'))));
  return app;
}
