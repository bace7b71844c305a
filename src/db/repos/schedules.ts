import type { Db } from '../schema.js';

/** schedules: one row per job whose schedule an admin set (a job without a row runs on its default). */
export interface ScheduleRow {
  job: string;
  cron: string;
  timezone: string | null;
  enabled: boolean;
  updated_by: string | null;
  updated_at: Date;
}

export async function getScheduleRow(db: Db, job: string): Promise<ScheduleRow | undefined> {
  return db.selectFrom('schedules').selectAll().where('job', '=', job).executeTakeFirst();
}

export async function listScheduleRows(db: Db): Promise<ScheduleRow[]> {
  return db.selectFrom('schedules').selectAll().execute();
}

export async function upsertSchedule(
  db: Db,
  s: { job: string; cron: string; timezone: string | null; enabled: boolean; by: string; at: Date },
): Promise<void> {
  const values = {
    cron: s.cron,
    timezone: s.timezone,
    enabled: s.enabled,
    updated_by: s.by,
    updated_at: s.at,
  };
  await db
    .insertInto('schedules')
    .values({ job: s.job, ...values })
    .onConflict((oc) => oc.column('job').doUpdateSet(values))
    .execute();
}
