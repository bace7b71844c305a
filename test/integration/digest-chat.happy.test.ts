import { describe, expect, it } from 'vitest';
import { digestJob } from '../../jobs/digest.js';
import { createItem, getItem } from '../../src/items/items.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { buttonsOf, cardProblems, headerOf, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import { click, expectMessage, expectNoMoreMessages, flushOutbox, say } from '../helpers/lark.js';
import { at, createDocument, quickRepliesWorld } from './quick-replies-seed.js';

describe.each(engines)('简报 in chat on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  async function ask(from: string, text: string) {
    const messageId = `om_${from}_${Math.random().toString(36).slice(2)}`;
    await say(world.app, world.deps, { from, text, messageId });
    await flushOutbox(world.deps);
    return expectMessage(world.fake, { operation: 'reply', replyTo: messageId });
  }

  it('a chief gets their digest now; staff are told who gets digests', async () => {
    await createDocument(world);
    await flushOutbox(world.deps);
    for (const m of world.fake.messages) m.consumed = true;
    world.deps.clock.set(at('2026-11-23T10:00:00'));

    const card = await ask('ou_wang', '简报');
    expect(card.msgType).toBe('interactive');
    expect(cardProblems(card.body)).toEqual([]);
    expect(headerOf(card.body).title).toBe('【每日督办简报】11月23日（周一）');
    expect(card.body.header.subtitle.content).toBe('综合处');
    expect(textOf(card.body)).toContain('在办 1 件');

    const staff = await ask('ou_zhang', '简报');
    expect(staff.text).toBe(
      '【每日督办简报】11月23日（周一）仅发送给处室负责人和办公厅领导。查看本人事项请回复「待办」。',
    );
    const typo = await ask('ou_wang', '简报 明天');
    expect(textOf(typo.body)).toContain('「明天」无法识别');
    expectNoMoreMessages(world.fake);
  });

  it('简报 关闭 stops the daily digest for that chief, 简报 开启 resumes it at the set time', async () => {
    const { deps, fake } = world;
    expect((await ask('ou_wang', '简报 关闭')).text).toBe(
      '已关闭每日督办简报，今后不再发送。需要时回复「简报」即可查看，回复「简报 开启」恢复每日发送。',
    );
    deps.clock.set(at('2026-11-24T08:30:00'));
    expect(await runJobSlot(deps, digestJob)).toMatchObject({ sent: 0, readers: 0, optedOut: 1 });

    deps.clock.set(at('2026-11-24T09:00:00'));
    expect((await ask('ou_admin', '设置 日报 08:45')).text).toBe(
      '已设置：每日督办简报每个工作日 08:45 发送（节假日不发送）。',
    );
    expect((await ask('ou_wang', '简报 开启')).text).toBe('已开启每日督办简报：每个工作日 08:45 发送。');
    deps.clock.set(at('2026-11-25T08:45:00'));
    expect(await runJobSlot(deps, digestJob)).toMatchObject({ sent: 1, readers: 1, optedOut: 0 });
    await flushOutbox(deps);
    // Nothing open, nothing closed: one line.
    expect(expectMessage(fake, { openId: 'ou_wang' }).text).toBe(
      '【每日督办简报】11月25日（周三） 综合处：无在办事项，上一工作日以来无办结事项。今日值班：未排班',
    );
    expectNoMoreMessages(fake);
  });

  it('同意 on a digest decides the request and leaves the digest as it was', async () => {
    const { deps, fake, app } = world;
    await createItem(
      deps,
      {
        kind: 'task',
        source: 'instruction',
        title: '整理年度档案',
        leadDept: 'ZHB',
        assignee: 'ou_zhang',
        dueAt: at('2026-11-27T18:00:00'),
      },
      'ou_admin',
    );
    deps.clock.set(at('2026-11-23T10:00:00'));
    await ask('ou_zhang', '延期 T-1 3天 等待档案馆答复');
    await flushOutbox(deps);
    for (const m of fake.messages) m.consumed = true;
    const digest = await ask('ou_wang', '简报');
    const approve = buttonsOf(digest.body).find((b) => b.text === '同意')!;
    expect(approve.value).toMatchObject({ op: 'approve-extension', item: 'T-1' });
    const answer = await click(app, deps, {
      operator: 'ou_wang',
      value: approve.value,
      messageId: digest.messageId,
    });
    expect(answer.toast.type).toBe('success');
    expect(answer.card).toBeUndefined();
    expect((await getItem(deps.database.db, 'T-1'))!.dueAt).toEqual(at('2026-12-02T18:00:00'));
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_zhang' });
    expectNoMoreMessages(fake);
  });
});
