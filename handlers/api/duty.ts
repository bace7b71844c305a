import { z } from 'zod';
import type { DutyDay } from '../../src/db/repos/duty.js';
import type { Deps } from '../../src/deps.js';
import { toZonedIso } from '../../src/domain/time.js';
import { AppError } from '../../src/errors.js';
import { addDutyLogEntry, dutyDayWithLog, dutyRange, handOver, setDutyDay } from '../../src/services/duty.js';
import { readBody, requireDate, validate } from './body.js';
import { apiApp, pathParam, route } from './openapi.js';

const openId = z.string().trim().min(1, 'expected a Lark open_id').max(100);
const dateParams = z.object({ date: z.string().meta({ description: 'The duty day, YYYY-MM-DD.' }) });
const putBody = z.object({
  officer: openId.meta({ description: 'open_id of the duty officer (值班员).' }),
  leader: openId.meta({ description: 'open_id of the leader on duty (带班领导).' }),
  note: z.string().max(500).optional(),
});
const rangeQuery = z.object({
  from: z.string().optional().meta({ description: 'First day, YYYY-MM-DD (default today).' }),
  to: z
    .string()
    .optional()
    .meta({ description: 'Last day, YYYY-MM-DD (default from + 6 days); at most 366 days.' }),
});
const logBody = z.object({
  by: openId.meta({ description: 'Who writes the entry.' }),
  entry: z.string().trim().min(1, 'write what happened, or 平安无事').max(2000),
});
const handoverBody = z.object({ by: openId.meta({ description: 'Who confirms the handover.' }) });

/** 值班 roster: PUT/GET /duty, the duty log and the handover confirmation. */
export function dutyRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'duty';
  const tz = deps.config.timezone;
  const show = (d: DutyDay) => ({ ...d, handoverAt: d.handoverAt ? toZonedIso(d.handoverAt, tz) : null });

  route(
    app,
    {
      method: 'put',
      path: '/duty/{date}',
      tag,
      summary: "Set a day's duty officer and leader (值班)",
      params: dateParams,
      body: putBody,
      ok: { description: 'The duty day.' },
    },
    async (c) => {
      const date = requireDate(pathParam(c, 'date'), 'date');
      const body = await readBody(c, putBody);
      return c.json(show(await setDutyDay(deps, { date, ...body })));
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/duty',
      tag,
      summary: 'The roster for a range of days',
      query: rangeQuery,
      ok: { description: '`{from, to, days}`' },
      errors: [400],
    },
    async (c) => {
      const q = validate(rangeQuery, c.req.query());
      const from = q.from === undefined ? undefined : requireDate(q.from, 'from');
      const to = q.to === undefined ? undefined : requireDate(q.to, 'to');
      if (from && to && from > to)
        throw new AppError(400, 'invalid_range', `from (${from}) is after to (${to}).`);
      if (from && to && Date.parse(to) - Date.parse(from) > 366 * 86_400_000) {
        throw new AppError(400, 'invalid_range', 'Ask for at most 366 days at a time.');
      }
      const range = await dutyRange(deps, from, to);
      return c.json({ ...range, days: range.days.map(show) });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/duty/{date}',
      tag,
      summary: 'One duty day with its log',
      params: dateParams,
      ok: { description: 'The duty day and `log`.' },
      errors: [400],
    },
    async (c) => {
      const day = await dutyDayWithLog(deps, requireDate(pathParam(c, 'date'), 'date'));
      return c.json({ ...show(day), log: day.log.map((l) => ({ ...l, at: toZonedIso(l.at, tz) })) });
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/duty/{date}/log',
      tag,
      summary: 'Add an entry to the duty log (值班日志)',
      params: dateParams,
      body: logBody,
      ok: { status: 201, description: '`{ok: true}`' },
    },
    async (c) => {
      const date = requireDate(pathParam(c, 'date'), 'date');
      const body = await readBody(c, logBody);
      await addDutyLogEntry(deps, { date, ...body });
      return c.json({ ok: true }, 201);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/duty/{date}/handover',
      tag,
      summary: 'Confirm the handover (the first confirmation stands)',
      params: dateParams,
      body: handoverBody,
      ok: { description: 'The duty day.' },
    },
    async (c) => {
      const date = requireDate(pathParam(c, 'date'), 'date');
      const body = await readBody(c, handoverBody);
      return c.json(show(await handOver(deps, { date, by: body.by })));
    },
  );

  return app;
}
