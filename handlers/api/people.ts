import { Hono } from 'hono';
import { z } from 'zod';
import { getPerson, listPeople } from '../../src/db/repos/people.js';
import type { Deps } from '../../src/deps.js';
import { notFound } from '../../src/errors.js';
import { putPerson } from '../../src/services/organisation.js';
import { param, readBody, validate } from './body.js';
import * as F from './fields.js';

const openId = F.openId();

/** 人员: PUT /people/:openId {name, dept, roles}, GET /people?dept=, GET /people/:openId. */
export function peopleRoutes(deps: Deps) {
  const app = new Hono();

  app.put('/people/:openId', async (c) => {
    const id = param(c, 'openId', openId);
    const body = await readBody(
      c,
      z
        .object({
          name: F.text({ max: 100 }),
          dept: F.optional(F.deptCode()),
          roles: z
            .array(z.enum(['staff', 'chief', 'admin']))
            .min(1, 'give at least one role')
            .default(['staff']),
        })
        .strict(),
    );
    return c.json(
      await putPerson(deps, { openId: id, name: body.name, dept: body.dept ?? null, roles: body.roles }),
    );
  });

  app.get('/people', async (c) => {
    const q = validate(z.object({ dept: F.queryValue().optional() }), c.req.query());
    return c.json({ people: await listPeople(deps.database.db, q.dept ? { dept: q.dept } : {}) });
  });

  app.get('/people/:openId', async (c) => {
    const id = param(c, 'openId', openId);
    const p = await getPerson(deps.database.db, id);
    if (!p) throw notFound(`No registered person with open_id "${id}".`);
    return c.json(p);
  });

  return app;
}
