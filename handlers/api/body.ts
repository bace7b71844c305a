import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { textProblem } from '../../src/domain/text.js';
import { FIRST_YEAR, isDayInWindow, isValidDate, LAST_YEAR } from '../../src/domain/time.js';
import { AppError, invalidFields } from '../../src/platform/errors.js';
import { parseJsonBody } from '../../src/platform/json.js';

/**
 * Reads a JSON body and validates it: a body that is not JSON (by Content-Type) is a 415,
 * malformed or over-deep JSON a 400 `invalid_json` that says so, text that cannot be stored (NUL, control characters) and a
 * body that does not fit the schema a 422 naming each field and what is wrong with it.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  if (text.trim() !== '') requireJsonContentType(c.req.header('content-type'));
  const raw = text.trim() === '' ? {} : parseJsonBody(text);
  refuseUnstorableText(raw);
  return validate(schema, raw);
}

function requireJsonContentType(header: string | undefined): void {
  const type = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return;
  throw new AppError(
    415,
    'unsupported_media_type',
    `Content-Type: expected application/json, got ${JSON.stringify(header ?? '')}.`,
    [{ field: 'Content-Type', message: 'expected application/json' }],
  );
}

/**
 * Every string (and key) anywhere in a body must be storable; the first one that is not is named.
 * Walked with a list of what is left to visit, not by recursion, so no nesting reaches the stack.
 */
function refuseUnstorableText(body: unknown): void {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) throw fieldError(path.join('.') || '(body)', problem);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], path: [...path, i] });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [k] of entries) {
        const keyProblem = textProblem(k);
        if (keyProblem) throw fieldError([...path, JSON.stringify(k)].join('.'), `field name ${keyProblem}`);
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i]!;
        pending.push({ value: v, path: [...path, k] });
      }
    }
  }
}

function fieldError(field: string, message: string): AppError {
  return new AppError(422, 'invalid_field', `${field}: ${message}`, [{ field, message }]);
}

export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidFields(parsed.error);
  return parsed.data;
}

/** A path parameter checked by a field builder; a bad one is a 422 naming it. */
export function param<S extends z.ZodType>(c: Context, name: string, schema: S): z.infer<S> {
  return validate(z.object({ [name]: schema }), { [name]: c.req.param(name) })[name] as z.infer<S>;
}

/** A calendar-day parameter: a real date as YYYY-MM-DD (2026-02-30 is refused), else a 400 naming it. */
export function requireDate(value: string | undefined, name: string): string {
  if (value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) && !isDayInWindow(value)) {
    throw fieldError(name, `outside the years ${FIRST_YEAR}–${LAST_YEAR}`);
  }
  if (value === undefined || !isValidDate(value)) {
    throw new AppError(
      400,
      'invalid_date',
      `${name}: expected a real date as YYYY-MM-DD, got ${JSON.stringify(value ?? '')}`,
      [{ field: name, message: 'expected a real date as YYYY-MM-DD' }],
    );
  }
  return value;
}

/**
 * Before any route: every query parameter and every path segment must be storable text, so a NUL
 * in `?dept=` or in `/people/ou_%00x` is a 422 naming it rather than a database error.
 */
export function guardRequestText(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    for (const [key, value] of url.searchParams) {
      const problem = textProblem(key) ?? textProblem(value);
      if (problem) throw fieldError(textProblem(key) ? '(query)' : key, problem);
    }
    for (const segment of url.pathname.split('/')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw fieldError('(path)', 'not valid percent-encoding');
      }
      const problem = textProblem(decoded);
      if (problem) throw fieldError('(path)', problem);
    }
    await next();
  };
}
