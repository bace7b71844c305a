import chineseDays from 'chinese-days';
import { addDays, DateOutOfRangeError, isDayInWindow, isValidDate, weekdayOf } from './time.js';

/**
 * The office's working-day calendar: the Chinese official calendar (statutory holidays off,
 * adjusted working Saturdays/Sundays on) from `chinese-days`, with admin overrides on top.
 * A year the package has no official data for falls back to Monday–Friday; callers can ask
 * `hasOfficialData(year)` so the fall-back is reported, never silent. Dates are 'YYYY-MM-DD'.
 */
export interface WorkCalendar {
  isWorkday(date: string): boolean;
  /** n-th working day after date (n>=1), or date itself/next working day for n=0; n<0 goes back. */
  addWorkdays(date: string, n: number): string;
  /** working days strictly after from, up to and including to; negative when to < from */
  workdaysBetween(from: string, to: string): number;
  hasOfficialData(year: number): boolean;
  /** The first working day strictly after date. */
  nextWorkday(date: string): string;
  /** The last working day strictly before date. */
  previousWorkday(date: string): string;
  /** Where a day's status comes from, for the admin API and /healthz. */
  sourceOf(date: string): 'override' | 'official' | 'fallback';
}

/** Enough days to cross any run of holidays; a loop that goes further means the overrides are absurd. */
const MAX_SCAN_DAYS = 3660;

const officialYears = new Map<number, boolean>();

/**
 * Whether `chinese-days` knows the official holidays of a year. The package answers every date
 * (unknown years as plain weekends), so the test is whether it lists any statutory holiday on a
 * weekday in that year — every published year has at least New Year's Day or Spring Festival ones.
 */
export function hasOfficialData(year: number): boolean {
  let known = officialYears.get(year);
  if (known === undefined) {
    known = chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
    officialYears.set(year, known);
  }
  return known;
}

/** A real 'YYYY-MM-DD' day in the service's years; out of them a DateOutOfRangeError (handlers: 422). */
function assertDate(date: string): void {
  if (!isValidDate(date)) {
    if (/^[+-]\d{6}-/.test(date)) throw new DateOutOfRangeError(date);
    throw new RangeError(`not a calendar date: ${date}`);
  }
  if (!isDayInWindow(date)) throw new DateOutOfRangeError(date);
}

export function createWorkCalendar(overrides: Map<string, boolean> = new Map()): WorkCalendar {
  const cache = new Map<string, boolean>();

  function isWorkday(date: string): boolean {
    const override = overrides.get(date);
    if (override !== undefined) return override;
    let work = cache.get(date);
    if (work === undefined) {
      assertDate(date);
      const year = Number(date.slice(0, 4));
      if (hasOfficialData(year)) {
        work = chineseDays.isWorkday(date);
      } else {
        const wd = weekdayOf(date);
        work = wd >= 1 && wd <= 5;
      }
      cache.set(date, work);
    }
    return work;
  }

  function step(date: string, direction: 1 | -1): string {
    let d = date;
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      d = addDays(d, direction);
      if (isWorkday(d)) return d;
    }
    throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days of ${date}`);
  }

  const nextWorkday = (date: string) => step(date, 1);
  const previousWorkday = (date: string) => step(date, -1);

  function addWorkdays(date: string, n: number): string {
    assertDate(date);
    if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number: ${n}`);
    if (n === 0) return isWorkday(date) ? date : nextWorkday(date);
    let d = date;
    for (let i = 0; i < Math.abs(n); i++) d = n > 0 ? nextWorkday(d) : previousWorkday(d);
    return d;
  }

  // A calendar lives as long as its overrides (a process keeps one, src/settings/reference-data.ts):
  // the counts cards and lights ask for again and again are kept, up to a bound.
  const between = new Map<string, number>();
  function workdaysBetween(from: string, to: string): number {
    const key = `${from}|${to}`;
    const known = between.get(key);
    if (known !== undefined) return known;
    assertDate(from);
    assertDate(to);
    let count = 0;
    if (to < from) count = -workdaysBetween(to, from);
    else {
      let d = from;
      while (d < to) {
        d = addDays(d, 1);
        if (isWorkday(d)) count++;
      }
    }
    if (between.size >= 10_000) between.clear();
    between.set(key, count);
    return count;
  }

  function sourceOf(date: string): 'override' | 'official' | 'fallback' {
    if (overrides.has(date)) return 'override';
    return hasOfficialData(Number(date.slice(0, 4))) ? 'official' : 'fallback';
  }

  return { isWorkday, addWorkdays, workdaysBetween, hasOfficialData, nextWorkday, previousWorkday, sourceOf };
}

/** What the official calendar says about one day: its holiday name if any ('国庆节'), for the API. */
export function officialDayName(date: string): string | null {
  if (!hasOfficialData(Number(date.slice(0, 4)))) return null;
  const detail = chineseDays.getDayDetail(date);
  const parts = detail.name.split(',');
  return parts.length >= 2 ? (parts[1] ?? null) : null;
}
