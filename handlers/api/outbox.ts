import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { listOutboxMessages, retryOutboxMessage } from '../../src/lark/outbox/admin.js';
import { validate } from './body.js';
import { apiApp, pathParam, route } from './openapi.js';

const querySchema = z.object({
  status: z.enum(['pending', 'sending', 'sent', 'failed', 'flagged']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const idParams = z.object({ id: z.string().meta({ description: 'The outbox message id.' }) });

/**
 * GET /api/v1/outbox?status=failed|flagged|pending|sent&limit= — the outgoing messages, newest
 * first, without their contents. POST /api/v1/outbox/:id/retry puts a failed or flagged one
 * back in the queue (an admin's decision: a flagged one may already have arrived).
 */
export function outboxRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'outbox';
  route(
    app,
    {
      method: 'get',
      path: '/outbox',
      tag,
      summary: 'Outgoing messages, newest first, without their contents',
      query: querySchema,
      ok: { description: '`{messages}`' },
    },
    async (c) => {
      const q = validate(querySchema, c.req.query());
      return c.json({ messages: await listOutboxMessages(deps, q) });
    },
  );
  route(
    app,
    {
      method: 'post',
      path: '/outbox/{id}/retry',
      tag,
      summary: 'Put a failed or flagged message back in the queue',
      description: 'An admin decision: a flagged message may already have arrived once.',
      params: idParams,
      ok: { description: '`{id, status}`' },
      errors: [404, 409],
    },
    async (c) => c.json(await retryOutboxMessage(deps, pathParam(c, 'id'))),
  );
  return app;
}
