import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { FIRST_YEAR, LAST_YEAR, localParts } from '../../src/domain/time.js';
import { calendarCoverage, calendarDaysIn, setCalendarDay } from '../../src/settings/calendar.js';
import { readBody, requireDate, validate } from './body.js';
import * as F from './fields.js';
import { apiApp, pathParam, route } from './openapi.js';

const dateParams = z.object({
  date: z.string().meta({ description: 'The calendar day, YYYY-MM-DD (an impossible date is a 400).' }),
});
const putBody = z
  .object({
    workday: z
      .boolean({ error: 'required: true for a working day, false for a day off' })
      .meta({ description: 'true: a working day (调休 Saturday); false: a day off (holiday).' }),
    note: F.optional(F.text({ max: 200, required: false })).meta({ description: 'Why, e.g. 国庆节.' }),
    by: F.id({ what: 'who made the change' })
      .optional()
      .meta({ description: 'Who made the change (history).' }),
  })
  .strict();
const listQuery = z.object({
  year: z.coerce
    .number()
    .int()
    .min(FIRST_YEAR)
    .max(LAST_YEAR)
    .optional()
    .meta({ description: 'Default: this year.' }),
});

/** 工作日历: PUT /calendar/:date {workday, note?} (holiday / adjusted-day override), GET /calendar?year=. */
export function calendarRoutes(deps: Deps) {
  const app = apiApp();
  const tag = 'calendar';

  route(
    app,
    {
      method: 'put',
      path: '/calendar/{date}',
      tag,
      summary: 'Override one day: a holiday or an adjusted working day',
      description: 'Overrides the official calendar (chinese-days) for that day; deadlines use it at once.',
      params: dateParams,
      body: putBody,
      ok: { description: 'The day as the calendar now has it.' },
    },
    async (c) => {
      const date = requireDate(c.req.param('date'), 'date');
      const body = await readBody(c, putBody);
      const day = await setCalendarDay(
        deps,
        { date, workday: body.workday, note: body.note ?? null },
        body.by ?? 'admin-api',
      );
      return c.json(day);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/calendar',
      tag,
      summary: "A year's days, and whether official holiday data covers it",
      query: listQuery,
      ok: { description: '`{year, official, warning, workdays, days}`' },
    },
    async (c) => {
      const q = validate(listQuery, c.req.query());
      const year = q.year ?? localParts(deps.clock.now(), deps.config.timezone).year;
      const days = await calendarDaysIn(deps, `${year}-01-01`, `${year}-12-31`);
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
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/calendar/{date}',
      tag,
      summary: 'One day: working day or not, and why',
      params: dateParams,
      ok: { description: 'The day.' },
      errors: [400],
    },
    async (c) => {
      const date = requireDate(pathParam(c, 'date'), 'date');
      return c.json((await calendarDaysIn(deps, date, date))[0]);
    },
  );

  return app;
}
