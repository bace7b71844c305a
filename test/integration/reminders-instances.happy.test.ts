import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { remindJob } from '../../jobs/remind.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { createItem } from '../../src/items/items.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { catchUpMissedSlots } from '../../src/platform/scheduler/scheduler.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark } from '../fakes/lark-server.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';

const at = (local: string) => new Date(`${local}+08:00`);

type TestDeps = Deps & { clock: ManualClock; logger: { lines: unknown[] } };

async function seed(deps: Deps, people: number): Promise<void> {
  await putDepartment(deps, { code: 'zonghe', name: '综合处' });
  await putPerson(deps, { openId: 'ou_chief', name: '王处长', dept: 'zonghe', roles: ['chief'] });
  for (let i = 0; i < people; i++) {
    const openId = `ou_p${i}`;
    await putPerson(deps, { openId, name: `员工${i}`, dept: 'zonghe', roles: ['staff'] });
    // One overdue since Monday (escalates on Wednesday), one due Wednesday (due today).
    await createItem(
      deps,
      {
        kind: 'document',
        docType: 'normal',
        title: `收文${i}`,
        assignee: openId,
        dueAt: at('2026-09-28T18:00:00'),
      },
      'admin',
    );
    await createItem(
      deps,
      {
        kind: 'task',
        source: 'other',
        title: `任务${i}`,
        leadDept: 'zonghe',
        assignee: openId,
        dueAt: at('2026-09-30T18:00:00'),
      },
      'admin',
    );
  }
}

describe.each(engines)('restart after a missed round on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: TestDeps;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
  });
  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
    fake.reset();
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-09-28T08:00:00+08:00' }) as TestDeps;
    await seed(deps, 2);
    await flushOutbox(deps);
    for (const m of fake.messages) m.consumed = true;
  });

  it('catches up the missed 09:00 round once, and logs (skips) the missed rounds of earlier days', async () => {
    // Down from Monday 08:00 until Wednesday 10:40: Monday's and Tuesday's rounds are too old.
    deps.clock.set(at('2026-09-30T10:40:00'));
    const results = await catchUpMissedSlots(deps, [remindJob]);
    expect(results.map((r) => [r.job, r.slot, r.sent])).toEqual([['remind', '2026-09-30T09:00', 3]]);
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_p0', text: '【催办】您有2件事项需要处理' });
    expectMessage(fake, { openId: 'ou_p1', text: '【催办】您有2件事项需要处理' });
    expectMessage(fake, { openId: 'ou_chief', text: '【督办】综合处有2件事项逾期' });
    expectNoMoreMessages(fake);
    expect(JSON.stringify(deps.logger.lines)).toContain(
      'missed job slots skipped (older than the catch-up window)',
    );
    // Yesterday afternoon's round (within the 24 h looked back) is recorded as skipped, once.
    const skipped = await database.db
      .selectFrom('job_runs')
      .select('slot')
      .where('job', '=', 'remind')
      .where('slot', '<', '2026-09-30')
      .execute();
    expect(skipped.map((r) => r.slot)).toEqual(['2026-09-29T14:30']);

    // A second start (or a second instance starting) finds the slot claimed: nothing more.
    deps.clock.set(at('2026-09-30T10:45:00'));
    expect(await catchUpMissedSlots(deps, [remindJob])).toEqual([]);
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });

  it('runs nothing when no round was missed today', async () => {
    deps.clock.set(at('2026-09-30T08:30:00'));
    expect(await catchUpMissedSlots(deps, [remindJob])).toEqual([]);
  });
});

describe.each(engines.filter((e) => e === 'postgres'))('three instances on one %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
  });
  afterAll(async () => {
    await fake?.close();
    await database?.close();
  });

  it('running the same rounds concurrently sends each reminder once', async () => {
    const instances = [0, 1, 2].map(
      () =>
        testDeps(database, { config: larkTestConfig(fake), now: '2026-09-28T08:00:00+08:00' }) as TestDeps,
    );
    const [first] = instances as [TestDeps];
    await seed(first, 20);
    await flushOutbox(first);
    for (const m of fake.messages) m.consumed = true;
    // The fake's rate windows run on real time: step past the second the new-item cards used.
    fake.offsetMs += 5_000;
    for (const d of instances) d.clock.set(at('2026-09-30T09:00:00'));
    // The same slot on all three (the claim picks one), and three neighbouring slots at once
    // (as if two schedules overlapped): the reminders' once-keys keep every reminder single.
    const runs = await Promise.all([
      ...instances.map((d) => runJobSlot(d, remindJob, { slot: '2026-09-30T09:00' })),
      ...instances.map((d, i) => runJobSlot(d, remindJob, { slot: `2026-09-30T09:0${i + 1}` })),
    ]);
    expect(runs.filter((r) => r.slot === '2026-09-30T09:00' && !r.alreadyRun)).toHaveLength(1);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(21);
    // One dispatcher delivers (several dispatchers are the Lark channel's own tests).
    await flushOutbox(first);
    const outbox = await database.db
      .selectFrom('outbox')
      .select(['status', 'last_error', 'receive_id'])
      .where('purpose', 'in', ['reminder', 'escalation'])
      .execute();
    expect(outbox.filter((o) => o.status !== 'sent')).toEqual([]);
    expect(outbox).toHaveLength(21);
    for (let i = 0; i < 20; i++)
      expectMessage(fake, { openId: `ou_p${i}`, text: '【催办】您有2件事项需要处理' });
    expectMessage(fake, { openId: 'ou_chief', text: '【督办】综合处有20件事项逾期' });
    expectNoMoreMessages(fake);
    const dupes = await database.db
      .selectFrom('reminders')
      .select(['item_id', 'recipient', 'kind'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .groupBy(['item_id', 'recipient', 'kind'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(dupes).toEqual([]);
  });
});

describe.each(engines)('catch-up with a window in minutes (the Workers tick) on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('runs the slot of the previous minutes once and leaves older ones', async () => {
    const calls: string[] = [];
    const probe = {
      name: 'probe',
      defaultCron: '*/5 * * * *',
      description: 'test job',
      async run(_deps: Deps, ctx: { slot: string }) {
        calls.push(ctx.slot);
        return { sent: 0, skipped: 0 };
      },
    };
    const deps = testDeps(database, { now: '2026-09-30T09:11:30+08:00' });
    expect((await catchUpMissedSlots(deps, [probe], { window: 10 })).map((r) => r.slot)).toEqual([
      '2026-09-30T09:10',
    ]);
    deps.clock.set(at('2026-09-30T09:12:10'));
    expect(await catchUpMissedSlots(deps, [probe], { window: 10 })).toEqual([]);
    expect(calls).toEqual(['2026-09-30T09:10']);
    // 09:05 was merged into the 09:10 run, 08:55 and 09:00 were too old: all on record.
    const runs = await database.db
      .selectFrom('job_runs')
      .select(['slot', 'summary'])
      .orderBy('slot')
      .execute();
    expect(runs.map((r) => [r.slot, r.summary])).toEqual([
      ['2026-09-30T08:55', { skipped: 'missed: older than the catch-up window' }],
      ['2026-09-30T09:00', { skipped: 'missed: older than the catch-up window' }],
      ['2026-09-30T09:05', { mergedInto: '2026-09-30T09:10' }],
      ['2026-09-30T09:10', expect.objectContaining({ sent: 0 })],
    ]);
  });
});
