import type { JobDefinition } from '../src/platform/scheduler/run-job.js';
import { tellAdminsOfMissingCalendar } from '../src/settings/calendar-check.js';

/** Daily: tells admins by direct message, at most once a month, when a year has no official holiday data. */
export const calendarCheckJob: JobDefinition = {
  name: 'calendar',
  defaultCron: '20 9 * * *',
  description: '日历数据检查: tell admins when a year has no official holiday data',
  run: (deps, ctx) => tellAdminsOfMissingCalendar(deps, ctx.at),
};
