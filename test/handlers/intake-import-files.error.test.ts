import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { rawWorkbook, sheetXml, textCell, workbook, XLSX_TYPE } from '../helpers/workbooks.js';
import { seedOffice } from '../integration/items-seed.js';

/**
 * Import files that once gave a 500, stalled the service or imported the wrong data: a multipart
 * body without a boundary or cut short, impossible date serials, formulas without a saved result,
 * impossible dates and times, GBK bytes, and workbooks that unpack to hundreds of megabytes.
 * Each is a 422 a person can act on, and nothing is written.
 */
describe.each(engines)('hostile import files on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  const count = async () =>
    Number((await sql<{ n: string }>`select count(*)::text as n from items`.execute(database.db)).rows[0]!.n);
  const post = async (body: string | Uint8Array | FormData, type?: string, query = '') => {
    const headers: Record<string, string> = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    if (type) headers['content-type'] = type;
    const res = await app.request(`/api/v1/items/import${query}`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as any };
  };
  const form = (bytes: Uint8Array, name: string, type?: string) => {
    const f = new FormData();
    f.set('file', new File([bytes], name, type ? { type } : {}));
    return f;
  };
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
    const deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  });

  const task = ['task', 'other', '任务', 'mishu'];
  const heading = ['kind', 'source', 'title', 'leadDept'];

  it('a multipart Content-Type without a boundary is a 422 invalid_file that says how to send the file', async () => {
    const res = await post('kind,title\ntask,x\n', 'multipart/form-data');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_file', details: [{ field: 'file' }] });
    expect(res.body.error.message).toContain('boundary');
    expect(await count()).toBe(0);
  });

  it.each([
    ['not multipart at all', 'garbage'],
    [
      'a part cut short',
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nkind,title',
    ],
    ['a part without headers', '--XX\r\n\r\n--XX--'],
  ])('a malformed multipart body (%s) is a 422 invalid_file; nothing is written', async (_what, body) => {
    const res = await post(body, 'multipart/form-data; boundary=XX');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_file');
    expect(res.body.error.message).toMatch(/multipart/);
    expect(await count()).toBe(0);
  });

  it('a date cell holding an impossible serial is a 422 invalid_rows at its row and column', async () => {
    const bytes = await workbook(
      [
        [...heading, 'dueAt'],
        [...task, 1],
      ],
      (sheet) => {
        const cell = sheet.getCell('E2');
        cell.value = 1e12;
        cell.numFmt = 'yyyy-mm-dd';
      },
    );
    const res = await post(bytes, XLSX_TYPE);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_rows');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ row: 2, column: 'dueAt' }));
    expect(await count()).toBe(0);
  });

  it('a formula without a saved result is refused at its row and column, never imported as "[object Object]"', async () => {
    const bytes = await workbook([heading, task], (sheet) => {
      sheet.getCell('C2').value = { formula: 'A1&"x"' } as any;
    });
    const res = await post(bytes, XLSX_TYPE);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_rows');
    const detail = res.body.error.details.find((d: any) => d.column === 'title');
    expect(detail).toMatchObject({ row: 2, column: 'title' });
    expect(detail.message).toMatch(/formula/);
    expect(await count()).toBe(0);
  });

  it('a formula with its saved result imports the result', async () => {
    const bytes = await workbook([heading, task], (sheet) => {
      sheet.getCell('C2').value = { formula: '"季度"&"总结"', result: '季度总结' } as any;
    });
    const res = await post(bytes, XLSX_TYPE, '?dryRun=true');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items[0].title).toBe('季度总结');
  });

  it.each([
    ['2026-13-01', 'not a real date'],
    ['2026-02-30', 'not a real date'],
    ['2026-12-01 25:99', 'not a time of day'],
    ['2026-12-01 24:00', 'not a time of day'],
    ['2026/12/32', 'not a real date'],
  ])('dueAt %s is refused (%s), not rolled over to another day', async (value, message) => {
    const res = await post(`${heading.join(',')},dueAt\n${task.join(',')},${value}\n`, 'text/csv');
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_rows');
    const detail = res.body.error.details.find((d: any) => d.column === 'dueAt');
    expect(detail).toMatchObject({ row: 2, column: 'dueAt' });
    expect(detail.message).toContain(message);
    expect(await count()).toBe(0);
  });

  /** 张三 in GBK (not valid UTF-8). */
  const GBK_TITLE = [0xd5, 0xc5, 0xc8, 0xfd];
  const gbkCsv = () =>
    Buffer.concat([
      Buffer.from(`${heading.join(',')}\ntask,other,`),
      Buffer.from(GBK_TITLE),
      Buffer.from(',mishu\n'),
    ]);

  it('a GBK CSV that declares its charset (on the request or on the part) is read in it', async () => {
    expect(new TextDecoder('gb18030').decode(Buffer.from(GBK_TITLE))).toBe('张三');
    const raw = await post(gbkCsv(), 'text/csv; charset=gbk', '?dryRun=true');
    expect(raw.status, JSON.stringify(raw.body)).toBe(200);
    expect(raw.body.items[0].title).toBe('张三');
    const part = await post(
      form(gbkCsv(), 'items.csv', 'text/csv; charset=gb18030'),
      undefined,
      '?dryRun=true',
    );
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body.items[0].title).toBe('张三');
  });

  it('a CSV that is not UTF-8 and declares nothing is refused (invalid_file), never stored as U+FFFD', async () => {
    for (const res of [await post(gbkCsv(), 'text/csv'), await post(form(gbkCsv(), 'items.csv'))]) {
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.code).toBe('invalid_file');
      expect(res.body.error.message).toMatch(/UTF-8.*charset/);
    }
    const other = await post(gbkCsv(), 'text/csv; charset=latin9');
    expect(other.body.error.code).toBe('invalid_file');
    expect(other.body.error.message).toContain('gb18030');
    expect(await count()).toBe(0);
  });

  it('a UTF-8 CSV with a BOM is read', async () => {
    const res = await post(`\uFEFF${heading.join(',')}\n${task.join(',')}\n`, 'text/csv', '?dryRun=true');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items[0].title).toBe('任务');
  });

  const rowXml = (r: number) => `<row r="${r}">${textCell(`A${r}`, 'task')}${textCell(`C${r}`, 'x')}</row>`;

  it('a workbook whose sheet unpacks to 60 MB is refused at the ceiling, and /healthz answers meanwhile', async () => {
    const sheet = sheetXml(
      `${rowXml(1)}${'<row><c t="inlineStr"><is><t>x</t></is></c></row>'.repeat(1_200_000)}`,
    );
    expect(sheet.byteLength).toBeGreaterThan(50 * 1024 * 1024);
    for (const declaredSize of [undefined, 4_096]) {
      const bytes = rawWorkbook(sheet, declaredSize === undefined ? {} : { declaredSize });
      expect(bytes.byteLength).toBeLessThan(1024 * 1024);
      const [imported, health] = await Promise.all([post(bytes, XLSX_TYPE), app.request('/healthz')]);
      expect(health.status).toBe(200);
      expect(imported.status, JSON.stringify(imported.body)).toBe(422);
      expect(imported.body.error.code).toBe('invalid_file');
      expect(imported.body.error.message).toContain('unpacks to more than 10 MB');
    }
    expect(await count()).toBe(0);
  }, 60_000);

  it('a sheet of 20,000 rows is refused while it is read, by the row limit', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => rowXml(i + 1)).join('');
    const res = await post(rawWorkbook(sheetXml(rows)), XLSX_TYPE);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_file');
    expect(res.body.error.message).toContain('more than 10000 rows');
  });

  it('1,001 data rows are refused while the sheet is read; 1,000 are taken', async () => {
    const rows = (n: number) => [
      heading,
      ...Array.from({ length: n }, (_, i) => ['task', 'other', `任务${i}`, 'mishu']),
    ];
    const over = await post(await workbook(rows(1_001)), XLSX_TYPE, '?dryRun=true');
    expect(over.status, JSON.stringify(over.body)).toBe(422);
    expect(over.body.error.message).toContain('more than 1000 data rows');
    const fits = await post(await workbook(rows(1_000)), XLSX_TYPE, '?dryRun=true');
    expect(fits.status, JSON.stringify(fits.body).slice(0, 300)).toBe(200);
    expect(fits.body.count).toBe(1_000);
  }, 60_000);

  it('a cell past column 100 is refused naming it, before the sheet is read', async () => {
    const res = await post(
      rawWorkbook(sheetXml(`${rowXml(1)}<row r="2">${textCell('XFD2', 'x')}</row>`)),
      XLSX_TYPE,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('invalid_file');
    expect(res.body.error.message).toContain('XFD2');
  });

  it('a shared-string table of more than 100,000 texts is refused', async () => {
    const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${'<si><t>x</t></si>'.repeat(100_001)}</sst>`;
    const res = await post(rawWorkbook(sheetXml(rowXml(1)), { sharedStrings: sst }), XLSX_TYPE);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.message).toContain('shared-string table');
  });

  it('a workbook that is not a zip, or a zip without a workbook, is a 422 invalid_file', async () => {
    for (const bytes of [Buffer.from('PK\u0003\u0004 not really'), Buffer.alloc(0)]) {
      const res = await post(bytes, XLSX_TYPE);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.code).toBe('invalid_file');
    }
  });
});
