import type { JobDefinition } from './types.js';

/**
 * A job whose work belongs to a later issue: it is scheduled and claims its slots like the
 * others (so schedules can be set now), and says plainly that it sends nothing yet.
 */
export function placeholderJob(name: string, defaultCron: string, description: string): JobDefinition {
  return {
    name,
    defaultCron,
    description,
    async run() {
      return { sent: 0, skipped: 0, note: 'not implemented yet' };
    },
  };
}
