import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calendarCheckJob } from '../../jobs/calendar-check.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { yearsToAnnounce } from '../../src/domain/calendar-notice.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { setCalendarDay } from '../../src/settings/calendar.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark } from '../fakes/lark-server.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';

describe('which missing calendar years admins hear about', () => {
  const official = (y: number) => y <= 2026;
  it('announces next year from November, the current year always, and not a year admins have entered', () => {
    const none = () => 0;
    expect(
      yearsToAnnounce({ year: 2026, month: 10, hasOfficialData: official, overridesInYear: none }),
    ).toEqual([]);
    expect(
      yearsToAnnounce({ year: 2026, month: 11, hasOfficialData: official, overridesInYear: none }),
    ).toEqual([2027]);
    expect(
      yearsToAnnounce({ year: 2027, month: 3, hasOfficialData: official, overridesInYear: none }),
    ).toEqual([2027]);
    const entered = (y: number) => (y === 2027 ? 12 : 0);
    expect(
      yearsToAnnounce({ year: 2026, month: 12, hasOfficialData: official, overridesInYear: entered }),
    ).toEqual([]);
  });
});

describe.each(engines)('the calendar job tells admins about a missing year on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: Deps & { clock: ManualClock };
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
    deps = testDeps(database, { config: larkTestConfig(fake), now: '2026-11-23T09:20:00+08:00' });
    await putDepartment(deps, { code: 'bgs', name: '办公室', isTop: true });
    await putPerson(deps, { openId: 'ou_admin', name: '刘科长', dept: 'bgs', roles: ['admin'] });
    await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'bgs', roles: ['staff'] });
  });

  it('sends each admin one direct message a month while 2027 is missing, and none to others', async () => {
    const first = await runJobSlot(deps, calendarCheckJob);
    expect(first).toMatchObject({ sent: 1, missing: [2027] });
    await flushOutbox(deps);
    expectMessage(fake, {
      openId: 'ou_admin',
      msgType: 'text',
      text: '系统尚无2027年的法定节假日和调休安排',
    });
    expectNoMoreMessages(fake);

    deps.clock.set('2026-11-24T09:20:00+08:00');
    expect(await runJobSlot(deps, calendarCheckJob)).toMatchObject({ sent: 0, skipped: 1 });
    await flushOutbox(deps);
    expectNoMoreMessages(fake);

    deps.clock.set('2026-12-01T09:20:00+08:00');
    expect(await runJobSlot(deps, calendarCheckJob)).toMatchObject({ sent: 1 });
    await flushOutbox(deps);
    expectMessage(fake, { openId: 'ou_admin', text: '2027年' });
    expectNoMoreMessages(fake);
  });

  it('stays quiet once admins have entered 2027 by hand', async () => {
    await setCalendarDay(deps, { date: '2027-01-01', workday: false, note: '元旦' }, 'ou_admin');
    expect(await runJobSlot(deps, calendarCheckJob)).toMatchObject({ sent: 0, missing: [] });
    await flushOutbox(deps);
    expectNoMoreMessages(fake);
  });
});
