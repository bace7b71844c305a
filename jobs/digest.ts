import type { JobDefinition } from '../src/platform/scheduler/run-job.js';
import { DIGEST_DEFAULT_CRON, runDigestRound } from '../src/reports/digest-round.js';

/**
 * 每日督办简报: 08:30 by default; on a working day each chief gets their department's digest and
 * each office leader the whole office's (nothing is sent on a day off).
 */
export const digestJob: JobDefinition = {
  name: 'digest',
  defaultCron: DIGEST_DEFAULT_CRON,
  description: '每日督办简报: chiefs their department, leaders the whole office, on working days',
  run: (deps, ctx) => runDigestRound(deps, ctx.at),
};
