import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestJob } from '../../jobs/digest.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { setDutyDay } from '../../src/duty/duty.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { FakeLark, type FakeMessage } from '../fakes/lark-server.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';
import { OFFICE_EVENTS, officeSetUp, PEOPLE } from './digest-office.js';

/**
 * A month of the office (2026-09-14 … 10-13: Mid-Autumn on Friday 09-25, National Day 10-01 …
 * 10-07, working Sunday 09-20 and Saturday 10-10) walked day by day: every item is created,
 * closed, cancelled or given an extension request at its hour through the services, and the
 * `digest` job runs at 08:30. On each working day every chief gets exactly one digest, on a day
 * off nobody does, and the digest of Thursday 10-08 (first day after the holiday) shows the
 * figures computed by hand in digest-office.ts.
 */

const at = (local: string) => new Date(`${local}+08:00`);
const { WANG, ZHOU, LI, QIAN } = PEOPLE;
const chiefs = [WANG, ZHOU, LI, QIAN];

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}

const WORKDAYS = new Set([
  ...days('2026-09-14', '2026-09-18'),
  ...days('2026-09-20', '2026-09-24'),
  ...days('2026-09-28', '2026-09-30'),
  ...days('2026-10-08', '2026-10-10'),
  '2026-10-12',
  '2026-10-13',
]);

const chartOf = (m: FakeMessage) => m.body.body.elements.find((e: any) => e.tag === 'chart');

describe.each(engines)('the daily digest over a month with holidays on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: ManualClock };
  const digests: Record<string, FakeMessage> = {};

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-09-01T09:00:00+08:00' });
    await officeSetUp(deps);
    await setDutyDay(deps, { date: '2026-10-08', officer: PEOPLE.ZHANG, leader: LI });
  });

  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  it('sends each chief one digest on each working day at 08:30 and nothing on days off', async () => {
    const events = [...OFFICE_EVENTS];
    for (const date of days('2026-09-14', '2026-10-13')) {
      const slotAt = at(`${date}T08:30:00`);
      while (events.length > 0 && events[0]!.at < slotAt) {
        const e = events.shift()!;
        deps.clock.set(e.at);
        await e.run(deps);
      }
      await flushOutbox(deps);
      // Cards about the items themselves (new item, closed, extension request) are not the digest's.
      for (const m of fake.messages) m.consumed = true;
      deps.clock.set(slotAt);
      const result = await runJobSlot(deps, digestJob);
      await flushOutbox(deps);
      if (WORKDAYS.has(date)) {
        expect(result.sent, date).toBe(4);
        for (const to of chiefs)
          digests[`${date} ${to}`] = expectMessage(fake, { openId: to, text: '【每日督办简报】' });
      } else {
        expect(result.sent, date).toBe(0);
      }
      expectNoMoreMessages(fake);
    }
  });

  it("a leader's digest on 10-08 shows the whole office's figures", () => {
    const m = digests[`2026-10-08 ${LI}`]!;
    expect(m.msgType).toBe('interactive');
    expect(m.body.header.title.content).toBe('【每日督办简报】10月8日（周四）');
    expect(m.body.header.subtitle.content).toBe('全办');
    expect(m.text).toContain('逾期 2 件 · 今日到期 1 件 · 待审批延期 1 件');
    expect(m.text).toContain('在办 6 件：🔴 红灯 2 · 🟡 黄灯 3 · 🟢 绿灯 1');
    expect(m.text).toContain('上一工作日以来办结 3 件（按时 1 件，逾期办结 2 件）');
    expect(m.text).toContain('近7日办结率 100%，按时办结率 0%；近30日办结率 75%，按时办结率 37.5%');
    // Worst first: T-1 (due 09-18) then D-5 (due 09-30 12:00).
    const t1 = m.text.indexOf('T-1 报送三季度预算执行情况 · 赵六 · 财务处 · 已逾期9个工作日');
    const d5 = m.text.indexOf('D-5 关于国庆值班安排的通知 · 张三 · 综合处 · 已逾期1个工作日');
    expect(t1).toBeGreaterThan(-1);
    expect(d5).toBeGreaterThan(t1);
    // The leaders decide T-4's request (the top department's); 财务处's chief decides T-1's.
    expect(m.text).toContain('T-4 起草年度工作要点 · 孙秘书 申请延至 10月16日（周五）18:00');
    expect(m.text).not.toContain('T-1 报送三季度预算执行情况 · 赵六 申请延至');
    expect(m.text).toContain('今日值班：张三（带班：李主任）');
    const buttons = [...JSON.stringify(m.body).matchAll(/"value":(\{[^}]*\})/g)].map((b) =>
      JSON.parse(b[1]!),
    );
    expect(buttons.map((b) => `${b.op} ${b.item}`)).toEqual([
      'approve-extension T-4',
      'reject-extension T-4',
    ]);
    // 14 days before 10-08: opened 3 on 09-28, 2 on 09-29, 3 on 09-30; closed 1 on 09-24, 1 on
    // 09-29, 2 on 09-30, 1 on 10-06 (during the holiday).
    const values = chartOf(m).chart_spec.data.values as Array<{ day: string; series: string; count: number }>;
    expect(values).toHaveLength(28);
    const count = (day: string, series: string) =>
      values.find((v) => v.day === day && v.series === series)?.count;
    expect([
      count('9/24', '新增'),
      count('9/28', '新增'),
      count('9/29', '新增'),
      count('9/30', '新增'),
    ]).toEqual([0, 3, 2, 3]);
    expect([
      count('9/24', '办结'),
      count('9/29', '办结'),
      count('9/30', '办结'),
      count('10/6', '办结'),
    ]).toEqual([1, 1, 2, 1]);
    expect(values.reduce((s, v) => s + v.count, 0)).toBe(13);
  });

  it("a department chief's digest on 10-08 shows the department's figures only", () => {
    const wang = digests[`2026-10-08 ${WANG}`]!;
    expect(wang.body.header.subtitle.content).toBe('综合处');
    expect(wang.text).toContain('逾期 1 件 · 今日到期 1 件 · 待审批延期 0 件');
    expect(wang.text).toContain('在办 4 件：🔴 红灯 1 · 🟡 黄灯 2 · 🟢 绿灯 1');
    expect(wang.text).toContain('上一工作日以来办结 3 件（按时 1 件，逾期办结 2 件）');
    expect(wang.text).toContain('近7日办结率 100%，按时办结率 0%；近30日办结率 83.3%，按时办结率 33.3%');
    expect(wang.text).toContain('D-5 关于国庆值班安排的通知 · 张三 · 综合处 · 已逾期1个工作日');
    expect(wang.text).not.toContain('T-1');

    const zhou = digests[`2026-10-08 ${ZHOU}`]!;
    expect(zhou.body.header.subtitle.content).toBe('财务处');
    expect(zhou.text).toContain('逾期 1 件 · 今日到期 0 件 · 待审批延期 1 件');
    expect(zhou.text).toContain('上一工作日以来办结 0 件（按时 0 件，逾期办结 0 件）');
    expect(zhou.text).toContain('近7日办结率 —，按时办结率 —；近30日办结率 50%，按时办结率 50%');
    expect(zhou.text).toContain(
      'T-1 报送三季度预算执行情况 · 赵六 申请延至 10月16日（周五）18:00 · 理由：等待财政批复',
    );
    expect(zhou.text).not.toContain('T-4');
  });

  it('a chief with nothing to report gets one line', () => {
    const m = digests[`2026-10-08 ${QIAN}`]!;
    expect(m.msgType).toBe('text');
    expect(m.text).toBe(
      '【每日督办简报】10月8日（周四） 信息处：无在办事项，上一工作日以来无办结事项。今日值班：张三（带班：李主任）',
    );
  });

  it('runs a slot once, and a second slot on the same day sends nothing again', async () => {
    deps.clock.set(at('2026-10-13T08:30:00'));
    const again = await runJobSlot(deps, digestJob);
    expect(again.alreadyRun).toBe(true);
    deps.clock.set(at('2026-10-13T08:45:00'));
    const later = await runJobSlot(deps, digestJob);
    expect(later).toMatchObject({ sent: 0, skipped: 4 });
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });
});
