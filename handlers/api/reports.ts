import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { atLocal } from '../../src/domain/time.js';
import { AppError } from '../../src/platform/errors.js';
import { hotlineFiguresAt } from '../../src/reports/hotline-figures.js';
import { reportCsv, summaryReport } from '../../src/reports/report.js';
import { requireDate } from './body.js';
import { apiApp, route } from './openapi.js';

/** The query as the handler reads it (dates checked by requireDate, format by hand). */
const summaryQuery = z.object({
  from: z.string().meta({ description: 'First day, YYYY-MM-DD.' }),
  to: z.string().meta({ description: 'Last day, YYYY-MM-DD.' }),
  dept: z.string().optional().meta({ description: 'Only this department (code).' }),
  format: z.enum(['json', 'csv']).optional().meta({
    description:
      "json (default) or csv (a download). A text cell starting with = + - @ (or tab/CR) is written with a leading ' so spreadsheets do not run it as a formula.",
  }),
});

/** GET /reports/summary?from=&to=[&dept=][&format=csv] — figures per department and for the office. */
export function reportsRoutes(deps: Deps) {
  const app = apiApp();
  route(
    app,
    {
      method: 'get',
      path: '/reports/summary',
      tag: 'reports',
      summary: 'Figures per department and for the office over a range of days',
      query: summaryQuery,
      ok: { description: 'The report (JSON), or CSV with format=csv.' },
      errors: [400],
    },
    async (c) => {
      const from = requireDate(c.req.query('from'), 'from');
      const to = requireDate(c.req.query('to'), 'to');
      const format = c.req.query('format') ?? 'json';
      if (format !== 'json' && format !== 'csv')
        throw new AppError(422, 'invalid_field', 'format: expected "json" or "csv"', [{ field: 'format' }]);
      const report = await summaryReport(deps, { from, to, dept: c.req.query('dept') || undefined });
      // The hotline's section: the month of `to` (办结率, 按时办结率, recurring categories).
      const hotline = await hotlineFiguresAt(
        deps,
        atLocal(to, '12:00', deps.config.timezone),
        deps.config.timezone,
      );
      if (format === 'json') return c.json({ ...report, hotline });
      return c.body(reportCsv(report, hotline), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="summary-${from}-${to}.csv"`,
      });
    },
  );
  return app;
}
