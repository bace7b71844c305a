/** What a job is told when it runs: the instant it runs "as of" and the slot it claimed. */
export interface JobContext {
  at: Date;
  /** The scheduled minute in the office's time zone, e.g. '2026-09-28T09:00'. */
  slot: string;
}

/** What a job answers: how many messages it sent (enqueued) and skipped, plus job-specific figures. */
export interface JobSummary {
  sent: number;
  skipped: number;
  [key: string]: unknown;
}

/**
 * A scheduled job, given `D` when it runs: the app's Deps. It is a parameter because Deps lists
 * the jobs (src/deps.ts); code outside this file names the job type `JobDefinition`
 * (src/platform/scheduler/run-job.ts).
 */
export interface ScheduledJob<D> {
  name: string;
  /** One or more cron expressions separated by ';', in the office's time zone. */
  defaultCron: string;
  description: string;
  run(deps: D, ctx: JobContext): Promise<JobSummary>;
}
