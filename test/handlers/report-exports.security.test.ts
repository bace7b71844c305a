import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { csvCell, safeText, sheetCell } from '../../src/reports/export-cells.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

/**
 * CSV injection: names an admin (or an OA system) typed are written into every CSV and Excel
 * export. A cell that starts with = + - @ is run as a formula when a chief opens the file; each
 * such cell is written with a leading ' (shown as the text), and numbers stay numbers.
 */
const HOSTILE = ['=HYPERLINK("http://x","点我")', "+cmd|' /C calc'!A0", '@SUM(1)', '-1+1'];
const FORMULA = /^[=+\-@\t\r]/;

describe.each(engines)('formula-safe exports on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const download = async (path: string) => {
    const res = await app.request(path, { headers });
    expect(res.status, path).toBe(200);
    return res;
  };
  const csvCells = async (path: string) => {
    const { parse } = await import('csv-parse/sync');
    return (
      parse(await (await download(path)).text(), { bom: true, relax_column_count: true }) as string[][]
    ).flat();
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    const deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    app = createApp(deps);
    for (const [i, name] of HOSTILE.entries()) {
      expect((await api(app, 'PUT', `/api/v1/departments/d${i}`, { name })).status).toBeLessThan(300);
      expect(
        (await api(app, 'PUT', `/api/v1/people/ou_${i}`, { name, dept: `d${i}`, roles: ['staff'] })).status,
      ).toBeLessThan(300);
      const task = { kind: 'task', source: 'other', title: name, leadDept: `d${i}`, assignee: `ou_${i}` };
      expect((await api(app, 'POST', '/api/v1/items', task)).status).toBe(201);
    }
  });
  afterAll(async () => {
    await database.close();
  });

  it.each([
    '/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&format=csv',
    '/api/v1/reports/figures?from=2026-11-01&to=2026-11-30&format=csv',
    '/api/v1/reports/figures?from=2026-11-01&to=2026-11-30&by=person&format=csv',
  ])('%s: no cell starts a formula; each hostile name is there behind a quote', async (path) => {
    const cells = await csvCells(path);
    expect(cells.filter((c) => FORMULA.test(c))).toEqual([]);
    for (const name of HOSTILE) expect(cells).toContain(`'${name}`);
  });

  it('the xlsx export: no text cell starts a formula, the names are behind a quote, counts are numbers', async () => {
    for (const by of ['dept', 'person']) {
      const res = await download(
        `/api/v1/reports/figures?from=2026-11-01&to=2026-11-30&by=${by}&format=xlsx`,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(await res.arrayBuffer());
      const sheet = workbook.worksheets[0]!;
      const texts: string[] = [];
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          expect(typeof cell.value === 'object' && cell.value !== null && 'formula' in cell.value).toBe(
            false,
          );
          if (typeof cell.value === 'string') texts.push(cell.value);
        });
      });
      expect(texts.filter((t) => FORMULA.test(t))).toEqual([]);
      for (const name of HOSTILE) expect(texts).toContain(`'${name}`);
      expect(typeof sheet.getRow(2).getCell(2).value).toBe('number');
    }
  });

  it('any department name (fast-check): no CSV or xlsx cell of the exports starts a formula', async () => {
    const name = fc
      .tuple(
        fc.constantFrom('=', '+', '-', '@', '\t=', ' =', '＝', ''),
        fc.string({ minLength: 1, maxLength: 12 }),
      )
      .map(([a, b]) => `${a}${b}`);
    await fc.assert(
      fc.asyncProperty(name, async (n) => {
        const put = await api(app, 'PUT', '/api/v1/departments/d0', { name: n });
        if (put.status >= 300) return; // refused as a name (blank, control characters): nothing to export
        for (const path of [
          '/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&format=csv',
          '/api/v1/reports/figures?from=2026-11-01&to=2026-11-30&format=csv',
        ])
          expect((await csvCells(path)).filter((c) => FORMULA.test(c))).toEqual([]);
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('one rule for every cell: formula starts get a quote, numbers (negative ones too) stay numbers', () => {
    for (const t of [...HOSTILE, '\t=1', '\r=1']) expect(safeText(t)).toBe(`'${t}`);
    expect(safeText('综合处')).toBe('综合处');
    expect(safeText("'quoted")).toBe("'quoted");
    expect(sheetCell(-2)).toBe(-2);
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('=A1,"x"')).toBe(`"'=A1,""x"""`);
    expect(csvCell(null)).toBe('');
  });
});
