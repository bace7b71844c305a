import type { WorkCalendar } from './calendar.js';
import type { DeadlineRules } from './rules.js';
import { addDays, assertInstantInWindow, atLocal, isValidDate, localDate, localTime } from './time.js';
import type { DocType, TaskSource } from './types.js';

/** What a default deadline is computed from. */
export type DeadlineInput =
  | { kind: 'document'; docType: DocType; receivedAt: Date }
  | { kind: 'task'; source: TaskSource; assignedAt: Date }
  /** a meeting's minutes, from the end of the meeting */
  | { kind: 'minutes'; meetingEndsAt: Date }
  /** a co-handling unit's part of a task: earlier than the item's own deadline */
  | { kind: 'co-unit'; source: TaskSource; assignedAt: Date; itemDueAt: Date };

/** The instant a working day ends, e.g. 2026-11-24 18:00 in the office's zone. */
export function endOfWorkday(date: string, rules: DeadlineRules, timeZone: string): Date {
  return atLocal(date, rules.workdayEndsAt, timeZone);
}

/** The start of the first working day after the instant's day (the next working morning). */
export function nextWorkingMorning(
  instant: Date,
  rules: DeadlineRules,
  calendar: WorkCalendar,
  timeZone: string,
): Date {
  return atLocal(calendar.nextWorkday(localDate(instant, timeZone)), rules.workdayStartsAt, timeZone);
}

/** Adds calendar months (or subtracts, when negative) to a date, clamping to the month's last day (11-30 + 3 months → 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = (((total % 12) + 12) % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  const out = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isValidDate(out)) throw new RangeError(`bad month arithmetic: ${date} + ${months}`);
  return out;
}

/** 十件实事 are the year's: assigned in December, they are next year's. */
function yearEndFor(day: string): number {
  const year = Number(day.slice(0, 4));
  return day.slice(5, 7) === '12' ? year + 1 : year;
}

/** The last working day of a year (the 31st, or the working day before it). */
export function lastWorkdayOfYear(year: number, calendar: WorkCalendar): string {
  const last = `${year}-12-31`;
  return calendar.isWorkday(last) ? last : calendar.previousWorkday(last);
}

function taskWorkdays(source: TaskSource, rules: DeadlineRules): number {
  switch (source) {
    case 'instruction':
      return rules.instructionWorkdays;
    case 'decision':
      return rules.decisionWorkdays;
    case 'practical':
      return rules.practicalWorkdays;
    case 'hotline':
      return rules.hotlineWorkdays;
    case 'other':
      return rules.otherWorkdays;
    case 'proposal':
      throw new Error('proposals are counted in months');
  }
}

/**
 * A statutory limit in calendar months that ends on a day off is pulled back to the last working
 * day before it, so the answer never leaves the office late.
 */
function monthsLimit(from: Date, months: number, rules: DeadlineRules, cal: WorkCalendar, tz: string): Date {
  const day = addMonths(localDate(from, tz), months);
  return endOfWorkday(cal.isWorkday(day) ? day : cal.previousWorkday(day), rules, tz);
}

/**
 * The office's default deadline for an item (an explicit dueAt always overrides it):
 * - circulation copy: end of the day it arrives if that is a working day and it arrives before
 *   the cut-off (16:00), else end of the next working day;
 * - sign-off / ordinary: end of the n-th working day after the day it arrives;
 * - urgent: the next morning (09:00 the next calendar day), whatever the calendar says;
 * - tasks: end of the n-th working day after assignment; proposals: n calendar months; 十件实事:
 *   the end of the year's last working day (rules.practicalDue 'yearEnd'), or n working days;
 * - minutes: end of the n-th working day after the meeting's day;
 * - co-unit parts: proposals n months; others n working days before the item's deadline (but
 *   never before the first working day after assignment, nor after the item's deadline).
 */
export function defaultDueAt(
  input: DeadlineInput,
  rules: DeadlineRules,
  calendar: WorkCalendar,
  timeZone: string,
): Date {
  const tz = timeZone;
  for (const at of Object.values(input)) if (at instanceof Date) assertInstantInWindow(at);
  switch (input.kind) {
    case 'document': {
      const day = localDate(input.receivedAt, tz);
      switch (input.docType) {
        case 'circular': {
          const sameDay = calendar.isWorkday(day) && localTime(input.receivedAt, tz) < rules.circularCutoff;
          return endOfWorkday(sameDay ? day : calendar.nextWorkday(day), rules, tz);
        }
        case 'signoff':
          return endOfWorkday(calendar.addWorkdays(day, rules.signoffWorkdays), rules, tz);
        case 'normal':
          return endOfWorkday(calendar.addWorkdays(day, rules.normalWorkdays), rules, tz);
        case 'urgent':
          return atLocal(addDays(day, 1), rules.urgentNextMorningAt, tz);
      }
      throw new Error(`unknown docType ${String((input as { docType: unknown }).docType)}`);
    }
    case 'task': {
      if (input.source === 'proposal')
        return monthsLimit(input.assignedAt, rules.proposalMonths, rules, calendar, tz);
      const day = localDate(input.assignedAt, tz);
      if (input.source === 'practical' && rules.practicalDue === 'yearEnd')
        return endOfWorkday(lastWorkdayOfYear(yearEndFor(day), calendar), rules, tz);
      return endOfWorkday(calendar.addWorkdays(day, taskWorkdays(input.source, rules)), rules, tz);
    }
    case 'minutes': {
      const day = localDate(input.meetingEndsAt, tz);
      return endOfWorkday(calendar.addWorkdays(day, rules.minutesWorkdays), rules, tz);
    }
    case 'co-unit': {
      if (input.source === 'proposal') {
        const due = monthsLimit(input.assignedAt, rules.proposalCoUnitMonths, rules, calendar, tz);
        return due < input.itemDueAt ? due : input.itemDueAt;
      }
      const itemDay = localDate(input.itemDueAt, tz);
      const earliest = calendar.addWorkdays(localDate(input.assignedAt, tz), 1);
      let day =
        rules.coUnitWorkdaysEarlier === 0
          ? itemDay
          : calendar.addWorkdays(itemDay, -rules.coUnitWorkdaysEarlier);
      if (day < earliest) day = earliest;
      const due = endOfWorkday(day, rules, tz);
      return due < input.itemDueAt ? due : input.itemDueAt;
    }
  }
}
