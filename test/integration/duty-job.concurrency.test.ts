import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dutyJob } from '../../jobs/duty.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { listDutyHistory } from '../../src/db/repos/duty-history.js';
import { setDutyDay } from '../../src/duty/duty.js';
import { answerSwap, requestSwap } from '../../src/duty/swaps.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

const at = (local: string) => new Date(`${local}+08:00`);

// Parallel transactions need a real server: PGlite runs one connection.
describe.runIf(process.env.TEST_DATABASE_URL)('the duty job across instances on postgres', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const deps = testDeps(database, { now: '2026-09-30T08:00:00+08:00' });
    await putDepartment(deps, { code: 'BGS', name: '办公厅', isTop: true, chatId: 'oc_office' });
    await putPerson(deps, { openId: 'ou_a', name: '张三', dept: 'BGS', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_b', name: '李四', dept: 'BGS', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_c', name: '王五', dept: 'BGS', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_l', name: '刘主任', dept: 'BGS', roles: ['chief', 'admin'] });
    await setDutyDay(deps, { date: '2026-09-30', officer: ['ou_a', 'ou_b'], leader: 'ou_l' });
    await setDutyDay(deps, { date: '2026-10-01', officer: 'ou_b', leader: 'ou_l' });
  });
  afterAll(async () => {
    await database.close();
  });

  const instances = (n: number, now: string) =>
    Array.from({ length: n }, () => testDeps(database, { now: `${now}+08:00` }));

  async function outboxUuids(): Promise<string[]> {
    const rows = await database.db.selectFrom('outbox').select('uuid').orderBy('uuid').execute();
    return rows.map((r) => r.uuid);
  }

  it('six instances run the same slot at once: one claims it, each notice is enqueued once', async () => {
    const runs = await Promise.all(
      instances(6, '2026-09-30T08:30:00').map((d) =>
        runJobSlot(d, dutyJob, { at: at('2026-09-30T08:30:00') }),
      ),
    );
    expect(runs.filter((r) => !r.alreadyRun)).toHaveLength(1);
    // Two officers get 接班确认, the office's group its morning post.
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(3);
    const purposes = await database.db.selectFrom('outbox').select('purpose').execute();
    expect(purposes.map((p) => p.purpose).sort()).toEqual(['duty-morning', 'duty-start', 'duty-start']);
  });

  it('different slots racing over the same notices (a late instance catching up) still send each once', async () => {
    const before = await outboxUuids();
    const slots = ['2026-09-30T09:00', '2026-09-30T09:05', '2026-09-30T09:10', '2026-09-30T09:15'];
    const runs = await Promise.all(
      slots.map((s) =>
        runJobSlot(testDeps(database, { now: `${s}:00+08:00` }), dutyJob, { at: at(`${s}:00`) }),
      ),
    );
    expect(runs.every((r) => !r.alreadyRun)).toBe(true);
    // The reminder to each of the two officers: once, whichever slot got there first.
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(2);
    const added = (await outboxUuids()).filter((u) => !before.includes(u));
    expect(added).toHaveLength(2);
    const reminders = (await listDutyHistory(database.db, '2026-09-30')).filter(
      (h) => h.details.kind === 'remind',
    );
    expect(reminders.map((h) => h.details.recipient).sort()).toEqual(['ou_a', 'ou_b']);
  });

  it('two colleagues answering swaps of the same shift at once never leave it without its officers', async () => {
    const deps = testDeps(database, { now: '2026-10-01T07:00:00+08:00' });
    const one = await requestSwap(deps, { date: '2026-10-01', from: 'ou_b', to: 'ou_a', via: 'test' });
    expect(one.ok).toBe(true);
    // The same officer cannot have two pending requests for one day.
    const dup = await requestSwap(deps, { date: '2026-10-01', from: 'ou_b', to: 'ou_c', via: 'test' });
    expect(dup).toMatchObject({ ok: false });
    const swapId = one.ok ? one.swap.id : 0;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => answerSwap(deps, { swapId, by: 'ou_a', accept: true })),
    );
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    const day = await database.db
      .selectFrom('duty_roster')
      .selectAll()
      .where('date', '=', '2026-10-01')
      .executeTakeFirstOrThrow();
    expect([day.officer, ...day.co_officers]).toEqual(['ou_a']);
    const accepted = (await listDutyHistory(database.db, '2026-10-01')).filter(
      (h) => h.action === 'swap accepted',
    );
    expect(accepted).toHaveLength(1);
  });
});
