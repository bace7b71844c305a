import { Hono } from 'hono';
import type { Deps } from '../../src/deps.js';
import { toZonedIso } from '../../src/domain/time.js';
import { bodyHash, createItemOnce } from '../../src/items/intake/intake.js';
import { lightNow } from '../../src/items/items.js';
import { readBody } from '../api/body.js';
import { idempotencyKeyOf } from '../api/idempotency.js';
import { createSchema } from '../api/items.js';
import { type OaVerified, verifyOa } from './verify-oa.js';

/**
 * POST /intake/oa: documents and tasks registered in the OA or document-exchange system arrive
 * by themselves. The body is the same as POST /api/v1/items; the request is signed (checked by
 * the verifyOa middleware, verify-oa.ts). Nothing is read or written before the signature holds.
 */
export function oaIntakeRoutes(deps: Deps) {
  const app = new Hono<OaVerified>();
  app.post('/oa', verifyOa(deps), async (c) => {
    const raw = c.get('oaRawBody');
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
