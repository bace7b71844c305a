import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { FIRST_YEAR, LAST_YEAR, localParts } from '../../src/domain/time.js';
import { calendarCoverage, calendarDays, setCalendarDay } from '../../src/services/calendar.js';
import { readBody, requireDate, validate } from './body.js';
import * as F from './fields.js';

/** 工作日历: PUT /calendar/:date {workday, note?} (holiday / adjusted-day override), GET /calendar?year=. */
export function calendarRoutes(deps: Deps) {
  const app = new Hono();

  app.put('/calendar/:date', async (c) => {
    const date = requireDate(c.req.param('date'), 'date');
    const body = await readBody(
      c,
      z
        .object({
          workday: z.boolean({ error: 'required: true for a working day, false for a day off' }),
          note: F.optional(F.text({ max: 200, required: false })),
          by: F.id({ what: 'who made the change' }).optional(),
        })
        .strict(),
    );
    const day = await setCalendarDay(
      deps,
      { date, workday: body.workday, note: body.note ?? null },
      body.by ?? 'admin-api',
    );
    return c.json(day);
  });

  app.get('/calendar', async (c) => {
    const q = validate(
      z.object({ year: z.coerce.number().int().min(FIRST_YEAR).max(LAST_YEAR).optional() }),
      c.req.query(),
    );
    const year = q.year ?? localParts(deps.clock.now(), deps.config.timezone).year;
    const days = await calendarDays(deps.database.db, `${year}-01-01`, `${year}-12-31`);
    const coverage = calendarCoverage(deps.clock.now(), deps.config.timezone, 0);
    return c.json({
      year,
      official: days.every((d) => d.source !== 'fallback'),
      warning: days.some((d) => d.source === 'fallback')
        ? (coverage.warning ?? `No official holiday data for ${year}.`)
        : null,
      workdays: days.filter((d) => d.workday).length,
      days,
    });
  });

  app.get('/calendar/:date', async (c) => {
    const date = requireDate(c.req.param('date'), 'date');
    return c.json((await calendarDays(deps.database.db, date, date))[0]);
  });

  return app;
}
