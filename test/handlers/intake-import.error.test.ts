import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

describe.each(engines)('a bad import file on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  const count = async () =>
    Number((await sql<{ n: string }>`select count(*)::text as n from items`.execute(database.db)).rows[0]!.n);
  const upload = async (csv: string, query = '', type = 'text/csv') => {
    const res = await app.request(`/api/v1/items/import${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': type },
      body: csv,
    });
    return { status: res.status, body: (await res.json()) as any };
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
    expect(
      (
        await api(app, 'POST', '/api/v1/items', {
          kind: 'document',
          docType: 'normal',
          title: '已登记',
          docNo: '穗府办〔2026〕1号',
          assignee: 'ou_lisi',
          direction: 'in',
        })
      ).status,
    ).toBe(201);
  });

  it('one bad row rejects the whole file, every problem listed by row and column', async () => {
    const csv = [
      'kind,title,docType,docNo,direction,assignee,dept,source,leadDept,dueAt',
      'document,好的一行,normal,穗府办〔2026〕2号,in,ou_lisi,,,,',
      'document,文种不对,weekly,,in,ou_lisi,,,,',
      'document,同名找不到,normal,,in,王五,mishu,,,',
      'document,已登记的文号,normal,穗府办〔2026〕1号,in,ou_lisi,,,,',
      'task,,,,,ou_zhao,,instruction,nowhere,',
      'document,文件内重复,normal,穗府办〔2026〕2号,in,ou_lisi,,,,',
      'task,时限已过,,,,,,decision,mishu,2026-11-20',
    ].join('\n');
    for (const query of ['?dryRun=true', '']) {
      const res = await upload(csv, query);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('invalid_rows');
      expect(res.body.error.details).toEqual([
        { row: 3, column: 'docType', message: expect.any(String) },
        { row: 4, column: 'assignee', message: 'nobody named "王五" in department "mishu"' },
        { row: 5, column: 'docNo', message: '"穗府办〔2026〕1号" (in) is already open as D-1' },
        { row: 6, column: 'title', message: expect.any(String) },
        { row: 6, column: 'leadDept', message: 'unknown department "nowhere"' },
        { row: 7, column: 'docNo', message: 'same docNo as row 2' },
        { row: 8, column: 'dueAt', message: 'must be in the future' },
      ]);
    }
    expect(await count()).toBe(1);
  });

  it('a row whose title is refused is still checked for its other problems, every one listed', async () => {
    const csv = [
      'kind,title,docType,docNo,direction,assignee,dept,source,leadDept,dueAt',
      'document,\u200b\u200b,normal,穗府办〔2026〕1号,in,王五,mishu,,,',
      'task,,,,,ou_lisi,,decision,nowhere,',
    ].join('\n');
    const res = await upload(csv);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { row: 2, column: 'title', message: expect.any(String) },
      { row: 2, column: 'assignee', message: 'nobody named "王五" in department "mishu"' },
      { row: 3, column: 'title', message: expect.any(String) },
      { row: 3, column: 'leadDept', message: 'unknown department "nowhere"' },
    ]);
    expect(await count()).toBe(1);
  });

  it('an unknown department is named at its row; an unknown column at row 1', async () => {
    const res = await upload(['kind,title,source,leadDept,备注', 'task,某项工作,other,nowhere,x'].join('\n'));
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([
      { row: 1, column: '备注', message: expect.stringContaining('unknown column') },
      { row: 2, column: 'leadDept', message: 'unknown department "nowhere"' },
    ]);
    expect(await count()).toBe(1);
  });

  it('refuses what is not a sheet, an empty file, and a bad dryRun', async () => {
    expect((await upload('{"kind":"task"}', '', 'application/json')).body.error).toMatchObject({
      code: 'invalid_file',
    });
    expect((await upload('kind,title\n', '')).body.error).toMatchObject({ code: 'invalid_file' });
    expect((await upload('kind,title\ntask,x', '?dryRun=yes')).status).toBe(400);
    expect(
      (
        await upload(
          'not a workbook',
          '',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
      ).body.error.code,
    ).toBe('invalid_file');
    expect(await count()).toBe(1);
  });
});
