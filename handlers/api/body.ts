import type { Context } from 'hono';
import type { z } from 'zod';
import { isValidDate } from '../../src/domain/time.js';
import { AppError, invalidFields } from '../../src/errors.js';

/**
 * Reads a JSON body and validates it: malformed JSON is a 400 that says so, a body that does not
 * fit the schema is a 422 naming each field and what is wrong with it.
 */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    const text = await c.req.text();
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
  return validate(schema, raw);
}

export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalidFields(parsed.error);
  return parsed.data;
}

/** A calendar-day parameter: a real date as YYYY-MM-DD (2026-02-30 is refused), else a 400 naming it. */
export function requireDate(value: string | undefined, name: string): string {
  if (value === undefined || !isValidDate(value)) {
    throw new AppError(
      400,
      'invalid_date',
      `${name}: expected a real date as YYYY-MM-DD, got ${JSON.stringify(value ?? '')}`,
    );
  }
  return value;
}
