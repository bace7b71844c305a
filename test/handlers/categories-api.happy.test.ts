import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { listHistory } from '../../src/db/repos/history.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

describe.each(engines)('专项 categories through the API and the import on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    deps = testDeps(database, { now: '2026-03-02T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  });
  afterAll(async () => {
    await database.close();
  });

  it('an admin defines categories; items carry them by code or name, and the list filters by them', async () => {
    const put = await api(app, 'PUT', '/api/v1/categories/key-projects', { name: '重点建设项目' });
    expect(put).toMatchObject({
      status: 201,
      body: { code: 'key-projects', name: '重点建设项目', active: true, items: 0 },
    });
    expect(
      (await api(app, 'PUT', '/api/v1/categories/gov-report', { name: '政府工作报告分解' })).status,
    ).toBe(201);
    const again = await api(app, 'PUT', '/api/v1/categories/gov-report', {
      name: '政府工作报告重点任务分解',
    });
    expect(again).toMatchObject({ status: 200, body: { name: '政府工作报告重点任务分解' } });

    const t1 = await api(app, 'POST', '/api/v1/items', {
      kind: 'task',
      source: 'decision',
      title: '推进地铁三号线',
      leadDept: 'mishu',
      categories: ['key-projects', '政府工作报告重点任务分解'],
    });
    expect(t1.status).toBe(201);
    expect(t1.body.categories).toEqual(['key-projects', 'gov-report']);
    const d1 = await api(app, 'POST', '/api/v1/items', {
      kind: 'document',
      docType: 'normal',
      title: '关于项目推进的通知',
      assignee: 'ou_zhangsan',
      categories: ['重点建设项目'],
    });
    expect(d1.body.categories).toEqual(['key-projects']);
    await api(app, 'POST', '/api/v1/items', {
      kind: 'task',
      source: 'other',
      title: '其他',
      leadDept: 'mishu',
    });

    const listed = await api(app, 'GET', '/api/v1/items?category=key-projects');
    expect(listed.body.items.map((i: any) => i.id).sort()).toEqual([d1.body.id, t1.body.id].sort());
    const cats = await api(app, 'GET', '/api/v1/categories');
    expect(cats.body.categories).toEqual([
      { code: 'gov-report', name: '政府工作报告重点任务分解', active: true },
      { code: 'key-projects', name: '重点建设项目', active: true },
    ]);
  });

  it("PATCH replaces an item's categories for a chief, with a history row; staff are refused", async () => {
    const t = await api(app, 'POST', '/api/v1/items', {
      kind: 'task',
      source: 'instruction',
      title: '批示件',
      leadDept: 'mishu',
    });
    const id = t.body.id;
    const refused = await api(app, 'PATCH', `/api/v1/items/${id}`, {
      categories: ['gov-report'],
      by: 'ou_lisi',
    });
    expect(refused.status).toBe(403);
    expect((await api(app, 'GET', `/api/v1/items/${id}`)).body.categories).toEqual([]);
    const set = await api(app, 'PATCH', `/api/v1/items/${id}`, { categories: ['gov-report'], by: 'ou_wang' });
    expect(set.status).toBe(200);
    expect(set.body.categories).toEqual(['gov-report']);
    const history = await listHistory(database.db, id);
    expect(history.filter((h) => h.action === 'categories')).toMatchObject([
      { actor: 'ou_wang', details: { from: [], to: ['gov-report'] } },
    ]);
    // A document takes categories by PATCH too (the plan fields stay tasks-only).
    const doc = await api(app, 'POST', '/api/v1/items', {
      kind: 'document',
      docType: 'normal',
      title: '来文',
      assignee: 'ou_zhangsan',
    });
    const patched = await api(app, 'PATCH', `/api/v1/items/${doc.body.id}`, { categories: [] });
    expect(patched).toMatchObject({ status: 200, body: { categories: [] } });
  });

  it('an unknown or retired category is a 422 naming categories, and nothing is created', async () => {
    await api(app, 'PUT', '/api/v1/categories/old', { name: '旧专项', active: false });
    const before = (await api(app, 'GET', '/api/v1/items')).body.items.length;
    for (const bad of [['no-such'], ['旧专项']]) {
      const res = await api(app, 'POST', '/api/v1/items', {
        kind: 'task',
        source: 'other',
        title: 'x',
        leadDept: 'mishu',
        categories: bad,
      });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'invalid_field', details: [{ field: 'categories' }] });
    }
    expect((await api(app, 'GET', '/api/v1/items')).body.items.length).toBe(before);
    const code = await api(app, 'PUT', '/api/v1/categories/有空格', { name: 'x' });
    expect(code.status).toBe(422);
  });

  it('an import reads a 专项 column of names', async () => {
    const csv = '类型,标题,来源,牵头处室,专项\n任务,项目一,decision,mishu,重点建设项目、gov-report\n';
    const form = new FormData();
    form.set('file', new File([csv], '任务.csv', { type: 'text/csv' }));
    const res = await app.request('/api/v1/items/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    const item = await api(app, 'GET', `/api/v1/items/${body.items[0].id}`);
    expect(item.body.categories).toEqual(['key-projects', 'gov-report']);
  });
});
