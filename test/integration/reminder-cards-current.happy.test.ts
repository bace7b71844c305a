import { describe, expect, it } from 'vitest';
import { chaseJob, remindJob } from '../../jobs/remind.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { createItem, getItem } from '../../src/items/items.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { buttonsOf, cardProblems, headerOf, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import { click, expectMessage, expectNoMoreMessages, flushOutbox, say } from '../helpers/lark.js';
import {
  at,
  buttonValue,
  createDocument,
  deliverNewItemCards,
  quickRepliesWorld,
} from './quick-replies-seed.js';

/**
 * Every card that names an item offers its current actions or says it is done: meeting
 * reminders carry the place and 参加 / 请假; a reminder round card is redrawn when one of its
 * items changes (patched through the outbox) and when it is clicked; and a card past Lark's
 * 14-day update window is answered with a fresh card as a new message.
 */
describe.each(engines)('reminder cards show the current state on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  /** 处室工作例会 (M-1), Tuesday 10:00 in 三楼第一会议室, for 张三 and 李四. */
  async function createMeeting() {
    const meeting = await createItem(
      world.deps,
      {
        kind: 'meeting',
        title: '处室工作例会',
        startsAt: at('2026-11-24T10:00:00'),
        endsAt: at('2026-11-24T11:00:00'),
        location: '三楼第一会议室',
        attendees: ['ou_zhang', 'ou_li'],
      },
      'ou_admin',
    );
    await flushOutbox(world.deps);
    for (const m of world.fake.messages) m.consumed = true;
    return meeting;
  }

  it('the meeting’s eve reminder carries the place and 参加 / 请假, and a click answers it', async () => {
    const { deps, app, fake } = world;
    const meeting = await createMeeting();
    deps.clock.set(at('2026-11-23T16:00:00'));
    await runJobSlot(deps, chaseJob, { at: at('2026-11-23T16:00:00') });
    await flushOutbox(deps);
    const zhang = expectMessage(fake, { openId: 'ou_zhang', text: '【会议】' });
    const li = expectMessage(fake, { openId: 'ou_li', text: '【会议】' });
    expect(cardProblems(zhang.body)).toEqual([]);
    expect(textOf(zhang.body)).toContain('11月24日（周二）10:00开始 · 地点：三楼第一会议室');
    // The same values as the meeting card's buttons.
    expect(buttonValue(zhang, '参加')).toEqual({ v: 1, op: 'attend', item: meeting.id });
    expect(buttonValue(zhang, '请假')).toEqual({ v: 1, op: 'leave', item: meeting.id });

    deps.clock.set(at('2026-11-23T16:05:00'));
    const answer = await click(app, deps, {
      operator: 'ou_zhang',
      value: buttonValue(zhang, '请假'),
      messageId: zhang.messageId,
    });
    expect(answer.toast).toEqual({ type: 'success', content: '已请假' });
    expect(headerOf(answer.card.data).title).toBe('【会议】您有1个会议即将召开');
    expect(textOf(answer.card.data)).toContain('您已回复：**请假**');
    const item = await getItem(deps.database.db, meeting.id);
    expect(item!.attendees.find((a) => a.openId === 'ou_zhang')?.attendance).toBe('leave');

    await flushOutbox(deps);
    // 张三's reminder shows his answer; 李四's, whose line did not change, is left alone.
    const roundPatches = fake.patches.filter((p) => [zhang.messageId, li.messageId].includes(p.messageId));
    expect(roundPatches.map((p) => p.messageId)).toEqual([zhang.messageId]);
    expect(textOf(roundPatches[0]!.card)).toContain('您已回复：**请假**');
    expectNoMoreMessages(fake);
  });

  it('a round card is patched when one of its items is closed elsewhere, and redrawn when clicked', async () => {
    const { deps, app, fake } = world;
    await createDocument(world);
    await createDocument(world, {
      title: '关于报送年度信息工作总结的通知',
      dueAt: at('2026-11-23T18:00:00'),
    });
    await flushOutbox(deps);
    for (const m of fake.messages) m.consumed = true;
    await runJobSlot(deps, remindJob, { at: at('2026-11-23T09:00:00') });
    await flushOutbox(deps);
    const round = expectMessage(fake, { openId: 'ou_zhang', text: '【催办】您有2件事项需要处理' });
    expect(buttonsOf(round.body).map((b) => b.value)).toEqual([
      { v: 1, op: 'done', item: 'D-2' },
      { v: 1, op: 'done', item: 'D-1' },
    ]);

    // 张三 closes D-2 by chat command: his round card is patched, D-2 closed, D-1 still open.
    deps.clock.set(at('2026-11-23T10:31:00'));
    await say(app, deps, { from: 'ou_zhang', text: '办结 D-2', messageId: 'om_close_d2' });
    await flushOutbox(deps);
    expectMessage(fake, { replyTo: 'om_close_d2', text: '已办结' });
    const patch = fake.patches.find((p) => p.messageId === round.messageId);
    expect(patch, 'the round card is patched').toBeDefined();
    expect(cardProblems(patch!.card)).toEqual([]);
    expect(headerOf(patch!.card).title).toBe('【催办】您有1件事项需要处理');
    expect(textOf(patch!.card)).toContain('✅ **D-2**');
    expect(textOf(patch!.card)).toContain('已由张三于11月23日 10:31办结');
    expect(buttonsOf(patch!.card).map((b) => b.value)).toEqual([{ v: 1, op: 'done', item: 'D-1' }]);

    // An admin closes D-1 through the API; a click on the (still open) 办结 of D-1 hears who
    // closed it and gets the round card redrawn with nothing left to do.
    deps.clock.set(at('2026-11-23T11:00:00'));
    const closed = await performItemAction(deps, { itemId: 'D-1', action: 'done', by: 'ou_admin' });
    expect(closed.ok).toBe(true);
    const answer = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'done', item: 'D-1' },
      messageId: round.messageId,
    });
    expect(answer.toast).toEqual({ type: 'info', content: '该事项已由刘管理于11月23日 11:00办结' });
    expect(headerOf(answer.card.data)).toMatchObject({
      title: '【催办】本轮提醒的事项均已处理',
      template: 'grey',
    });
    expect(buttonsOf(answer.card.data)).toEqual([]);
    await flushOutbox(deps);
    const last = fake.patches.filter((p) => p.messageId === round.messageId).at(-1)!;
    expect(headerOf(last.card).template).toBe('grey');
    expectNoMoreMessages(fake);
  });

  it('a card past the 14-day update window is answered with a fresh card sent as a new message', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world, { dueAt: at('2026-12-18T18:00:00') });
    const { dm, group } = await deliverNewItemCards(world, item);
    const patchesBefore = fake.patches.length;

    // 15 days later 张三 clicks 办结 on his first card.
    deps.clock.set(at('2026-12-08T10:00:00'));
    const answer = await click(app, deps, {
      operator: 'ou_zhang',
      value: buttonValue(dm[0]!, '办结'),
      messageId: dm[0]!.messageId,
    });
    expect(answer.toast).toEqual({
      type: 'success',
      content: '已办结。原卡片已超过14天无法更新，最新卡片已重新发送给您',
    });
    expect(answer.card).toBeUndefined();
    expect((await getItem(deps.database.db, item.id))!.status).toBe('done');

    await flushOutbox(deps);
    const fresh = expectMessage(fake, { openId: 'ou_zhang', operation: 'send', text: item.title });
    expect(headerOf(fresh.body).template).toBe('grey');
    expect(textOf(fresh.body)).toContain('**张三 于 12月8日 10:00 办结**');
    // Neither old copy (the DM and the group's) is PATCHed: Lark would refuse it.
    expect(fake.patches.slice(patchesBefore).map((p) => p.messageId)).not.toContain(group!.messageId);
    expect(fake.patches.slice(patchesBefore).map((p) => p.messageId)).not.toContain(dm[0]!.messageId);

    // The same click again (Lark retries): the fresh card is not sent twice.
    await click(app, deps, {
      operator: 'ou_zhang',
      value: buttonValue(dm[0]!, '办结'),
      messageId: dm[0]!.messageId,
    });
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });
});
