import type { JobDefinition } from '../src/platform/scheduler/run-job.js';
import { backupJob } from './backup.js';
import { bulletinJob } from './bulletin.js';
import { calendarCheckJob } from './calendar-check.js';
import { digestJob } from './digest.js';
import { dutyJob } from './duty.js';
import { recurringJob } from './recurring.js';
import { chaseJob, remindJob } from './remind.js';

/**
 * Every scheduled job, in the order GET /schedules and GET /jobs list them. The entries pass this
 * list in (src/node.ts, src/worker.ts); adding a job is one line here. Admins change a job's
 * schedule with PUT /api/v1/schedules/:job; the default below applies until they do. Cron texts
 * are read in the office's time zone.
 */
export const jobRegistry: readonly JobDefinition[] = [
  remindJob,
  chaseJob,
  digestJob,
  bulletinJob,
  dutyJob,
  recurringJob,
  calendarCheckJob,
  backupJob,
];
