import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaseJob, remindJob } from '../../jobs/remind.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { createItem } from '../../src/items/items.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark } from '../fakes/lark-server.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe.each(engines)('an urgent document on a holiday night on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: ManualClock };
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-10-01T20:10:00+08:00' });
    await putDepartment(deps, { code: 'zonghe', name: '综合处' });
    await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'zonghe', roles: ['staff'] });
    await createItem(
      deps,
      {
        kind: 'document',
        docType: 'urgent',
        title: '关于做好节日期间防汛工作的紧急通知',
        assignee: 'ou_zhang',
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

  it('is chased once an hour from the hour after it arrived, through quiet hours, until closed', async () => {
    // National Day (10-01) evening, every half hour; 20:10 arrival.
    const expected: Record<string, boolean> = {
      '2026-10-01T20:30': false,
      '2026-10-01T21:00': false, // 50 minutes: the new-item card is still fresh
      '2026-10-01T21:30': true,
      '2026-10-01T22:00': true, // quiet hours do not hold back an urgent document
      '2026-10-01T22:30': false, // already chased in this hour
      '2026-10-01T23:00': true,
    };
    for (const [slot, chased] of Object.entries(expected)) {
      deps.clock.set(at(`${slot}:00`));
      await runJobSlot(deps, chaseJob);
      await flushOutbox(deps);
      if (chased) expectMessage(fake, { openId: 'ou_zhang', text: '紧急件 · ' });
      expectNoMoreMessages(fake);
    }
    await database.db
      .updateTable('items')
      .set({ status: 'done', closed_at: at('2026-10-01T23:20:00'), closed_by: 'ou_zhang' })
      .where('id', '=', 'D-1')
      .execute();
    for (const slot of ['2026-10-02T00:00', '2026-10-02T09:00']) {
      deps.clock.set(at(`${slot}:00`));
      await runJobSlot(deps, chaseJob);
      await runJobSlot(deps, remindJob);
      await flushOutbox(deps);
      expectNoMoreMessages(fake);
    }
  });

  it('in a minute with a reminder round the chase stands aside: the round brings the urgent item, one card', async () => {
    deps.clock.set(at('2026-10-08T07:00:00'));
    await createItem(
      deps,
      { kind: 'document', docType: 'urgent', title: '关于报送节后复工情况的紧急通知', assignee: 'ou_zhang' },
      'admin',
    );
    await flushOutbox(deps);
    for (const m of fake.messages) m.consumed = true;
    deps.clock.set(at('2026-10-08T09:00:00'));
    const chase = await runJobSlot(deps, chaseJob);
    expect(chase).toMatchObject({ sent: 0, note: 'a reminder round runs this minute' });
    const round = await runJobSlot(deps, remindJob);
    expect(round).toMatchObject({ sent: 1 });
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_zhang', text: '【催办】您有1件事项需要处理' });
    expectNoMoreMessages(fake);
  });
});
