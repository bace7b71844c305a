import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulletinJob } from '../../jobs/bulletin.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment } from '../../src/settings/organisation.js';
import { FakeLark, type FakeMessage } from '../fakes/lark-server.js';
import { cardProblems, elementsOf, textOf } from '../helpers/cards.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';
import { OFFICE_EVENTS, officeSetUp } from './digest-office.js';

/**
 * 通报 over the known office's month (digest-office.ts), with the default scoring weights
 * (late close −2 and −0.5 per working day late; −0.5 per working day overdue at the period's
 * end; −1 per extension request; +0.5 per early close). The weekly one goes out on the first
 * working day from Monday, the monthly one on the first working day from the 1st — both on
 * Thursday 10-08 after National Day.
 *
 * September (09-01 … 09-30), by hand:
 * - 综合处: D-3 closed 3 working days late −3.5, D-2 1 day late −2.5, D-1 a day early +0.5 → 94.5;
 *   due 5 (D-1, D-2, D-3, D-5, T-3), on time 2 → 40%; overdue at the end: D-5 (0 days) → 1;
 *   handling 1, 3, 5, 2 working days → 2.8.
 * - 财务处: T-1 overdue 8 working days at the end −4 → 96; due 2, on time 1 → 50%; D-4 took 1 day.
 * - 办公厅: T-4's extension request −1 → 99. 信息处: nothing → 100. August: all 100.
 * Week 09-28 … 10-04: 综合处 96.5 (D-3 −3.5), 财务处 96 (T-1 8 days −4), 办公厅 99; the week
 * before: 综合处 97.5 (D-2 −2.5), 财务处 97.5 (T-1 5 days −2.5), 办公厅 100.
 */

const at = (local: string) => new Date(`${local}+08:00`);
const CHATS = { office: 'oc_office', zonghe: 'oc_zonghe', caiwu: 'oc_caiwu' };

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

const BULLETIN_DAYS: Record<string, string[]> = {
  '2026-09-14': ['周通报 9月7日—9月13日'],
  '2026-09-21': ['周通报 9月14日—9月20日'],
  '2026-09-28': ['周通报 9月21日—9月27日'],
  // The first working day of October also brings the third quarter's 通报 (以月保季).
  '2026-10-08': ['周通报 9月28日—10月4日', '月通报 2026年9月', '季通报 2026年第三季度'],
  '2026-10-12': ['周通报 10月5日—10月11日'],
};

describe.each(engines)('通报 over a month with holidays on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: ManualClock };
  const sent: Record<string, FakeMessage> = {};

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-09-01T09:00:00+08:00' });
    await officeSetUp(deps);
    await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true, chatId: CHATS.office });
    await putDepartment(deps, { code: 'zonghe', name: '综合处', chatId: CHATS.zonghe });
    await putDepartment(deps, { code: 'caiwu', name: '财务处', chatId: CHATS.caiwu });
  });

  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  it('sends the weekly and monthly 通报 on their days, to the top group and each unit’s group', async () => {
    const events = [...OFFICE_EVENTS];
    for (const date of days('2026-09-14', '2026-10-13')) {
      const slotAt = at(`${date}T09:00:00`);
      while (events.length > 0 && events[0]!.at < slotAt) {
        const e = events.shift()!;
        deps.clock.set(e.at);
        await e.run(deps);
      }
      await flushOutbox(deps);
      for (const m of fake.messages) m.consumed = true;
      deps.clock.set(slotAt);
      const result = await runJobSlot(deps, bulletinJob);
      await flushOutbox(deps);
      const expected = BULLETIN_DAYS[date] ?? [];
      expect(result.sent, date).toBe(expected.length * 3);
      for (const title of expected) {
        sent[`${title} office`] = expectMessage(fake, { chatId: CHATS.office, text: `【督办通报】${title}` });
        sent[`${title} zonghe`] = expectMessage(fake, {
          chatId: CHATS.zonghe,
          text: `【督办通报】综合处 ${title}`,
        });
        sent[`${title} caiwu`] = expectMessage(fake, {
          chatId: CHATS.caiwu,
          text: `【督办通报】财务处 ${title}`,
        });
      }
      expectNoMoreMessages(fake);
    }
  });

  it('the monthly 通报 ranks the units by score with the hand-computed figures', () => {
    const m = sent['月通报 2026年9月 office']!;
    expect(cardProblems(m.body)).toEqual([]);
    expect(textOf(m.body)).toContain(
      [
        '1. **信息处** 100分（较上期 持平）\n按时办结率 — · 逾期 0 件 · 平均办理 — · 延期 0 次',
        '2. **办公厅** 99分（较上期 -1）\n按时办结率 — · 逾期 0 件 · 平均办理 — · 延期 1 次',
        '3. **财务处** 96分（较上期 -4）\n按时办结率 50% · 逾期 1 件 · 平均办理 1个工作日 · 延期 0 次',
        '4. **综合处** 94.5分（较上期 -5.5）\n按时办结率 40% · 逾期 1 件 · 平均办理 2.8个工作日 · 延期 0 次',
      ].join('\n'),
    );
    expect(textOf(m.body)).toContain('**逾期超过5个工作日的单位**：财务处（1件）');
    const [chart] = elementsOf(m.body, 'chart');
    expect(chart!.chart_spec.type).toBe('bar');
    expect(chart!.chart_spec.data.values.map((v: any) => `${v.name} ${v.value}`)).toEqual([
      '信息处 100',
      '办公厅 99',
      '财务处 96',
      '综合处 94.5',
    ]);
  });

  it("each unit's group gets its line and its 扣分明细, item by item", () => {
    const zonghe = textOf(sent['月通报 2026年9月 zonghe']!.body);
    expect(zonghe).toContain('**第 4 名**（共 4 个处室） 得分 **94.5**（较上期 -5.5）');
    expect(zonghe).toContain(
      [
        'D-3 关于规范公文格式的通知 · 逾期3个工作日办结 · -3.5分',
        'D-2 关于报送中秋值班表的通知 · 逾期1个工作日办结 · -2.5分',
        'D-1 关于九月安全检查的通知 · 提前1个工作日办结 · +0.5分',
      ].join('\n'),
    );
    const caiwu = textOf(sent['月通报 2026年9月 caiwu']!.body);
    expect(caiwu).toContain('T-1 报送三季度预算执行情况 · 逾期未办结8个工作日 · -4分');
  });

  it('the weekly 通报 across the holiday compares with the week before', () => {
    const text = textOf(sent['周通报 9月28日—10月4日 office']!.body);
    const order = [
      '**信息处** 100分（较上期 持平）',
      '**办公厅** 99分（较上期 -1）',
      '**综合处** 96.5分（较上期 -1）',
      '**财务处** 96分（较上期 -1.5）',
    ];
    const positions = order.map((o) => text.indexOf(o));
    expect(positions.every((p) => p > -1)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
