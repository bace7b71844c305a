import type { Db } from '../schema.js';

export async function getSetting<T = unknown>(db: Db, key: string): Promise<T | undefined> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!r) return undefined;
  return (typeof r.value === 'string' ? JSON.parse(r.value) : r.value) as T;
}

/** Writes a setting and appends the new value to settings_history (who changed what, when). */
export async function putSetting(db: Db, key: string, value: unknown, by: string, at: Date): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('settings')
    .values({ key, value: json, updated_by: by, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_by: by, updated_at: at }))
    .execute();
  await appendSettingHistory(db, key, value, by, at);
}

/** Appends one change to settings_history (留痕 for settings, schedules and recurring duties). */
export async function appendSettingHistory(
  db: Db,
  key: string,
  value: unknown,
  by: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('settings_history')
    .values({ key, value: JSON.stringify(value), changed_by: by, changed_at: at })
    .execute();
}

export async function settingHistory(
  db: Db,
  key: string,
): Promise<{ value: unknown; changedBy: string; changedAt: Date }[]> {
  const rows = await db
    .selectFrom('settings_history')
    .selectAll()
    .where('key', '=', key)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    value: typeof r.value === 'string' ? JSON.parse(r.value) : r.value,
    changedBy: r.changed_by,
    changedAt: r.changed_at,
  }));
}

/** Every setting by key (a handful of small JSON documents). */
export async function listSettings(db: Db): Promise<Map<string, unknown>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
  return new Map(rows.map((r) => [r.key, typeof r.value === 'string' ? JSON.parse(r.value) : r.value]));
}
