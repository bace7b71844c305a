import type { Trx } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import type { Deps } from '../deps.js';
import { roundsToCron } from '../domain/reminder-rules.js';
import { toZonedIso } from '../domain/time.js';
import { AppError } from '../platform/errors.js';
import type { JobDefinition } from '../platform/scheduler/run-job.js';
import { slotsBetween } from '../platform/scheduler/scheduler.js';
import {
  CRON_EXAMPLE,
  cronProblem,
  getSchedule,
  isValidTimeZone,
  normaliseCron,
  saveSchedule,
  splitCron,
} from '../platform/scheduler/schedules.js';
import { loadReminderRules, saveReminderRules } from './reminder-rules.js';

export interface ScheduleView {
  job: string;
  description: string;
  cron: string;
  crons: string[];
  timezone: string;
  enabled: boolean;
  isDefault: boolean;
  defaultCron: string;
  updatedBy: string | null;
  updatedAt: string | null;
  /** The next few runs (ISO 8601, office time zone), so an admin can check what they set. */
  nextRuns: string[];
}

export async function scheduleView(deps: Deps, job: JobDefinition): Promise<ScheduleView> {
  const s = await getSchedule(deps.database.db, job.name, job.defaultCron);
  const tz = s.timezone ?? deps.config.timezone;
  const now = deps.clock.now();
  const nextRuns = s.enabled
    ? slotsBetween(
        s.cron,
        tz,
        new Date(now.getTime() + 60_000),
        new Date(now.getTime() + 8 * 86_400_000),
        3,
      ).map((d) => toZonedIso(d, deps.config.timezone))
    : [];
  return {
    job: job.name,
    description: job.description,
    cron: s.cron,
    crons: splitCron(s.cron),
    timezone: tz,
    enabled: s.enabled,
    isDefault: s.isDefault,
    defaultCron: job.defaultCron,
    updatedBy: s.updatedBy,
    updatedAt: s.updatedAt ? toZonedIso(s.updatedAt, deps.config.timezone) : null,
    nextRuns,
  };
}

/**
 * Validates and stores a job's schedule. A bad cron or time zone is a 422 that shows a valid
 * example. For `remind`, rounds written as simple daily times are mirrored into the reminder
 * rules, so `查看设置` and GET /reminder-rules show the same rounds.
 */
export async function updateSchedule(
  deps: Deps,
  job: JobDefinition,
  input: { cron: string; timezone: string | null; enabled: boolean },
  by: string,
): Promise<ScheduleView> {
  const problem = cronProblem(input.cron);
  if (problem)
    throw new AppError(422, 'invalid_field', `cron: ${problem}`, [
      { field: 'cron', message: problem, example: CRON_EXAMPLE },
    ]);
  if (input.timezone && !isValidTimeZone(input.timezone))
    throw new AppError(
      422,
      'invalid_field',
      `timezone: "${input.timezone}" is not an IANA time zone such as Asia/Shanghai`,
      [{ field: 'timezone', message: 'not an IANA time zone', example: 'Asia/Shanghai' }],
    );
  const now = deps.clock.now();
  await inTransaction(deps.database.db, async (trx) => {
    await saveSchedule(
      trx,
      { job: job.name, cron: input.cron, timezone: input.timezone, enabled: input.enabled },
      by,
      now,
    );
    if (job.name === 'remind') await mirrorRoundsIntoRules(trx, input.cron, by, now);
  });
  return scheduleView(deps, job);
}

/** A `remind` cron of simple daily times ('0 9 * * *;30 14 * * *') becomes the rules' rounds. */
async function mirrorRoundsIntoRules(trx: Trx, cronText: string, by: string, now: Date): Promise<void> {
  const rounds = splitCron(normaliseCron(cronText)).map((e) => /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(e));
  if (!rounds.every((m) => m !== null)) return;
  const times = rounds.map((m) => `${m![2]!.padStart(2, '0')}:${m![1]!.padStart(2, '0')}`).sort();
  const rules = await loadReminderRules(trx);
  if (roundsToCron(rules.rounds) !== roundsToCron(times))
    await saveReminderRules(trx, { ...rules, rounds: times }, by, now);
}
