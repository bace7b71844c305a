import { timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../../src/platform/errors.js';

/**
 * Bearer-token check for /api/v1. With no ADMIN_TOKEN configured the API refuses everyone:
 * an open admin API is never the default.
 */
export function requireAdminToken(adminToken: string | undefined) {
  const expected = adminToken ? Buffer.from(adminToken) : undefined;
  return createMiddleware(async (c, next) => {
    if (!expected) {
      throw new AppError(401, 'unauthorized', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = match?.[1] ? Buffer.from(match[1].trim()) : undefined;
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError(
        401,
        'unauthorized',
        'Missing or wrong bearer token: send "Authorization: Bearer <ADMIN_TOKEN>".',
      );
    }
    await next();
  });
}
