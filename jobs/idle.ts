import type { JobDefinition } from '../src/services/run-job.js';

/**
 * A job that is scheduled and claims its slots like the others (so its schedule can be set and
 * paused) but sends no message; its summary and its description say so.
 */
export function idleJob(name: string, defaultCron: string, description: string): JobDefinition {
  return {
    name,
    defaultCron,
    description: `${description}: this job sends nothing (no message is built for it)`,
    sendsNothing: true,
    async run() {
      return { sent: 0, skipped: 0, note: 'this job sends nothing' };
    },
  };
}
