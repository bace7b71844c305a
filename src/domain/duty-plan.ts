import type { DutySettings, Shift } from './duty.js';
import { addDays, atLocal, localDate } from './time.js';

/**
 * What the duty job sends at `now`, planned from the roster alone (pure; the service sends it
 * through the outbox). The job runs every few minutes; each notice is due from its moment until
 * it expires, and is planned only while not yet sent (once per date, kind and recipient):
 *
 * - `eve`      the working day before, at `eveAt`: the coming days' roster (tomorrow, or a whole
 *              rest block and the working day after it) to everyone on them;
 * - `start`    at the shift's start: 接班确认 to the officer(s);
 * - `remind`   `remindAfterMinutes` later, still unconfirmed: a reminder to the officer(s);
 * - `escalate` `escalateAfterMinutes` later, still unconfirmed: the leader on duty and the admins;
 * - `morning`  at `morningAt`: today's officer and leader to the top department's group;
 * - `log`      at the shift's end: the officer(s) are asked for the duty log;
 * - `chase@…`  a log still missing `logGraceMinutes` after the end is chased at the reminder
 *              rounds of working days, like an overdue item, for a week.
 */

export type DutyNoticeKind = 'eve' | 'start' | 'remind' | 'escalate' | 'morning' | 'log' | 'chase';

export interface DutyNotice {
  /** The shift's date (for `eve`: the first date announced). */
  date: string;
  kind: DutyNoticeKind;
  /** The once-key's kind: the kind, or `chase@YYYY-MM-DDTHH:mm` for each chase. */
  key: string;
  recipient: string;
  receiveIdType: 'open_id' | 'chat_id';
  /** For `eve`: the dates announced. */
  dates?: string[];
}

export interface DutyPlanInput {
  now: Date;
  timeZone: string;
  settings: DutySettings;
  isWorkday(date: string): boolean;
  nextWorkday(date: string): string;
  /** Shifts from a week before today up to the next working day after tomorrow. */
  shifts: Shift[];
  admins: string[];
  topChatId: string | null;
  /** The reminder rounds ('09:00', '14:30'): when a missing log is chased. */
  chaseTimes: string[];
  /** Once-keys already sent: `dutyOnceKey(date, key, recipient)`. */
  sent: Set<string>;
}

export function dutyOnceKey(date: string, key: string, recipient: string): string {
  return `${date}|${key}|${recipient}`;
}

const MINUTE = 60_000;
const CHASE_WINDOW = 60 * MINUTE;
const CHASE_DAYS = 7;

export function planDutyNotices(input: DutyPlanInput): DutyNotice[] {
  const { now, timeZone: tz, settings } = input;
  const today = localDate(now, tz);
  const endOfToday = atLocal(addDays(today, 1), '00:00', tz);
  const out: DutyNotice[] = [];
  const add = (n: Omit<DutyNotice, 'key' | 'receiveIdType'> & Partial<DutyNotice>) => {
    const notice: DutyNotice = { key: n.kind, receiveIdType: 'open_id', ...n };
    if (!input.sent.has(dutyOnceKey(notice.date, notice.key, notice.recipient))) out.push(notice);
  };
  const byDate = new Map(input.shifts.map((s) => [s.date, s]));

  if (input.isWorkday(today) && atLocal(today, settings.eveAt, tz) <= now && now < endOfToday) {
    const dates: string[] = [];
    for (let d = addDays(today, 1); d <= input.nextWorkday(today); d = addDays(d, 1)) dates.push(d);
    const people = new Set<string>();
    for (const d of dates) {
      const s = byDate.get(d);
      if (s) for (const p of [...s.officers, s.leader]) people.add(p);
    }
    for (const p of [...people].sort()) add({ date: dates[0]!, kind: 'eve', recipient: p, dates });
  }

  const todays = byDate.get(today);
  if (todays && input.topChatId && atLocal(today, settings.morningAt, tz) <= now && now < endOfToday)
    add({ date: today, kind: 'morning', recipient: input.topChatId, receiveIdType: 'chat_id' });

  for (const s of [...input.shifts].sort((a, b) => a.date.localeCompare(b.date))) {
    planShift(input, s, add, today);
  }
  return out;
}

function planShift(
  input: DutyPlanInput,
  s: Shift,
  add: (n: Omit<DutyNotice, 'key' | 'receiveIdType'> & Partial<DutyNotice>) => void,
  today: string,
): void {
  const { now, settings } = input;
  const after = (minutes: number) => new Date(s.startsAt.getTime() + minutes * MINUTE);
  const running = s.startsAt <= now && now < s.endsAt;
  if (running && !s.handoverAt) {
    for (const o of s.officers) add({ date: s.date, kind: 'start', recipient: o });
    if (after(settings.remindAfterMinutes) <= now)
      for (const o of s.officers) add({ date: s.date, kind: 'remind', recipient: o });
    if (after(settings.escalateAfterMinutes) <= now)
      for (const p of unique([s.leader, ...input.admins]))
        add({ date: s.date, kind: 'escalate', recipient: p });
  }
  if (s.hasLog || now < s.endsAt) return;
  if (now.getTime() < s.endsAt.getTime() + 24 * 60 * MINUTE)
    for (const o of s.officers) add({ date: s.date, kind: 'log', recipient: o });
  const due = s.endsAt.getTime() + settings.logGraceMinutes * MINUTE;
  if (!input.isWorkday(today) || now.getTime() - s.endsAt.getTime() > CHASE_DAYS * 24 * 60 * MINUTE) return;
  for (const t of input.chaseTimes) {
    const at = atLocal(today, t, input.timeZone);
    if (at.getTime() < due || at > now || now.getTime() >= at.getTime() + CHASE_WINDOW) continue;
    for (const o of s.officers)
      add({ date: s.date, kind: 'chase', key: `chase@${today}T${t}`, recipient: o });
  }
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
