import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { notFound } from '../../src/platform/errors.js';
import { findJob, jobNames, runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { readBody } from './body.js';
import * as F from './fields.js';
import { apiApp, pathParam, route } from './openapi.js';

const runSchema = z.object({ at: F.instant().optional() }).strict();
const jobParams = z.object({ job: z.string().meta({ description: 'A job name from GET /jobs.' }) });

/**
 * POST /jobs/:job/run {at?} — runs a job now, or as if the clock read `at`, for the slot of that
 * minute. The slot is claimed like a scheduled run: a second run of the same slot sends nothing.
 */
export function jobsRoutes(deps: Deps) {
  const r = apiApp();
  const tag = 'jobs';
  route(
    r,
    { method: 'get', path: '/jobs', tag, summary: 'The scheduled jobs', ok: { description: '`{jobs}`' } },
    (c) =>
      c.json({
        jobs: deps.jobs.map((j) => ({
          name: j.name,
          description: j.description,
          defaultCron: j.defaultCron,
        })),
      }),
  );
  route(
    r,
    {
      method: 'post',
      path: '/jobs/{job}/run',
      tag,
      summary: 'Run a job now, or as if the clock read `at`',
      description:
        'The slot of that minute is claimed like a scheduled run: a second run of the same slot sends nothing.',
      params: jobParams,
      body: runSchema,
      ok: { description: "The job's summary, e.g. `{job, at, sent, skipped, …}`." },
      errors: [404],
    },
    async (c) => {
      const name = pathParam(c, 'job');
      const job = findJob(deps, name);
      if (!job) throw notFound(`No job "${name}". Known jobs: ${jobNames(deps)}.`);
      const body = await readBody(c, runSchema);
      const at = body.at ?? deps.clock.now();
      return c.json(await runJobSlot(deps, job, { at }));
    },
  );
  return r;
}
