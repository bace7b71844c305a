import { ZodError, type z } from 'zod';
import { DateOutOfRangeError } from '../domain/time.js';

/**
 * The one error shape of every HTTP answer (docs/errors.md): `{"error":{"code","message","details?"}}`,
 * where `details`, when present, is always a list of problems, one per field (or file cell).
 */
export interface ErrorDetail {
  /** The field, query parameter, path segment or header at fault (`dueAt`, `roles.0`, `Idempotency-Key`). */
  field: string;
  /** What is wrong with it; for a refused action, the sentence the person would read in chat. */
  message: string;
  /** A file's row as the user sees it (header = row 1). */
  row?: number;
  /** A file's column, by its header name. */
  column?: string;
  /** For a 409 on a duplicate: the id of the record that already exists (D-12, T-7). */
  id?: string;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/**
 * An error meant for the person who made the request: an HTTP status, a stable code, and a
 * message they can act on. Anything else that reaches the error handler is a 500 with no details.
 */
export class AppError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The most characters of a user's value an error message repeats. */
export const MAX_ECHO = 100;

/** Text cut to `max` characters (by code point), ending in `…` when cut. */
export function clip(text: string, max = MAX_ECHO): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A user's value as an error message quotes it: JSON-quoted, at most ~100 characters. */
export function echo(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(clip(value));
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clip(text);
}

export const notFound = (message: string, details?: ErrorDetail[]) =>
  new AppError(404, 'not_found', message, details);
export const conflict = (message: string, details?: ErrorDetail[]) =>
  new AppError(409, 'conflict', message, details);
export const forbidden = (message: string, details?: ErrorDetail[]) =>
  new AppError(403, 'forbidden', message, details);

/** The 422 of one invalid field (body, query, path or header): `<field>: <message>`. */
export function invalidField(field: string, message: string): AppError {
  return new AppError(422, 'invalid_field', `${field}: ${message}`, [{ field, message }]);
}

/** A 422 naming each invalid field and what is wrong with it (the first one in the message). */
export function invalidFields(error: z.ZodError): AppError {
  const details = error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  const first = details[0] ?? { field: '(body)', message: 'invalid' };
  return new AppError(422, 'invalid_field', `${first.field}: ${first.message}`, details);
}

/** The body of a request that is not JSON (or not the JSON object needed). */
export function invalidJson(message = 'The request body is not valid JSON.'): AppError {
  return new AppError(400, 'invalid_json', message);
}

const MAX_MESSAGE = 500;
const MAX_DETAILS = 200;

export interface ErrorAnswer {
  status: ErrorStatus;
  body: { error: { code: string; message: string; details?: ErrorDetail[] } };
}

/**
 * The central mapping of a thrown error to its answer, or null for an unexpected one (a 500):
 * an AppError as it says, a ZodError and a date out of the service's years as 422 invalid_field.
 * Every message and detail is cut so no error repeats a long value back (docs/errors.md).
 */
export function errorAnswer(err: unknown): ErrorAnswer | null {
  let e: AppError;
  if (err instanceof AppError) e = err;
  else if (err instanceof ZodError) e = invalidFields(err);
  else if (err instanceof DateOutOfRangeError) e = invalidField('(date)', err.message);
  else return null;
  return { status: e.status, body: errorBody(e.code, e.message, e.details) };
}

/** The error envelope, with message and details cut to size. */
export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorAnswer['body'] {
  const shown = details?.slice(0, MAX_DETAILS).map((d) => ({
    ...d,
    field: clip(d.field, MAX_ECHO),
    message: clip(d.message, MAX_MESSAGE),
    ...(d.column === undefined ? {} : { column: clip(d.column, MAX_ECHO) }),
  }));
  return {
    error: {
      code,
      message: clip(message, MAX_MESSAGE),
      ...(shown === undefined || shown.length === 0 ? {} : { details: shown }),
    },
  };
}
