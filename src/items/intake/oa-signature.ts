import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../lark/crypto.js';

/** How far the OA's timestamp may be from our clock, either way. */
export const OA_WINDOW_SECONDS = 300;

/**
 * The signature of an OA delivery: `sha256=` and the hex HMAC-SHA256, keyed with
 * OA_WEBHOOK_SECRET, of `<timestamp>.<raw body>` (the timestamp is signed so a captured request
 * cannot be replayed later under a fresh one).
 */
export function oaSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`;
}

export type OaVerdict = { ok: true } | { ok: false; reason: string };

/** Checks the timestamp window and the signature (compared in constant time). */
export function verifyOaDelivery(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
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
  if (!constantTimeEqual(signature.trim().toLowerCase(), oaSignature(secret, timestamp, rawBody)))
    return { ok: false, reason: 'X-OA-Signature: does not match the body' };
  return { ok: true };
}
