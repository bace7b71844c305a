import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

type App = ReturnType<typeof createApp>;

async function post(app: App, path: string, body: string, headers: Record<string, string>) {
  const res = await app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const doc = {
  kind: 'document',
  docType: 'normal',
  title: '关于报送材料的通知',
  docNo: '穗府办〔2026〕12号',
  assignee: 'ou_lisi',
  direction: 'in',
};

describe.each(engines)('intake through the API on %s', (engine) => {
  let database: DatabaseHandle;
  let deps: ReturnType<typeof testDeps>;
  let app: App;
  const count = async () =>
    Number((await sql<{ n: string }>`select count(*)::text as n from items`.execute(database.db)).rows[0]!.n);
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
    deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  });

  it('the same Idempotency-Key and body answer the same item with 200, a day later too', async () => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'oa-7f3c' };
    const first = await post(app, '/api/v1/items', JSON.stringify(doc), headers);
    expect(first.status).toBe(201);
    expect(first.body.id).toBe('D-1');
    deps.clock.set('2026-11-24T11:00:00+08:00'); // 25 hours later
    const again = await post(app, '/api/v1/items', JSON.stringify(doc), headers);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: 'D-1', docNo: doc.docNo, status: 'open' });
    expect(await count()).toBe(1);
  });

  it('the same key with another body is a 409 and creates nothing', async () => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'k-1' };
    expect((await post(app, '/api/v1/items', JSON.stringify(doc), headers)).status).toBe(201);
    const other = await post(app, '/api/v1/items', JSON.stringify({ ...doc, title: '另一件' }), headers);
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({
      code: 'idempotency_key_reused',
      details: [{ field: 'Idempotency-Key', message: expect.any(String), id: 'D-1' }],
    });
    expect(await count()).toBe(1);
  });

  it('a failed creation leaves its key free for the corrected body', async () => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'k-2' };
    const bad = await post(app, '/api/v1/items', JSON.stringify({ ...doc, assignee: 'ou_nobody' }), headers);
    expect(bad.status).toBe(422);
    const good = await post(app, '/api/v1/items', JSON.stringify(doc), headers);
    expect(good.status).toBe(201);
  });

  it('an open document is unique by docNo and direction: the second is a 409 naming the first', async () => {
    expect((await api(app, 'POST', '/api/v1/items', doc)).status).toBe(201);
    const dup = await api(app, 'POST', '/api/v1/items', { ...doc, title: '重复登记' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({
      code: 'duplicate_document',
      details: [{ field: 'docNo', message: expect.stringContaining(doc.docNo), id: 'D-1' }],
    });
    // The other direction is another document; once the first is closed the number is free again.
    expect((await api(app, 'POST', '/api/v1/items', { ...doc, direction: 'out' })).body.id).toBe('D-2');
    await api(app, 'POST', '/api/v1/items/D-1/actions', { action: 'done', by: 'ou_lisi' });
    expect((await api(app, 'POST', '/api/v1/items', doc)).body.id).toBe('D-3');
    expect(await count()).toBe(3);
  });

  it('imports a CSV: assignees by open_id or by name within the department; dry run first', async () => {
    const csv = [
      'kind,title,docType,docNo,direction,assignee,dept,source,leadDept,coDepts,dueAt,工单号,问题类别',
      'document,关于报送材料的通知,normal,穗府办〔2026〕20号,in,李四,mishu,,,,,,',
      'task,落实领导批示,,,,ou_zhao,,instruction,ducha,mishu,2026-12-04,,',
      'task,路灯不亮,,,,赵六,,hotline,ducha,,2026-12-07,GD-77,市政',
    ].join('\n');
    const headers = { 'content-type': 'text/csv' };
    const dry = await post(app, '/api/v1/items/import?dryRun=true', csv, headers);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, count: 3 });
    expect(dry.body.items[0]).toMatchObject({ row: 2, kind: 'document', assignee: 'ou_lisi', dept: 'mishu' });
    expect(dry.body.items[0].dueAt).toBe('2026-11-26T18:00:00+08:00');
    expect(dry.body.items[1]).toMatchObject({
      row: 3,
      kind: 'task',
      assignee: 'ou_zhao',
      dueAt: '2026-12-04T18:00:00+08:00',
    });
    expect(dry.body.items[1].parts).toEqual([expect.objectContaining({ dept: 'mishu' })]);
    expect(await count()).toBe(0);

    const done = await post(app, '/api/v1/items/import', csv, headers);
    expect(done.status).toBe(201);
    expect(done.body.items).toEqual([
      { row: 2, id: 'D-1', title: '关于报送材料的通知', dueAt: '2026-11-26T18:00:00+08:00' },
      { row: 3, id: 'T-1', title: '落实领导批示', dueAt: '2026-12-04T18:00:00+08:00' },
      { row: 4, id: 'T-2', title: '路灯不亮', dueAt: '2026-12-07T18:00:00+08:00' },
    ]);
    const t2 = await api(app, 'GET', '/api/v1/items/T-2');
    expect(t2.body).toMatchObject({
      source: 'hotline',
      ticketNo: 'GD-77',
      category: '市政',
      assignee: 'ou_zhao',
    });
    const t1 = await api(app, 'GET', '/api/v1/items/T-1');
    expect(t1.body).toMatchObject({ leadDept: 'ducha', assignee: 'ou_zhao' });
    expect(t1.body.history[0]).toMatchObject({ action: 'create', actor: 'admin-api' });
  });

  it('imports an Excel workbook with the office headings and date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('公文');
    sheet.addRow(['类型', '标题', '文种', '文号', '收发', '承办人', '处室', '办结时限']);
    // A date cell holds the wall-clock time written in it.
    sheet.addRow([
      '公文',
      '关于年度考核的通知',
      'signoff',
      '穗府办〔2026〕30号',
      '收文',
      '张三',
      'mishu',
      new Date(Date.UTC(2026, 11, 1, 17, 30)),
    ]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const form = new FormData();
    form.set('file', new File([bytes], '公文登记.xlsx'));
    const res = await app.request('/api/v1/items/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body.items).toEqual([
      { row: 2, id: 'D-1', title: '关于年度考核的通知', dueAt: '2026-12-01T17:30:00+08:00' },
    ]);
    const d1 = await api(app, 'GET', '/api/v1/items/D-1');
    expect(d1.body).toMatchObject({
      assignee: 'ou_zhangsan',
      direction: 'in',
      docNo: '穗府办〔2026〕30号',
      docType: 'signoff',
    });
  });
});
