import { describe, expect, it } from 'vitest';
import { getItem } from '../../src/items/items.js';
import { engines } from '../helpers/db.js';
import { click, expectNoMoreMessages, flushOutbox } from '../helpers/lark.js';
import {
  buttonValue,
  createDocument,
  createUnassignedTask,
  deliverNewItemCards,
  quickRepliesWorld,
} from './quick-replies-seed.js';

// Real concurrency needs a server with row locks across connections: Postgres only.
describe.runIf(engines.includes('postgres'))('quick replies: simultaneous clicks on postgres', () => {
  const world = quickRepliesWorld('postgres');

  it('two 办结 clicks at the same moment close the item once', async () => {
    const { deps, app, fake } = world;
    const item = await createDocument(world);
    const { group } = await deliverNewItemCards(world, item);
    const value = buttonValue(group!, '办结');
    const answers = await Promise.all([
      click(app, deps, { operator: 'ou_zhang', value }),
      click(app, deps, { operator: 'ou_zhang', value }),
    ]);
    expect(answers.map((a) => a.toast.type).sort()).toEqual(['info', 'success']);
    const done = await deps.database.db
      .selectFrom('item_history')
      .select('action')
      .where('item_id', '=', 'D-1')
      .where('action', '=', 'done')
      .execute();
    expect(done).toHaveLength(1);
    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(2);
    expectNoMoreMessages(fake);
  });

  it('three people clicking 认领 at once: one owns it, the others are told who', async () => {
    const { deps, app, fake } = world;
    const task = await createUnassignedTask(world);
    const { group } = await deliverNewItemCards(world, task, { dm: [] });
    const value = buttonValue(group!, '认领');
    const people = ['ou_zhang', 'ou_li', 'ou_wang'];
    const answers = await Promise.all(people.map((operator) => click(app, deps, { operator, value })));
    const winners = answers.filter((a) => a.toast.type === 'success');
    expect(winners).toHaveLength(1);
    const owner = (await getItem(deps.database.db, task.id))!.assignee!;
    const ownerName = { ou_zhang: '张三', ou_li: '李四', ou_wang: '王处长' }[owner];
    for (const a of answers.filter((x) => x.toast.type !== 'success')) {
      expect(a.toast).toEqual({ type: 'warning', content: `该事项已由${ownerName}认领` });
    }
    await flushOutbox(deps);
    expect(fake.patches).toHaveLength(1);
    expectNoMoreMessages(fake);
  });
});
