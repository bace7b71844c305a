import { type DutyDay, datesWithLog, listDutyDays } from '../db/repos/duty.js';
import type { Db } from '../db/schema.js';
import { type DutySettings, type Shift, shiftWindow } from '../domain/duty.js';

/** A roster day as a shift: its own times, else the office's default ones. */
export function shiftOf(day: DutyDay, settings: DutySettings, timeZone: string, hasLog = false): Shift {
  const { startsAt, endsAt } = shiftWindow(
    day.date,
    day.start ?? settings.start,
    day.end ?? settings.end,
    timeZone,
  );
  return {
    date: day.date,
    officers: day.officers,
    leader: day.leader,
    startsAt,
    endsAt,
    handoverAt: day.handoverAt,
    hasLog,
  };
}

export async function loadShifts(
  db: Db,
  settings: DutySettings,
  timeZone: string,
  from: string,
  to: string,
): Promise<Array<Shift & { day: DutyDay }>> {
  const [days, logged] = await Promise.all([listDutyDays(db, from, to), datesWithLog(db, from, to)]);
  return days.map((d) => ({ ...shiftOf(d, settings, timeZone, logged.has(d.date)), day: d }));
}
