import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { PERIOD_KINDS, type PeriodKind, periodHolding } from '../../src/domain/figure-rows.js';
import { addDays, localDate } from '../../src/domain/time.js';
import { AppError } from '../../src/platform/errors.js';
import { type FiguresBy, figuresReport } from '../../src/reports/figures.js';
import { figuresCsv, figuresXlsx } from '../../src/reports/figures-export.js';
import { yearReport } from '../../src/reports/year-report.js';
import { requireDate, validate } from './body.js';
import * as F from './fields.js';
import { apiApp, route } from './openapi.js';

const BY = ['source', 'category', 'person', 'dept'] as const;
const FORMATS = ['json', 'csv', 'xlsx'] as const;

const figuresQuery = z.object({
  from: z.string().optional().meta({ description: 'First day, YYYY-MM-DD (with `to`).' }),
  to: z.string().optional().meta({ description: 'Last day, YYYY-MM-DD, inclusive.' }),
  period: z.enum(PERIOD_KINDS).optional().meta({
    description:
      'Instead of from/to: the week (Monday–Sunday), 旬 (tenDays: 1st–10th, 11th–20th, 21st–end), month, quarter, halfYear or year holding `date`.',
  }),
  date: z
    .string()
    .optional()
    .meta({ description: 'With `period`: a day in it, YYYY-MM-DD (default today).' }),
  by: z.enum(BY).optional().meta({
    description:
      'Rows per department (default), source (领导批示, 会议议定 … and 公文 / 会议 for documents and meetings), 专项 category (an item under two counts in each) or handler (person).',
  }),
  dept: F.queryValue().optional().meta({ description: 'Only this department (code).' }),
  as: F.queryValue().optional().meta({
    description:
      "open_id of the person reading, when the API reads on someone's behalf. by=person answers only a chief of that department (who reads their own when `dept` is left out), an office leader (a chief of the top department) or an admin; anyone else is a 403. Absent: the admin token itself reads.",
  }),
  format: z.enum(FORMATS).optional().meta({
    description:
      "json (default), csv (UTF-8 with BOM) or xlsx. A text cell starting with = + - @ (or tab/CR) is written with a leading ' so spreadsheets do not run it as a formula; numbers stay numbers.",
  }),
});

const who = z.object({ dept: F.queryValue().optional(), as: F.queryValue().optional() });

const oneOf = (field: string, value: string | undefined, allowed: readonly string[]) => {
  if (value !== undefined && !allowed.includes(value))
    throw new AppError(422, 'invalid_field', `${field}: expected one of ${allowed.join(', ')}`, [
      { field, message: `expected one of ${allowed.join(', ')}` },
    ]);
  return value;
};

/** GET /reports/figures — opened, closed, on time, overdue, rates, handling time, extensions, unanswered 催办. */
export function reportFiguresRoutes(deps: Deps) {
  const app = apiApp();
  route(
    app,
    {
      method: 'get',
      path: '/reports/figures',
      tag: 'reports',
      summary: 'Figures by department, source, 专项 or handler for any period',
      description:
        'Each row: opened, closed, onTime, overdue (at the end of the period), due (应办结) with dueDone and dueDoneOnTime, completionRate (办结率 = dueDone/due) and onTimeRate (按时办结率 = dueDoneOnTime/due) as 0–1 (null when nothing was due), avgHandlingWorkdays, handlingWorkdaysTotal, extensions and unansweredReminders; `total` counts every item in scope once. The same definitions as the digest, the 通报, the summary and the year report (docs/figures.md).',
      query: figuresQuery,
      ok: { description: '`{from, to, by, dept, rows, total}`, or a CSV / xlsx download.' },
      errors: [400, 403],
    },
    async (c) => {
      const q = c.req.query();
      const tz = deps.config.timezone;
      const by = (oneOf('by', q.by, BY) ?? 'dept') as FiguresBy;
      const format = oneOf('format', q.format, FORMATS) ?? 'json';
      const period = oneOf('period', q.period, PERIOD_KINDS) as PeriodKind | undefined;
      let from: string;
      let to: string;
      if (period) {
        if (q.from !== undefined || q.to !== undefined)
          throw new AppError(422, 'invalid_field', 'period: give either period (with date) or from and to', [
            { field: 'period', message: 'give either period or from/to' },
          ]);
        const date = q.date === undefined ? localDate(deps.clock.now(), tz) : requireDate(q.date, 'date');
        const range = periodHolding(period, date);
        from = range.from;
        to = addDays(range.to, -1);
      } else {
        from = requireDate(q.from, 'from');
        to = requireDate(q.to, 'to');
      }
      const { dept, as } = validate(who, { dept: q.dept, as: q.as });
      const report = await figuresReport(deps, { from, to, by, dept, as });
      if (format === 'json') return c.json(report);
      const name = `figures-${by}-${from}-${to}`;
      if (format === 'csv')
        return c.body(figuresCsv(report), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}.csv"`,
        });
      return c.body(await figuresXlsx(report), 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="${name}.xlsx"`,
      });
    },
  );
  return app;
}

const yearQuery = z.object({
  year: z.string().optional().meta({ description: 'The year, e.g. 2026 (default this year).' }),
  dept: F.queryValue().optional().meta({ description: 'Only this department (code).' }),
});

/** GET /reports/year — 年度统计: the year-end figures, month by month, the year the sum of its months. */
export function reportYearRoutes(deps: Deps) {
  const app = apiApp();
  route(
    app,
    {
      method: 'get',
      path: '/reports/year',
      tag: 'reports',
      summary: '年度统计: the year-end figures month by month (议定事项, 批示件, 信息, hotline 办结率)',
      description:
        "For each month and for the year: `decisions` (会议议定事项), `instructions` (领导批示件), `hotline` (热线工单) and `all`, each a figures row as in GET /reports/figures for that month, and `informationSent` (信息: outgoing documents closed). The year is the sum of its twelve months (so 办结率 counts an item closed by the end of the month it fell due); `overdue` is the count at the year's end. `summaryZh` is a paragraph to paste into the office's report.",
      query: yearQuery,
      ok: { description: '`{year, dept, months, total, summaryZh}`' },
    },
    async (c) => {
      const q = validate(yearQuery, c.req.query());
      const tz = deps.config.timezone;
      const year =
        q.year === undefined
          ? Number(localDate(deps.clock.now(), tz).slice(0, 4))
          : /^\d{4}$/.test(q.year)
            ? Number(q.year)
            : Number.NaN;
      return c.json(await yearReport(deps, { year, dept: q.dept }));
    },
  );
  return app;
}
