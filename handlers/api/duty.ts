import { Hono } from 'hono';
import { z } from 'zod';
import type { DutyDay } from '../../src/db/repos/duty.js';
import type { Deps } from '../../src/deps.js';
import { HHMM } from '../../src/domain/duty.js';
import { addDays, localDate, toZonedIso } from '../../src/domain/time.js';
import { AppError } from '../../src/errors.js';
import { addDutyLogEntry, dutyDayWithLog, dutyRange, handOver, setDutyDay } from '../../src/services/duty.js';
import { generateRotation, importDutyCsv } from '../../src/services/duty-import.js';
import { missingDutyLogs } from '../../src/services/duty-logs.js';
import { loadDutySettings, patchDutySettings } from '../../src/services/duty-settings.js';
import { readBody, requireDate, validate } from './body.js';
import * as F from './fields.js';

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

/**
 * 值班 roster: PUT/GET /duty, CSV import, rotations, the duty settings, the duty log, the
 * handover confirmation, and the shifts whose log is missing.
 */
export function dutyRoutes(deps: Deps) {
  const app = new Hono();
  const tz = deps.config.timezone;
  const show = (d: DutyDay) => ({ ...d, handoverAt: d.handoverAt ? toZonedIso(d.handoverAt, tz) : null });

  // The fixed paths come before /duty/:date, which would take them for dates.
  app.get('/duty/settings', async (c) => c.json(await loadDutySettings(deps.database.db)));
  app.put('/duty/settings', async (c) => {
    const body = await readBody(c, settingsSchema);
    return c.json(await patchDutySettings(deps, body, 'api'));
  });

  app.post('/duty/import', async (c) => {
    const type = c.req.header('content-type') ?? '';
    const csv = type.includes('json')
      ? (await readBody(c, z.object({ csv: z.string().min(1, 'expected the CSV text') }))).csv
      : await c.req.text();
    return c.json(await importDutyCsv(deps, csv), 201);
  });

  app.post('/duty/rotation', async (c) => {
    const body = await readBody(c, rotationSchema);
    const from = requireDate(body.from, 'from');
    const to = requireDate(body.to, 'to');
    if (from > to) throw new AppError(400, 'invalid_range', `from (${from}) is after to (${to}).`);
    if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000)
      throw new AppError(400, 'invalid_range', 'Generate at most 366 days at a time.');
    return c.json(await generateRotation(deps, { ...body, from, to, apply: body.apply ?? false }));
  });

  app.get('/duty/missing-logs', async (c) => {
    const q = validate(z.object({ date: z.string().optional() }), c.req.query());
    const date =
      q.date === undefined ? addDays(localDate(deps.clock.now(), tz), -1) : requireDate(q.date, 'date');
    return c.json({ date, shifts: await missingDutyLogs(deps.database.db, date) });
  });

  app.put('/duty/:date', async (c) => {
    const date = requireDate(c.req.param('date'), 'date');
    const body = await readBody(
      c,
      z
        .object({
          officer: z.union([openId, z.array(openId).min(1).max(5)]),
          leader: openId,
          note: F.text({ max: 500, required: false }).optional(),
          start: hhmm.nullable().optional(),
          end: hhmm.nullable().optional(),
        })
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
    return c.json({
      ...show(day),
      log: day.log.map((l) => ({ ...l, at: toZonedIso(l.at, tz) })),
      history: day.history.map((h) => ({ ...h, at: toZonedIso(h.at, tz) })),
    });
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
