import { describe, expect, it } from 'vitest';
import { digestJob } from '../../jobs/digest.js';
import { setDutyDay, writeDutyLog } from '../../src/duty/duty.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putPerson } from '../../src/settings/organisation.js';
import { cardProblems, textOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import { expectMessage, expectNoMoreMessages, flushOutbox } from '../helpers/lark.js';
import { at, quickRepliesWorld } from './quick-replies-seed.js';

describe.each(engines)('a missing duty log in the morning digest on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  it("shows the office's leaders a shift that ended without a log, until the log is written", async () => {
    const { deps, fake } = world;
    await putPerson(deps, { openId: 'ou_lead', name: '陈主任', dept: 'BGS', roles: ['staff', 'chief'] });
    // Monday's shift runs 08:30 to Tuesday 08:30 (the default hours); nobody writes its log.
    await setDutyDay(deps, { date: '2026-11-23', officer: 'ou_zhang', leader: 'ou_wang' });

    deps.clock.set(at('2026-11-24T08:30:00'));
    expect(await runJobSlot(deps, digestJob)).toMatchObject({ sent: 2 });
    await flushOutbox(deps);
    const leader = expectMessage(fake, { openId: 'ou_lead' });
    expect(cardProblems(leader.body)).toEqual([]);
    expect(textOf(leader.body)).toContain('**值班日志未提交**：11月23日（周一） 张三');
    // A department chief's digest does not carry the office's duty.
    const chief = expectMessage(fake, { openId: 'ou_wang' });
    expect(chief.text).not.toContain('值班日志');
    expectNoMoreMessages(fake);

    await writeDutyLog(deps, { date: '2026-11-23', by: 'ou_zhang', via: 'api' });
    deps.clock.set(at('2026-11-25T08:30:00'));
    expect(await runJobSlot(deps, digestJob)).toMatchObject({ sent: 2 });
    await flushOutbox(deps);
    expect(expectMessage(fake, { openId: 'ou_lead' }).text).not.toContain('值班日志未提交');
    expectMessage(fake, { openId: 'ou_wang' });
    expectNoMoreMessages(fake);
  });
});
