import type { Context } from 'hono';
import { bodyHash, type IdempotencyKey, type IntakeScope } from '../../src/items/intake/intake.js';
import { AppError } from '../../src/platform/errors.js';

const KEY_SHAPE = /^[\x21-\x7e]{1,200}$/;

/**
 * The request's Idempotency-Key with the hash of its raw body, or null when none was sent.
 * A key is 1–200 visible ASCII characters (a UUID is typical); anything else is a 400.
 */
export async function idempotencyKeyOf(c: Context, scope: IntakeScope): Promise<IdempotencyKey | null> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return null;
  if (!KEY_SHAPE.test(key)) {
    throw new AppError(
      400,
      'invalid_header',
      'Idempotency-Key: expected 1–200 visible ASCII characters, e.g. a UUID',
      { field: 'Idempotency-Key' },
    );
  }
  return { scope, key, bodyHash: bodyHash(await c.req.text()) };
}
