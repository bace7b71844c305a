import { describe, expect, it } from 'vitest';
import { setDutyDay } from '../../src/duty/duty.js';
import { createItem, getItem } from '../../src/items/items.js';
import { buttonsOf, buttonTexts, cardProblems, headerOf, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import {
  click,
  expectMessage,
  expectNoMoreMessages,
  flushOutbox,
  mentionBot,
  messageEvent,
  postToLark,
  say,
} from '../helpers/lark.js';
import {
  at,
  createDocument,
  createUnassignedTask,
  deliverNewItemCards,
  quickRepliesWorld,
  ZHB_CHAT,
} from './quick-replies-seed.js';

describe.each(engines)('quick replies: chat commands on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  /** Says `text` to the bot in a direct message and returns the reply in its thread. */
  async function ask(
    from: string,
    text: string,
    messageId = `om_${from}_${Math.random().toString(36).slice(2)}`,
  ) {
    await say(world.app, world.deps, { from, text, messageId });
    await flushOutbox(world.deps);
    return expectMessage(world.fake, { operation: 'reply', replyTo: messageId });
  }

  it('办结 D-1 in a direct message: the reply is the closed card, and the item’s cards are patched', async () => {
    const { deps, fake } = world;
    const item = await createDocument(world);
    const { dm, group } = await deliverNewItemCards(world, item);
    deps.clock.set(at('2026-11-23T10:31:00'));

    const reply = await ask('ou_zhang', '办结 d1');
    expect(reply.msgType).toBe('interactive');
    expect(cardProblems(reply.body)).toEqual([]);
    expect(headerOf(reply.body)).toMatchObject({
      title: '【已办结】关于年度工作总结的通知',
      template: 'grey',
    });
    expect(textOf(reply.body)).toContain('**已办结**');
    expect(textOf(reply.body)).toContain('**张三 于 11月23日 10:31 办结**');
    expect(fake.patches.map((p) => p.messageId).sort()).toEqual([dm[0]!.messageId, group!.messageId].sort());
    expect((await getItem(deps.database.db, 'D-1'))!.status).toBe('done');

    // The same command again, later: it says who closed it and when; nothing changes.
    const again = await ask('ou_zhang', 'DONE D-1');
    expect(textOf(again.body)).toContain('该事项已由张三于11月23日 10:31办结');
    expect(fake.patches).toHaveLength(2);
    expectNoMoreMessages(fake);
  });

  it('in a group the bot answers only when @-mentioned, in the thread, with the group’s card', async () => {
    const { deps, app, fake } = world;
    const task = await createUnassignedTask(world);
    const { group } = await deliverNewItemCards(world, task, { dm: [] });

    // Talking to someone else in the group: not for the bot.
    await say(app, deps, {
      from: 'ou_li',
      chatType: 'group',
      chatId: ZHB_CHAT,
      text: '@_user_1 认领 T-1 你看下',
      mentions: [{ openId: 'ou_zhang', name: '张三' }],
    });
    await flushOutbox(deps);
    expectNoMoreMessages(fake);

    await say(app, deps, {
      from: 'ou_li',
      chatType: 'group',
      chatId: ZHB_CHAT,
      messageId: 'om_group_claim',
      text: '@_user_1 认领　ｔ１',
      mentions: [mentionBot(fake)],
    });
    await flushOutbox(deps);
    const reply = expectMessage(fake, { operation: 'reply', replyTo: 'om_group_claim' });
    expect(textOf(reply.body)).toContain('**已认领**');
    expect(textOf(reply.body)).toContain('**承办**　李四');
    // The group's copy has the group's buttons (no 转办), whoever asked.
    expect(buttonTexts(reply.body)).toEqual(['办结', '反馈进展', '申请延期']);
    expect(fake.patches.map((p) => p.messageId)).toEqual([group!.messageId]);
    expectNoMoreMessages(fake);
  });

  it('进展 and 延期 by command, with the approval card to the chief', async () => {
    const { fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);

    const progress = await ask('ou_zhang', '进展 D-1 已与财政局对接（初稿已成）');
    expect(textOf(progress.body)).toContain('**已记录进展**');
    expect(textOf(progress.body)).toContain('已与财政局对接（初稿已成）');

    const extend = await ask('ou_zhang', '延期 D-1 3天 等待财政局批复');
    expect(textOf(extend.body)).toContain('**已提交延期申请，等待王处长审批**');
    expect(textOf(extend.body)).toContain('张三已申请延期至11月27日（周五）18:00，等待审批');
    const approval = expectMessage(fake, { openId: 'ou_wang', text: '【延期申请】D-1' });
    expect(buttonsOf(approval.body).map((b) => b.text)).toEqual(['同意', '驳回']);
    expect(textOf(approval.body)).toContain('**理由**：等待财政局批复');

    const twice = await ask('ou_zhang', '延期 D-1 2天');
    expect(twice.text).toBe('该事项已有一项延期申请待审批');
    // After the progress: the DM and group cards; after the request: those and the progress reply.
    expect(fake.patches).toHaveLength(5);
    expectNoMoreMessages(fake);
  });

  it('待办 lists my open items as one card, red first', async () => {
    const { fake } = world;
    const overdue = await createDocument(world, {
      title: '关于报送三季度统计数据的通知',
      receivedAt: at('2026-11-16T09:00:00'),
      dueAt: at('2026-11-19T18:00:00'),
    });
    const later = await createDocument(world, {
      title: '关于召开年终总结会的通知',
      dueAt: at('2026-12-04T18:00:00'),
    });
    const soon = await createDocument(world, { title: '关于年度工作总结的通知' });
    for (const i of [overdue, later, soon]) await deliverNewItemCards(world, i);
    await createDocument(world, { title: '李四的事项', assignee: 'ou_li' });
    await flushOutbox(world.deps);
    for (const m of fake.messages) m.consumed = true;

    const reply = await ask('ou_zhang', '待办');
    expect(cardProblems(reply.body)).toEqual([]);
    expect(headerOf(reply.body)).toMatchObject({ title: '【待办】您有3件事项需要处理', template: 'red' });
    const text = textOf(reply.body);
    expect(text).toContain(`🔴 **${overdue.id}** 关于报送三季度统计数据的通知`);
    expect(text).toContain('11月19日（周四）18:00 · 已逾期2个工作日');
    expect(text.indexOf(overdue.id)).toBeLessThan(text.indexOf(`**${soon.id}**`));
    expect(text.indexOf(`**${soon.id}**`)).toBeLessThan(text.indexOf(`**${later.id}**`));
    expect(text).not.toContain('李四的事项');
    expect(buttonsOf(reply.body).map((b) => b.value)).toEqual([
      { v: 1, op: 'done', item: overdue.id },
      { v: 1, op: 'done', item: soon.id },
      { v: 1, op: 'done', item: later.id },
    ]);

    // 办结 from the list answers with the list, one item shorter, not with one item's card.
    const answer = await click(world.app, world.deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'done', item: overdue.id },
      messageId: reply.messageId,
    });
    expect(answer.toast).toEqual({ type: 'success', content: '已办结' });
    expect(headerOf(answer.card.data)).toMatchObject({
      title: '【待办】您有2件事项需要处理',
      template: 'yellow',
    });
    expect(textOf(answer.card.data)).toContain(`**已办结：${overdue.id} 关于报送三季度统计数据的通知**`);
    expect(textOf(answer.card.data)).not.toContain(`**${overdue.id}** `);
    await flushOutbox(world.deps);
    expect(fake.patches.map((p) => p.card.header.template)).toEqual(['grey', 'grey']);
    expectNoMoreMessages(fake);
  });

  it('帮助, typos with a suggestion, and anything else get the help card — never silence', async () => {
    const { fake } = world;
    const help = await ask('ou_zhang', '帮助');
    expect(headerOf(help.body).title).toBe('【帮助】催办助手使用说明');
    expect(textOf(help.body)).toContain('`办结 D-12`');

    const typo = await ask('ou_zhang', '办节 d12');
    expect(headerOf(typo.body).title).toBe('【帮助】您是不是想输入：办结 D-12？');
    expect(textOf(typo.body)).toContain('您是不是想输入：**办结 D-12**？');

    const chat = await ask('ou_zhang', '你好');
    expect(headerOf(chat.body).title).toBe('【帮助】未能识别该命令');
    expect(textOf(chat.body)).not.toContain('您是不是想输入');

    const missing = await ask('ou_zhang', '办结');
    expect(textOf(missing.body)).toContain('**办结：请写上事项编号**\n示例：`办结 D-12`');

    const messageId = 'om_image';
    await say(world.app, world.deps, { from: 'ou_zhang', text: '', messageType: 'image', messageId });
    await flushOutbox(world.deps);
    expect(headerOf(expectMessage(fake, { replyTo: messageId }).body).title).toBe('【帮助】未能识别该命令');
    expectNoMoreMessages(fake);
  });

  it('a command on someone else’s item or an unknown id is refused politely, and nothing changes', async () => {
    const { deps, fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);

    const other = await ask('ou_li', '办结 D-1');
    expect(other.msgType).toBe('text');
    expect(other.text).toBe('该事项由张三承办，您无权办结');
    const outsider = await ask('ou_zhao', '认领 D-1');
    expect(outsider.text).toBe('该事项已由张三认领');
    const unknown = await ask('ou_zhang', '办结 D-99');
    expect(unknown.text).toBe('找不到事项 D-99，请核对编号');
    const stranger = await ask('ou_nobody', '办结 D-1');
    expect(stranger.text).toBe('您尚未登记，请联系办公室管理员');
    expect((await ask('ou_nobody', '待办')).text).toBe('您尚未登记，请联系办公室管理员');
    const notCircular = await ask('ou_zhang', '已阅 D-1');
    expect(notCircular.text).toBe('只有传阅件可以标记已阅，其他事项请办结');

    expect((await getItem(deps.database.db, 'D-1'))!.status).toBe('open');
    expect(fake.patches).toEqual([]);
    expectNoMoreMessages(fake);
  });

  it('已阅 closes a circulation copy', async () => {
    const item = await createDocument(world, {
      docType: 'circular',
      title: '关于印发《机关值班管理办法》的通知',
    });
    await deliverNewItemCards(world, item);
    world.deps.clock.set(at('2026-11-23T09:20:00'));
    const reply = await ask('ou_zhang', 'read d1');
    expect(headerOf(reply.body).title).toBe('【已阅毕】关于印发《机关值班管理办法》的通知');
    expect(textOf(reply.body)).toContain('**张三 于 11月23日 09:20 阅毕**');
    expectNoMoreMessages(world.fake);
  });

  it('a redelivered event, or the same message in a new event, is answered once', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    const event = messageEvent({ from: 'ou_zhang', text: '办结 D-1', messageId: 'om_once' });
    expect((await postToLark(app, deps, event)).status).toBe(200);
    expect((await postToLark(app, deps, event)).status).toBe(200);
    const copy = messageEvent({ from: 'ou_zhang', text: '办结 D-1', messageId: 'om_once' });
    expect((await postToLark(app, deps, copy)).status).toBe(200);
    await flushOutbox(deps);
    expectMessage(fake, { replyTo: 'om_once', text: '已办结' });
    expect(
      (
        await deps.database.db
          .selectFrom('item_history')
          .select('action')
          .where('item_id', '=', 'D-1')
          .where('action', '=', 'done')
          .execute()
      ).length,
    ).toBe(1);
    expectNoMoreMessages(fake);
  });

  it('值班 names today’s duty officer and leader', async () => {
    await setDutyDay(world.deps, { date: '2026-11-23', officer: 'ou_li', leader: 'ou_wang' });
    const reply = await ask('ou_zhang', '值班');
    expect(headerOf(reply.body).title).toBe('【今日值班】11月23日（周一）');
    expect(textOf(reply.body)).toContain('值班：李四\n带班领导：王处长');
    world.deps.clock.set(at('2026-11-24T09:00:00'));
    const none = await ask('ou_zhang', 'duty');
    expect(textOf(none.body)).toContain('今日尚未安排值班');
    expectNoMoreMessages(world.fake);
  });

  it('绑定: an admin binds a group to a department, whose new items then arrive there', async () => {
    const { deps, app, fake } = world;
    const bind = (from: string, text: string, messageId: string, chatType: 'group' | 'p2p' = 'group') =>
      say(app, deps, {
        from,
        chatType,
        ...(chatType === 'group' ? { chatId: 'oc_cwc', mentions: [mentionBot(fake)] } : {}),
        text: chatType === 'group' ? `@_user_1 ${text}` : text,
        messageId,
      });

    await bind('ou_zhao', '绑定 CWC', 'om_b1');
    await bind('ou_admin', '绑定 XYZ', 'om_b2');
    await bind('ou_admin', '绑定 CWC', 'om_b3', 'p2p');
    await bind('ou_admin', '绑定 cwc', 'om_b4');
    await flushOutbox(deps);
    expect(textOf(expectMessage(fake, { replyTo: 'om_b1' }).body)).toContain('只有管理员可以绑定部门群');
    expect(textOf(expectMessage(fake, { replyTo: 'om_b2' }).body)).toContain('没有代码为「XYZ」的部门');
    expect(textOf(expectMessage(fake, { replyTo: 'om_b3' }).body)).toContain('请在需要绑定的部门群里');
    const ok = expectMessage(fake, { replyTo: 'om_b4' });
    expect(headerOf(ok.body)).toMatchObject({ title: '【绑定】绑定成功', template: 'green' });
    expect(textOf(ok.body)).toContain('本群已绑定到 财务处（CWC）');

    const task = await createItem(
      deps,
      {
        kind: 'task',
        source: 'instruction',
        title: '核对年度预算执行情况',
        leadDept: 'CWC',
        dueAt: at('2026-11-27T18:00:00'),
      },
      'ou_admin',
    );
    await flushOutbox(deps);
    const card = expectMessage(fake, { chatId: 'oc_cwc', text: '核对年度预算执行情况' });
    expect(buttonsOf(card.body)[0]!.value).toEqual({ v: 1, op: 'claim', item: task.id });
    expectNoMoreMessages(fake);
  });

  it('settings commands go to the settings handler (admins only)', async () => {
    const reply = await ask('ou_zhang', '查看设置');
    expect(reply.msgType).toBe('text');
    expect(reply.text).toContain('设置命令仅限管理员');
    const admin = await ask('ou_admin', '查看设置');
    expect(admin.msgType).toBe('text');
    expect(admin.text).not.toContain('仅限管理员');
    expectNoMoreMessages(world.fake);
  });
});
