import { daysWithoutLog } from '../db/repos/duty.js';
import type { Db } from '../db/schema.js';
import type { DatabaseContext } from '../deps.js';
import { addDays, localDate } from '../domain/time.js';
import { loadDutySettings } from './settings.js';
import { loadShifts } from './shifts.js';

export interface MissingDutyLog {
  date: string;
  officers: string[];
  leader: string;
}

/**
 * The shifts of `day` whose duty log is still missing (for the morning digest to the office's
 * leaders, and the chase). Call it with yesterday's date: a shift is logged at its end.
 */
export async function missingDutyLogs(db: Db, day: string): Promise<MissingDutyLog[]> {
  return (await daysWithoutLog(db, day, day)).map((d) => ({
    date: d.date,
    officers: d.officers,
    leader: d.leader,
  }));
}

/** How far back the morning digest looks for shifts that ended without a duty log. */
export const MISSING_LOG_LOOKBACK_DAYS = 7;

/** Shifts of the last week that have ended by `now` with no duty log, oldest first. */
export async function endedShiftsWithoutLog(db: Db, now: Date, timeZone: string): Promise<MissingDutyLog[]> {
  const today = localDate(now, timeZone);
  const settings = await loadDutySettings(db);
  const shifts = await loadShifts(db, settings, timeZone, addDays(today, -MISSING_LOG_LOOKBACK_DAYS), today);
  return shifts
    .filter((s) => !s.hasLog && s.endsAt.getTime() <= now.getTime())
    .map((s) => ({ date: s.date, officers: s.officers, leader: s.leader }));
}

/** missingDutyLogs for the API: the shifts of `day` whose log is still missing. */
export function missingDutyLogsOn(ctx: DatabaseContext, day: string): Promise<MissingDutyLog[]> {
  return missingDutyLogs(ctx.database.db, day);
}
