import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../src/deps.js';
import { verifyLarkRequest } from '../../src/lark/verify.js';

/** A Lark body once verified: decrypted, its signature and token checked. */
export interface LarkEnvelope {
  body: Record<string, unknown>;
  style: '2.0' | 'v1';
}

/** What the Lark routes see once the request is verified. */
export type LarkVerified = { Variables: { larkEnvelope: LarkEnvelope; receivedAt: number } };

/**
 * The one verification step in front of the Lark routes (src/lark/verify.ts does the checking):
 * over the raw body bytes, decryption, the signature and its timestamp, the Verification Token.
 * A refusal is a 400/401/403 before the route runs; a URL verification is answered here with its
 * challenge; anything else goes on to the route as the parsed envelope (`c.get('larkEnvelope')`).
 */
export function verifyLark(deps: Deps): MiddlewareHandler<LarkVerified> {
  return async (c, next) => {
    // Lark's 3 s count from when it sent the request: the answer budget counts from arrival.
    const receivedAt = performance.now();
    const verified = verifyLarkRequest(
      deps.config.lark,
      {
        rawBody: new Uint8Array(await c.req.arrayBuffer()),
        header: (name) => c.req.header(name),
        now: deps.clock.now(),
        path: c.req.path,
      },
      deps.logger,
    );
    if (verified.kind === 'challenge') return c.json({ challenge: verified.challenge });
    c.set('larkEnvelope', { body: verified.body, style: verified.style });
    c.set('receivedAt', receivedAt);
    await next();
  };
}
