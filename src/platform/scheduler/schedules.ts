import cron from 'node-cron';
import {
  getScheduleRow,
  listScheduleRows,
  type ScheduleRow,
  upsertSchedule,
} from '../../db/repos/schedules.js';
import { appendSettingHistory } from '../../db/repos/settings.js';
import type { Db, Trx } from '../../db/schema.js';

/**
 * Job schedules as admins set them. A schedule's `cron` holds one or more five-field cron
 * expressions separated by ';' (e.g. the two daily reminder rounds '0 9 * * *;30 14 * * *'),
 * read in `timezone` (default: the office's APP_TIMEZONE). Seconds are not allowed: a slot is
 * one minute.
 */
export interface Schedule {
  job: string;
  cron: string;
  /** null → the office's time zone. */
  timezone: string | null;
  enabled: boolean;
  /** True when nothing is stored yet and the job's default applies. */
  isDefault: boolean;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export const CRON_EXAMPLE = '0 9 * * *;30 14 * * *';

export function splitCron(text: string): string[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s !== '');
}

/** A message naming what is wrong with a cron text, or null when every expression is valid. */
export function cronProblem(text: string): string | null {
  const parts = splitCron(text);
  if (parts.length === 0) return `cron is empty; expected e.g. "${CRON_EXAMPLE}"`;
  if (parts.length > 24) return 'at most 24 cron expressions per job';
  for (const p of parts) {
    if (p.split(' ').length !== 5)
      return `"${p}" must have 5 fields (minute hour day-of-month month day-of-week), e.g. "30 14 * * *"`;
    const v = cron.validateDetailed(p);
    if (!v.valid) {
      const first = v.errors[0];
      return `"${p}": ${first ? `${first.field}: ${first.message}` : 'invalid'}; expected e.g. "${CRON_EXAMPLE}"`;
    }
  }
  return null;
}

export function normaliseCron(text: string): string {
  return splitCron(text).join(';');
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function toSchedule(job: { name: string; defaultCron: string }, row: ScheduleRow | undefined): Schedule {
  if (!row)
    return {
      job: job.name,
      cron: job.defaultCron,
      timezone: null,
      enabled: true,
      isDefault: true,
      updatedBy: null,
      updatedAt: null,
    };
  return {
    job: job.name,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled,
    isDefault: false,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

export async function getSchedule(db: Db, job: string, defaultCron: string): Promise<Schedule> {
  return toSchedule({ name: job, defaultCron }, await getScheduleRow(db, job));
}

export async function listSchedules(
  db: Db,
  jobs: readonly { name: string; defaultCron: string }[],
): Promise<Schedule[]> {
  const byJob = new Map((await listScheduleRows(db)).map((r) => [r.job, r]));
  return jobs.map((j) => toSchedule(j, byJob.get(j.name)));
}

/**
 * Stores a schedule (validated by the caller) and records the change in settings_history under
 * 'schedule:<job>', so who changed which schedule when is on record (留痕).
 */
export async function saveSchedule(
  trx: Trx,
  s: { job: string; cron: string; timezone: string | null; enabled: boolean },
  by: string,
  now: Date,
): Promise<void> {
  const cronText = normaliseCron(s.cron);
  await upsertSchedule(trx, {
    job: s.job,
    cron: cronText,
    timezone: s.timezone,
    enabled: s.enabled,
    by,
    at: now,
  });
  await appendSettingHistory(
    trx,
    `schedule:${s.job}`,
    { cron: cronText, timezone: s.timezone, enabled: s.enabled },
    by,
    now,
  );
}
