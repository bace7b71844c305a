import { finishSlot, getRun, releaseSlot } from '../../db/repos/job-runs.js';
import type { Deps } from '../../deps.js';
import { toZonedIso } from '../../domain/time.js';
import { claimSlot, slotOf } from './job-runs.js';
import type { JobSummary, ScheduledJob } from './job-types.js';

export type { JobContext, JobSummary } from './job-types.js';

/** A scheduled job of this app (the list is `deps.jobs`, passed in by the entries). */
export type JobDefinition = ScheduledJob<Deps>;

/** The job of that name among the app's jobs, or undefined. */
export function findJob(deps: Deps, name: string): JobDefinition | undefined {
  return deps.jobs.find((j) => j.name === name);
}

/** The names of the app's jobs, for messages that list them. */
export function jobNames(deps: Deps): string {
  return deps.jobs.map((j) => j.name).join(', ');
}

export interface RunResult extends JobSummary {
  job: string;
  /** The instant the job ran as of (ISO 8601 with the office's offset). */
  at: string;
  slot: string;
  /** True when this slot had already been run (here or on another instance): nothing was done. */
  alreadyRun?: boolean;
}

/**
 * Runs one job for one slot, at most once across instances: claims (job, slot), runs, records
 * the summary. A second run of the same slot does nothing and says so; a failed run gives the
 * slot back so it can be retried.
 */
export async function runJobSlot(
  deps: Deps,
  job: JobDefinition,
  options: { at?: Date; slot?: string } = {},
): Promise<RunResult> {
  const tz = deps.config.timezone;
  const at = options.at ?? deps.clock.now();
  const slot = options.slot ?? slotOf(at, tz);
  const { db } = deps.database;
  const claimed = await claimSlot(db, {
    job: job.name,
    slot,
    instanceId: deps.instanceId,
    now: deps.clock.now(),
  });
  if (!claimed) {
    const run = await getRun(db, job.name, slot);
    deps.logger.info('job slot already claimed', { job: job.name, slot, claimedBy: run?.claimed_by });
    return { job: job.name, at: toZonedIso(at, tz), slot, sent: 0, skipped: 0, alreadyRun: true };
  }
  const started = performance.now();
  try {
    const summary = await job.run(deps, { at, slot });
    const ms = Math.round(performance.now() - started);
    await finishSlot(db, { job: job.name, slot, now: deps.clock.now(), summary: { ...summary, ms } });
    deps.logger.info('job ran', { job: job.name, slot, sent: summary.sent, skipped: summary.skipped, ms });
    return { job: job.name, at: toZonedIso(at, tz), slot, ...summary };
  } catch (error) {
    deps.logger.error('job failed', { job: job.name, slot, error });
    await releaseSlot(db, { job: job.name, slot, instanceId: deps.instanceId }).catch(() => {});
    throw error;
  }
}
