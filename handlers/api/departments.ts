import { Hono } from 'hono';
import { z } from 'zod';
import { getDepartment, listDepartments } from '../../src/db/repos/departments.js';
import type { Deps } from '../../src/deps.js';
import { AppError } from '../../src/errors.js';
import { putDepartment } from '../../src/services/organisation.js';
import { param, readBody } from './body.js';
import * as F from './fields.js';

const code = F.deptCode();
const fields = {
  name: F.text({ max: 100 }),
  chatId: F.optional(F.chatId()),
  isTop: z.boolean().optional(),
};

/** 处室: PUT /departments/:code (create or replace), POST /departments (create only), GET. */
export function departmentsRoutes(deps: Deps) {
  const app = new Hono();

  app.put('/departments/:code', async (c) => {
    const dept = param(c, 'code', code);
    const body = await readBody(c, z.object(fields).strict());
    const { department, created } = await putDepartment(deps, { code: dept, ...body });
    return c.json(department, created ? 201 : 200);
  });

  app.post('/departments', async (c) => {
    const body = await readBody(c, z.object({ code, ...fields }).strict());
    if (await getDepartment(deps.database.db, body.code))
      throw new AppError(
        409,
        'conflict',
        `code: department "${body.code}" already exists (use PUT to change it)`,
        [{ field: 'code', message: 'already exists' }],
      );
    const { department } = await putDepartment(deps, body);
    return c.json(department, 201);
  });

  app.get('/departments', async (c) => c.json({ departments: await listDepartments(deps.database.db) }));

  return app;
}
