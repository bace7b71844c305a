import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../lark/crypto.js';

/** How far the OA's timestamp may be from our clock, either way. */
export const OA_WINDOW_SECONDS = 300;

/**
 * The text an OA delivery signs: its timestamp, its Idempotency-Key (empty when none is sent) and
 * its raw body, joined by line feeds — `<X-OA-Timestamp>\n<Idempotency-Key>\n<raw body>`. The
 * timestamp is signed so a captured request cannot be sent again later under a fresh one; the key
 * so it cannot be sent again under a new key (which would create the item again). docs/intake.md.
 */
export function oaSignedText(timestamp: string, idempotencyKey: string | undefined, rawBody: string): string {
  return `${timestamp}\n${idempotencyKey ?? ''}\n${rawBody}`;
}

/** `sha256=` and the hex HMAC-SHA256, keyed with OA_WEBHOOK_SECRET, of oaSignedText(). */
export function oaSignature(
  secret: string,
  timestamp: string,
  idempotencyKey: string | undefined,
  rawBody: string,
): string {
  const mac = createHmac('sha256', secret).update(oaSignedText(timestamp, idempotencyKey, rawBody), 'utf8');
  return `sha256=${mac.digest('hex')}`;
}

export type OaVerdict = { ok: true; signature: string } | { ok: false; reason: string };

/**
 * Checks the timestamp window and the signature (compared in constant time). A good one is
 * answered with the signature as computed, which the creation stores: the same signed delivery
 * is taken once (a replay within the window is refused there).
 */
export function verifyOaDelivery(
  secret: string,
  headers: {
    timestamp: string | undefined;
    signature: string | undefined;
    idempotencyKey: string | undefined;
  },
  rawBody: string,
  now: Date,
): OaVerdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: 'X-OA-Timestamp: expected Unix seconds' };
  if (!signature) return { ok: false, reason: 'X-OA-Signature: missing' };
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > OA_WINDOW_SECONDS)
    return {
      ok: false,
      reason: `X-OA-Timestamp: more than ${OA_WINDOW_SECONDS} seconds from the server's clock`,
    };
  const expected = oaSignature(secret, timestamp, headers.idempotencyKey, rawBody);
  if (!constantTimeEqual(signature.trim().toLowerCase(), expected))
    return {
      ok: false,
      reason:
        'X-OA-Signature: does not match; sign "<X-OA-Timestamp>\\n<Idempotency-Key>\\n<raw body>" (docs/intake.md)',
    };
  return { ok: true, signature: expected };
}
