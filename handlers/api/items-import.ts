import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { toZonedIso } from '../../src/domain/time.js';
import { importItems } from '../../src/items/import/import-items.js';
import { AppError } from '../../src/platform/errors.js';
import { readSheet } from './import-file.js';
import { rowsOf } from './import-rows.js';
import { apiApp, route } from './openapi.js';

/** The query as the handler reads it (dryRun checked by hand). */
const importQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional().meta({ description: 'true: check and show, save nothing.' }),
});

/** POST /items/import: documents and tasks from a CSV or an Excel workbook, all or nothing. */
export function itemsImportRoutes(deps: Deps) {
  const app = apiApp();
  const tz = deps.config.timezone;
  const z8 = (d: Date | null) => (d ? toZonedIso(d, tz) : null);
  route(
    app,
    {
      method: 'post',
      path: '/items/import',
      tag: 'items',
      summary: 'Import documents and tasks from a CSV or Excel file, all or nothing',
      description: [
        'The body is the file (Content-Type text/csv or the .xlsx type) or multipart field `file`.',
        'CSV: UTF-8 (BOM fine), or GBK/GB 2312/GB 18030 when `charset=` is declared on the request or the part;',
        'other bytes are refused, never replaced. At most 1,000 data rows, 10,000 rows in all, 100 columns,',
        '100,000 cells; a workbook part unpacks to at most 10 MB and 100,000 shared texts — checked while reading.',
        'Dates must exist (2026-13-01 and 25:99 are refused); a formula needs its saved result.',
        '422 `invalid_file`: the file cannot be read (bad multipart, no boundary, not CSV/xlsx, bad encoding, a limit);',
        '422 `invalid_rows`: rows that fail, each `{field, message, row, column}`. See docs/intake.md.',
      ].join(' '),
      query: importQuery,
      ok: { status: 201, description: '`{dryRun, count, items}` (200 for a dry run).' },
      errors: [400],
    },
    async (c) => {
      const dryRunParam = c.req.query('dryRun');
      if (dryRunParam !== undefined && dryRunParam !== 'true' && dryRunParam !== 'false')
        throw new AppError(
          400,
          'invalid_query',
          `dryRun: expected true or false, got ${JSON.stringify(dryRunParam)}`,
        );
      const dryRun = dryRunParam === 'true';
      const sheet = await readSheet(c);
      const { rows, problems } = rowsOf(sheet, tz);
      const result = await importItems(deps, rows, { dryRun, actor: 'admin-api', problems });
      if (result.dryRun) {
        const items = result.items.map((i) => ({
          ...i,
          dueAt: z8(i.dueAt),
          parts: i.parts.map((p) => ({ ...p, dueAt: z8(p.dueAt) })),
        }));
        return c.json({ dryRun: true, count: items.length, items });
      }
      const items = result.items.map((i) => ({ ...i, dueAt: z8(i.dueAt) }));
      return c.json({ dryRun: false, count: items.length, items }, 201);
    },
  );
  return app;
}
