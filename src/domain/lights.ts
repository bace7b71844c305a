import type { WorkCalendar } from './calendar.js';
import type { DeadlineRules } from './rules.js';
import { localDate } from './time.js';
import type { ItemStatus, Light } from './types.js';

/**
 * 红黄绿灯预警: red once the deadline has passed, yellow when at most
 * `rules.yellowWithinWorkdays` working days are left (counted by days: due today = 0 left, due on
 * the next working day = 1 left), green otherwise. Closed items and items without a deadline are green.
 */
export function lightOf(
  item: { status: ItemStatus; dueAt: Date | null; kind?: string; docType?: string | null },
  now: Date,
  calendar: WorkCalendar,
  rules: Pick<DeadlineRules, 'yellowWithinWorkdays'>,
  timeZone: string,
): Light {
  if (item.status !== 'open' || !item.dueAt) return 'green';
  if (now.getTime() > item.dueAt.getTime()) return 'red';
  return workdaysLeft(item.dueAt, now, calendar, timeZone) <= rules.yellowWithinWorkdays ? 'yellow' : 'green';
}

/** Working days from today to the deadline's day (0 when due today or already past). */
export function workdaysLeft(dueAt: Date, now: Date, calendar: WorkCalendar, timeZone: string): number {
  return Math.max(0, calendar.workdaysBetween(localDate(now, timeZone), localDate(dueAt, timeZone)));
}

/**
 * Working days since the deadline's day, once it has passed: overdue since yesterday's 18:00 is 1;
 * overdue since this morning is 0 (texts say 今日已逾期).
 */
export function workdaysOverdue(dueAt: Date, now: Date, calendar: WorkCalendar, timeZone: string): number {
  if (now.getTime() <= dueAt.getTime()) return 0;
  return Math.max(0, calendar.workdaysBetween(localDate(dueAt, timeZone), localDate(now, timeZone)));
}

/** '剩余2个工作日' / '今日到期' / '今日已逾期' / '已逾期2个工作日' — for cards and digests. */
export function deadlineTextZh(dueAt: Date, now: Date, calendar: WorkCalendar, timeZone: string): string {
  if (now.getTime() > dueAt.getTime()) {
    const n = workdaysOverdue(dueAt, now, calendar, timeZone);
    return n === 0 ? '今日已逾期' : `已逾期${n}个工作日`;
  }
  const left = workdaysLeft(dueAt, now, calendar, timeZone);
  return left === 0 ? '今日到期' : `剩余${left}个工作日`;
}
