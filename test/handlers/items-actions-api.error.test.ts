import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { toZonedIso } from '../../src/domain/time.js';
import { putPerson } from '../../src/settings/organisation.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

const TZ = 'Asia/Shanghai';
const task = (assignee: string) => ({
  kind: 'task',
  source: 'other',
  title: '任务',
  leadDept: 'mishu',
  assignee,
  dueAt: '2026-11-30T18:00:00+08:00',
});

describe.each(
  engines,
)('item actions through the API: decisions, extensions, reassignment on %s', (engine) => {
  let database: DatabaseHandle;
  let deps: ReturnType<typeof testDeps>;
  let app: ReturnType<typeof createApp>;
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
    await putPerson(deps, { openId: 'ou_chen', name: '陈秘书长', dept: 'top', roles: ['chief'] });
  });
  const act = (id: string, body: object) => api(app, 'POST', `/api/v1/items/${id}/actions`, body);
  const history = async (id: string) => (await api(app, 'GET', `/api/v1/items/${id}`)).body.history;

  it('a decision names the request it decides: another request → 409, a decided one says by whom', async () => {
    expect((await api(app, 'POST', '/api/v1/items', task('ou_lisi'))).status).toBe(201);
    expect((await act('T-1', { action: 'extend', by: 'ou_lisi', days: 2 })).status).toBe(200);
    const first = (await api(app, 'GET', '/api/v1/items/T-1')).body.extensionRequests[0].id;
    expect((await act('T-1', { action: 'reject-extension', by: 'ou_wang', requestId: first })).status).toBe(
      200,
    );
    expect((await act('T-1', { action: 'extend', by: 'ou_lisi', days: 5 })).status).toBe(200);
    const second = (await api(app, 'GET', '/api/v1/items/T-1')).body.extensionRequests[1].id;

    const stale = await act('T-1', { action: 'approve-extension', by: 'ou_wang', requestId: first });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.reply).toBe('该延期申请已由王处长于11月23日 10:00驳回');
    const unknown = await act('T-1', { action: 'approve-extension', by: 'ou_wang', requestId: second + 100 });
    expect(unknown.status).toBe(409);
    const notAnId = await act('T-1', { action: 'approve-extension', by: 'ou_wang', requestId: 'click-1' });
    expect(notAnId.status).toBe(422);
    expect(notAnId.body.error.details.map((d: any) => d.field)).toEqual(['requestId']);
    let item = (await api(app, 'GET', '/api/v1/items/T-1')).body;
    expect(item.extensionRequests.map((r: any) => r.status)).toEqual(['rejected', 'pending']);
    expect(item.dueAt).toBe('2026-11-30T18:00:00+08:00');

    const ok = await act('T-1', { action: 'approve-extension', by: 'ou_wang', requestId: String(second) });
    expect(ok.status).toBe(200);
    expect(ok.body.changed).toBe(true);
    const again = await act('T-1', { action: 'approve-extension', by: 'ou_wang', requestId: second });
    expect(again.body).toMatchObject({ changed: false, message: '该延期申请已由王处长于11月23日 10:00批准' });
    item = (await api(app, 'GET', '/api/v1/items/T-1')).body;
    expect(item.extensionRequests.map((r: any) => r.status)).toEqual(['rejected', 'approved']);
    expect(item.dueAt).toBe(item.extensionRequests[1].newDueAt);
  });

  it('a chief does not decide their own extension; the top department’s chief (or an admin) does', async () => {
    expect((await api(app, 'POST', '/api/v1/items', task('ou_wang'))).status).toBe(201);
    const asked = await act('T-1', { action: 'extend', by: 'ou_wang', days: 2 });
    expect(asked.body.message).toBe('已提交延期申请，等待陈秘书长审批');
    const own = await act('T-1', { action: 'approve-extension', by: 'ou_wang' });
    expect(own.status).toBe(403);
    expect(own.body.error.details.reply).toBe('不能审批本人的延期申请，须由其他负责同志审批');
    expect((await act('T-1', { action: 'approve-extension', by: 'ou_chen' })).status).toBe(200);
    expect((await history('T-1')).map((h: any) => `${h.action}:${h.actor}`)).toEqual([
      'create:admin-api',
      'extend:ou_wang',
      'approve-extension:ou_chen',
    ]);
  });

  it('extend: days and newDueAt together → 422 naming both; newDueAt no further than the most days allow', async () => {
    for (const assignee of ['ou_lisi', 'ou_zhangsan'])
      expect((await api(app, 'POST', '/api/v1/items', task(assignee))).status).toBe(201);
    const both = await act('T-1', {
      action: 'extend',
      by: 'ou_lisi',
      days: 2,
      newDueAt: '2026-12-02T18:00:00+08:00',
    });
    expect(both.status).toBe(422);
    expect(both.body.error.details.map((d: any) => d.field).sort()).toEqual(['days', 'newDueAt']);

    // The furthest deadline 60 working days give, then the same as an instant, then a day beyond.
    expect((await act('T-1', { action: 'extend', by: 'ou_lisi', days: 60 })).status).toBe(200);
    const furthest = (await api(app, 'GET', '/api/v1/items/T-1')).body.extensionRequests[0].newDueAt;
    const dayAfter = toZonedIso(new Date(new Date(furthest).getTime() + 24 * 3600_000), TZ);
    const beyond = await act('T-2', { action: 'extend', by: 'ou_zhangsan', newDueAt: dayAfter });
    expect(beyond.status).toBe(422);
    expect(beyond.body.error.details.reply).toMatch(/^延期最多60个工作日：新的截止时间不能晚于/);
    const atCap = await act('T-2', { action: 'extend', by: 'ou_zhangsan', newDueAt: furthest });
    expect(atCap.status).toBe(200);
    expect((await api(app, 'GET', '/api/v1/items/T-2')).body.extensionRequests[0].newDueAt).toBe(furthest);
  });

  it('reassign stays within the lead department, except for the top department’s chiefs and admins', async () => {
    expect((await api(app, 'POST', '/api/v1/items', task('ou_lisi'))).status).toBe(201);
    const across = await act('T-1', { action: 'reassign', by: 'ou_wang', to: 'ou_zhao' });
    expect(across.status).toBe(403);
    expect(across.body.error.details.reply).toBe('只能改派给秘书一处的同志');
    expect((await api(app, 'GET', '/api/v1/items/T-1')).body.assignee).toBe('ou_lisi');
    expect((await act('T-1', { action: 'reassign', by: 'ou_wang', to: 'ou_zhangsan' })).status).toBe(200);
    expect((await act('T-1', { action: 'reassign', by: 'ou_chen', to: 'ou_zhao' })).status).toBe(200);
    expect((await act('T-1', { action: 'reassign', by: 'ou_admin', to: 'ou_lisi' })).status).toBe(200);
    expect((await history('T-1')).map((h: any) => `${h.action}:${h.details.to ?? ''}`)).toEqual([
      'create:',
      'reassign:ou_zhangsan',
      'reassign:ou_zhao',
      'reassign:ou_lisi',
    ]);
  });

  it('done takes the result as a note, kept in the history', async () => {
    expect((await api(app, 'POST', '/api/v1/items', task('ou_lisi'))).status).toBe(201);
    const done = await act('T-1', { action: 'done', by: 'ou_lisi', note: '已完成并报送' });
    expect(done.status).toBe(200);
    expect(done.body.item).toMatchObject({ status: 'done', progressNote: '已完成并报送' });
    expect((await history('T-1')).at(-1)).toMatchObject({
      action: 'done',
      details: { note: '已完成并报送' },
    });
  });
});
