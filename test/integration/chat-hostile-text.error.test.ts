import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { click, expectMessage, expectNoMoreMessages, flushOutbox, say } from '../helpers/lark.js';
import {
  createDocument,
  createUnassignedTask,
  deliverNewItemCards,
  quickRepliesWorld,
} from './quick-replies-seed.js';

describe.each(engines)('chat messages with text that cannot be stored on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  it.each([
    ['a NUL in a progress note', '进展 T-1 已完成\u0000初稿'],
    ['a NUL in an unknown command', '\u0000\u0000'],
    ['a control character in a command word', '认\u0007领 T-1'],
  ])('%s gets one polite answer, the event is done at once, and nothing changes', async (_name, text) => {
    const { deps, app, fake, database } = world;
    await createUnassignedTask(world);
    await say(app, deps, { from: 'ou_zhang', text: '认领 T-1', messageId: 'om_claim' });
    await flushOutbox(deps);
    fake.reset();
    const eventsBefore = await database.db.selectFrom('inbound_events').select('event_id').execute();
    const historyBefore = await database.db.selectFrom('item_history').select('id').execute();

    await say(app, deps, { from: 'ou_zhang', text, messageId: 'om_hostile_1' });
    await flushOutbox(deps);
    const reply = expectMessage(fake, { operation: 'reply', replyTo: 'om_hostile_1' });
    expect(JSON.stringify(reply.body)).toContain('无法识别的字符');

    const events = await database.db
      .selectFrom('inbound_events')
      .select(['status', 'attempts'])
      .where(
        'event_id',
        'not in',
        eventsBefore.map((e) => e.event_id),
      )
      .execute();
    expect(events).toEqual([{ status: 'done', attempts: 1 }]);
    expect(await database.db.selectFrom('item_history').select('id').execute()).toEqual(historyBefore);
    expectNoMoreMessages(fake);
  });

  it('a NUL in a card form is answered with a warning toast; nothing changes and nothing is sent', async () => {
    const { deps, app, fake, database } = world;
    const item = await createDocument(world);
    await deliverNewItemCards(world, item);
    const historyBefore = await database.db.selectFrom('item_history').select('id').execute();
    const answer = await click(app, deps, {
      operator: 'ou_zhang',
      value: { v: 1, op: 'progress', item: item.id },
      formValue: { note: '已对接\u0000财政局' },
    });
    expect(answer).toEqual({
      toast: { type: 'warning', content: '填写内容含有无法识别的字符，请删除后重新提交' },
    });
    expect(await database.db.selectFrom('item_history').select('id').execute()).toEqual(historyBefore);
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });
});
