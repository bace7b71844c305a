import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { notFound } from '../../src/errors.js';
import { findJob, jobNames } from '../../src/services/run-job.js';
import { scheduleView, updateSchedule } from '../../src/services/schedule-admin.js';
import { readBody } from './body.js';
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
  const r = new Hono();
  r.get('/schedules', async (c) => {
    const all = await Promise.all(deps.jobs.map((j) => scheduleView(deps, j)));
    return c.json({ schedules: all });
  });
  r.get('/schedules/:job', async (c) => c.json(await scheduleView(deps, jobOr404(deps, c.req.param('job')))));
  r.put('/schedules/:job', async (c) => {
    const job = jobOr404(deps, c.req.param('job'));
    const body = await readBody(c, putSchema);
    const cron = Array.isArray(body.cron) ? body.cron.join(';') : body.cron;
    const view = await updateSchedule(
      deps,
      job,
      { cron, timezone: body.timezone ?? null, enabled: body.enabled },
      'api',
    );
    return c.json(view);
  });
  return r;
}
