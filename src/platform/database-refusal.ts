import { AppError } from './errors.js';

/**
 * A database that refuses work for lack of resources is not the caller's fault and not a bug:
 * Postgres answers SQLSTATE class 53 (53100 disk_full, 53200 out_of_memory, 53300
 * too_many_connections, 53400 configuration_limit_exceeded), and so does PGlite, which is
 * Postgres, when its files cannot grow ("could not extend file …: No space left on device"). The
 * transaction is rolled back, so nothing was written; the request can be repeated once the
 * operator has freed space. This maps such an error to a 503 that says so (Lark and the OA system
 * deliver again on a 5xx), and anything else to null.
 */
export function databaseRefusal(error: unknown): AppError | null {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const message = e instanceof Error ? e.message : '';
    if (code === '53100' || /No space left on device|ENOSPC/.test(message))
      return new AppError(
        503,
        'database_full',
        'The database cannot write: its disk is full. Nothing was saved; send the request again once an operator has freed disk space.',
      );
    if (typeof code === 'string' && /^53[0-9A-Z]{3}$/.test(code))
      return new AppError(
        503,
        'database_overloaded',
        `The database refused the request for lack of resources (SQLSTATE ${code}). Nothing was saved; send it again shortly.`,
      );
  }
  return null;
}
