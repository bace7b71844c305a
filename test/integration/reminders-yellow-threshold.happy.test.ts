import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindJob } from '../../jobs/remind.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { createItem, lightNow } from '../../src/items/items.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { updateDeadlineRules } from '../../src/settings/rules.js';
import { FakeLark } from '../fakes/lark-server.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';

describe.each(engines)('one yellow threshold for lights and reminders on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: ManualClock };
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-11-23T08:00:00+08:00' });
    await putDepartment(deps, { code: 'zonghe', name: '综合处' });
    await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'zonghe', roles: ['staff'] });
    // Monday 11-23; due Thursday 11-26 18:00: three working days left, green by default.
    await createItem(
      deps,
      {
        kind: 'task',
        source: 'instruction',
        title: '关于报送年度工作总结',
        leadDept: 'zonghe',
        assignee: 'ou_zhang',
        dueAt: new Date('2026-11-26T18:00:00+08:00'),
      },
      'admin',
    );
    await flushOutbox(deps);
    for (const m of fake.messages) m.consumed = true;
  });
  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  it('warns in the round exactly when the item turns yellow after an admin widens the threshold', async () => {
    deps.clock.set('2026-11-23T09:00:00+08:00');
    await runJobSlot(deps, remindJob);
    await flushOutbox(deps);
    expectNoMoreMessages(fake);

    await updateDeadlineRules(deps, { yellowWithinWorkdays: 3 }, 'ou_admin');
    const item = await database.db
      .selectFrom('items')
      .select(['status', 'due_at'])
      .where('id', '=', 'T-1')
      .executeTakeFirstOrThrow();
    expect(await lightNow(deps, { status: item.status, dueAt: item.due_at } as any)).toBe('yellow');

    deps.clock.set('2026-11-23T14:30:00+08:00');
    await runJobSlot(deps, remindJob);
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_zhang', text: 'T-1' });
    expectNoMoreMessages(fake);
  });
});
