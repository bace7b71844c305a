import { runRecurringDuties } from '../src/items/recurring.js';
import type { JobDefinition } from '../src/platform/scheduler/run-job.js';

/** Creates today's occurrences of the recurring duties, each once (unique per duty and occurrence). */
export const recurringJob: JobDefinition = {
  name: 'recurring',
  defaultCron: '5 7 * * *',
  description: 'creates each occurrence of the recurring duties once',
  run: (deps, ctx) => runRecurringDuties(deps, { at: ctx.at }),
};
