import { bulletinJob } from './bulletin.js';
import { calendarCheckJob } from './calendar-check.js';
import { digestJob } from './digest.js';
import { placeholderJob } from './placeholder.js';
import { recurringJob } from './recurring.js';
import { chaseJob, remindJob } from './remind.js';
import type { JobDefinition } from './types.js';

/**
 * Every scheduled job, by name. Admins change a job's schedule with PUT /api/v1/schedules/:job;
 * the default below applies until they do. Cron texts are read in the office's time zone.
 */
export const jobRegistry: JobDefinition[] = [
  remindJob,
  chaseJob,
  digestJob,
  bulletinJob,
  placeholderJob('duty', '0 8 * * *', '值班 reminders (a later issue)'),
  recurringJob,
  calendarCheckJob,
];

export function findJob(name: string): JobDefinition | undefined {
  return jobRegistry.find((j) => j.name === name);
}
