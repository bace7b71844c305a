import type { Deps } from '../src/deps.js';

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

export interface JobDefinition {
  name: string;
  /** One or more cron expressions separated by ';', in the office's time zone. */
  defaultCron: string;
  description: string;
  run(deps: Deps, ctx: JobContext): Promise<JobSummary>;
}
