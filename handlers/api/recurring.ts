import { Hono } from 'hono';
import type { Deps } from '../../src/deps.js';
import { AppError } from '../../src/errors.js';
import {
  createRecurring,
  disableRecurring,
  getRecurring,
  listRecurring,
  recurringInputSchema,
  updateRecurring,
} from '../../src/services/recurring.js';
import { readBody } from './body.js';

function idParam(text: string): number {
  const id = Number(text);
  if (!/^\d{1,9}$/.test(text) || id < 1)
    throw new AppError(404, 'not_found', `No recurring duty "${text}": ids are positive integers.`);
  return id;
}

/** GET|POST /recurring, GET|PUT|DELETE /recurring/:id — DELETE disables; nothing is erased. */
export function recurringRoutes(deps: Deps) {
  const r = new Hono();
  r.get('/recurring', async (c) => c.json({ recurring: await listRecurring(deps) }));
  r.post('/recurring', async (c) => {
    const body = await readBody(c, recurringInputSchema);
    return c.json(await createRecurring(deps, body, 'api'), 201);
  });
  r.get('/recurring/:id', async (c) => c.json(await getRecurring(deps, idParam(c.req.param('id')))));
  r.put('/recurring/:id', async (c) => {
    const id = idParam(c.req.param('id'));
    const body = await readBody(c, recurringInputSchema);
    return c.json(await updateRecurring(deps, id, body, 'api'));
  });
  r.delete('/recurring/:id', async (c) =>
    c.json(await disableRecurring(deps, idParam(c.req.param('id')), 'api')),
  );
  return r;
}
