import { Hono } from 'hono';
import { z } from 'zod';
import type { DutyDay } from '../../src/db/repos/duty.js';
import type { Deps } from '../../src/deps.js';
import { toZonedIso } from '../../src/domain/time.js';
import { AppError } from '../../src/errors.js';
import { addDutyLogEntry, dutyDayWithLog, dutyRange, handOver, setDutyDay } from '../../src/services/duty.js';
import { readBody, requireDate, validate } from './body.js';
import * as F from './fields.js';

const openId = F.openId();

/** 值班 roster: PUT/GET /duty, the duty log and the handover confirmation. */
export function dutyRoutes(deps: Deps) {
  const app = new Hono();
  const tz = deps.config.timezone;
  const show = (d: DutyDay) => ({ ...d, handoverAt: d.handoverAt ? toZonedIso(d.handoverAt, tz) : null });

  app.put('/duty/:date', async (c) => {
    const date = requireDate(c.req.param('date'), 'date');
    const body = await readBody(
      c,
      z
        .object({ officer: openId, leader: openId, note: F.text({ max: 500, required: false }).optional() })
        .strict(),
    );
    return c.json(show(await setDutyDay(deps, { date, ...body })));
  });

  app.get('/duty', async (c) => {
    const q = validate(
      z.object({ from: F.queryValue().optional(), to: F.queryValue().optional() }),
      c.req.query(),
    );
    const from = q.from === undefined ? undefined : requireDate(q.from, 'from');
    const to = q.to === undefined ? undefined : requireDate(q.to, 'to');
    if (from && to && from > to)
      throw new AppError(400, 'invalid_range', `from (${from}) is after to (${to}).`);
    if (from && to && Date.parse(to) - Date.parse(from) > 366 * 86_400_000) {
      throw new AppError(400, 'invalid_range', 'Ask for at most 366 days at a time.');
    }
    const range = await dutyRange(deps, from, to);
    return c.json({ ...range, days: range.days.map(show) });
  });

  app.get('/duty/:date', async (c) => {
    const day = await dutyDayWithLog(deps, requireDate(c.req.param('date'), 'date'));
    return c.json({ ...show(day), log: day.log.map((l) => ({ ...l, at: toZonedIso(l.at, tz) })) });
  });

  app.post('/duty/:date/log', async (c) => {
    const date = requireDate(c.req.param('date'), 'date');
    const body = await readBody(c, z.object({ by: openId, entry: F.text({ max: 2000 }) }).strict());
    await addDutyLogEntry(deps, { date, ...body });
    return c.json({ ok: true }, 201);
  });

  app.post('/duty/:date/handover', async (c) => {
    const date = requireDate(c.req.param('date'), 'date');
    const body = await readBody(c, z.object({ by: openId }).strict());
    return c.json(show(await handOver(deps, { date, by: body.by })));
  });

  return app;
}
