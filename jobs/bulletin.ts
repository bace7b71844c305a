import type { JobDefinition } from '../src/platform/scheduler/run-job.js';
import { BULLETIN_DEFAULT_CRON, runBulletinRound } from '../src/reports/bulletin-round.js';

/**
 * 通报: looks every day at 09:00 by default; sends the weekly one on the first working day from
 * Monday and the monthly one on the first working day from the 1st (cadence: 设置 通报 …).
 */
export const bulletinJob: JobDefinition = {
  name: 'bulletin',
  defaultCron: BULLETIN_DEFAULT_CRON,
  description:
    '通报: departments ranked by score to the top group, 扣分明细 to each group; weekly and monthly',
  run: (deps, ctx) => runBulletinRound(deps, ctx.at),
};
