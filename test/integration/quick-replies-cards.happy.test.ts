import { describe, expect, it } from 'vitest';
import { getItem } from '../../src/items/items.js';
import { buttonsOf, buttonTexts, cardProblems, elementsOf, headerOf, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import {
  botAddedEvent,
  click,
  expectMessage,
  expectNoMoreMessages,
  flushOutbox,
  postToLark,
  TEST_VERIFICATION_TOKEN,
  v1CardCallback,
} from '../helpers/lark.js';
import {
  at,
  buttonValue,
  createDocument,
  createUnassignedTask,
  deliverNewItemCards,
  quickRepliesWorld,
  ZHB_CHAT,
} from './quick-replies-seed.js';

async function history(world: ReturnType<typeof quickRepliesWorld>, itemId: string) {
  return world.deps.database.db
    .selectFrom('item_history')
    .select(['action', 'actor'])
    .where('item_id', '=', itemId)
    .orderBy('id')
    .execute();
}

describe.each(engines)('quick replies: card buttons on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  it('a new document reaches its handler and the department group as a card with 办结 first', async () => {
    const item = await createDocument(world);
    const { dm, group } = await deliverNewItemCards(world, item);
    for (const message of [dm[0]!, group!]) {
      expect(message.msgType).toBe('interactive');
      expect(cardProblems(message.body)).toEqual([]);
      expect(headerOf(message.body)).toEqual({
        title: '【待办】关于年度工作总结的通知',
        template: 'yellow',
        tags: ['一般件', '黄灯'],
      });
      const text = textOf(message.body);
      expect(text).toContain('**编号**　D-1');
      expect(text).toContain('**文号**　穗府办〔2026〕12号');
      expect(text).toContain('**承办**　张三');
      expect(text).toContain('**时限**　11月24日（周二）18:00');
      expect(text).toContain('**剩余**　1个工作日');
      expect(text).toContain('回复「办结 D-1」也可办结');
    }
    expect(buttonsOf(dm[0]!.body)[0]).toMatchObject({
      text: '办结',
      value: { v: 1, op: 'done', item: 'D-1' },
    });
    expect(buttonTexts(group!.body)).toEqual(['办结', '反馈进展', '申请延期']);
    expectNoMoreMessages(world.fake);
  });

  it('办结 turns the card grey for the clicker and patches the group’s copy; a second click changes nothing', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { dm, group } = await deliverNewItemCards(world, item);
    deps.clock.set(at('2026-11-23T10:31:00'));

    const answer = await click(app, deps, {
      operator: 'ou_zhang',
      value: buttonValue(group!, '办结'),
      messageId: group!.messageId,
      chatId: ZHB_CHAT,
    });
    expect(answer.toast).toEqual({ type: 'success', content: '已办结' });
    const card = answer.card.data;
    expect(cardProblems(card)).toEqual([]);
    expect(headerOf(card)).toMatchObject({ title: '【已办结】关于年度工作总结的通知', template: 'grey' });
    expect(textOf(card)).toContain('**张三 于 11月23日 10:31 办结**');
    expect(buttonsOf(card)).toEqual([]);

    await flushOutbox(deps);
    // Both copies already in chats (the group's and 张三's) now show the closed state.
    expect(fake.patches.map((p) => p.messageId).sort()).toEqual([dm[0]!.messageId, group!.messageId].sort());
    for (const p of fake.patches) {
      expect(headerOf(p.card).template).toBe('grey');
      expect(textOf(p.card)).toContain('**张三 于 11月23日 10:31 办结**');
    }

    // A second, quick click: one effect only.
    const again = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(group!, '办结') });
    expect(again.toast).toEqual({ type: 'info', content: '该事项已由张三于11月23日 10:31办结' });
    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(2);
    expect((await history(world, 'D-1')).filter((h) => h.action === 'done')).toHaveLength(1);
    expectNoMoreMessages(fake);
  });

  it('a stale card: 李四 clicks after 张三 closed it, hears who and when, and sees it closed', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);
    deps.clock.set(at('2026-11-23T09:05:00'));
    await click(app, deps, { operator: 'ou_zhang', value: buttonValue(group!, '办结') });
    deps.clock.set(at('2026-11-23T11:00:00'));

    const answer = await click(app, deps, { operator: 'ou_li', value: buttonValue(group!, '办结') });
    expect(answer.toast).toEqual({ type: 'info', content: '该事项已由张三于11月23日 09:05办结' });
    expect(headerOf(answer.card.data).template).toBe('grey');
    expect(textOf(answer.card.data)).toContain('**张三 于 11月23日 09:05 办结**');

    // A stale 申请延期 (a form button) refreshes the same way.
    const form = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(group!, '申请延期') });
    expect(form.toast.content).toBe('该事项已由张三于11月23日 09:05办结');
    expect(elementsOf(form.card.data, 'form')).toEqual([]);

    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(2);
    expect((await getItem(deps.database.db, 'D-1'))!.closedBy).toBe('ou_zhang');
    expectNoMoreMessages(fake);
  });

  it('someone not allowed is refused with the reason, and nothing changes', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);

    const answer = await click(app, deps, { operator: 'ou_li', value: buttonValue(group!, '办结') });
    expect(answer).toEqual({ toast: { type: 'warning', content: '该事项由张三承办，您无权办结' } });
    const form = await click(app, deps, { operator: 'ou_zhao', value: buttonValue(group!, '申请延期') });
    expect(form).toEqual({ toast: { type: 'warning', content: '只有承办人可以申请延期' } });
    const stranger = await click(app, deps, { operator: 'ou_nobody', value: buttonValue(group!, '办结') });
    expect(stranger).toEqual({ toast: { type: 'warning', content: '您尚未登记，请联系办公室管理员' } });

    expect((await getItem(deps.database.db, 'D-1'))!.status).toBe('open');
    expect((await history(world, 'D-1')).map((h) => h.action)).toEqual(['create']);
    await flushOutbox(deps);
    expect(fake.patches).toEqual([]);
    expectNoMoreMessages(fake);
  });

  it('an unassigned task in the group: the first to click 认领 owns it and everyone sees who', async () => {
    const { deps, app, fake } = world;
    const task = await createUnassignedTask(world);
    const { group } = await deliverNewItemCards(world, task, { dm: [] });
    expect(headerOf(group!.body)).toMatchObject({
      title: '【督办】落实全市安全生产会议议定事项',
      tags: ['会议议定', '绿灯'],
    });
    expect(buttonTexts(group!.body)).toEqual(['认领']);
    expect(textOf(group!.body)).toContain('**承办**　待认领');

    const first = await click(app, deps, { operator: 'ou_li', value: buttonValue(group!, '认领') });
    expect(first.toast).toEqual({ type: 'success', content: '已认领' });
    expect(textOf(first.card.data)).toContain('**承办**　李四');
    expect(buttonTexts(first.card.data)).toEqual(['办结', '反馈进展', '申请延期']);

    const second = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(group!, '认领') });
    expect(second).toEqual({ toast: { type: 'warning', content: '该事项已由李四认领' } });
    const outsider = await click(app, deps, { operator: 'ou_zhao', value: buttonValue(group!, '认领') });
    expect(outsider.toast.type).toBe('warning');

    await flushOutbox(deps);
    expect(fake.patches.map((p) => p.messageId)).toEqual([group!.messageId]);
    expect(textOf(fake.patches[0]!.card)).toContain('**承办**　李四');
    expect((await getItem(deps.database.db, task.id))!.assignee).toBe('ou_li');
    expectNoMoreMessages(fake);
  });

  it('反馈进展 opens a form for the clicker; submitting it records the progress for everyone', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);

    const opened = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(group!, '反馈进展') });
    expect(opened.toast).toBeUndefined();
    expect(cardProblems(opened.card.data)).toEqual([]);
    const submit = buttonsOf(opened.card.data).find((b) => b.submit)!;
    expect(submit).toMatchObject({ text: '提交进展', value: { v: 1, op: 'progress', item: 'D-1' } });

    const empty = await click(app, deps, {
      operator: 'ou_zhang',
      value: submit.value,
      formValue: { note: ' ' },
    });
    expect(empty).toEqual({ toast: { type: 'warning', content: '请填写进展内容' } });

    deps.clock.set(at('2026-11-23T10:00:00'));
    const done = await click(app, deps, {
      operator: 'ou_zhang',
      value: submit.value,
      formValue: { note: '已与财政局对接，预计明日报送' },
    });
    expect(done.toast).toEqual({ type: 'success', content: '已记录进展' });
    expect(elementsOf(done.card.data, 'form')).toEqual([]);
    expect(textOf(done.card.data)).toContain('**最新进展**（11月23日 10:00）：已与财政局对接，预计明日报送');

    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(2);
    for (const p of fake.patches) expect(textOf(p.card)).toContain('已与财政局对接');
    expectNoMoreMessages(fake);
  });

  it('申请延期 → the chief approves on his card → the handler hears it and the deadline moves', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);

    const opened = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(group!, '申请延期') });
    const submit = buttonsOf(opened.card.data).find((b) => b.submit)!;
    const noReason = await click(app, deps, {
      operator: 'ou_zhang',
      value: submit.value,
      formValue: { days: '3' },
    });
    expect(noReason).toEqual({ toast: { type: 'warning', content: '请填写延期理由' } });

    const asked = await click(app, deps, {
      operator: 'ou_zhang',
      value: submit.value,
      formValue: { days: '3', reason: '等待财政局批复' },
    });
    expect(asked.toast).toEqual({ type: 'success', content: '已提交延期申请，等待王处长审批' });
    expect(textOf(asked.card.data)).toContain('张三已申请延期至11月27日（周五）18:00，等待审批');
    expect(buttonTexts(asked.card.data)).toEqual(['办结', '反馈进展']);

    await flushOutbox(deps);
    const approval = expectMessage(fake, { openId: 'ou_wang', text: '【延期申请】D-1' });
    expect(cardProblems(approval.body)).toEqual([]);
    expect(textOf(approval.body)).toContain('**延至**　11月27日（周五）18:00（延长3个工作日）');
    expect(textOf(approval.body)).toContain('**理由**：等待财政局批复');

    // 张三 may not approve his own request.
    const self = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(approval, '同意') });
    expect(self.toast.type).toBe('warning');

    deps.clock.set(at('2026-11-23T11:05:00'));
    const approved = await click(app, deps, { operator: 'ou_wang', value: buttonValue(approval, '同意') });
    expect(approved.toast).toEqual({ type: 'success', content: '已批准延期至11月27日 18:00' });
    expect(headerOf(approved.card.data).template).toBe('grey');
    expect(textOf(approved.card.data)).toContain('**王处长 于 11月23日 11:05 同意延期**');

    // A second click on 驳回 after the decision: stale, nothing changes.
    const late = await click(app, deps, { operator: 'ou_wang', value: buttonValue(approval, '驳回') });
    expect(late.toast).toEqual({ type: 'info', content: '该延期申请已由王处长于11月23日 11:05批准' });

    await flushOutbox(deps);
    const decision = expectMessage(fake, { openId: 'ou_zhang', text: '【延期已同意】D-1' });
    expect(textOf(decision.body)).toContain('**新时限**　11月27日（周五）18:00');
    expect((await getItem(deps.database.db, 'D-1'))!.dueAt).toEqual(at('2026-11-27T18:00:00'));
    // The approval card turned grey; the item's cards show the new deadline.
    const approvalPatch = fake.patches.find((p) => p.messageId === approval.messageId)!;
    expect(textOf(approvalPatch.card)).toContain('同意延期');
    const groupPatches = fake.patches.filter((p) => p.messageId === group!.messageId);
    expect(textOf(groupPatches.at(-1)!.card)).toContain('**时限**　11月27日（周五）18:00');
    expectNoMoreMessages(fake);
  });

  it('申请延期 to a date: checked against the calendar; 驳回 tells the handler the deadline stands', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);
    const opened = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(group!, '申请延期') });
    const submit = buttonsOf(opened.card.data).find((b) => b.submit)!;
    const send = (formValue: Record<string, unknown>) =>
      click(app, deps, { operator: 'ou_zhang', value: submit.value, formValue });

    expect((await send({ new_date: '2026-11-28 +0800', reason: '材料未齐' })).toast).toEqual({
      type: 'warning',
      content: '新的截止日期不是工作日，请重新选择',
    });
    expect((await send({ days: '2', new_date: '2026-11-30 +0800', reason: '材料未齐' })).toast.content).toBe(
      '延期天数和新的截止日期只需填写一项',
    );
    expect((await send({ reason: '材料未齐' })).toast.content).toBe(
      '请选择延长的工作日数，或选择新的截止日期',
    );
    const asked = await send({ new_date: '2026-11-30 +0800', reason: '材料未齐' });
    expect(asked.toast.type).toBe('success');

    await flushOutbox(deps);
    const approval = expectMessage(fake, { openId: 'ou_wang', text: '【延期申请】D-1' });
    expect(textOf(approval.body)).toContain('**延至**　11月30日（周一）18:00（延长4个工作日）');
    deps.clock.set(at('2026-11-23T14:00:00'));
    const rejected = await click(app, deps, { operator: 'ou_wang', value: buttonValue(approval, '驳回') });
    expect(rejected.toast).toEqual({ type: 'success', content: '已驳回延期申请' });
    expect(textOf(rejected.card.data)).toContain('**王处长 于 11月23日 14:00 驳回延期**');

    await flushOutbox(deps);
    const decision = expectMessage(fake, { openId: 'ou_zhang', text: '【延期未同意】D-1' });
    expect(headerOf(decision.body).template).toBe('red');
    expect(textOf(decision.body)).toContain('**时限**　11月24日（周二）18:00');
    expect((await getItem(deps.database.db, 'D-1'))!.dueAt).toEqual(at('2026-11-24T18:00:00'));
    // The handler may ask again once the first request is decided.
    const groupCard = fake.patches.filter((p) => p.messageId === group!.messageId).at(-1)!;
    expect(buttonTexts(groupCard.card)).toEqual(['办结', '反馈进展', '申请延期']);
    expectNoMoreMessages(fake);
  });

  it('会办: the co-handling unit hears of its part and closes it from the card; the item stays open', async () => {
    const { deps, app, fake } = world;
    const { createItem } = await import('../../src/items/items.js');
    const task = await createItem(
      deps,
      {
        kind: 'task',
        source: 'instruction',
        title: '编制明年机关运行经费预算',
        leadDept: 'ZHB',
        assignee: 'ou_zhang',
        coDepts: [{ dept: 'CWC', assignee: 'ou_zhao' }],
        dueAt: at('2026-12-04T18:00:00'),
      },
      'ou_admin',
    );
    const { dm } = await deliverNewItemCards(world, task, { dm: ['ou_zhang', 'ou_zhao'] });
    expect(textOf(dm[1]!.body)).toContain('**会办**　财务处（办理中）');
    const answer = await click(app, deps, { operator: 'ou_zhao', value: buttonValue(dm[1]!, '办结') });
    expect(answer.toast).toEqual({ type: 'success', content: '已办结（财务处会办部分）' });
    expect(textOf(answer.card.data)).toContain('**会办**　财务处（已办结）');
    expect(headerOf(answer.card.data).title).toBe('【督办】编制明年机关运行经费预算');
    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(3);
    expect((await getItem(deps.database.db, task.id))!.status).toBe('open');
    expectNoMoreMessages(fake);
  });

  it('转办: a chief picks a person from his copy; the new handler gets the card', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world, { assignee: 'ou_wang' });
    const { dm } = await deliverNewItemCards(world, item);
    expect(buttonTexts(dm[0]!.body)).toEqual(['办结', '反馈进展', '申请延期', '转办']);

    const staff = await click(app, deps, {
      operator: 'ou_li',
      value: { v: 1, op: 'form', form: 'reassign', item: 'D-1' },
    });
    expect(staff).toEqual({ toast: { type: 'warning', content: '只有综合处负责同志可以改派' } });

    const opened = await click(app, deps, { operator: 'ou_wang', value: buttonValue(dm[0]!, '转办') });
    const [select] = elementsOf(opened.card.data, 'select_static');
    expect(select!.options.map((o: any) => o.text.content)).toEqual(['李四', '张三']);
    const submit = buttonsOf(opened.card.data).find((b) => b.submit)!;
    const done = await click(app, deps, {
      operator: 'ou_wang',
      value: submit.value,
      formValue: { to: 'ou_li' },
    });
    expect(done.toast).toEqual({ type: 'success', content: '已改派给李四' });

    await flushOutbox(deps);
    const card = expectMessage(fake, { openId: 'ou_li', text: '关于年度工作总结的通知' });
    expect(textOf(card.body)).toContain('**承办**　李四');
    expect(buttonTexts(card.body)).toEqual(['办结', '反馈进展', '申请延期']);
    expect(fake.patches).toHaveLength(2);
    expectNoMoreMessages(fake);
  });

  it('a meeting: each invitee gets the card and answers 参加 or 请假', async () => {
    const { deps, app, fake } = world;
    const { createItem } = await import('../../src/items/items.js');
    const meeting = await createItem(
      deps,
      {
        kind: 'meeting',
        title: '第12次办公会议',
        startsAt: at('2026-11-24T09:30:00'),
        endsAt: at('2026-11-24T11:00:00'),
        location: '3楼第一会议室',
        organizer: 'ou_wang',
        attendees: ['ou_zhang', 'ou_li'],
        dept: 'ZHB',
      },
      'ou_admin',
    );
    const { dm } = await deliverNewItemCards(world, meeting, { dm: ['ou_li', 'ou_zhang'] });
    expect(headerOf(dm[0]!.body).title).toBe('【会议】第12次办公会议');
    expect(textOf(dm[0]!.body)).toContain('**时间**　11月24日（周二）09:30–11:00');
    expect(buttonTexts(dm[0]!.body)).toEqual(['参加', '请假']);

    const yes = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(dm[1]!, '参加') });
    expect(yes.toast).toEqual({ type: 'success', content: '已确认参会' });
    expect(textOf(yes.card.data)).toContain('您已回复：**参加**');
    expect(textOf(yes.card.data)).toContain('**回执**　参加1人 · 请假0人 · 未回复1人');
    const twice = await click(app, deps, { operator: 'ou_zhang', value: buttonValue(dm[1]!, '参加') });
    expect(twice.toast).toEqual({ type: 'info', content: '您已确认参会' });
    const outsider = await click(app, deps, { operator: 'ou_zhao', value: buttonValue(dm[1]!, '请假') });
    expect(outsider).toEqual({ toast: { type: 'warning', content: '您不在本次会议的参会名单中' } });

    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(3);
    const groupPatch = fake.patches.find(
      (p) => p.messageId !== dm[0]!.messageId && p.messageId !== dm[1]!.messageId,
    )!;
    expect(textOf(groupPatch.card)).toContain('参加1人');
    expectNoMoreMessages(fake);
  });

  it('a forged or unknown button value is refused; old v1 values keep working', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    for (const value of [
      { v: 9, op: 'done', item: 'D-1' },
      { v: 1, op: 'delete', item: 'D-1' },
      { hello: 1 },
    ]) {
      const answer = await click(app, deps, { operator: 'ou_zhang', value });
      expect(answer).toEqual({
        toast: { type: 'warning', content: '该卡片已失效，请回复「待办」查看最新事项' },
      });
    }
    const missing = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'done', item: 'D-99' },
    });
    expect(missing.toast.type).toBe('warning');
    // The value exactly as the first cards carried it.
    const ok = await click(app, deps, { operator: 'ou_zhang', value: { v: 1, op: 'done', item: 'D-1' } });
    expect(ok.toast).toEqual({ type: 'success', content: '已办结' });
    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(2);
    expectNoMoreMessages(fake);
  });

  it('办结 on a reminder round card answers with the round card redrawn: that item done, the other open', async () => {
    const { deps, app, fake } = world;
    const { remindJob } = await import('../../jobs/remind.js');
    const { runJobSlot } = await import('../../src/platform/scheduler/run-job.js');
    await createDocument(world);
    await createDocument(world, {
      title: '关于报送年度信息工作总结的通知',
      dueAt: at('2026-11-23T18:00:00'),
    });
    await flushOutbox(deps);
    for (const m of fake.messages) m.consumed = true;

    await runJobSlot(deps, remindJob, { at: at('2026-11-23T09:00:00') });
    await flushOutbox(deps);
    const round = expectMessage(fake, { openId: 'ou_zhang', text: '【催办】' });
    const answer = await click(app, deps, {
      operator: 'ou_zhang',
      value: buttonValue(round, '办结'),
      messageId: round.messageId,
    });
    expect(answer.toast).toEqual({ type: 'success', content: '已办结' });
    const clicked = buttonValue(round, '办结').item;
    expect(headerOf(answer.card.data).title).toBe('【催办】您有1件事项需要处理');
    expect(textOf(answer.card.data)).toMatch(/\*\*已办结：D-\d 关于/);
    expect(textOf(answer.card.data)).toContain(`✅ **${clicked}**`);
    expect(buttonsOf(answer.card.data).map((b) => b.value.item)).toEqual([clicked === 'D-1' ? 'D-2' : 'D-1']);
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });

  it('the bot added to a group posts the welcome card explaining 绑定', async () => {
    const { deps, app, fake } = world;
    const event = botAddedEvent({ chatId: 'oc_new', operator: 'ou_admin', chatName: '财务处工作群' });
    expect((await postToLark(app, deps, event)).status).toBe(200);
    // Lark delivers again: still one welcome.
    expect((await postToLark(app, deps, event)).status).toBe(200);
    await flushOutbox(deps);
    const welcome = expectMessage(fake, { chatId: 'oc_new', operation: 'send' });
    expect(cardProblems(welcome.body)).toEqual([]);
    expect(headerOf(welcome.body)).toEqual({
      title: '【催办助手】已加入「财务处工作群」',
      template: 'blue',
      tags: [],
    });
    expect(textOf(welcome.body)).toContain('`@催办助手 绑定 ZHB`');
    expect(textOf(welcome.body)).toContain('CWC 财务处');
    expectNoMoreMessages(fake);
  });

  it('an old-style (v1) callback works the same and gets the card back', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);
    const body = {
      ...v1CardCallback({
        operator: 'ou_zhang',
        value: buttonValue(group!, '办结'),
        messageId: group!.messageId,
      }),
      token: TEST_VERIFICATION_TOKEN,
    };
    const res = await postToLark(app, deps, body, { path: '/lark/cards' });
    expect(res.status).toBe(200);
    // v1 answers with the card itself.
    expect(headerOf(res.body)).toMatchObject({ title: '【已办结】关于年度工作总结的通知', template: 'grey' });
    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(2);
    expectNoMoreMessages(fake);
  });

  it('催办承办人 on an escalation card: the chief nudges the handler once a day, on record', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    const value = { v: 1, op: 'nudge', item: 'D-1' };

    const staff = await click(app, deps, { operator: 'ou_li', value });
    expect(staff).toEqual({ toast: { type: 'warning', content: '只有处室负责同志可以催办承办人' } });
    const first = await click(app, deps, { operator: 'ou_wang', value });
    expect(first).toEqual({ toast: { type: 'success', content: '已提醒张三尽快办理' } });
    const second = await click(app, deps, { operator: 'ou_wang', value });
    expect(second).toEqual({ toast: { type: 'info', content: '今天已提醒过张三' } });

    await flushOutbox(deps);
    const nudge = expectMessage(fake, { openId: 'ou_zhang', text: '王处长提醒您：请尽快办理该事项' });
    expect(buttonsOf(nudge.body)[0]).toMatchObject({
      text: '办结',
      value: { v: 1, op: 'done', item: 'D-1' },
    });
    expect((await history(world, 'D-1')).map((h) => [h.action, h.actor])).toEqual([
      ['create', 'ou_admin'],
      ['nudge', 'ou_wang'],
    ]);

    // Once closed, the nudge card is patched like every other copy, and nudging says so.
    await click(app, deps, { operator: 'ou_zhang', value: buttonValue(nudge, '办结') });
    expect(await click(app, deps, { operator: 'ou_wang', value })).toEqual({
      toast: { type: 'info', content: '该事项已办结，无需催办' },
    });
    await flushOutbox(deps);
    expect(fake.patches.map((p) => p.messageId)).toContain(nudge.messageId);
    expectNoMoreMessages(fake);
  });
});
