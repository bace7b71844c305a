import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

async function seedViaApi(app: ReturnType<typeof createApp>) {
  expect((await api(app, 'PUT', '/api/v1/departments/top', { name: '办公厅', isTop: true })).status).toBe(
    201,
  );
  expect(
    (await api(app, 'PUT', '/api/v1/departments/mishu', { name: '秘书一处', chatId: 'oc_1' })).status,
  ).toBe(201);
  expect((await api(app, 'PUT', '/api/v1/departments/ducha', { name: '督查处' })).status).toBe(201);
  for (const [openId, name, dept, roles] of [
    ['ou_lisi', '李四', 'mishu', ['staff']],
    ['ou_zhangsan', '张三', 'mishu', ['staff']],
    ['ou_wang', '王处长', 'mishu', ['staff', 'chief']],
    ['ou_zhao', '赵六', 'ducha', ['staff']],
  ] as const) {
    expect((await api(app, 'PUT', `/api/v1/people/${openId}`, { name, dept, roles })).status).toBe(200);
  }
}

describe.each(engines)('items API on %s', (engine) => {
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
    await seedViaApi(app);
  });

  it('POST /items → 201 with id, status, dueAt with offset and light', async () => {
    const res = await api(app, 'POST', '/api/v1/items', {
      kind: 'document',
      docType: 'normal',
      title: '关于报送材料的通知',
      docNo: '穗府办〔2026〕12号',
      assignee: 'ou_lisi',
      direction: 'in',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: 'D-1',
      status: 'open',
      dueAt: '2026-11-26T18:00:00+08:00',
      light: 'green',
      dept: 'mishu',
      docNo: '穗府办〔2026〕12号',
    });
  });

  it('tasks with co-units, meetings with a minutes task, and the list filters', async () => {
    const t = await api(app, 'POST', '/api/v1/items', {
      kind: 'task',
      source: 'instruction',
      title: '领导批示件',
      leadDept: 'mishu',
      coDepts: [{ dept: 'ducha', assignee: 'ou_zhao' }],
      dueAt: '2026-11-24T18:00:00+08:00',
    });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ id: 'T-1', light: 'yellow', assignee: null });
    expect(t.body.parts).toEqual([
      expect.objectContaining({ dept: 'ducha', assignee: 'ou_zhao', dueAt: '2026-11-24T18:00:00+08:00' }),
    ]);
    const m = await api(app, 'POST', '/api/v1/items', {
      kind: 'meeting',
      title: '专题会',
      startsAt: '2026-11-25T09:00:00+08:00',
      endsAt: '2026-11-25T11:00:00+08:00',
      attendees: ['ou_lisi', 'ou_zhao'],
      organizer: 'ou_wang',
      minutesTaker: 'ou_zhangsan',
    });
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({ id: 'M-1', minutesTaskId: 'T-2' });
    const yellow = await api(app, 'GET', '/api/v1/items?light=yellow');
    expect(yellow.body.items.map((i: any) => i.id)).toEqual(['T-1']);
    const byAssignee = await api(app, 'GET', '/api/v1/items?assignee=ou_zhangsan');
    expect(byAssignee.body.items.map((i: any) => i.id)).toEqual(['T-2']);
    const meetings = await api(app, 'GET', '/api/v1/items?kind=meeting&status=open&dept=mishu');
    expect(meetings.body.items.map((i: any) => i.id)).toEqual(['M-1']);
    const children = await api(app, 'GET', '/api/v1/items?parent=m1');
    expect(children.body.items.map((i: any) => i.id)).toEqual(['T-2']);
  });

  it('actions through the API, and GET /items/:id with the full history', async () => {
    await api(app, 'POST', '/api/v1/items', {
      kind: 'task',
      source: 'hotline',
      title: '热线件',
      leadDept: 'mishu',
    });
    const claim = await api(app, 'POST', '/api/v1/items/t1/actions', { action: 'claim', by: 'ou_lisi' });
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({
      ok: true,
      changed: true,
      message: '已认领',
      item: { assignee: 'ou_lisi' },
    });
    const ext = await api(app, 'POST', '/api/v1/items/T-1/actions', {
      action: 'extend',
      by: 'ou_lisi',
      days: 1,
      reason: '等待材料',
    });
    expect(ext.body.message).toBe('已提交延期申请，等待王处长审批');
    await api(app, 'POST', '/api/v1/items/T-1/actions', { action: 'approve-extension', by: 'ou_wang' });
    const done = await api(app, 'POST', '/api/v1/items/T-1/actions', {
      action: 'done',
      by: 'ou_lisi',
      note: '已答复',
    });
    expect(done.body).toMatchObject({ ok: true, changed: true, message: '已办结', item: { status: 'done' } });
    const again = await api(app, 'POST', '/api/v1/items/T-1/actions', { action: 'done', by: 'ou_lisi' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, message: '该事项已由李四于11月23日 10:00办结' });

    const item = await api(app, 'GET', '/api/v1/items/t-1');
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({
      id: 'T-1',
      status: 'done',
      dueAt: '2026-12-01T18:00:00+08:00',
      originalDueAt: '2026-11-30T18:00:00+08:00',
      closedAt: '2026-11-23T10:00:00+08:00',
    });
    expect(item.body.extensionRequests).toEqual([
      expect.objectContaining({
        status: 'approved',
        newDueAt: '2026-12-01T18:00:00+08:00',
        decidedBy: 'ou_wang',
      }),
    ]);
    expect(item.body.history.map((h: any) => [h.action, h.actor, h.at])).toEqual([
      ['create', 'admin-api', '2026-11-23T10:00:00+08:00'],
      ['claim', 'ou_lisi', '2026-11-23T10:00:00+08:00'],
      ['extend', 'ou_lisi', '2026-11-23T10:00:00+08:00'],
      ['approve-extension', 'ou_wang', '2026-11-23T10:00:00+08:00'],
      ['done', 'ou_lisi', '2026-11-23T10:00:00+08:00'],
    ]);
    expect(item.body.history[4].details).toMatchObject({ note: '已答复' });
  });

  it('departments and people: update in place, list', async () => {
    const again = await api(app, 'PUT', '/api/v1/departments/mishu', { name: '秘书处', chatId: 'oc_1' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ code: 'mishu', name: '秘书处', chatId: 'oc_1', isTop: false });
    const list = await api(app, 'GET', '/api/v1/departments');
    expect(list.body.departments.map((d: any) => d.code)).toEqual(['ducha', 'mishu', 'top']);
    const people = await api(app, 'GET', '/api/v1/people?dept=mishu');
    expect(people.body.people.map((p: any) => p.openId)).toEqual(['ou_lisi', 'ou_wang', 'ou_zhangsan']);
    const moved = await api(app, 'PUT', '/api/v1/people/ou_lisi', {
      name: '李四',
      dept: 'ducha',
      roles: ['staff'],
    });
    expect(moved.body).toEqual({ openId: 'ou_lisi', name: '李四', dept: 'ducha', roles: ['staff'] });
  });

  it('calendar overrides change deadlines, GET /calendar explains each day', async () => {
    const put = await api(app, 'PUT', '/api/v1/calendar/2026-11-24', { workday: false, note: '临时调休' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      date: '2026-11-24',
      workday: false,
      source: 'override',
      note: '临时调休',
    });
    const d = await api(app, 'POST', '/api/v1/items', {
      kind: 'document',
      docType: 'signoff',
      title: 's',
      assignee: 'ou_lisi',
    });
    expect(d.body.dueAt).toBe('2026-11-26T18:00:00+08:00'); // 24th off: 25, 26
    const cal = await api(app, 'GET', '/api/v1/calendar?year=2026');
    expect(cal.body).toMatchObject({ year: 2026, official: true, warning: null });
    const oct1 = cal.body.days.find((x: any) => x.date === '2026-10-01');
    expect(oct1).toEqual({
      date: '2026-10-01',
      workday: false,
      source: 'official',
      holiday: '国庆节',
      note: null,
    });
    const y2027 = await api(app, 'GET', '/api/v1/calendar?year=2027');
    expect(y2027.body.official).toBe(false);
    expect(y2027.body.warning).toMatch(/2027/);
  });

  it('GET|PUT /rules: partial update, validated, recorded in settings_history, used for new items', async () => {
    const get = await api(app, 'GET', '/api/v1/rules');
    expect(get.body.rules).toMatchObject({
      circularCutoff: '16:00',
      signoffWorkdays: 2,
      workdayEndsAt: '18:00',
    });
    const put = await api(app, 'PUT', '/api/v1/rules', { signoffWorkdays: 1, by: 'ou_admin' });
    expect(put.status).toBe(200);
    expect(put.body.rules.signoffWorkdays).toBe(1);
    const d = await api(app, 'POST', '/api/v1/items', {
      kind: 'document',
      docType: 'signoff',
      title: 's',
      assignee: 'ou_lisi',
    });
    expect(d.body.dueAt).toBe('2026-11-24T18:00:00+08:00');
    const hist = await database.db.selectFrom('settings_history').selectAll().execute();
    expect(hist).toHaveLength(1);
    expect(hist[0]).toMatchObject({ key: 'deadline_rules', changed_by: 'ou_admin' });
  });

  it('/healthz reports the calendar: 2026 official, 2027 fallback with a warning', async () => {
    const res = await app.request('/healthz');
    const body: any = await res.json();
    expect(body.calendar).toMatchObject({ ok: false, years: { 2026: 'official', 2027: 'fallback' } });
    expect(body.warnings.some((w: string) => w.includes('2027'))).toBe(true);
  });
});
