import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulletinJob } from '../../jobs/bulletin.js';
import { digestJob } from '../../jobs/digest.js';
import { remindJob } from '../../jobs/remind.js';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark, type FakeMessage } from '../fakes/lark-server.js';
import { buttonsOf, cardProblems, headerOf, textOf } from '../helpers/cards.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import {
  click,
  expectMessage,
  expectNoMoreMessages,
  flushOutbox,
  larkTestConfig,
  say,
} from '../helpers/lark.js';

/**
 * A year-long practical thing (十件实事) walked through two months of its monthly rhythm with an
 * injected clock, a reminder round every working day at 09:00: September's report given on time
 * after the yellow reminder; October's missed, chased yellow → due → red with the escalation to
 * the chief, then given late (补报) with the card's 反馈进展 button; the 通报 and the digest showing it; a milestone going red; the
 * parent's sub-tasks rolled up (倒排工期). Only the cards listed arrive — nothing else.
 */

const at = (local: string) => new Date(`${local}+08:00`);
const ZHANG = 'ou_zhang';
const WANG = 'ou_wang'; // chief of 综合处
const LI = 'ou_li'; // chief of the top department: an office leader
const OFFICE_CHAT = 'oc_office';
const ZONGHE_CHAT = 'oc_zonghe';

function idsIn(m: FakeMessage): string[] {
  return [...new Set(m.text.match(/\b[DMT]-\d+\b/g) ?? [])].sort();
}

describe.each(engines)('a year-long task reporting monthly on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: ManualClock };
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-09-01T09:30:00+08:00' });
    app = createApp(deps);
    await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true, chatId: OFFICE_CHAT });
    await putDepartment(deps, { code: 'zonghe', name: '综合处', chatId: ZONGHE_CHAT });
    await putPerson(deps, { openId: ZHANG, name: '张三', dept: 'zonghe', roles: ['staff'] });
    await putPerson(deps, { openId: WANG, name: '王处长', dept: 'zonghe', roles: ['chief'] });
    await putPerson(deps, { openId: LI, name: '李主任', dept: 'office', roles: ['chief'] });
  });

  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  /** Runs the 09:00 round of a day and answers the cards it sent, by recipient. */
  async function round(date: string): Promise<void> {
    deps.clock.set(at(`${date}T09:00:00`));
    await runJobSlot(deps, remindJob);
    await flushOutbox(deps);
  }

  it('reports on time, one late and chased to the chief, the 通报 and the digest showing it', async () => {
    // The practical thing: no dueAt, no reportEvery — the rules' defaults for source practical.
    const created = await api(app, 'POST', '/api/v1/items', {
      kind: 'task',
      source: 'practical',
      title: '建设城市社区嵌入式服务设施',
      leadDept: 'zonghe',
      assignee: ZHANG,
      milestones: [{ title: '完成选址论证', dueAt: '2026-10-15T18:00:00+08:00' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'T-1',
      reportEvery: 'month',
      dueAt: '2026-12-31T18:00:00+08:00',
    });
    // 倒排工期: three sub-tasks, due 09-15, 10-30 and 12-15.
    for (const [title, dueAt] of [
      ['社区需求摸底', '2026-09-15T18:00:00+08:00'],
      ['设施选址方案', '2026-10-30T18:00:00+08:00'],
      ['施工招标', '2026-12-15T18:00:00+08:00'],
    ]) {
      const sub = await api(app, 'POST', '/api/v1/items', {
        kind: 'task',
        source: 'other',
        title,
        leadDept: 'zonghe',
        assignee: ZHANG,
        dueAt,
        parent: 'T-1',
      });
      expect(sub.status).toBe(201);
      expect(sub.body.reportEvery).toBeNull(); // source other: no reports by default
    }
    await flushOutbox(deps);
    // The new-item cards are the quick replies' business, not this test's.
    for (const m of fake.messages) m.consumed = true;

    // T-2 closed on time, before any reminder.
    deps.clock.set(at('2026-09-11T10:00:00'));
    expect((await api(app, 'POST', '/api/v1/items/T-2/actions', { action: 'done', by: ZHANG })).status).toBe(
      200,
    );
    await flushOutbox(deps);
    expectNoMoreMessages(fake);

    const days: string[] = [];
    for (
      let d = new Date('2026-09-01T00:00:00Z');
      d <= new Date('2026-11-02T00:00:00Z');
      d.setUTCDate(d.getUTCDate() + 1)
    )
      days.push(d.toISOString().slice(0, 10));
    const expected: Record<string, Array<[string, string, string[], string[]]>> = {
      // September's report is due Wednesday 09-30 18:00: yellow the working day before.
      '2026-09-29': [
        [
          ZHANG,
          '【催办】您有1件事项需要处理',
          ['T-1'],
          ['9月进展9月30日（周三）18:00前报送，剩余1个工作日', '反馈进展'],
        ],
      ],
      // October's is due Friday 10-30 (the 31st is a Saturday); T-3 falls due the same day: one card.
      '2026-10-29': [
        [
          ZHANG,
          '【催办】您有2件事项需要处理',
          ['T-1', 'T-3'],
          ['10月进展10月30日（周五）18:00前报送，剩余1个工作日'],
        ],
      ],
      '2026-10-30': [
        [ZHANG, '【催办】您有2件事项需要处理', ['T-1', 'T-3'], ['10月进展今日18:00前报送', '今日18:00到期']],
      ],
      // Monday 11-02: both red a working day later; the chief hears of both on one card.
      '2026-11-02': [
        [
          ZHANG,
          '【催办】您有2件事项需要处理',
          ['T-1', 'T-3'],
          ['10月进展未报，已逾期1个工作日', '已逾期1个工作日'],
        ],
        [
          WANG,
          '【督办】综合处有2件事项逾期或进展未报',
          ['T-1', 'T-3'],
          ['10月进展未报，已逾期1个工作日', '承办 张三'],
        ],
      ],
    };

    const cards = new Map<string, FakeMessage>();
    for (const date of days) {
      if (date === '2026-11-02') {
        // The monthly 通报 (and the weekly one) at 09:00, before the round: October's report is missing.
        deps.clock.set(at('2026-11-02T09:00:00'));
        await runJobSlot(deps, bulletinJob);
        await flushOutbox(deps);
        const office = expectMessage(fake, { chatId: OFFICE_CHAT, text: '月通报' });
        expect(cardProblems(office.body)).toEqual([]);
        const text = textOf(office.body);
        expect(text).toContain('长期任务进展');
        expect(text).toContain('T-1');
        expect(text).toContain('缺报1次');
        expect(text).toContain('最近进展 9月29日：已完成选址论证初稿');
        expect(text).toContain('节点 完成选址论证（10月15日）');
        expect(text).toContain('3项子任务已办结1项，1项逾期');
        const unit = expectMessage(fake, { chatId: ZONGHE_CHAT, text: '月通报' });
        expect(textOf(unit.body)).toContain('缺报1次');
        expectMessage(fake, { chatId: OFFICE_CHAT, text: '周通报' });
        expectMessage(fake, { chatId: ZONGHE_CHAT, text: '周通报' });
        expectNoMoreMessages(fake);
      }
      await round(date);
      for (const [to, title, ids, texts] of expected[date] ?? []) {
        const m = expectMessage(fake, { openId: to, text: title });
        cards.set(to, m);
        expect(idsIn(m), `${date} ${to}`).toEqual(ids);
        expect(cardProblems(m.body)).toEqual([]);
        for (const t of texts) expect(m.text, `${date} ${to}`).toContain(t);
      }
      expectNoMoreMessages(fake);

      if (date === '2026-09-29') {
        // 张三 answers in chat at 10:00: September's report, on time.
        deps.clock.set(at('2026-09-29T10:00:00'));
        await say(app, deps, { from: ZHANG, text: '进展 T-1 已完成选址论证初稿', messageId: 'om_sep' });
        await flushOutbox(deps);
        expect(expectMessage(fake, { replyTo: 'om_sep' }).text).toContain('9月进展');
        // The round card is redrawn: the line reads as answered, without a button.
        const redrawn = fake.patches.filter((p) => JSON.stringify(p.card).includes('报送进展')).at(-1);
        expect(textOf(redrawn?.card)).toContain('已于9月29日（周二）10:00报送进展');
        expectNoMoreMessages(fake);
      }
      if (date === '2026-10-16') {
        // The milestone passed yesterday: red on the item, on its own deadline.
        deps.clock.set(at('2026-10-16T10:00:00'));
        const t1 = await api(app, 'GET', '/api/v1/items/T-1');
        expect(t1.body.milestones).toEqual([
          { title: '完成选址论证', dueAt: '2026-10-15T18:00:00+08:00', doneAt: null, light: 'red' },
        ]);
        expect(t1.body.light).toBe('green'); // the task itself is due at the year's end
        expect(t1.body.rhythm).toMatchObject({
          reportEvery: 'month',
          onTime: 1,
          late: 0,
          missed: 0,
          text: '按时报送',
        });
        expect(t1.body.rhythm.next).toMatchObject({ label: '10月', dueAt: '2026-10-30T18:00:00+08:00' });
      }
    }

    // 张三 gives October's report late on Monday 11-02 at 10:00 (补报) with the 反馈进展 button of
    // that morning's card, and closes T-3, late too.
    deps.clock.set(at('2026-11-02T10:00:00'));
    const card = cards.get(ZHANG)!;
    const value = buttonsOf(card.body).find((b) => b.text === '反馈进展')!.value;
    expect(value).toEqual({ v: 1, op: 'form', form: 'progress', item: 'T-1' });
    const opened = await click(app, deps, { operator: ZHANG, value, messageId: card.messageId });
    const submit = buttonsOf(opened.card.data).find((b) => b.submit)!;
    expect(submit.value).toEqual({ v: 1, op: 'progress', item: 'T-1' });
    const answered = await click(app, deps, {
      operator: ZHANG,
      value: submit.value,
      formValue: { note: '选址方案已报市政府审定' },
      messageId: card.messageId,
    });
    expect(answered.toast).toEqual({ type: 'success', content: '已记录进展（10月进展，补报）' });
    await flushOutbox(deps);
    expect((await api(app, 'POST', '/api/v1/items/T-3/actions', { action: 'done', by: ZHANG })).status).toBe(
      200,
    );
    await flushOutbox(deps);
    expectNoMoreMessages(fake);

    // Tuesday: nothing is chased any more (November's report is due 11-30).
    await round('2026-11-03');
    expectNoMoreMessages(fake);

    const t1 = await api(app, 'GET', '/api/v1/items/T-1');
    expect(t1.body.rhythm).toMatchObject({ onTime: 1, late: 1, missed: 0, holds: true, text: '迟报1次' });
    expect(t1.body.rhythm.lastReport).toEqual({
      at: '2026-11-02T10:00:00+08:00',
      note: '选址方案已报市政府审定',
    });
    expect(t1.body.rhythm.next).toMatchObject({ label: '11月', dueAt: '2026-11-30T18:00:00+08:00' });
    // Hand-computed: T-2 done on time, T-3 done a working day late, T-4 open and not yet due.
    expect(t1.body.subtasks).toEqual({ total: 3, done: 2, late: 1 });
    const sent = await database.db
      .selectFrom('reminders')
      .select(['kind', 'recipient', 'period'])
      .where('item_id', '=', 'T-1')
      .orderBy('recipient')
      .orderBy('id')
      .execute();
    expect(sent).toEqual([
      { kind: 'report-escalation', recipient: WANG, period: 'report:2026-10-01' },
      { kind: 'report-yellow', recipient: ZHANG, period: 'report:2026-09-01' },
      { kind: 'report-yellow', recipient: ZHANG, period: 'report:2026-10-01' },
      { kind: 'report-due', recipient: ZHANG, period: 'report:2026-10-01' },
      { kind: 'report-overdue', recipient: ZHANG, period: 'report:2026-10-01@2026-11-02' },
    ]);

    // The digest the next morning: the long task with its last report and its rhythm.
    deps.clock.set(at('2026-11-03T08:30:00'));
    await runJobSlot(deps, digestJob);
    await flushOutbox(deps);
    for (const reader of [WANG, LI]) {
      const digest = expectMessage(fake, { openId: reader, text: '每日督办简报' });
      expect(cardProblems(digest.body)).toEqual([]);
      const text = textOf(digest.body);
      expect(text).toContain('长期任务进展');
      expect(text).toContain('迟报1次');
      expect(text).toContain('最近进展 11月2日：选址方案已报市政府审定');
      expect(text).toContain('🔴 节点 完成选址论证（10月15日）');
      expect(text).toContain('3项子任务已办结2项，1项逾期');
      expect(headerOf(digest.body).title).toContain('每日督办简报');
    }
    expectNoMoreMessages(fake);
  });
});
