import { runDutyNotices } from '../src/duty/notices.js';
import type { JobDefinition } from '../src/platform/scheduler/run-job.js';

/**
 * 值班, every five minutes: decides from the roster what is due (明日值班 the working day before,
 * 接班确认 at the start, its reminder and escalation, the morning post, the duty log at the end and
 * its chase) and sends each notice once.
 */
export const dutyJob: JobDefinition = {
  name: 'duty',
  defaultCron: '*/5 * * * *',
  description: '值班: eve notices, handover cards and escalation, morning post, duty log and its chase',
  run: (deps, ctx) => runDutyNotices(deps, { at: ctx.at }),
};
