import { localTime } from '../src/domain/time.js';
import type { JobDefinition } from '../src/platform/scheduler/run-job.js';
import { getSchedule } from '../src/platform/scheduler/schedules.js';
import { runReminderRound } from '../src/reminders/round.js';
import { loadReminderRules } from '../src/settings/reminder-rules.js';

/**
 * 催办 rounds: on working days at 09:00 and 14:30 by default (the cron fires every day; the
 * plan sends nothing regular on a non-working day or in the quiet hours, only urgent chases).
 * One card per person per round.
 */
export const remindJob: JobDefinition = {
  name: 'remind',
  defaultCron: '0 9 * * *;30 14 * * *',
  description: '催办 rounds: near, due today, overdue, escalations, co-units, meetings',
  run: (deps, ctx) => runReminderRound(deps, { job: 'remind', slot: ctx.slot, at: ctx.at, round: true }),
};

/**
 * Between rounds, every five minutes: urgent documents (chased every hour, whatever the calendar)
 * and meetings (the working day before at 16:00, and 30 minutes before the start). In a minute
 * that has a reminder round it stands aside: the round covers urgent items and meetings too, so
 * a person still gets one card.
 */
export const chaseJob: JobDefinition = {
  name: 'chase',
  defaultCron: '*/5 * * * *',
  description: 'urgent documents every hour; meeting reminders (eve 16:00, 30 minutes before)',
  async run(deps, ctx) {
    const { db } = deps.database;
    const [rules, remind] = await Promise.all([
      loadReminderRules(db),
      getSchedule(db, remindJob.name, remindJob.defaultCron),
    ]);
    if (remind.enabled && rules.rounds.includes(localTime(ctx.at, deps.config.timezone)))
      return { sent: 0, skipped: 0, note: 'a reminder round runs this minute' };
    return runReminderRound(deps, { job: 'chase', slot: ctx.slot, at: ctx.at, round: false });
  },
};
