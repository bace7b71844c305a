import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { createItem, isDuplicateOccurrence } from '../../src/items/items.js';
import { runRecurringDuties } from '../../src/items/recurring.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

describe.each(engines)('recurring duties on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
  });

  async function setup(now: string) {
    const deps = testDeps(database, { now });
    await putDepartment(deps, { code: 'zonghe', name: '综合处' });
    await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'zonghe', roles: ['staff'] });
    return { deps, app: createApp(deps) };
  }

  it('creates each occurrence once as an ordinary task, on working days only', async () => {
    const { deps, app } = await setup('2026-09-30T07:05:00+08:00');
    const created = await api(app, 'POST', '/api/v1/recurring', {
      title: '信息编报',
      assignee: 'ou_zhang',
      rule: { every: 'workday', dueAt: '16:00' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 1,
      title: '信息编报',
      enabled: true,
      rule: { every: 'workday', dueAt: '16:00', dueAfterWorkdays: 0 },
    });
    const weekly = await api(app, 'POST', '/api/v1/recurring', {
      title: '周例会纪要',
      dept: 'zonghe',
      rule: { every: 'week', weekday: 1, dueAfterWorkdays: 1, dueAt: '12:00' },
    });
    expect(weekly.status).toBe(201);

    const run = await api(app, 'POST', '/api/v1/jobs/recurring/run', {});
    expect(run.body).toMatchObject({ job: 'recurring', sent: 1, created: ['T-1'] });
    const again = await api(app, 'POST', '/api/v1/jobs/recurring/run', { at: '2026-09-30T07:06:00+08:00' });
    expect(again.body).toMatchObject({ sent: 0, skipped: 1 });
    const item = await database.db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', 'T-1')
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      title: '信息编报（9月30日）',
      assignee: 'ou_zhang',
      lead_dept: 'zonghe',
      recurring_id: 1,
      occurrence_key: '2026-09-30',
    });
    expect(item.due_at).toEqual(new Date('2026-09-30T16:00:00+08:00'));

    // National Day: nothing. Thursday 10-08: the daily one, and the Monday one moved from 10-05.
    deps.clock.set('2026-10-02T07:05:00+08:00');
    expect((await api(app, 'POST', '/api/v1/jobs/recurring/run', {})).body).toMatchObject({
      sent: 0,
      created: [],
    });
    deps.clock.set('2026-10-08T07:05:00+08:00');
    const thursday = await api(app, 'POST', '/api/v1/jobs/recurring/run', {});
    expect(thursday.body.created).toHaveLength(2);
    const titles = await database.db
      .selectFrom('items')
      .select(['title', 'occurrence_key', 'assignee'])
      .orderBy('id')
      .execute();
    expect(titles).toEqual([
      { title: '信息编报（9月30日）', occurrence_key: '2026-09-30', assignee: 'ou_zhang' },
      { title: '信息编报（10月8日）', occurrence_key: '2026-10-08', assignee: 'ou_zhang' },
      { title: '周例会纪要（第41周）', occurrence_key: '2026-W41', assignee: null },
    ]);
  });

  it('refuses a second item for one occurrence as a whole: nothing half-written, nothing sent', async () => {
    const { deps } = await setup('2026-09-30T07:05:00+08:00');
    const input = {
      kind: 'task' as const,
      source: 'other' as const,
      title: '信息编报',
      leadDept: 'zonghe',
      assignee: 'ou_zhang',
    };
    const occurrence = { recurringId: 7, key: '2026-09-30' };
    await createItem(deps, input, 'system', { occurrence });
    const second = await createItem(deps, input, 'system', { occurrence }).catch((e: unknown) => e);
    expect(isDuplicateOccurrence(second)).toBe(true);
    expect(await database.db.selectFrom('items').select('id').execute()).toEqual([{ id: 'T-1' }]);
    expect(await database.db.selectFrom('item_history').select('item_id').execute()).toEqual([
      { item_id: 'T-1' },
    ]);
    const outbox = await database.db.selectFrom('outbox').select('item_ids').execute();
    expect(outbox.length).toBeGreaterThan(0);
    expect(outbox.flatMap((r) => r.item_ids)).toEqual(outbox.map(() => 'T-1'));
  });

  it.runIf(engine === 'postgres')(
    'three instances running the job at once create each occurrence once',
    async () => {
      const { deps, app } = await setup('2026-09-30T07:05:00+08:00');
      await api(app, 'POST', '/api/v1/recurring', {
        title: '信息编报',
        assignee: 'ou_zhang',
        rule: { every: 'workday', dueAt: '16:00' },
      });
      const instances = [0, 1, 2].map(() => testDeps(database, { now: '2026-09-30T07:05:00+08:00' }));
      const results = await Promise.all(instances.map((d) => runRecurringDuties(d, { at: d.clock.now() })));
      expect(results.flatMap((r) => r.created)).toHaveLength(1);
      expect(
        await database.db.selectFrom('items').select('id').where('recurring_id', '=', 1).execute(),
      ).toHaveLength(1);
      for (const d of [deps, ...instances])
        expect(d.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    },
  );

  it("a department's duty rotation gives each occurrence to that day's duty officer", async () => {
    const { deps, app } = await setup('2026-09-30T07:05:00+08:00');
    await putPerson(deps, { openId: 'ou_li', name: '李四', dept: 'zonghe', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_wang', name: '王处长', dept: 'zonghe', roles: ['chief'] });
    expect(
      (await api(app, 'PUT', '/api/v1/duty/2026-09-30', { officer: 'ou_li', leader: 'ou_wang' })).status,
    ).toBe(200);
    await api(app, 'POST', '/api/v1/recurring', {
      title: '值班信息报送',
      dept: 'zonghe',
      rotation: 'duty',
      rule: { every: 'workday', dueAt: '17:00' },
    });
    expect((await api(app, 'POST', '/api/v1/jobs/recurring/run', {})).body.created).toEqual(['T-1']);
    const item = await database.db
      .selectFrom('items')
      .select(['assignee', 'lead_dept'])
      .executeTakeFirstOrThrow();
    expect(item).toEqual({ assignee: 'ou_li', lead_dept: 'zonghe' });
  });

  it('PUT changes a duty, DELETE disables it and keeps it listed; bad rules are 422s naming the field', async () => {
    const { deps, app } = await setup('2026-09-30T07:05:00+08:00');
    await api(app, 'POST', '/api/v1/recurring', {
      title: '月度通报',
      dept: 'zonghe',
      rule: { every: 'month', which: 'first' },
    });
    const put = await api(app, 'PUT', '/api/v1/recurring/1', {
      title: '月度进展通报',
      dept: 'zonghe',
      rule: { every: 'month', which: 'last', dueAt: '17:00' },
    });
    expect(put.body).toMatchObject({ title: '月度进展通报', rule: { which: 'last' } });
    const del = await api(app, 'DELETE', '/api/v1/recurring/1');
    expect(del.body.enabled).toBe(false);
    expect((await api(app, 'GET', '/api/v1/recurring')).body.recurring).toHaveLength(1);
    // 09-30 is the last working day of September, but the duty is disabled.
    expect((await api(app, 'POST', '/api/v1/jobs/recurring/run', {})).body.sent).toBe(0);
    const history = await database.db
      .selectFrom('settings_history')
      .select(['key', 'value', 'changed_by'])
      .orderBy('id')
      .execute();
    expect(history.map((h) => [h.key, (h.value as { action: string }).action])).toEqual([
      ['recurring:1', 'create'],
      ['recurring:1', 'update'],
      ['recurring:1', 'disable'],
    ]);
    expect((history[1]!.value as { title: string }).title).toBe('月度进展通报');

    const bad = await api(app, 'POST', '/api/v1/recurring', {
      title: 'x',
      dept: 'zonghe',
      rule: { every: 'week' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/^rule\.weekday: /);
    const nobody = await api(app, 'POST', '/api/v1/recurring', { title: 'x', rule: { every: 'workday' } });
    expect(nobody.status).toBe(422);
    const ghost = await api(app, 'POST', '/api/v1/recurring', {
      title: 'x',
      assignee: 'ou_ghost',
      rule: { every: 'workday' },
    });
    expect(ghost.status).toBe(422);
    expect((await api(app, 'GET', '/api/v1/recurring/99')).status).toBe(404);
    void deps;
  });

  it('周期 列表 lists the duties for admins', async () => {
    const { deps, app } = await setup('2026-09-30T07:05:00+08:00');
    await putPerson(deps, { openId: 'ou_admin', name: '管理员', dept: 'zonghe', roles: ['admin'] });
    await api(app, 'POST', '/api/v1/recurring', {
      title: '信息编报',
      assignee: 'ou_zhang',
      rule: { every: 'workday', dueAt: '16:00' },
    });
    await api(app, 'POST', '/api/v1/recurring', {
      title: '季度总结',
      dept: 'zonghe',
      rule: { every: 'quarter', which: 'last' },
    });
    const { handleAdminSettingCommand } = await import('../../src/settings/admin-settings.js');
    const reply = await handleAdminSettingCommand(deps, { text: '周期 列表', by: 'ou_admin' });
    expect(reply.replyText).toBe(
      '【周期事项】\n1. 信息编报 · 每个工作日 · 当天16:00前\n2. 季度总结 · 每季度最后一个工作日 · 当天18:00前',
    );
  });
});
