import { z } from 'zod';
import type { WorkCalendar } from './calendar.js';
import { addDays, weekdayOf } from './time.js';

/**
 * Recurring duties in working days (信息编报 日编日发, the weekly study session, 逐月通报…):
 *  - every working day;
 *  - every week on a weekday (1 = Monday), moved to the next working day when that day is off;
 *  - the first or last working day of each month;
 *  - the first or last working day of each quarter.
 * Each occurrence has a key (the date, '2026-W41', '2026-10', '2026-Q4') that is unique per duty,
 * and a deadline: n working days after the occurrence day, at a local time.
 */
export const recurrenceRuleSchema = z
  .object({
    every: z.enum(['workday', 'week', 'month', 'quarter']),
    weekday: z.number().int().min(1).max(7).optional(),
    which: z.enum(['first', 'last']).optional(),
    dueAfterWorkdays: z.number().int().min(0).max(60).default(0),
    dueAt: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time HH:mm such as 16:00')
      .default('18:00'),
  })
  .superRefine((r, ctx) => {
    if (r.every === 'week' && r.weekday === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['weekday'],
        message: 'required for every:"week" (1 = Monday … 7 = Sunday)',
      });
    if ((r.every === 'month' || r.every === 'quarter') && r.which === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['which'],
        message: `required for every:"${r.every}": "first" or "last"`,
      });
  });

export type RecurrenceRule = z.infer<typeof recurrenceRuleSchema>;

export interface Occurrence {
  /** Unique per duty: the same occurrence always has the same key. */
  key: string;
  /** The working day the occurrence belongs to. */
  date: string;
  /** The deadline's day and local time. */
  dueDate: string;
  dueTime: string;
}

/** Monday of the ISO week containing `date`, and the ISO week key ('2026-W41'). */
function isoWeek(date: string): { monday: string; key: string } {
  const wd = weekdayOf(date) || 7;
  const monday = addDays(date, 1 - wd);
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const jan4 = `${year}-01-04`;
  const week1Monday = addDays(jan4, 1 - (weekdayOf(jan4) || 7));
  const week = Math.round((Date.parse(monday) - Date.parse(week1Monday)) / (7 * 86_400_000)) + 1;
  return { monday, key: `${year}-W${String(week).padStart(2, '0')}` };
}

function firstOrLastWorkday(
  from: string,
  toExclusive: string,
  which: 'first' | 'last',
  cal: WorkCalendar,
): string {
  return which === 'first' ? cal.addWorkdays(from, 0) : cal.previousWorkday(toExclusive);
}

function monthStart(y: number, m: number): string {
  const yy = y + Math.floor((m - 1) / 12);
  const mm = ((m - 1) % 12) + 1;
  return `${yy}-${String(mm).padStart(2, '0')}-01`;
}

/** The occurrence that falls on `date`, or null. */
export function occurrenceOn(rule: RecurrenceRule, date: string, cal: WorkCalendar): Occurrence | null {
  if (!cal.isWorkday(date)) return null;
  const make = (key: string): Occurrence => ({
    key,
    date,
    dueDate: rule.dueAfterWorkdays === 0 ? date : cal.addWorkdays(date, rule.dueAfterWorkdays),
    dueTime: rule.dueAt,
  });
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  switch (rule.every) {
    case 'workday':
      return make(date);
    case 'week': {
      // This week's target day (moved forward when off), or last week's when it slipped into this one.
      for (const ref of [date, addDays(date, -7)]) {
        const { monday, key } = isoWeek(ref);
        const target = addDays(monday, (rule.weekday ?? 1) - 1);
        if (cal.addWorkdays(target, 0) === date) return make(key);
      }
      return null;
    }
    case 'month': {
      const day = firstOrLastWorkday(monthStart(y, m), monthStart(y, m + 1), rule.which ?? 'first', cal);
      return day === date ? make(date.slice(0, 7)) : null;
    }
    case 'quarter': {
      const q = Math.floor((m - 1) / 3);
      const day = firstOrLastWorkday(
        monthStart(y, q * 3 + 1),
        monthStart(y, q * 3 + 4),
        rule.which ?? 'first',
        cal,
      );
      return day === date ? make(`${y}-Q${q + 1}`) : null;
    }
  }
}

/** Every occurrence with its date in [from, to] (inclusive), in date order. */
export function occurrencesBetween(
  rule: RecurrenceRule,
  from: string,
  to: string,
  cal: WorkCalendar,
): Occurrence[] {
  const out: Occurrence[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const o = occurrenceOn(rule, d, cal);
    if (o) out.push(o);
  }
  return out;
}
