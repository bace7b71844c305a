import type { WorkCalendar } from './calendar.js';
import { addDays, atLocal, localDate } from './time.js';

/**
 * The figures chiefs and leaders read — in the daily digest, the 通报, the department scores and
 * the summary report. Each is defined once here; the repositories count them in SQL over the
 * instants computed below, so the four always agree.
 *
 * An item counts for the department in its `dept` (a task's lead unit). Cancelled items count
 * for nothing. "On time" means closed no later than the deadline in force when it was closed
 * (after any approved extension); an item without a deadline is on time when closed.
 */

/** A half-open period [from, to) of instants. */
export interface Period {
  from: Date;
  to: Date;
}

/** Open items as of an instant, by light (the same rule as lightOf), and those due later today. */
export interface OpenCounts {
  red: number;
  yellow: number;
  green: number;
  /** 今日到期: open, deadline later today (not yet passed). */
  dueToday: number;
}

/** What was closed in a period (by closing time): 办结 and 按时办结. */
export interface ClosedCounts {
  closed: number;
  closedOnTime: number;
}

/** 应办结: items whose deadline fell in a period, and of those, closed (on time) by its end. */
export interface DueCounts {
  due: number;
  dueDone: number;
  dueDoneOnTime: number;
}

export const emptyOpen = (): OpenCounts => ({ red: 0, yellow: 0, green: 0, dueToday: 0 });
export const emptyClosed = (): ClosedCounts => ({ closed: 0, closedOnTime: 0 });
export const emptyDue = (): DueCounts => ({ due: 0, dueDone: 0, dueDoneOnTime: 0 });

/** Adds counts of the same shape (departments into the office's totals). */
export function sumCounts<T extends object>(rows: T[], empty: () => T): T {
  const total = empty() as Record<string, number>;
  for (const r of rows)
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number') total[k] = (total[k] ?? 0) + v;
  return total as T;
}

export const openTotal = (c: OpenCounts): number => c.red + c.yellow + c.green;

/** A rate in [0, 1], or null when there is nothing to divide by (shown as —). */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** 办结率: of the items due in a period, the share closed by its end. */
export const completionRate = (c: DueCounts): number | null => rate(c.dueDone, c.due);
/** 按时办结率: of the items due in a period, the share closed by their deadline. */
export const onTimeRate = (c: DueCounts): number | null => rate(c.dueDoneOnTime, c.due);

/** '85.7%' (one decimal, trailing .0 dropped), '—' for no rate. */
export function percentText(r: number | null): string {
  if (r === null) return '—';
  const v = Math.round(r * 1000) / 10;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

/**
 * The instants that split open items by light as of `now`: red before `now`; yellow before the
 * start of the (yellowWithinWorkdays + 1)-th working day after today (so at most that many
 * working days are left, as in lightOf); green from then on or without a deadline.
 */
export function lightBounds(
  now: Date,
  calendar: WorkCalendar,
  yellowWithinWorkdays: number,
  timeZone: string,
): { redBefore: Date; yellowBefore: Date } {
  let day = localDate(now, timeZone);
  for (let i = 0; i <= yellowWithinWorkdays; i++) day = calendar.nextWorkday(day);
  return { redBefore: now, yellowBefore: atLocal(day, '00:00', timeZone) };
}

/** Today as a period in the office's time zone. */
export function dayPeriod(date: string, timeZone: string): Period {
  return { from: atLocal(date, '00:00', timeZone), to: atLocal(addDays(date, 1), '00:00', timeZone) };
}

/** The n calendar days before today: [today − n 00:00, today 00:00). */
export function lastDays(now: Date, n: number, timeZone: string): Period {
  const today = localDate(now, timeZone);
  return { from: atLocal(addDays(today, -n), '00:00', timeZone), to: atLocal(today, '00:00', timeZone) };
}

/**
 * 上一工作日: from the start of the previous working day to the start of today, so a Monday
 * digest counts Friday and the weekend.
 */
export function sincePreviousWorkday(now: Date, calendar: WorkCalendar, timeZone: string): Period {
  const today = localDate(now, timeZone);
  return {
    from: atLocal(calendar.previousWorkday(today), '00:00', timeZone),
    to: atLocal(today, '00:00', timeZone),
  };
}

/**
 * For counting working days in SQL: every calendar day from `from` to `to` (inclusive) with the
 * number of working days up to and including it. Working days in (a, b] = ord(b) − ord(a).
 */
export function workdayOrdinals(
  calendar: WorkCalendar,
  from: string,
  to: string,
): { days: string[]; ordinals: number[] } {
  const days: string[] = [];
  const ordinals: number[] = [];
  let n = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (calendar.isWorkday(d)) n++;
    days.push(d);
    ordinals.push(n);
  }
  return { days, ordinals };
}

/** Every calendar day of a period's local dates, oldest first ('YYYY-MM-DD'). */
export function daysOf(period: Period, timeZone: string): string[] {
  const out: string[] = [];
  const last = localDate(new Date(period.to.getTime() - 1), timeZone);
  for (let d = localDate(period.from, timeZone); d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}
