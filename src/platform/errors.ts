import type { z } from 'zod';

/**
 * An error meant for the person who made the request: an HTTP status, a stable code, and a
 * message they can act on. Anything else that reaches the error handler is a 500 with no details.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) =>
  new AppError(400, 'bad_request', message, details);
export const notFound = (message: string, details?: unknown) =>
  new AppError(404, 'not_found', message, details);
export const conflict = (message: string, details?: unknown) =>
  new AppError(409, 'conflict', message, details);
export const unprocessable = (message: string, details?: unknown) =>
  new AppError(422, 'unprocessable', message, details);
export const forbidden = (message: string, details?: unknown) =>
  new AppError(403, 'forbidden', message, details);

/** A 422 naming each invalid field and what is wrong with it (the first one in the message). */
export function invalidFields(error: z.ZodError): AppError {
  const details = error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  const first = details[0] ?? { field: '(body)', message: 'invalid' };
  return new AppError(422, 'invalid_field', `${first.field}: ${first.message}`, details);
}
