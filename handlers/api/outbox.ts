import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { AppError } from '../../src/errors.js';
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
      let query = deps.database.db
        .selectFrom('outbox')
        .select([
          'id',
          'uuid',
          'operation',
          'receive_id_type',
          'receive_id',
          'message_id',
          'msg_type',
          'purpose',
          'item_ids',
          'status',
          'attempts',
          'created_at',
          'first_attempt_at',
          'next_attempt_at',
          'sent_at',
          'sent_message_id',
          'last_error',
        ])
        .orderBy('id', 'desc')
        .limit(q.limit);
      if (q.status) query = query.where('status', '=', q.status);
      const rows = await query.execute();
      return c.json({
        messages: rows.map((r) => ({
          id: String(r.id),
          uuid: r.uuid,
          operation: r.operation,
          receiveIdType: r.receive_id_type,
          receiveId: r.receive_id,
          messageId: r.message_id,
          msgType: r.msg_type,
          purpose: r.purpose,
          itemIds: r.item_ids,
          status: r.status,
          attempts: r.attempts,
          createdAt: r.created_at.toISOString(),
          firstAttemptAt: r.first_attempt_at?.toISOString() ?? null,
          nextAttemptAt: r.next_attempt_at.toISOString(),
          sentAt: r.sent_at?.toISOString() ?? null,
          sentMessageId: r.sent_message_id,
          error: r.last_error,
        })),
      });
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
    async (c) => {
      const id = pathParam(c, 'id');
      if (!/^\d{1,18}$/.test(id)) throw new AppError(404, 'not_found', `No outbox message ${id}.`);
      const now = deps.clock.now();
      const row = await deps.database.db
        .updateTable('outbox')
        .set({ status: 'pending', next_attempt_at: now, first_attempt_at: null, locked_until: null })
        .where('id', '=', id)
        .where('status', 'in', ['failed', 'flagged'])
        .returning(['id', 'status'])
        .executeTakeFirst();
      if (!row) {
        const exists = await deps.database.db
          .selectFrom('outbox')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirst();
        if (!exists) throw new AppError(404, 'not_found', `No outbox message ${id}.`);
        throw new AppError(
          409,
          'conflict',
          `Outbox message ${id} is ${exists.status}; only failed or flagged ones can be retried.`,
        );
      }
      deps.logger.info('outbox message requeued by an admin', { id });
      return c.json({ id: String(row.id), status: row.status });
    },
  );
  return app;
}
