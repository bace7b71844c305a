import { getSetting, putSetting } from '../db/repos/settings.js';
import type { Db } from '../db/schema.js';
import type { DatabaseContext, Deps } from '../deps.js';
import { DEFAULT_DUTY_SETTINGS, type DutySettings } from '../domain/duty.js';
import { parseTimeOfDay } from '../domain/reminder-rules.js';

export const DUTY_SETTINGS_KEY = 'duty_settings';

/** The office's duty settings (shift times, notice times, escalation delays), defaults filled in. */
export async function loadDutySettings(db: Db): Promise<DutySettings> {
  const stored = (await getSetting<Partial<DutySettings>>(db, DUTY_SETTINGS_KEY)) ?? {};
  return { ...DEFAULT_DUTY_SETTINGS, ...stored };
}

/** Changes some settings; every change is recorded in settings_history. */
export async function patchDutySettings(
  deps: Deps,
  patch: Partial<DutySettings>,
  by: string,
): Promise<DutySettings> {
  const { db } = deps.database;
  return db.transaction().execute(async (trx) => {
    const next = { ...(await loadDutySettings(trx)), ...patch };
    await putSetting(trx, DUTY_SETTINGS_KEY, next, by, deps.clock.now());
    return next;
  });
}

/**
 * `设置 值班 08:30` (the shift starts and ends at 08:30) or `设置 值班 09:00-17:30`: the office's
 * default shift hours (a day of the roster may set its own). The duty job itself keeps running
 * every five minutes; what it sends follows these hours.
 */
export async function setDutyHoursByChat(deps: Deps, text: string, by: string): Promise<string> {
  const m = /^(\S+?)(?: ?[-–—~～至到] ?(\S+))?$/u.exec(text.trim());
  const start = m ? parseTimeOfDay(m[1]!) : null;
  const end = m?.[2] ? parseTimeOfDay(m[2]) : start;
  if (!start || !end) return `值班时间格式不对：「${text}」。示例：设置 值班 08:30 或 设置 值班 09:00-17:30`;
  await patchDutySettings(deps, { start, end }, by);
  return `已设置：值班 ${start} 接班，${end <= start ? '次日' : ''}${end} 交班（单日可在值班表中另设）。`;
}

/** The duty settings in force (GET /api/v1/duty/settings). */
export function dutySettings(ctx: DatabaseContext): Promise<DutySettings> {
  return loadDutySettings(ctx.database.db);
}
