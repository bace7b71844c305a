import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { notFound } from '../../src/errors.js';
import { findJob, jobNames, runJobSlot } from '../../src/services/run-job.js';
import { readBody } from './body.js';
import * as F from './fields.js';

const runSchema = z.object({ at: F.instant().optional() }).strict();

/**
 * POST /jobs/:job/run {at?} — runs a job now, or as if the clock read `at`, for the slot of that
 * minute. The slot is claimed like a scheduled run: a second run of the same slot sends nothing.
 */
export function jobsRoutes(deps: Deps) {
  const r = new Hono();
  r.get('/jobs', (c) =>
    c.json({
      jobs: deps.jobs.map((j) => ({
        name: j.name,
        description: j.description,
        defaultCron: j.defaultCron,
      })),
    }),
  );
  r.post('/jobs/:job/run', async (c) => {
    const name = c.req.param('job');
    const job = findJob(deps, name);
    if (!job) throw notFound(`No job "${name}". Known jobs: ${jobNames(deps)}.`);
    const body = await readBody(c, runSchema);
    const at = body.at ?? deps.clock.now();
    return c.json(await runJobSlot(deps, job, { at }));
  });
  return r;
}
