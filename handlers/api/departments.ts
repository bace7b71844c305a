import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { AppError } from '../../src/platform/errors.js';
import { allDepartments, findDepartment, putDepartment } from '../../src/settings/organisation.js';
import { param, readBody } from './body.js';
import * as F from './fields.js';
import { apiApp, route } from './openapi.js';

const code = F.deptCode().meta({
  description: 'The department code people type (绑定 ZHB): 1–32 letters, digits, "-" or "_".',
});
const fields = {
  name: F.text({ max: 100 }).meta({ description: 'Its name, e.g. 综合处.' }),
  chatId: F.optional(F.chatId()).meta({
    description:
      "The Lark chat_id (oc_…) of the department's group: unassigned items and reminders go there.",
  }),
  isTop: z
    .boolean()
    .optional()
    .meta({ description: "The office's top department: its chiefs see and act on every department." }),
};
const codeParams = z.object({ code });
const putBody = z.object(fields).strict();
const postBody = z.object({ code, ...fields }).strict();

/** 处室: PUT /departments/:code (create or replace), POST /departments (create only), GET. */
export function departmentsRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'departments';

  route(
    app,
    {
      method: 'put',
      path: '/departments/{code}',
      tag,
      summary: 'Create or replace a department',
      params: codeParams,
      body: putBody,
      ok: { description: 'The department (201 when it was created).' },
    },
    async (c) => {
      const dept = param(c, 'code', code);
      const body = await readBody(c, putBody);
      const { department, created } = await putDepartment(deps, { code: dept, ...body });
      return c.json(department, created ? 201 : 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/departments',
      tag,
      summary: 'Create a department (409 when the code exists)',
      body: postBody,
      ok: { status: 201, description: 'The new department.' },
      errors: [409],
    },
    async (c) => {
      const body = await readBody(c, postBody);
      if (await findDepartment(deps, body.code))
        throw new AppError(
          409,
          'conflict',
          `code: department "${body.code}" already exists (use PUT to change it)`,
          [{ field: 'code', message: 'already exists' }],
        );
      const { department } = await putDepartment(deps, body);
      return c.json(department, 201);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/departments',
      tag,
      summary: 'List departments',
      ok: { description: '`{departments}`' },
    },
    async (c) => c.json({ departments: await allDepartments(deps) }),
  );

  return app;
}
