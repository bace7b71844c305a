import { Hono } from 'hono';
import type { Deps } from '../../src/deps.js';
import { toZonedIso } from '../../src/domain/time.js';
import { bodyHash, createItemOnce } from '../../src/items/intake/intake.js';
import { verifyOaDelivery } from '../../src/items/intake/oa-signature.js';
import { lightNow } from '../../src/items/items.js';
import { AppError } from '../../src/platform/errors.js';
import { readBody } from '../api/body.js';
import { idempotencyKeyOf } from '../api/idempotency.js';
import { createSchema } from '../api/items.js';

/**
 * POST /intake/oa: documents and tasks registered in the OA or document-exchange system arrive
 * by themselves. The body is the same as POST /api/v1/items; the request is signed (see
 * oa-signature.ts). Nothing is read or written before the signature holds.
 */
export function oaIntakeRoutes(deps: Deps) {
  const app = new Hono();
  app.post('/oa', async (c) => {
    const secret = deps.config.oaWebhookSecret;
    if (!secret) {
      throw new AppError(
        403,
        'oa_intake_off',
        'OA intake is switched off: set OA_WEBHOOK_SECRET on the server to accept signed deliveries.',
      );
    }
    const raw = await c.req.text();
    const verdict = verifyOaDelivery(
      secret,
      { timestamp: c.req.header('x-oa-timestamp'), signature: c.req.header('x-oa-signature') },
      raw,
      deps.clock.now(),
    );
    if (!verdict.ok) throw new AppError(401, 'invalid_signature', verdict.reason);
    const { createdBy, ...input } = await readBody(c, createSchema);
    // Without an Idempotency-Key the body itself is the key: a re-delivery creates nothing.
    const key = (await idempotencyKeyOf(c, 'oa')) ?? {
      scope: 'oa',
      key: bodyHash(raw),
      bodyHash: bodyHash(raw),
    };
    const { item, replayed } = await createItemOnce(deps, input, createdBy ?? 'oa', key);
    const dueAt = item.dueAt ? toZonedIso(item.dueAt, deps.config.timezone) : null;
    const light = await lightNow(deps, item);
    return c.json({ id: item.id, status: item.status, dueAt, light, replayed }, replayed ? 200 : 201);
  });
  return app;
}
