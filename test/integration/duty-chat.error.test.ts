import { describe, expect, it } from 'vitest';
import { listDutyLog } from '../../src/db/repos/duty.js';
import { listDutyHistory } from '../../src/db/repos/duty-history.js';
import { setDutyDay } from '../../src/duty/duty.js';
import { engines } from '../helpers/db.js';
import { click, expectMessage, expectNoMoreMessages, flushOutbox, say } from '../helpers/lark.js';
import { at, quickRepliesWorld } from './quick-replies-seed.js';

/**
 * Duty clicks and commands from the wrong person, at the wrong time, or without what they need:
 * each is answered (never silence) and changes nothing. Plus the swap asked from a card, and a
 * swap made void by a roster change. Monday 23 November 2026, 09:00.
 */
describe.each(engines)('duty commands and cards refused on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  async function roster() {
    await setDutyDay(world.deps, { date: '2026-11-23', officer: 'ou_zhang', leader: 'ou_wang' });
    await setDutyDay(world.deps, { date: '2026-11-25', officer: 'ou_zhang', leader: 'ou_wang' });
  }

  it('someone not on duty cannot confirm, log or ask a swap; nothing changes', async () => {
    await roster();
    const { app, deps, fake } = world;
    const handover = await click(app, deps, {
      operator: 'ou_li',
      value: { v: 1, op: 'duty-handover', date: '2026-11-23' },
    });
    expect(handover.toast).toEqual({ type: 'warning', content: '您不是11月23日（周一）的值班人员' });
    const quiet = await click(app, deps, {
      operator: 'ou_li',
      value: { v: 1, op: 'duty-quiet', date: '2026-11-23' },
    });
    expect(quiet.toast.type).toBe('warning');
    const noShift = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'duty-handover', date: '2026-11-24' },
    });
    expect(noShift.toast.content).toBe('11月24日（周二）尚未安排值班');
    const emptyForm = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'duty-log', date: '2026-11-23' },
      formValue: { what: '  ' },
    });
    expect(emptyForm.toast.content).toBe('请填写事由');
    await say(app, deps, { from: 'ou_li', text: '接班' });
    await say(app, deps, { from: 'ou_li', text: '值班日志 平安无事' });
    await say(app, deps, {
      from: 'ou_li',
      text: '换班 11-25 @_user_1',
      mentions: [{ openId: 'ou_zhao', name: '赵六' }],
    });
    await say(app, deps, { from: 'ou_zhang', text: '换班 11-25' });
    await say(app, deps, {
      from: 'ou_zhang',
      text: '换班 11-25 @_user_1',
      mentions: [{ openId: 'ou_nobody', name: '路人' }],
    });
    await flushOutbox(deps);
    for (const text of [
      '您当前没有需要接班的值班班次',
      '您近7日没有值班班次，无需填报值班日志',
      '您不是11月25日（周三）的值班人员',
      '请@接替您值班的同事',
      '对方尚未登记',
    ])
      expectMessage(fake, { operation: 'reply', text });
    expectNoMoreMessages(fake);
    expect(await listDutyLog(deps.database.db, '2026-11-23')).toEqual([]);
    const day = (await listDutyHistory(deps.database.db, '2026-11-23')).map((h) => h.action);
    expect(day).toEqual(['roster set']);
  });

  it('a swap asked from the eve card’s form; a roster change before the answer makes it void', async () => {
    await roster();
    const { app, deps, fake } = world;
    const form = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'duty-swap-form', date: '2026-11-25' },
    });
    const select = JSON.stringify(form.card);
    expect(select).toContain('"value":"ou_li"');
    expect(select).not.toContain('"value":"ou_zhang"');
    const asked = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'duty-swap-ask', date: '2026-11-25' },
      formValue: { to: 'ou_li' },
    });
    expect(asked.toast.content).toBe('已向李四发送换班申请，对方同意后值班表随即调整');
    expect(JSON.stringify(asked.card)).not.toContain('duty-swap-accept');
    await flushOutbox(deps);
    const card = expectMessage(fake, { openId: 'ou_li', text: '【换班申请】11月25日（周三） · 待答复' });
    const swap = (card.body as any).body.elements[1].columns[0].elements[0].behaviors[0].value.swap;
    // Asking again while it is pending is refused.
    const again = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'duty-swap-ask', date: '2026-11-25' },
      formValue: { to: 'ou_zhao' },
    });
    expect(again.toast.content).toBe('您已就11月25日（周三）提出换班申请，正在等待答复');
    // The office re-arranges the day before 李四 answers: the request is void, the roster stays.
    await setDutyDay(deps, { date: '2026-11-25', officer: 'ou_zhao', leader: 'ou_wang' });
    deps.clock.set(at('2026-11-23T10:00:00'));
    const late = await click(app, deps, { operator: 'ou_li', value: { v: 1, op: 'duty-swap-accept', swap } });
    expect(late.toast.content).toBe('值班表已变更或班次已结束，申请失效');
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_zhang', text: '【换班申请】11月25日（周三） · 已失效' });
    expectNoMoreMessages(fake);
    const day = await deps.database.db
      .selectFrom('duty_roster')
      .selectAll()
      .where('date', '=', '2026-11-25')
      .executeTakeFirstOrThrow();
    expect(day.officer).toBe('ou_zhao');
    const actions = (await listDutyHistory(deps.database.db, '2026-11-25')).map((h) => h.action);
    expect(actions).toEqual(['roster set', 'swap requested', 'roster set', 'swap void']);
  });
});
