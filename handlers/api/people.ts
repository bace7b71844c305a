import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { notFound } from '../../src/platform/errors.js';
import { findPeople, findPerson, putPerson } from '../../src/settings/organisation.js';
import { param, readBody, validate } from './body.js';
import * as F from './fields.js';
import { apiApp, route } from './openapi.js';

const openId = F.openId().meta({ description: "The person's Lark open_id (ou_…): their key everywhere." });
const openIdParams = z.object({ openId });
const putBody = z
  .object({
    name: F.text({ max: 100 }).meta({ description: 'Display name, e.g. 张三.' }),
    dept: F.optional(F.deptCode()).meta({
      description: 'Department code. A chief without one (or of the top department) sees every department.',
    }),
    roles: z
      .array(z.enum(['staff', 'chief', 'admin']))
      .min(1, 'give at least one role')
      .default(['staff'])
      .meta({
        description:
          "staff: acts on their own items and claims their department's; chief: also approves extensions, reassigns, closes and cancels in their department, gets its escalations and digest; admin: everything, and the settings commands.",
      }),
  })
  .strict();
const listQuery = z.object({
  dept: F.queryValue().optional().meta({ description: 'Only this department.' }),
});

/** 人员: PUT /people/:openId {name, dept, roles}, GET /people?dept=, GET /people/:openId. */
export function peopleRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'people';

  route(
    app,
    {
      method: 'put',
      path: '/people/{openId}',
      tag,
      summary: 'Register or replace a person',
      params: openIdParams,
      body: putBody,
      ok: { description: 'The person.' },
    },
    async (c) => {
      const id = param(c, 'openId', openId);
      const body = await readBody(c, putBody);
      return c.json(
        await putPerson(deps, { openId: id, name: body.name, dept: body.dept ?? null, roles: body.roles }),
      );
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/people',
      tag,
      summary: 'List people',
      query: listQuery,
      ok: { description: '`{people}`' },
    },
    async (c) => {
      const q = validate(listQuery, c.req.query());
      return c.json({ people: await findPeople(deps, q.dept ? { dept: q.dept } : {}) });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/people/{openId}',
      tag,
      summary: 'One person',
      params: openIdParams,
      ok: { description: 'The person.' },
      errors: [404],
    },
    async (c) => {
      const id = param(c, 'openId', openId);
      const p = await findPerson(deps, id);
      if (!p) throw notFound(`No registered person with open_id "${id}".`);
      return c.json(p);
    },
  );

  return app;
}
