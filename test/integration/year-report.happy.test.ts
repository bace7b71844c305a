import { describe, expect, it } from 'vitest';
import { performItemAction } from '../../src/items/actions/perform.js';
import { type CreateItemInput, createItem } from '../../src/items/items.js';
import { putPerson } from '../../src/settings/organisation.js';
import { engines } from '../helpers/db.js';
import { api } from '../helpers/http.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, say } from '../helpers/lark.js';
import { at, quickRepliesWorld, type World } from './quick-replies-seed.js';

/**
 * 2026 in a small office (综合处 ZHB, 财务处 CWC):
 * T-1 ZHB decision 01-05, due 01-09, closed 01-08 · T-2 ZHB instruction 01-20, due 01-27, closed
 * 02-03 (late) · T-3 / T-4 ZHB hotline 03-02 due 03-06 closed 03-05, 03-10 due 03-13 open ·
 * D-1 / D-2 outgoing documents (发文) of 李四 closed 04-02 and 05-08 · T-5 CWC decision 06-01, open.
 * Year: 议定事项 2 (ZHB 1), 批示件 1, 信息 2, hotline due 2, closed 1: 办结率 50%.
 */
async function year2026(world: World) {
  const { deps } = world;
  const create = async (when: string, input: Record<string, unknown>) => {
    deps.clock.set(at(when));
    await createItem(deps, { ...input, dueAt: at(input.dueAt as string) } as CreateItemInput, 'ou_admin');
  };
  const done = async (when: string, itemId: string, by: string) => {
    deps.clock.set(at(when));
    const r = await performItemAction(deps, { itemId, action: 'done', by });
    if (!r.ok) throw new Error(r.message);
  };
  const task = (source: string, leadDept: string, assignee: string, dueAt: string, extra = {}) => ({
    kind: 'task',
    source,
    title: `${source}事项`,
    leadDept,
    assignee,
    dueAt,
    ...extra,
  });
  const out = (no: string, dueAt: string) => ({
    kind: 'document',
    docType: 'normal',
    direction: 'out',
    docNo: no,
    title: '信息专报',
    assignee: 'ou_li',
    dueAt,
  });
  await create('2026-01-05T09:00:00', task('decision', 'ZHB', 'ou_zhang', '2026-01-09T18:00:00'));
  await done('2026-01-08T10:00:00', 'T-1', 'ou_zhang');
  await create('2026-01-20T09:00:00', task('instruction', 'ZHB', 'ou_zhang', '2026-01-27T18:00:00'));
  await done('2026-02-03T10:00:00', 'T-2', 'ou_zhang');
  await create(
    '2026-03-02T09:00:00',
    task('hotline', 'ZHB', 'ou_zhang', '2026-03-06T18:00:00', { ticketNo: 'GD1' }),
  );
  await done('2026-03-05T10:00:00', 'T-3', 'ou_zhang');
  await create(
    '2026-03-10T09:00:00',
    task('hotline', 'ZHB', 'ou_zhang', '2026-03-13T18:00:00', { ticketNo: 'GD2' }),
  );
  await create('2026-04-01T09:00:00', out('信息〔2026〕1期', '2026-04-03T18:00:00'));
  await done('2026-04-02T10:00:00', 'D-1', 'ou_li');
  await create('2026-05-06T09:00:00', out('信息〔2026〕2期', '2026-05-08T18:00:00'));
  await done('2026-05-08T10:00:00', 'D-2', 'ou_li');
  await create('2026-06-01T09:00:00', task('decision', 'CWC', 'ou_zhao', '2026-06-05T18:00:00'));
  deps.clock.set(at('2026-12-15T10:00:00'));
}

const ADDITIVE = [
  'opened',
  'closed',
  'onTime',
  'due',
  'dueDone',
  'dueDoneOnTime',
  'handlingWorkdaysTotal',
  'extensions',
  'unansweredReminders',
] as const;

describe.each(engines)('年度统计 on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  it('the year is the sum of its months, each month the figures API of that month', async () => {
    await year2026(world);
    const res = await api(world.app, 'GET', '/api/v1/reports/year?year=2026');
    expect(res.status).toBe(200);
    const { months, total, summaryZh } = res.body;
    expect(months).toHaveLength(12);
    expect(total.decisions.opened).toBe(2);
    expect(total.instructions).toMatchObject({ opened: 1, closed: 1, due: 1, onTime: 0, onTimeRate: 0 });
    expect(total.informationSent).toBe(2);
    expect(total.hotline).toMatchObject({ opened: 2, due: 2, dueDone: 1, completionRate: 0.5, overdue: 1 });
    expect(summaryZh.split('\n')[0]).toBe(
      '2026年，全办督办会议议定事项2项、领导批示件1件，报送信息2条；12345热线工单应办结2件，办结率50%、按时办结率50%。',
    );
    for (const group of ['decisions', 'instructions', 'hotline', 'all'] as const) {
      for (const k of ADDITIVE)
        expect(total[group][k], `${group}.${k}`).toBe(
          months.reduce((s: number, m: any) => s + m[group][k], 0),
        );
      expect(total[group].overdue).toBe(months[11][group].overdue);
    }
    expect(total.informationSent).toBe(months.reduce((s: number, m: any) => s + m.informationSent, 0));
    // Each month is what GET /reports/figures answers for that month.
    for (const [i, m] of months.entries()) {
      const date = `2026-${String(i + 1).padStart(2, '0')}-15`;
      const f = (await api(world.app, 'GET', `/api/v1/reports/figures?period=month&date=${date}&by=source`))
        .body;
      const row = (key: string) => f.rows.find((r: any) => r.key === key);
      expect(m.all).toEqual(expect.objectContaining(withoutKey(f.total)));
      if (row('decision')) expect(m.decisions).toEqual(withoutKey(row('decision')));
      if (row('hotline')) expect(m.hotline).toEqual(withoutKey(row('hotline')));
    }
    const zhb = await api(world.app, 'GET', '/api/v1/reports/year?year=2026&dept=ZHB');
    expect(zhb.body.total.decisions.opened).toBe(1);
    expect((await api(world.app, 'GET', '/api/v1/reports/year?year=20x6')).status).toBe(422);
  });

  it("年度统计 in chat: a chief gets the department's paragraph, staff and admins are told", async () => {
    await year2026(world);
    await putPerson(world.deps, { openId: 'ou_lead', name: '周主任', dept: 'BGS', roles: ['chief'] });
    // The year's own cards (new items, closings) are not what this test is about.
    await flushOutbox(world.deps);
    for (const m of world.fake.messages) m.consumed = true;
    const ask = async (from: string, text: string) => {
      const messageId = `om_${from}_${Math.random().toString(36).slice(2)}`;
      await say(world.app, world.deps, { from, text, messageId });
      await flushOutbox(world.deps);
      return expectMessage(world.fake, { operation: 'reply', replyTo: messageId });
    };
    // Handling: T-1 3, T-2 10 (01-20 → 02-03), T-3 3, D-1 1, D-2 2 working days: 19 / 5 = 3.8.
    // 应办结 6, closed by the end of the month due 4 (T-2 closed in February, T-4 open).
    const chief = await ask('ou_wang', '年度统计');
    expect(chief.text).toBe(
      [
        '【2026年度督办统计】（截至2026-12-15）',
        '2026年，综合处督办会议议定事项1项、领导批示件1件，报送信息2条；12345热线工单应办结2件，办结率50%、按时办结率50%。',
        '全年新增督办事项6件，办结5件，其中按时办结4件；应办结6件，办结率66.7%，按时办结率66.7%；平均办理3.8个工作日；年末逾期未办结1件。',
      ].join('\n'),
    );
    const leader = await ask('ou_lead', '年度统计 2026年');
    expect(leader.text).toContain('全办督办会议议定事项2项');
    expect((await ask('ou_zhang', '年度统计')).text).toBe('年度统计仅发送给处室负责人和办公厅领导。');
    expect((await ask('ou_wang', '年度统计 2030')).text).toBe(
      '年度统计：请写上2026年或以前的年份，如「年度统计 2026」。',
    );
    expectNoMoreMessages(world.fake);
  });
});

function withoutKey(row: Record<string, unknown>) {
  const { key: _k, name: _n, ...rest } = row;
  return rest;
}
