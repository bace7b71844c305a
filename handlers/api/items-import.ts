import { Hono } from 'hono';
import type { Deps } from '../../src/deps.js';
import { toZonedIso } from '../../src/domain/time.js';
import { AppError } from '../../src/errors.js';
import { importItems } from '../../src/services/import-items.js';
import { readSheet } from './import-file.js';
import { rowsOf } from './import-rows.js';

/** POST /items/import: documents and tasks from a CSV or an Excel workbook, all or nothing. */
export function itemsImportRoutes(deps: Deps) {
  const app = new Hono();
  const tz = deps.config.timezone;
  const z8 = (d: Date | null) => (d ? toZonedIso(d, tz) : null);
  app.post('/items/import', async (c) => {
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
  });
  return app;
}
