import { daysWithoutLog } from '../db/repos/duty.js';
import type { Db } from '../db/schema.js';

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
