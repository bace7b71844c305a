import { getSetting, putSetting } from '../db/repos/settings.js';
import type { Db } from '../db/schema.js';
import { normaliseReminderRules, type ReminderRules } from '../domain/reminder-rules.js';

export const REMINDER_RULES_SETTING = 'reminder_rules';

export async function loadReminderRules(db: Db): Promise<ReminderRules> {
  return normaliseReminderRules(await getSetting(db, REMINDER_RULES_SETTING));
}

/** Stores the rules and appends them to settings_history (who changed what, when). */
export async function saveReminderRules(db: Db, rules: ReminderRules, by: string, at: Date): Promise<void> {
  await putSetting(db, REMINDER_RULES_SETTING, rules, by, at);
}
