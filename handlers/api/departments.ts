import { Hono } from 'hono';
import { z } from 'zod';
import { getDepartment, listDepartments } from '../../src/db/repos/departments.js';
import type { Deps } from '../../src/deps.js';
import { AppError } from '../../src/errors.js';
import { putDepartment } from '../../src/services/organisation.js';
import { readBody, validate } from './body.js';

const code = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'use 1–32 letters, digits, "-" or "_" (e.g. mishu1)');
const fields = {
  name: z.string().trim().min(1, 'required').max(100),
  chatId: z.string().trim().min(1).max(100).nullable().optional(),
  isTop: z.boolean().optional(),
};

/** 处室: PUT /departments/:code (create or replace), POST /departments (create only), GET. */
export function departmentsRoutes(deps: Deps) {
  const app = new Hono();

  app.put('/departments/:code', async (c) => {
    const dept = validate(z.object({ code }), { code: c.req.param('code') }).code;
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
