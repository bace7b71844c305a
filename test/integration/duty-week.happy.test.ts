import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyJob } from '../../jobs/duty.js';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { listDutyLog } from '../../src/db/repos/duty.js';
import { listDutyHistory } from '../../src/db/repos/duty-history.js';
import type { Deps } from '../../src/deps.js';
import { handOver, setDutyDay, writeDutyLog } from '../../src/duty/duty.js';
import { missingDutyLogs } from '../../src/duty/logs.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark } from '../fakes/lark-server.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import {
  click,
  expectMessage,
  expectNoMoreMessages,
  flushOutbox,
  larkTestConfig,
  say,
} from '../helpers/lark.js';

/**
 * National Day 2026 (10-01 … 10-07 off; 09-30 and 10-08 working days) walked with an injected
 * clock at the moments that matter: the eve notices (a single day, then the whole holiday block),
 * 接班确认 each morning (by card, by command, and once only after the reminder and the
 * escalation), the morning post to the office's group, the duty log (平安无事 in one click, an
 * event through the form, free text by command, and one left missing and chased on the first
 * working day), a swap declined then accepted, and a day with its own hours. After each run
 * exactly the listed messages arrive.
 */

const at = (local: string) => new Date(`${local}+08:00`);
const A = 'ou_zhang'; // 张三
const B = 'ou_li'; // 李四
const C = 'ou_wang'; // 王五
const L = 'ou_liu'; // 刘主任, leader on duty
const M = 'ou_admin'; // 管理员
const OFFICE_CHAT = 'oc_office';
const ROSTER: Array<[string, string]> = [
  ['2026-09-30', A],
  ['2026-10-01', B],
  ['2026-10-02', C],
  ['2026-10-03', A],
  ['2026-10-04', B],
  ['2026-10-05', C],
  ['2026-10-06', A],
  ['2026-10-07', B],
  ['2026-10-08', C],
];
const TIMES = ['08:30', '08:35', '09:00', '09:30', '14:30', '16:00', '17:30'];

describe.each(engines)('a duty week across National Day 2026 on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: ManualClock };
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-09-29T08:00:00+08:00' });
    app = createApp(deps);
    await putDepartment(deps, { code: 'BGS', name: '办公厅', isTop: true, chatId: OFFICE_CHAT });
    await putPerson(deps, { openId: A, name: '张三', dept: 'BGS', roles: ['staff'] });
    await putPerson(deps, { openId: B, name: '李四', dept: 'BGS', roles: ['staff'] });
    await putPerson(deps, { openId: C, name: '王五', dept: 'BGS', roles: ['staff'] });
    await putPerson(deps, { openId: L, name: '刘主任', dept: 'BGS', roles: ['chief'] });
    await putPerson(deps, { openId: M, name: '管理员', dept: 'BGS', roles: ['admin'] });
    for (const [date, officer] of ROSTER) {
      // 10-08, the first working day, is a day shift of its own: 09:00 to 17:30.
      const hours = date === '2026-10-08' ? { start: '09:00', end: '17:30' } : {};
      await setDutyDay(deps, { date, officer, leader: L, ...hours });
    }
  });

  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  async function runAt(local: string): Promise<void> {
    deps.clock.set(at(local));
    await runJobSlot(deps, dutyJob);
    await flushOutbox(deps);
  }

  const officerOf = (date: string) => ROSTER.find(([d]) => d === date)![1];

  it('sends the right cards to the right people at the right times', async () => {
    const days: string[] = [];
    for (
      let d = new Date('2026-09-29T00:00:00Z');
      d <= new Date('2026-10-09T00:00:00Z');
      d.setUTCDate(d.getUTCDate() + 1)
    )
      days.push(d.toISOString().slice(0, 10));
    for (const date of days) {
      for (const time of TIMES) {
        await runAt(`${date}T${time}:00`);
        await expectSlot(date, time);
        expectNoMoreMessages(fake);
      }
    }
    // 77 job runs with their cards and clicks: longer than one action, so its own time budget.
  }, 180_000);

  async function expectSlot(date: string, time: string): Promise<void> {
    const rostered = ROSTER.some(([d]) => d === date);
    const shiftStart = date === '2026-10-08' ? '09:00' : '08:30';
    // Every rostered morning: the office's group hears who is on duty.
    if (rostered && time === '08:30') expectMessage(fake, { chatId: OFFICE_CHAT, text: '【今日值班】' });
    if (rostered && time === shiftStart) {
      const officer = date === '2026-10-06' ? C : officerOf(date); // 10-06 was swapped to 王五
      expectMessage(fake, { openId: officer, text: '【接班确认】' });
    }
    // The log of the shift that ended this morning (each shift runs to 08:30 the next day).
    const yesterday = ROSTER.findIndex(([d]) => d === date) - 1;
    if (time === '08:30' && yesterday >= 0) {
      const [prev] = ROSTER[yesterday]!;
      const officer = prev === '2026-10-06' ? C : officerOf(prev);
      expectMessage(fake, { openId: officer, text: '【值班日志】' });
    }
    await scenario(date, time);
  }

  async function scenario(date: string, time: string): Promise<void> {
    const key = `${date} ${time}`;
    const prevDate = (d: string) => ROSTER[ROSTER.findIndex(([x]) => x === d) - 1]![0];
    switch (key) {
      case '2026-09-29 16:00': {
        // The working day before a working day: 明日值班 to its officer and leader only.
        for (const to of [A, L]) expectMessage(fake, { openId: to, text: '【明日值班】9月30日（周三）' });
        return;
      }
      case '2026-09-30 08:30': {
        await click(app, deps, { operator: A, value: { v: 1, op: 'duty-handover', date: '2026-09-30' } });
        return;
      }
      case '2026-09-30 16:00': {
        // Before the holiday: the whole block's roster (and the first working day's) to everyone on it.
        for (const to of [A, B, C, L]) {
          const m = expectMessage(fake, { openId: to, text: '【值班安排】10月1日（周四）至10月8日（周四）' });
          expect(m.text).toContain('10月5日（周一）　值班：王五');
        }
        return;
      }
      case '2026-10-01 08:30': {
        const quiet = await click(app, deps, {
          operator: A,
          value: { v: 1, op: 'duty-quiet', date: '2026-09-30' },
        });
        expect(JSON.stringify(quiet.card)).toContain('已记录：平安无事');
        await click(app, deps, { operator: B, value: { v: 1, op: 'duty-handover', date: '2026-10-01' } });
        return;
      }
      case '2026-10-02 08:30': {
        await say(app, deps, { from: B, text: '值班日志 21:40 接市应急局电话，转告值班领导' });
        await flushOutbox(deps);
        expectMessage(fake, { operation: 'reply', text: '已记入10月1日（周四）值班日志' });
        return;
      }
      case '2026-10-02 09:00':
        expectMessage(fake, { openId: C, text: '【接班提醒】' });
        return;
      case '2026-10-02 09:30': {
        for (const to of [L, M])
          expectMessage(fake, { openId: to, text: '【值班督办】10月2日（周五）未确认接班' });
        await say(app, deps, { from: C, text: '接班' });
        await flushOutbox(deps);
        expectMessage(fake, { operation: 'reply', text: '已确认接班：10月2日（周五）' });
        return;
      }
      case '2026-10-03 08:30': {
        // 王五 reports an event through the form; 张三 confirms by command.
        await click(app, deps, { operator: C, value: { v: 1, op: 'duty-log-form', date: '2026-10-02' } });
        await click(app, deps, {
          operator: C,
          value: { v: 1, op: 'duty-log', date: '2026-10-02' },
          formValue: { time: '02:15', caller: '城区派出所', what: '报告辖区停电', done: '已通知供电公司' },
        });
        await say(app, deps, { from: A, text: '接班' });
        await flushOutbox(deps);
        expectMessage(fake, { operation: 'reply', text: '已确认接班：10月3日（周六）' });
        return;
      }
      case '2026-10-03 09:00': {
        // 张三 asks 李四 to take 10-06: declined; then 王五: accepted.
        await say(app, deps, {
          from: A,
          text: '换班 10-06 @_user_1',
          mentions: [{ openId: B, name: '李四' }],
        });
        await flushOutbox(deps);
        expectMessage(fake, { operation: 'reply', text: '已向李四发送换班申请' });
        const ask = expectMessage(fake, { openId: B, text: '【换班申请】10月6日（周二） · 待答复' });
        expect(ask.text).toContain('同意');
        const swapId = (ask.body as any).body.elements[1].columns[0].elements[0].behaviors[0].value.swap;
        const declined = await click(app, deps, {
          operator: B,
          value: { v: 1, op: 'duty-swap-decline', swap: swapId },
        });
        expect(declined.toast.content).toBe('已拒绝该换班申请');
        await flushOutbox(deps);
        expectMessage(fake, { openId: A, text: '【换班申请】10月6日（周二） · 已拒绝' });
        await say(app, deps, {
          from: A,
          text: '换班 10月6日 @_user_1',
          mentions: [{ openId: C, name: '王五' }],
        });
        await flushOutbox(deps);
        expectMessage(fake, { operation: 'reply', text: '已向王五发送换班申请' });
        const second = expectMessage(fake, { openId: C, text: '【换班申请】10月6日（周二） · 待答复' });
        const id2 = (second.body as any).body.elements[1].columns[0].elements[0].behaviors[0].value.swap;
        // Only the colleague asked may answer.
        const refused = await click(app, deps, {
          operator: B,
          value: { v: 1, op: 'duty-swap-accept', swap: id2 },
        });
        expect(refused.toast.content).toBe('仅被申请的同事可以答复');
        const accepted = await click(app, deps, {
          operator: C,
          value: { v: 1, op: 'duty-swap-accept', swap: id2 },
        });
        expect(accepted.toast.content).toBe('已同意，10月6日（周二）由您值班');
        await flushOutbox(deps);
        for (const to of [A, L])
          expectMessage(fake, { openId: to, text: '【换班申请】10月6日（周二） · 已同意' });
        return;
      }
      case '2026-10-08 09:00':
        await click(app, deps, { operator: C, value: { v: 1, op: 'duty-handover', date: '2026-10-08' } });
        // 张三 never wrote the log of 10-03: chased at the reminder rounds of the first working day.
        expectMessage(fake, { openId: A, text: '【值班日志催报】10月3日（周六）' });
        return;
      case '2026-10-08 14:30':
        expectMessage(fake, { openId: A, text: '【值班日志催报】10月3日（周六）' });
        return;
      case '2026-10-09 09:00':
      case '2026-10-09 14:30':
        // Still missing: chased at each round; 10-08's day shift (ended 17:30) now too.
        expectMessage(fake, { openId: A, text: '【值班日志催报】10月3日（周六）' });
        expectMessage(fake, { openId: C, text: '【值班日志催报】10月8日（周四）' });
        return;
      case '2026-10-08 17:30':
        expectMessage(fake, { openId: C, text: '【值班日志】10月8日（周四）' });
        return;
    }
    // The other days: confirmed and logged quietly by the office, so only the cards above arrive.
    if (time === '08:35') {
      const today = ROSTER.find(([d]) => d === date);
      if (today && !['2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-08'].includes(date))
        await handOver(deps, { date, by: date === '2026-10-06' ? C : today[1] });
      const prev = today && date !== '2026-09-30' ? prevDate(date) : null;
      if (prev && !['2026-09-30', '2026-10-01', '2026-10-02', '2026-10-03'].includes(prev))
        await writeDutyLog(deps, { date: prev, by: M, via: 'api' });
    }
  }

  it('records the log with and without events, and the missing one for the digest', async () => {
    expect((await listDutyLog(database.db, '2026-09-30'))[0]).toMatchObject({
      by: A,
      entry: '平安无事',
      quiet: true,
    });
    expect((await listDutyLog(database.db, '2026-10-01'))[0]).toMatchObject({
      by: B,
      quiet: false,
      entry: '21:40 接市应急局电话，转告值班领导',
    });
    expect((await listDutyLog(database.db, '2026-10-02'))[0]).toMatchObject({
      by: C,
      quiet: false,
      event: { time: '02:15', caller: '城区派出所', what: '报告辖区停电', done: '已通知供电公司' },
    });
    const missing = await missingDutyLogs(database.db, '2026-10-03');
    expect(missing).toEqual([expect.objectContaining({ date: '2026-10-03', officers: [A], leader: L })]);
    expect(await missingDutyLogs(database.db, '2026-10-02')).toEqual([]);
  });

  it('keeps every step on record: notices, confirmations, the escalation, the swaps', async () => {
    const actions = (await listDutyHistory(database.db, '2026-10-02')).map(
      (h) => `${h.actor} ${h.action} ${h.details.kind ?? h.details.via ?? ''}`,
    );
    expect(actions).toEqual([
      'api roster set ',
      `system notice sent morning`,
      `system notice sent start`,
      `system notice sent remind`,
      `system escalation escalate`,
      `system escalation escalate`,
      `${C} handover confirmed command`,
      `system notice sent log`,
      `${C} log entry card`,
    ]);
    const swaps = (await listDutyHistory(database.db, '2026-10-06')).filter((h) =>
      h.action.startsWith('swap'),
    );
    expect(swaps.map((h) => `${h.actor} ${h.action}`)).toEqual([
      `${A} swap requested`,
      `${B} swap declined`,
      `${A} swap requested`,
      `${C} swap accepted`,
    ]);
  });

  it('a second run of a slot, or a later slot, sends nothing again', async () => {
    deps.clock.set(at('2026-10-08T09:00:00'));
    expect(await runJobSlot(deps, dutyJob)).toMatchObject({ alreadyRun: true, sent: 0 });
    deps.clock.set(at('2026-10-08T09:05:00'));
    expect(await runJobSlot(deps, dutyJob)).toMatchObject({ sent: 0 });
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });
});
