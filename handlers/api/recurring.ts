import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import {
  createRecurring,
  disableRecurring,
  getRecurring,
  listRecurring,
  recurringInputSchema,
  updateRecurring,
} from '../../src/items/recurring.js';
import { AppError } from '../../src/platform/errors.js';
import { readBody } from './body.js';
import { apiApp, pathParam, route } from './openapi.js';

const idParams = z.object({ id: z.string().meta({ description: 'The duty id (a positive integer).' }) });

function idParam(text: string): number {
  const id = Number(text);
  if (!/^\d{1,9}$/.test(text) || id < 1)
    throw new AppError(404, 'not_found', `No recurring duty "${text}": ids are positive integers.`);
  return id;
}

/** GET|POST /recurring, GET|PUT|DELETE /recurring/:id — DELETE disables; nothing is erased. */
export function recurringRoutes(deps: Deps) {
  const r = apiApp();
  const tag = 'recurring';
  route(
    r,
    {
      method: 'get',
      path: '/recurring',
      tag,
      summary: 'Recurring duties (信息编报, weekly minutes…)',
      ok: { description: '`{recurring}`' },
    },
    async (c) => c.json({ recurring: await listRecurring(deps) }),
  );
  route(
    r,
    {
      method: 'post',
      path: '/recurring',
      tag,
      summary: 'Create a recurring duty',
      body: recurringInputSchema,
      ok: { status: 201, description: 'The duty.' },
    },
    async (c) => {
      const body = await readBody(c, recurringInputSchema);
      return c.json(await createRecurring(deps, body, 'api'), 201);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/recurring/{id}',
      tag,
      summary: 'One recurring duty',
      params: idParams,
      ok: { description: 'The duty.' },
      errors: [404],
    },
    async (c) => c.json(await getRecurring(deps, idParam(pathParam(c, 'id')))),
  );
  route(
    r,
    {
      method: 'put',
      path: '/recurring/{id}',
      tag,
      summary: 'Replace a recurring duty',
      params: idParams,
      body: recurringInputSchema,
      ok: { description: 'The duty.' },
      errors: [404],
    },
    async (c) => {
      const id = idParam(pathParam(c, 'id'));
      const body = await readBody(c, recurringInputSchema);
      return c.json(await updateRecurring(deps, id, body, 'api'));
    },
  );
  route(
    r,
    {
      method: 'delete',
      path: '/recurring/{id}',
      tag,
      summary: 'Disable a recurring duty (the record is kept)',
      params: idParams,
      ok: { description: 'The duty, disabled.' },
      errors: [404],
    },
    async (c) => c.json(await disableRecurring(deps, idParam(pathParam(c, 'id')), 'api')),
  );
  return r;
}
