import type { DutyDay } from '../db/repos/duty.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { currentShift, type Shift } from '../domain/duty.js';
import { addDays, formatZh, localDate } from '../domain/time.js';
import { handOver } from './duty.js';
import { loadDutySettings } from './settings.js';
import { loadShifts } from './shifts.js';
import { dateZh, dutyNames } from './view.js';

/** The shifts of [from, to] with the office's duty settings applied. */
export async function shiftsOf(
  db: Db,
  timeZone: string,
  from: string,
  to: string,
): Promise<Array<Shift & { day: DutyDay }>> {
  return loadShifts(db, await loadDutySettings(db), timeZone, from, to);
}

const EARLY_MS = 60 * 60_000;

export type ConfirmOutcome = { ok: boolean; message: string; date?: string; changed?: boolean };

/**
 * 接班: confirms the handover of `date`, or — typed as a command — of the sender's shift now
 * running (or starting within the hour). Only the officers and the leader of that shift may.
 */
export async function confirmShift(
  deps: Deps,
  input: { by: string; date?: string; via: string },
): Promise<ConfirmOutcome> {
  const { db } = deps.database;
  const tz = deps.config.timezone;
  const now = deps.clock.now();
  let date = input.date;
  if (!date) {
    const today = localDate(now, tz);
    const mine = (await shiftsOf(db, tz, addDays(today, -1), addDays(today, 1))).filter(
      (s) => s.officers.includes(input.by) || s.leader === input.by,
    );
    const soon = new Date(now.getTime() + EARLY_MS);
    date = (currentShift(mine, now) ?? mine.find((s) => now < s.startsAt && s.startsAt <= soon))?.date;
    if (!date) return { ok: false, message: '您当前没有需要接班的值班班次' };
  }
  const [shift] = await shiftsOf(db, tz, date, date);
  if (!shift) return { ok: false, message: `${dateZh(date, tz)}尚未安排值班` };
  if (!shift.officers.includes(input.by) && shift.leader !== input.by)
    return { ok: false, message: `您不是${dateZh(date, tz)}的值班人员` };
  const day = await handOver(deps, { date, by: input.by, via: input.via });
  if (day.changed) return { ok: true, changed: true, date, message: `已确认接班：${dateZh(date, tz)}` };
  const name = await dutyNames(db, [day.handoverBy]);
  const when = day.handoverAt ? formatZh(day.handoverAt, tz) : '';
  return {
    ok: true,
    changed: false,
    date,
    message: `${dateZh(date, tz)}已由${name(day.handoverBy ?? '')}于${when}确认接班`,
  };
}
