import { getSetting, putSetting } from '../db/repos/settings.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { DEFAULT_DUTY_SETTINGS, type DutySettings } from '../domain/duty.js';

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
