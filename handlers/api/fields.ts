import { z } from 'zod';
import { hasSurroundingSpace, isBlank, textProblem } from '../../src/domain/text.js';
import {
  FIRST_YEAR,
  isDayInWindow,
  isInstantInWindow,
  isValidDate,
  LAST_YEAR,
} from '../../src/domain/time.js';

/**
 * The field builders every admin API route uses (plain zod): text that can be stored, ids, days,
 * instants and local times within the service's years. Each failure names what is wrong; the
 * route's 422 names the field (see invalidFields in src/platform/errors.ts).
 */

const storable = (s: string) => textProblem(s) === null;
const storableMessage = (s: unknown) => (typeof s === 'string' ? (textProblem(s) ?? 'invalid') : 'invalid');

/**
 * Free text (a title, a note, a reason): trimmed, no NUL or control characters (tab and line breaks
 * are fine), at most `max` characters; `required` refuses text that shows nothing (only spaces or
 * zero-width characters).
 */
export function text(o: { max: number; required?: boolean }) {
  const base = z
    .string({ error: 'expected text' })
    .refine(storable, { error: (iss) => storableMessage(iss.input) })
    .transform((s) => s.trim())
    .pipe(z.string().max(o.max, `at most ${o.max} characters`));
  // maxLength documents the limit in the OpenAPI document (the check is the pipe's max above).
  return o.required === false
    ? base.meta({ maxLength: o.max })
    : base
        .refine((s) => !isBlank(s), 'required (text that shows something, not only spaces)')
        .meta({ maxLength: o.max, minLength: 1 });
}

/**
 * An identifier given by someone else (a Lark open_id or chat_id, a request id): 1–`max` visible
 * characters, no spaces or control characters anywhere. Never trimmed: " ou_1 " is refused, so
 * the same path never reads one record and writes another.
 */
export function id(o: { max?: number; what?: string } = {}) {
  const max = o.max ?? 100;
  const what = o.what ?? 'an id';
  return z
    .string({ error: `expected ${what}` })
    .min(1, `expected ${what}`)
    .max(max, `at most ${max} characters`)
    .refine(storable, { error: (iss) => storableMessage(iss.input) })
    .refine((s) => !hasSurroundingSpace(s), 'no spaces before or after')
    .refine((s) => !/[\s\u200B-\u200F\u2060-\u206F\uFEFF]/u.test(s), `expected ${what} without spaces`);
}

/** A Lark open_id (ou_…): the key of a person. */
export const openId = () => id({ what: 'a Lark open_id' });
/** A Lark chat_id (oc_…). */
export const chatId = () => id({ what: 'a Lark chat_id' });

/** A department code: 1–32 letters, digits, "-" or "_" (e.g. mishu1). */
export const deptCode = () =>
  z
    .string({ error: 'expected a department code' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'use 1–32 letters, digits, "-" or "_" (e.g. mishu1)');

/** An item id as typed (D-12, M-3, T-7; d12 is accepted and normalised by the services). */
export const itemRef = () => id({ max: 20, what: 'an item id such as T-7' });

const windowMessage = `outside the years ${FIRST_YEAR}–${LAST_YEAR}`;

/** A calendar day 'YYYY-MM-DD': a real date (2026-02-30 is refused) within the service's years. */
export const day = () =>
  z
    .string({ error: 'expected a date as YYYY-MM-DD' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
    .refine(isDayInWindow, windowMessage)
    .refine(isValidDate, 'expected a real date as YYYY-MM-DD');

/** An instant: ISO 8601 with an offset, within the service's years; parsed to a Date. */
export const instant = () =>
  z.iso
    .datetime({ offset: true, error: 'expected ISO 8601 with offset, e.g. 2026-11-24T18:00:00+08:00' })
    .refine((s) => isInstantInWindow(new Date(s)), windowMessage)
    .transform((s) => new Date(s));

/** The same instant kept as the string given (for bodies passed on unparsed). */
export const instantText = () =>
  z.iso
    .datetime({ offset: true, error: 'expected ISO 8601 with offset, e.g. 2026-11-24T18:00:00+08:00' })
    .refine((s) => isInstantInWindow(new Date(s)), windowMessage);

/** A local time of day 'HH:mm'. */
export const hhmm = () =>
  z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:mm, e.g. 09:00');

/** null or absent. */
export const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

/** A query parameter that is a free filter value (an open_id, a code): as id(), at most 200 characters. */
export const queryValue = () => id({ max: 200, what: 'a value' });
