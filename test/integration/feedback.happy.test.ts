import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { cardProblems, headerOf, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig, say } from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

const at = (local: string) => new Date(`${local}+08:00`);

/**
 * 办结反馈: closing a leader's instruction, a meeting decision or a proposal sends its leader
 * (else its creator) one 「办结反馈」 card with the handler, on time or late, and the note.
 */
describe.each(engines)('results fed back to the leader on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  it('the leader hears once, on time or late, with the closing note; other sources stay quiet', async () => {
    const deps = testDeps(h.database, { config: larkTestConfig(h.fake), now: '2026-11-23T09:00:00+08:00' });
    const app = createApp(deps);
    await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true });
    await putDepartment(deps, { code: 'zonghe', name: '综合处' });
    await putPerson(deps, { openId: 'ou_li', name: '李主任', dept: 'office', roles: ['chief'] });
    await putPerson(deps, { openId: 'ou_wang', name: '王处长', dept: 'zonghe', roles: ['chief'] });
    await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'zonghe', roles: ['staff'] });
    const task = (body: Record<string, unknown>) =>
      api(app, 'POST', '/api/v1/items', {
        kind: 'task',
        leadDept: 'zonghe',
        assignee: 'ou_zhang',
        dueAt: '2026-11-25T18:00:00+08:00',
        ...body,
      });

    const unknown = await task({ source: 'instruction', title: '某事', leader: 'ou_nobody' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toContain('leader');
    const t1 = await task({ source: 'instruction', title: '起草冬季安全生产方案', leader: 'ou_li' });
    expect(t1.body).toMatchObject({ id: 'T-1', leader: 'ou_li' });
    await task({ source: 'decision', title: '落实办公会议定事项', createdBy: 'ou_wang' });
    await task({ source: 'practical', title: '更新办公设备台账', leader: 'ou_li' });
    await flushOutbox(deps);
    for (const m of h.fake.messages) m.consumed = true;

    deps.clock.set(at('2026-11-24T10:30:00'));
    const done = await performItemAction(deps, {
      itemId: 'T-1',
      action: 'done',
      by: 'ou_zhang',
      note: '方案已印发各处室执行',
    });
    expect(done.ok).toBe(true);
    await performItemAction(deps, { itemId: 'T-1', action: 'done', by: 'ou_zhang', note: '再点一次' });
    await flushOutbox(deps);
    const fed = expectMessage(h.fake, { openId: 'ou_li', text: '【办结反馈】' });
    expect(cardProblems(fed.body)).toEqual([]);
    expect(headerOf(fed.body)).toMatchObject({
      title: '【办结反馈】起草冬季安全生产方案',
      template: 'green',
      tags: ['按时办结'],
    });
    expect(textOf(fed.body)).toContain('**编号**　T-1');
    expect(textOf(fed.body)).toContain('**承办**　张三');
    expect(textOf(fed.body)).toContain('**办结**　11月24日 10:30');
    expect(textOf(fed.body)).toContain('**办理结果**：方案已印发各处室执行');

    // Late: due Wednesday 18:00, closed Friday; without a leader the creator hears.
    deps.clock.set(at('2026-11-27T09:00:00'));
    await performItemAction(deps, { itemId: 'T-2', action: 'done', by: 'ou_zhang' });
    await performItemAction(deps, { itemId: 'T-3', action: 'done', by: 'ou_zhang' });
    await flushOutbox(deps);
    const late = expectMessage(h.fake, { openId: 'ou_wang', text: '【办结反馈】落实办公会议定事项' });
    expect(headerOf(late.body)).toMatchObject({ template: 'orange', tags: ['逾期2个工作日办结'] });
    expect(textOf(late.body)).toContain('**办理结果**：承办人未填写说明');
    expectNoMoreMessages(h.fake);

    // 办结 T-4 <说明> in chat carries the result to the leader.
    await task({
      source: 'proposal',
      title: '答复市人大代表建议',
      leader: 'ou_li',
      dueAt: '2026-12-30T18:00:00+08:00',
    });
    await flushOutbox(deps);
    for (const m of h.fake.messages) m.consumed = true;
    await say(app, deps, {
      from: 'ou_zhang',
      text: '办结 T-4 已书面答复代表，代表表示满意',
      messageId: 'om_done_t4',
    });
    await flushOutbox(deps);
    expectMessage(h.fake, { operation: 'reply', replyTo: 'om_done_t4' });
    const byChat = expectMessage(h.fake, { openId: 'ou_li', text: '【办结反馈】答复市人大代表建议' });
    expect(textOf(byChat.body)).toContain('**办理结果**：已书面答复代表，代表表示满意');
    expectNoMoreMessages(h.fake);
  });
});
