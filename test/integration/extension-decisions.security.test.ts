import { describe, expect, it } from 'vitest';
import { listHistory } from '../../src/db/repos/history.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { getItem } from '../../src/items/items.js';
import { putPerson } from '../../src/settings/organisation.js';
import { textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import { click, expectMessage, expectNoMoreMessages, flushOutbox, say } from '../helpers/lark.js';
import {
  at,
  buttonValue,
  createDocument,
  deliverNewItemCards,
  quickRepliesWorld,
} from './quick-replies-seed.js';

describe.each(engines)('extension decisions and closing notes on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  it('同意 on an old approval card does not approve a newer request: it says the old one was already decided', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    const ask = (days: number) =>
      performItemAction(deps, { itemId: 'D-1', action: 'extend', by: 'ou_zhang', days });

    expect(await ask(2)).toMatchObject({ ok: true, changed: true });
    await flushOutbox(deps);
    const first = expectMessage(fake, { openId: 'ou_wang', text: '【延期申请】D-1' });
    deps.clock.set(at('2026-11-23T10:00:00'));
    const rejected = await click(app, deps, { operator: 'ou_wang', value: buttonValue(first, '驳回') });
    expect(rejected.toast).toEqual({ type: 'success', content: '已驳回延期申请' });
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_zhang', text: '【延期未同意】D-1' });

    expect(await ask(60)).toMatchObject({ ok: true, changed: true });
    await flushOutbox(deps);
    const second = expectMessage(fake, { openId: 'ou_wang', text: '【延期申请】D-1' });

    // The stale card of the first request: nothing approved, the clicker told who decided it.
    const stale = await click(app, deps, { operator: 'ou_wang', value: buttonValue(first, '同意') });
    expect(stale.toast).toEqual({ type: 'info', content: '该延期申请已由王处长于11月23日 10:00驳回' });
    let detail = await getItem(deps.database.db, 'D-1');
    expect(detail!.dueAt).toEqual(at('2026-11-24T18:00:00'));
    expect(detail!.extensionRequests.map((r) => r.status)).toEqual(['rejected', 'pending']);

    // The card of the second request decides the second request.
    const approved = await click(app, deps, { operator: 'ou_wang', value: buttonValue(second, '同意') });
    expect(approved.toast.type).toBe('success');
    detail = await getItem(deps.database.db, 'D-1');
    expect(detail!.extensionRequests.map((r) => r.status)).toEqual(['rejected', 'approved']);
    expect(detail!.dueAt).toEqual(detail!.extensionRequests[1]!.newDueAt);
    const decisions = (await listHistory(deps.database.db, 'D-1')).filter((h) =>
      h.action.endsWith('-extension'),
    );
    expect(decisions.map((h) => [h.action, h.details.extensionId])).toEqual([
      ['reject-extension', detail!.extensionRequests[0]!.id],
      ['approve-extension', detail!.extensionRequests[1]!.id],
    ]);
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_zhang', text: '【延期已同意】D-1' });
    expectNoMoreMessages(fake);
  });

  it('a chief’s own extension goes to the top department’s chief, and the chief cannot approve it', async () => {
    const { deps, app, fake } = world;
    await putPerson(deps, { openId: 'ou_chen', name: '陈秘书长', dept: 'BGS', roles: ['chief'] });
    const item = await createDocument(world, { assignee: 'ou_wang' });
    await deliverNewItemCards(world, item);

    const asked = await performItemAction(deps, { itemId: 'D-1', action: 'extend', by: 'ou_wang', days: 3 });
    expect(asked).toMatchObject({ ok: true, message: '已提交延期申请，等待陈秘书长审批' });
    const own = await performItemAction(deps, { itemId: 'D-1', action: 'approve-extension', by: 'ou_wang' });
    expect(own).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: '不能审批本人的延期申请，须由其他负责同志审批',
    });
    const ownReject = await performItemAction(deps, {
      itemId: 'D-1',
      action: 'reject-extension',
      by: 'ou_wang',
    });
    expect(ownReject).toMatchObject({ ok: false, code: 'forbidden' });

    await flushOutbox(deps);
    const card = expectMessage(fake, { openId: 'ou_chen', text: '【延期申请】D-1' });
    const approved = await click(app, deps, { operator: 'ou_chen', value: buttonValue(card, '同意') });
    expect(approved.toast.type).toBe('success');
    expect((await getItem(deps.database.db, 'D-1'))!.extensionRequests[0]).toMatchObject({
      status: 'approved',
      decidedBy: 'ou_chen',
    });
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_wang', text: '【延期已同意】D-1' });
    expectNoMoreMessages(fake);
  });

  it('with a second chief in the department, that chief gets the approval card and decides', async () => {
    const { deps, fake } = world;
    await putPerson(deps, { openId: 'ou_chen', name: '陈秘书长', dept: 'BGS', roles: ['chief'] });
    await putPerson(deps, { openId: 'ou_sun', name: '孙副处长', dept: 'ZHB', roles: ['chief'] });
    const item = await createDocument(world, { assignee: 'ou_wang' });
    await deliverNewItemCards(world, item);

    const asked = await performItemAction(deps, { itemId: 'D-1', action: 'extend', by: 'ou_wang', days: 3 });
    expect(asked).toMatchObject({ ok: true, message: '已提交延期申请，等待孙副处长审批' });
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_sun', text: '【延期申请】D-1' });
    expectNoMoreMessages(fake);
    const decided = await performItemAction(deps, {
      itemId: 'D-1',
      action: 'reject-extension',
      by: 'ou_sun',
    });
    expect(decided).toMatchObject({ ok: true, changed: true });
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_wang', text: '【延期未同意】D-1' });
    expectNoMoreMessages(fake);
  });

  it('办结 D-1 <说明>: the result travels with the closing and is on record', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);

    await say(app, deps, {
      from: 'ou_zhang',
      text: '办结 D-1 已按要求报送市政府办公厅',
      messageId: 'om_done_1',
    });
    await flushOutbox(deps);
    const reply = expectMessage(fake, { operation: 'reply', replyTo: 'om_done_1' });
    expect(textOf(reply.body)).toContain('办结');
    const closed = await getItem(deps.database.db, 'D-1');
    expect(closed).toMatchObject({ status: 'done', progressNote: '已按要求报送市政府办公厅' });
    const done = (await listHistory(deps.database.db, 'D-1')).find((h) => h.action === 'done');
    expect(done?.details).toMatchObject({ note: '已按要求报送市政府办公厅', requestId: 'msg:om_done_1' });
    expectNoMoreMessages(fake);
  });
});
