import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../src/deps.js';
import { verifyOaDelivery } from '../../src/items/intake/oa-signature.js';
import { AppError } from '../../src/platform/errors.js';

/** What the OA route sees once the delivery is verified: the raw body the signature covered. */
export type OaVerified = { Variables: { oaRawBody: string } };

/**
 * In front of POST /intake/oa: intake must be switched on (OA_WEBHOOK_SECRET set, else 403), and
 * the delivery signed with it over the raw body, its timestamp within the window (else 401).
 * Nothing is read or written before the signature holds.
 */
export function verifyOa(deps: Deps): MiddlewareHandler<OaVerified> {
  return async (c, next) => {
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
    c.set('oaRawBody', raw);
    await next();
  };
}
