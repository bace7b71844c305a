import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { notFound } from '../../src/platform/errors.js';
import { findJob, jobNames } from '../../src/platform/scheduler/run-job.js';
import { scheduleView, updateSchedule } from '../../src/settings/schedule-admin.js';
import { readBody } from './body.js';
import { apiApp, pathParam, route } from './openapi.js';

const jobParams = z.object({
  job: z.string().meta({ description: 'remind, chase, digest, bulletin, duty, recurring or calendar.' }),
});

import * as F from './fields.js';

const cronText = F.text({ max: 200 });
const putSchema = z
  .object({
    cron: z.union([cronText, z.array(cronText).min(1).max(20)]),
    timezone: F.optional(F.id({ max: 64, what: 'an IANA time zone such as Asia/Shanghai' })),
    enabled: z.boolean().default(true),
  })
  .strict();

function jobOr404(deps: Deps, name: string) {
  const job = findJob(deps, name);
  if (!job) throw notFound(`No job "${name}". Known jobs: ${jobNames(deps)}.`);
  return job;
}

/** GET /schedules, GET|PUT /schedules/:job — when each job runs; live on every instance within a minute. */
export function schedulesRoutes(deps: Deps) {
  const r = apiApp();
  const tag = 'jobs';
  route(
    r,
    {
      method: 'get',
      path: '/schedules',
      tag,
      summary: 'When each job runs',
      ok: { description: '`{schedules}`' },
    },
    async (c) => {
      const all = await Promise.all(deps.jobs.map((j) => scheduleView(deps, j)));
      return c.json({ schedules: all });
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/schedules/{job}',
      tag,
      summary: "One job's schedule",
      params: jobParams,
      ok: { description: 'The schedule.' },
      errors: [404],
    },
    async (c) => c.json(await scheduleView(deps, jobOr404(deps, pathParam(c, 'job')))),
  );
  route(
    r,
    {
      method: 'put',
      path: '/schedules/{job}',
      tag,
      summary: "Change a job's schedule (live on every instance within a minute)",
      params: jobParams,
      body: putSchema,
      ok: { description: 'The schedule.' },
      errors: [404],
    },
    async (c) => {
      const job = jobOr404(deps, pathParam(c, 'job'));
      const body = await readBody(c, putSchema);
      const cron = Array.isArray(body.cron) ? body.cron.join(';') : body.cron;
      const view = await updateSchedule(
        deps,
        job,
        { cron, timezone: body.timezone ?? null, enabled: body.enabled },
        'api',
      );
      return c.json(view);
    },
  );
  return r;
}
