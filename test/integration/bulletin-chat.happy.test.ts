import { describe, expect, it } from 'vitest';
import { cardProblems, headerOf, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import { api } from '../helpers/http.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, say } from '../helpers/lark.js';
import { quickRepliesWorld } from './quick-replies-seed.js';

describe.each(engines)('通报 settings, chat and scoring weights on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  async function ask(from: string, text: string) {
    const messageId = `om_${from}_${Math.random().toString(36).slice(2)}`;
    await say(world.app, world.deps, { from, text, messageId });
    await flushOutbox(world.deps);
    return expectMessage(world.fake, { operation: 'reply', replyTo: messageId });
  }

  it('admins set the weekly and monthly cadence; the answer restates it in words', async () => {
    expect((await ask('ou_admin', '设置 通报 每周一 09:00')).text).toBe(
      '已设置：每周一 09:00发周通报，每月1日 09:00发月通报（1、4、7、10月另发季通报；1月另发年通报；遇节假日顺延至下一个工作日）。',
    );
    expect((await ask('ou_admin', '设置 通报 每月3日 10:00')).text).toBe(
      '已设置：每周一 10:00发周通报，每月3日 10:00发月通报（1、4、7、10月另发季通报；1月另发年通报；遇节假日顺延至下一个工作日）。',
    );
    const schedule = await api(world.app, 'GET', '/api/v1/schedules/bulletin');
    expect(schedule.body.cron).toBe('0 10 * * *');
    expect((await ask('ou_admin', '设置 通报 明天 09:00')).text).toContain(
      '通报时间格式不对：「明天 09:00」',
    );
    expect((await ask('ou_zhang', '设置 通报 每周一 09:00')).text).toContain('仅限管理员');
    expectNoMoreMessages(world.fake);
  });

  it('通报 in chat: a chief gets last week’s card for the unit; staff are told where it goes', async () => {
    const card = await ask('ou_wang', '通报');
    expect(cardProblems(card.body)).toEqual([]);
    expect(headerOf(card.body).title).toBe('【督办通报】综合处 周通报 11月16日—11月22日');
    expect(textOf(card.body)).toContain('本期无扣分');
    expect((await ask('ou_zhang', '通报')).text).toContain('处室负责人和办公厅领导可回复「通报」');
    expectNoMoreMessages(world.fake);
  });

  it('scoring weights are in GET|PUT /api/v1/rules, validated field by field', async () => {
    const before = await api(world.app, 'GET', '/api/v1/rules');
    expect(before.body.scoring).toMatchObject({ lateClose: 2, overdueDay: 0.5, overdueThresholdWorkdays: 5 });
    const put = await api(world.app, 'PUT', '/api/v1/rules', {
      scoring: { lateClose: 3 },
      yellowWithinWorkdays: 2,
    });
    expect(put.status).toBe(200);
    expect(put.body.scoring.lateClose).toBe(3);
    expect(put.body.rules.yellowWithinWorkdays).toBe(2);
    const bad = await api(world.app, 'PUT', '/api/v1/rules', {
      scoring: { extension: -1 },
      yellowWithinWorkdays: 1,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('scoring.extension');
    const after = await api(world.app, 'GET', '/api/v1/rules');
    // Nothing of the refused change was stored.
    expect(after.body.rules.yellowWithinWorkdays).toBe(2);
    expect(after.body.scoring).toMatchObject({ lateClose: 3, extension: 1 });
  });
});
