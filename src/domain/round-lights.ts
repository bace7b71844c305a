import type { WorkCalendar } from './calendar.js';
import { lightOf, workdaysOverdue } from './lights.js';
import { isDayInWindow, localParts } from './time.js';
import type { Light } from './types.js';

/** An item's light and whole working days overdue as of the round's `now`. */
export interface RoundLight {
  light: Light;
  overdue: number;
}

const DAY_MS = 86_400_000;

/**
 * The lights of one round, for many deadlines at once: the same answers as lightOf and
 * workdaysOverdue (test/unit/round-lights.happy.test.ts compares them on random calendars,
 * deadlines and days), without walking the calendar day by day for each deadline. Working days
 * are counted once per round in an index around today — for each day, the working days between
 * today and it — which grows to cover the deadlines asked about; a deadline's light is then two
 * lookups. Each distinct deadline is computed once.
 */
export function roundLights(
  now: Date,
  calendar: WorkCalendar,
  yellowWithinWorkdays: number,
  timeZone: string,
): (dueAt: Date | null) => RoundLight {
  const today = dayNumber(localParts(now, timeZone));
  const index = workdayIndex(calendar, today);
  const nowMs = now.getTime();
  const memo = new Map<number, RoundLight>();
  const compute = (dueAt: Date): RoundLight => {
    const parts = localParts(dueAt, timeZone);
    if (!isDayInWindow(parts.date)) {
      // Out of the service's years: the plain functions refuse it the way they always do.
      return {
        light: lightOf({ status: 'open', dueAt }, now, calendar, { yellowWithinWorkdays }, timeZone),
        overdue: workdaysOverdue(dueAt, now, calendar, timeZone),
      };
    }
    const between = index(dayNumber(parts)); // working days from today to the deadline's day
    if (nowMs > dueAt.getTime()) return { light: 'red', overdue: Math.max(0, -between) };
    return { light: Math.max(0, between) <= yellowWithinWorkdays ? 'yellow' : 'green', overdue: 0 };
  };
  return (dueAt) => {
    if (!dueAt) return { light: 'green', overdue: 0 };
    const key = dueAt.getTime();
    let light = memo.get(key);
    if (!light) {
      light = compute(dueAt);
      memo.set(key, light);
    }
    return light;
  };
}

function dayNumber(p: { year: number; month: number; day: number }): number {
  return Date.UTC(p.year, p.month - 1, p.day) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * For each day, calendar.workdaysBetween(today, day): the working days after today up to and
 * including the day (negative, before today: minus those after the day up to and including today).
 */
function workdayIndex(calendar: WorkCalendar, today: number): (day: number) => number {
  // ahead[i]: the count for today + i; behind[i]: for today − i.
  const ahead = [0];
  const behind = [0];
  return (day) => {
    const offset = day - today;
    if (offset >= 0) {
      for (let i = ahead.length; i <= offset; i++)
        ahead.push(ahead[i - 1]! + (calendar.isWorkday(dateOf(today + i)) ? 1 : 0));
      return ahead[offset]!;
    }
    for (let i = behind.length; i <= -offset; i++)
      behind.push(behind[i - 1]! - (calendar.isWorkday(dateOf(today - i + 1)) ? 1 : 0));
    return behind[-offset]!;
  };
}
