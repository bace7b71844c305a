import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { HHMM } from '../../src/domain/duty.js';
import { addDays, localDate, toZonedIso } from '../../src/domain/time.js';
import {
  addDutyLogEntry,
  type DutyDay,
  dutyDayWithLog,
  dutyRange,
  handOver,
  setDutyDay,
} from '../../src/duty/duty.js';
import { generateRotation, importDutyCsv } from '../../src/duty/import.js';
import { missingDutyLogsOn } from '../../src/duty/logs.js';
import { dutySettings, patchDutySettings } from '../../src/duty/settings.js';
import { AppError } from '../../src/platform/errors.js';
import { readBody, requireDate, validate } from './body.js';
import * as F from './fields.js';
import { apiApp, pathParam, route } from './openapi.js';

const openId = F.openId();
const hhmm = z.string().regex(HHMM, 'expected a local time HH:mm, e.g. 08:30');

const settingsSchema = z
  .object({
    start: hhmm.optional(),
    end: hhmm.optional(),
    eveAt: hhmm.optional(),
    morningAt: hhmm.optional(),
    remindAfterMinutes: z.number().int().min(5).max(240).optional(),
    escalateAfterMinutes: z.number().int().min(5).max(480).optional(),
    logGraceMinutes: z.number().int().min(0).max(1440).optional(),
  })
  .strict();

const rotationSchema = z.object({
  from: z.string(),
  to: z.string(),
  people: z.array(z.string().trim().min(1)).min(1, 'list at least one person').max(100),
  leaders: z.array(z.string().trim().min(1)).min(1, 'list at least one leader on duty').max(50),
  days: z.enum(['workdays', 'restdays', 'all']),
  apply: z.boolean().optional(),
});

const dateParams = z.object({ date: z.string().meta({ description: 'The duty day, YYYY-MM-DD.' }) });
const putBody = z
  .object({
    officer: z
      .union([openId, z.array(openId).min(1).max(5)])
      .meta({ description: 'open_id of the duty officer (值班员), or up to five of them.' }),
    leader: openId.meta({ description: 'open_id of the leader on duty (带班领导).' }),
    note: F.text({ max: 500, required: false }).optional(),
    start: hhmm.nullable().optional(),
    end: hhmm.nullable().optional(),
  })
  .strict();
const rangeQuery = z.object({
  from: F.queryValue().optional().meta({ description: 'First day, YYYY-MM-DD (default today).' }),
  to: F.queryValue()
    .optional()
    .meta({ description: 'Last day, YYYY-MM-DD (default from + 6 days); at most 366 days.' }),
});
const logBody = z
  .object({
    by: openId.meta({ description: 'Who writes the entry.' }),
    entry: F.text({ max: 2000 }).meta({ description: 'What happened, or 平安无事.' }),
  })
  .strict();
const handoverBody = z.object({ by: openId.meta({ description: 'Who confirms the handover.' }) }).strict();
const importBody = z.object({ csv: z.string().min(1, 'expected the CSV text') });
const missingQuery = z.object({
  date: z.string().optional().meta({ description: 'The shift day, YYYY-MM-DD.' }),
});

/**
 * 值班 roster: PUT/GET /duty, CSV import, rotations, the duty settings, the duty log, the
 * handover confirmation, and the shifts whose log is missing.
 */
export function dutyRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'duty';
  const tz = deps.config.timezone;
  const show = (d: DutyDay) => ({ ...d, handoverAt: d.handoverAt ? toZonedIso(d.handoverAt, tz) : null });

  // The fixed paths come before /duty/:date, which would take them for dates.
  route(
    app,
    {
      method: 'get',
      path: '/duty/settings',
      tag,
      summary: 'Duty hours and reminders',
      ok: { description: 'The duty settings.' },
    },
    async (c) => c.json(await dutySettings(deps)),
  );
  route(
    app,
    {
      method: 'put',
      path: '/duty/settings',
      tag,
      summary: 'Change some duty settings (recorded)',
      body: settingsSchema,
      ok: { description: 'The duty settings.' },
    },
    async (c) => {
      const body = await readBody(c, settingsSchema);
      return c.json(await patchDutySettings(deps, body, 'api'));
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/duty/import',
      tag,
      summary: 'Import a roster from CSV (text/csv, or JSON `{csv}`)',
      body: importBody,
      ok: { status: 201, description: 'What was imported.' },
    },
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      const csv = type.includes('json') ? (await readBody(c, importBody)).csv : await c.req.text();
      return c.json(await importDutyCsv(deps, csv), 201);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/duty/rotation',
      tag,
      summary: 'Generate a rotation over a range of days (apply: true to save it)',
      body: rotationSchema,
      ok: { description: 'The rotation.' },
      errors: [400],
    },
    async (c) => {
      const body = await readBody(c, rotationSchema);
      const from = requireDate(body.from, 'from');
      const to = requireDate(body.to, 'to');
      if (from > to) throw new AppError(400, 'invalid_range', `from (${from}) is after to (${to}).`);
      if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000)
        throw new AppError(400, 'invalid_range', 'Generate at most 366 days at a time.');
      return c.json(await generateRotation(deps, { ...body, from, to, apply: body.apply ?? false }));
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/duty/missing-logs',
      tag,
      summary: 'Shifts whose duty log is missing',
      query: missingQuery,
      ok: { description: 'The shifts.' },
      errors: [400],
    },
    async (c) => {
      const q = validate(missingQuery, c.req.query());
      const date =
        q.date === undefined ? addDays(localDate(deps.clock.now(), tz), -1) : requireDate(q.date, 'date');
      return c.json({ date, shifts: await missingDutyLogsOn(deps, date) });
    },
  );

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
      const date = requireDate(c.req.param('date'), 'date');
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
      return c.json({
        ...show(day),
        log: day.log.map((l) => ({ ...l, at: toZonedIso(l.at, tz) })),
        history: day.history.map((h) => ({ ...h, at: toZonedIso(h.at, tz) })),
      });
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
      const date = requireDate(c.req.param('date'), 'date');
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
      const date = requireDate(c.req.param('date'), 'date');
      const body = await readBody(c, handoverBody);
      return c.json(show(await handOver(deps, { date, by: body.by })));
    },
  );

  return app;
}
