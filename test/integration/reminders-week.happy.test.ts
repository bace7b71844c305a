import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaseJob, remindJob } from '../../jobs/remind.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { createItem } from '../../src/items/items.js';
import type { JobDefinition } from '../../src/platform/scheduler/run-job.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark, type FakeMessage } from '../fakes/lark-server.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';

/**
 * A whole working fortnight around Mid-Autumn / National Day 2026 (official calendar:
 * 10-01 … 10-07 off, Saturday 10-10 an adjusted working day), walked with an injected clock:
 * the reminder rounds at 09:00 and 14:30 every day and the between-rounds chase every half hour
 * from 08:00 to 20:00. After each slot, exactly the cards listed arrive — nothing else.
 * Covers: yellow, due today, daily 催办, both escalation levels, a co-handling unit's part,
 * the meeting's eve (before the holiday) and 30-minute reminders, and a closed item going quiet.
 */

const at = (local: string) => new Date(`${local}+08:00`);
const ZHANG = 'ou_zhang';
const ZHAO = 'ou_zhao';
const WANG = 'ou_wang'; // chief of 综合处
const ZHOU = 'ou_zhou'; // chief of 财务处
const LI = 'ou_li'; // chief of the top department: an office leader

function slots(): { time: string; job: JobDefinition }[] {
  const out: { time: string; job: JobDefinition }[] = [];
  for (let h = 8; h <= 20; h++)
    for (const m of ['00', '30']) {
      const time = `${String(h).padStart(2, '0')}:${m}`;
      if (time === '09:00' || time === '14:30') out.push({ time, job: remindJob });
      out.push({ time, job: chaseJob });
    }
  return out;
}

function idsIn(m: FakeMessage): string[] {
  return [...new Set(m.text.match(/\b[DMT]-\d+\b/g) ?? [])].sort();
}

describe.each(engines)('a reminder fortnight with a holiday and an adjusted Saturday on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: import('../../src/platform/clock.js').ManualClock };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-09-28T08:00:00+08:00' });
    await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true });
    await putDepartment(deps, { code: 'zonghe', name: '综合处' });
    await putDepartment(deps, { code: 'caiwu', name: '财务处' });
    await putPerson(deps, { openId: ZHANG, name: '张三', dept: 'zonghe', roles: ['staff'] });
    await putPerson(deps, { openId: ZHAO, name: '赵六', dept: 'caiwu', roles: ['staff'] });
    await putPerson(deps, { openId: WANG, name: '王处长', dept: 'zonghe', roles: ['chief'] });
    await putPerson(deps, { openId: ZHOU, name: '周处长', dept: 'caiwu', roles: ['chief'] });
    await putPerson(deps, { openId: LI, name: '李主任', dept: 'office', roles: ['chief'] });
    // D-1 due Tuesday, T-1 due Wednesday (both 张三), T-2 due Friday after the holiday (赵六),
    // M-1 the Thursday after the holiday (its eve is Wednesday 09-30, before the holiday).
    await createItem(
      deps,
      {
        kind: 'document',
        docType: 'normal',
        title: '关于年度工作总结的通知',
        assignee: ZHANG,
        dueAt: at('2026-09-29T18:00:00'),
      },
      'admin',
    );
    await createItem(
      deps,
      {
        kind: 'task',
        source: 'instruction',
        title: '起草节前安全检查方案',
        leadDept: 'zonghe',
        assignee: ZHANG,
        dueAt: at('2026-09-30T18:00:00'),
      },
      'admin',
    );
    await createItem(
      deps,
      {
        kind: 'task',
        source: 'decision',
        title: '报送三季度预算执行情况',
        leadDept: 'caiwu',
        assignee: ZHAO,
        dueAt: at('2026-10-09T18:00:00'),
      },
      'admin',
    );
    await createItem(
      deps,
      {
        kind: 'meeting',
        title: '节后第一次主任办公会',
        startsAt: at('2026-10-08T10:00:00'),
        endsAt: at('2026-10-08T11:30:00'),
        attendees: [ZHANG, ZHAO],
      },
      'admin',
    );
    // T-3: led by 综合处 (due weeks later), with 财务处 co-handling: its part is due on 10-08.
    await createItem(
      deps,
      {
        kind: 'task',
        source: 'instruction',
        title: '研究制定年度考核办法',
        leadDept: 'zonghe',
        assignee: ZHANG,
        dueAt: at('2026-10-20T18:00:00'),
        coDepts: [{ dept: 'caiwu', assignee: ZHAO, dueAt: at('2026-10-08T18:00:00') }],
      },
      'admin',
    );
    await flushOutbox(deps);
    // The new-item cards are the quick-replies capability's business, not this test's.
    for (const m of fake.messages) m.consumed = true;
  });

  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  /** What must arrive after the slot (date, time): recipient, header, item ids. */
  const expected: Record<string, Array<[string, string, string[]]>> = {
    '2026-09-28 09:00': [[ZHANG, '【催办】您有1件事项需要处理', ['D-1']]],
    '2026-09-29 09:00': [[ZHANG, '【催办】您有2件事项需要处理', ['D-1', 'T-1']]],
    '2026-09-30 09:00': [
      [ZHANG, '【催办】您有2件事项需要处理', ['D-1', 'T-1']],
      [WANG, '【督办】综合处有1件事项逾期', ['D-1']],
      // 财务处's part of T-3 is due on the next working day (10-08, after the holiday).
      [ZHAO, '【催办】您有1件事项需要处理', ['T-3']],
    ],
    '2026-09-30 16:00': [
      [ZHANG, '【会议】您有1个会议即将召开', ['M-1']],
      [ZHAO, '【会议】您有1个会议即将召开', ['M-1']],
    ],
    '2026-10-08 09:00': [
      [ZHANG, '【催办】您有2件事项需要处理', ['D-1', 'T-1']],
      [WANG, '【督办】综合处有1件事项逾期', ['T-1']],
      [ZHAO, '【催办】您有1件事项需要处理', ['T-2']],
    ],
    '2026-10-08 09:30': [
      [ZHANG, '【会议】您有1个会议即将召开', ['M-1']],
      [ZHAO, '【会议】您有1个会议即将召开', ['M-1']],
    ],
    '2026-10-09 09:00': [
      [ZHANG, '【催办】您有2件事项需要处理', ['D-1', 'T-1']],
      [LI, '【督办】综合处有1件事项逾期', ['D-1']],
      [ZHAO, '【催办】您有2件事项需要处理', ['T-2', 'T-3']],
    ],
    // Saturday 10-10 is a working day: T-1 was closed on Friday, T-2 is now overdue.
    '2026-10-10 09:00': [
      [ZHANG, '【催办】您有1件事项需要处理', ['D-1']],
      [ZHAO, '【催办】您有2件事项需要处理', ['T-2', 'T-3']],
      [ZHOU, '【督办】财务处有1件事项逾期', ['T-2']],
    ],
  };

  it('sends exactly the expected cards, to the expected people, at the expected slots', async () => {
    const days: string[] = [];
    for (
      let d = new Date('2026-09-28T00:00:00Z');
      d <= new Date('2026-10-11T00:00:00Z');
      d.setUTCDate(d.getUTCDate() + 1)
    )
      days.push(d.toISOString().slice(0, 10));
    for (const date of days) {
      for (const { time, job } of slots()) {
        if (date === '2026-10-09' && time === '10:00') {
          // 张三 closes T-1 on Friday morning (the item action itself is the items capability's).
          await database.db
            .updateTable('items')
            .set({ status: 'done', closed_at: at('2026-10-09T10:00:00'), closed_by: ZHANG })
            .where('id', '=', 'T-1')
            .execute();
        }
        deps.clock.set(at(`${date}T${time}:00`));
        await runJobSlot(deps, job);
        await flushOutbox(deps);
        if (job === chaseJob) {
          for (const [to, title, ids] of expected[`${date} ${time}`] ?? []) {
            const m = expectMessage(fake, { openId: to, text: title });
            expect(idsIn(m), `${date} ${time} ${to}`).toEqual(ids);
          }
          expectNoMoreMessages(fake);
        }
      }
    }
  });

  it('puts red first, gives each line its own 办结 button, and records every reminder in the history', async () => {
    const card = fake.messages.find(
      (m) => m.openId === ZHANG && m.text.includes('您有2件事项') && m.text.includes('已逾期'),
    )!.body;
    expect(card.header.template).toBe('red');
    const text = JSON.stringify(card.body.elements);
    expect(text.indexOf('已逾期')).toBeLessThan(text.indexOf('今日18:00到期'));
    expect(text).toContain('"value":{"v":1,"op":"done","item":"D-1"}');
    const history = await database.db
      .selectFrom('item_history')
      .select(['item_id', 'action', 'details'])
      .where('actor', '=', 'system')
      .where('action', 'in', ['reminder sent', 'escalation'])
      .execute();
    const escalations = history
      .filter((h) => h.action === 'escalation')
      .map((h) => h.item_id)
      .sort();
    expect(escalations).toEqual(['D-1', 'D-1', 'T-1', 'T-2']);
    // A co-unit's line shows its own deadline, not the lead item's.
    const part = fake.messages.find(
      (m) => m.openId === ZHAO && m.text.startsWith('【催办】') && idsIn(m).join() === 'T-3',
    )!;
    expect(part.text).toContain('会办 · 10月8日（周四）18:00到期，剩余1个工作日');
    const reminders = await database.db.selectFrom('reminders').select(['item_id']).execute();
    expect(history.length).toBe(reminders.length);
  });

  it('re-running a round sends nothing: the same slot is refused, another slot finds nothing new', async () => {
    deps.clock.set(at('2026-10-10T09:00:00'));
    const again = await runJobSlot(deps, remindJob);
    expect(again).toMatchObject({ slot: '2026-10-10T09:00', alreadyRun: true, sent: 0 });
    deps.clock.set(at('2026-10-10T09:07:00'));
    const other = await runJobSlot(deps, remindJob);
    expect(other).toMatchObject({ slot: '2026-10-10T09:07', sent: 0, reminders: 0 });
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });
});
