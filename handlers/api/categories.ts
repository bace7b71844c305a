import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { categoriesIn, putCategory } from '../../src/settings/categories.js';
import { param, readBody } from './body.js';
import * as F from './fields.js';
import { apiApp, route } from './openapi.js';

const code = z
  .string({ error: 'expected a category code' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'use 1–32 letters, digits, "-" or "_" (e.g. key-projects)')
  .meta({ description: 'The code items carry: 1–32 letters, digits, "-" or "_".' });
const putBody = z
  .object({
    name: F.text({ max: 100 }).meta({ description: 'Its name as the office writes it, e.g. 重点建设项目.' }),
    active: z.boolean().optional().meta({
      description:
        'false retires it: it stays on the items that carry it and in their figures, but is no longer set on new ones. Default true.',
    }),
    by: F.openId().optional().meta({
      description: 'open_id of the admin making the change (kept as updated_by). Default admin-api.',
    }),
  })
  .strict();

/** 专项: GET /categories, PUT /categories/:code. */
export function categoriesRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'categories';

  route(
    app,
    {
      method: 'get',
      path: '/categories',
      tag,
      summary: 'List the 专项 categories items can carry',
      description:
        'A new office starts with three suggestions (政府工作报告分解 `gov-report`, 部门责任目标 `dept-targets`, 重点建设项目 `key-projects`), which an admin renames or retires.',
      ok: { description: '`{categories: [{code, name, active}]}`' },
    },
    async (c) => c.json({ categories: await categoriesIn(deps) }),
  );

  route(
    app,
    {
      method: 'put',
      path: '/categories/{code}',
      tag,
      summary: 'Create or change a 专项 category',
      params: z.object({ code }),
      body: putBody,
      ok: { description: 'The category with `items` (how many items carry it); 201 when it was created.' },
    },
    async (c) => {
      const key = param(c, 'code', code);
      const body = await readBody(c, putBody);
      const { category, created } = await putCategory(
        deps,
        { code: key, name: body.name, active: body.active ?? true },
        body.by ?? 'admin-api',
      );
      return c.json(category, created ? 201 : 200);
    },
  );

  return app;
}
