import { addDays, atLocal } from './time.js';

/**
 * 值班: a shift per date with its officer(s), the leader on duty, and its start and end. Shifts
 * run 08:30 to 08:30 the next day unless the office (duty settings) or the day says otherwise.
 */

export interface DutySettings {
  /** Default shift start and end, 'HH:mm'; an end not after the start is on the next day. */
  start: string;
  end: string;
  /** When 「明日值班」 goes out on the working day before. */
  eveAt: string;
  /** When the top department's group hears today's officer and leader. */
  morningAt: string;
  /** Minutes after the start: a reminder to confirm, then the leader and the admins are told. */
  remindAfterMinutes: number;
  escalateAfterMinutes: number;
  /** Minutes after the shift's end by which the duty log is due; later it is chased. */
  logGraceMinutes: number;
}

export const DEFAULT_DUTY_SETTINGS: DutySettings = {
  start: '08:30',
  end: '08:30',
  eveAt: '16:00',
  morningAt: '08:30',
  remindAfterMinutes: 30,
  escalateAfterMinutes: 60,
  logGraceMinutes: 120,
};

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The instants a shift on `date` starts and ends: an end not after the start is the next day. */
export function shiftWindow(
  date: string,
  start: string,
  end: string,
  timeZone: string,
): { startsAt: Date; endsAt: Date } {
  return {
    startsAt: atLocal(date, start, timeZone),
    endsAt: atLocal(end <= start ? addDays(date, 1) : date, end, timeZone),
  };
}

/** What the plan and the cards know of one shift. */
export interface Shift {
  date: string;
  /** The officer first, then the co-officers. */
  officers: string[];
  leader: string;
  startsAt: Date;
  endsAt: Date;
  handoverAt: Date | null;
  hasLog: boolean;
}

/** The shift running at `now` (started, not ended), the latest one first when several overlap. */
export function currentShift<S extends Pick<Shift, 'startsAt' | 'endsAt'>>(shifts: S[], now: Date): S | null {
  const running = shifts.filter((s) => s.startsAt <= now && now < s.endsAt);
  running.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  return running[0] ?? null;
}

/** Days of the working week (Monday–Sunday) that holds `date`. */
export function weekOf(date: string, weekday: number): string[] {
  const monday = addDays(date, -((weekday + 6) % 7));
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}
