import { lastRealRuns, unfinishedClaims } from '../../db/repos/job-runs.js';
import { toZonedIso } from '../../domain/time.js';
import { loadReminderRules } from '../../settings/reminder-rules.js';
import type { HealthSection } from '../health.js';
import { STALE_CLAIM_MS } from './job-runs.js';
import { listSchedules } from './schedules.js';

/**
 * /healthz "scheduler": each job's schedule and its last real run (not a slot recorded as merged or skipped), whether reminders are paused, and
 * claims left unfinished for more than 15 minutes (an instance died mid-run: the next run or
 * another instance takes the slot over).
 */
export const schedulerHealthSection: HealthSection = {
  name: 'scheduler',
  async check(deps) {
    const { db } = deps.database;
    const tz = deps.config.timezone;
    const [schedules, rules, last, stuck] = await Promise.all([
      listSchedules(db, deps.jobs),
      loadReminderRules(db),
      lastRealRuns(db),
      unfinishedClaims(db, new Date(deps.clock.now().getTime() - STALE_CLAIM_MS)),
    ]);
    const lastByJob = new Map(last.map((r) => [r.job, r]));
    return {
      ok: stuck.length === 0,
      remindersPaused: rules.paused,
      jobs: schedules.map((s) => {
        const run = lastByJob.get(s.job);
        return {
          job: s.job,
          cron: s.cron,
          enabled: s.enabled,
          lastSlot: run?.slot ?? null,
          lastFinishedAt: run?.finished_at ? toZonedIso(new Date(run.finished_at), tz) : null,
        };
      }),
      ...(stuck.length > 0
        ? {
            unfinished: stuck.map((s) => `${s.job}@${s.slot}`),
            warning: `scheduler: ${stuck.length} job run(s) claimed over 15 minutes ago never finished; the next run takes them over`,
          }
        : {}),
    };
  },
};
