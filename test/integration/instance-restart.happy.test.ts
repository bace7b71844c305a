import { spawn, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { beatInstance } from '../../src/db/repos/instances.js';
import { logGrantedSends } from '../../src/db/repos/lark-send-log.js';
import { dispatchOnce } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { machinePredecessors, nodeInstanceId } from '../../src/platform/instance-identity.js';
import { retirePredecessors } from '../../src/platform/liveness.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, expectNoMoreMessages, larkTestConfig } from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

/**
 * A process restarted on the same machine after kill -9 tells at start that its predecessor is
 * gone (its pid no longer runs) and takes over what it held at once, without waiting for the
 * predecessor's silence; the predecessor's unanswered requests count in the send windows from
 * when it died, not for their whole lease.
 */
describe.each(engines)('a restart after kill -9 on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);
  const machine = machinePredecessors();
  // A process that has ended (its pid no longer runs) and one that still runs.
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const living = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  afterAll(() => {
    living.kill('SIGKILL');
  });

  function setup() {
    const deps = {
      ...testDeps(h.database, { config: larkTestConfig(h.fake) }),
      instanceId: nodeInstanceId(),
    };
    h.fake.clock = () => deps.clock.now().getTime();
    return deps;
  }

  async function heldBy(deps: ReturnType<typeof setup>, owner: string, key: string) {
    const uuid = outboxKey('restart', key);
    const { id } = await enqueueOutbox(h.database.db, {
      uuid,
      operation: 'send',
      receiveIdType: 'chat_id',
      receiveId: 'oc_office',
      msgType: 'text',
      content: { text: `接管${key}` },
      purpose: 'test',
      now: deps.clock.now(),
    });
    await h.database.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        claimed_by: owner,
        attempts: 1,
        first_attempt_at: deps.clock.now(),
        locked_until: new Date(deps.clock.now().getTime() + 120_000),
      })
      .where('id', '=', id)
      .execute();
    return uuid;
  }

  it('retires only this machine’s instances whose process is gone, and sends their rows at once', async () => {
    expect(machine).not.toBeNull();
    const deps = setup();
    const now = deps.clock.now();
    const dead = `${machine!.prefix}${deadPid}:aaaaaa`;
    const alive = `${machine!.prefix}${living.pid}:bbbbbb`;
    const elsewhere = `other-host:${machine!.prefix.split(':')[1]}:${deadPid}:cccccc`;
    for (const id of [dead, alive, elsewhere]) await beatInstance(h.database.db, { id, now });
    const deadUuid = await heldBy(deps, dead, 'dead');
    await heldBy(deps, alive, 'alive');
    await heldBy(deps, elsewhere, 'elsewhere');

    deps.clock.advance(1_000);
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 0 });
    expect(await retirePredecessors(deps, machine!)).toEqual([dead]);
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 1, takenOver: 1, sent: 1 });
    expectMessage(h.fake, { uuid: deadUuid, text: '接管dead' });
    const left = await h.database.db.selectFrom('instances').select('id').orderBy('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual([alive, elsewhere, deps.instanceId].sort());
    expectNoMoreMessages(h.fake);
  });

  it('the dead one’s unanswered requests stop filling the minute window a minute after it died', async () => {
    const deps = setup();
    const t0 = deps.clock.now();
    const dead = `${machine!.prefix}${deadPid}:dddddd`;
    await beatInstance(h.database.db, { id: dead, now: t0 });
    // It was granted the whole minute's 1,000 requests and died before any answer came.
    await h.database.db.transaction().execute((trx) => logGrantedSends(trx, 1_000, t0.getTime(), dead));
    const uuid = outboxKey('restart', 'after-minute');
    await enqueueOutbox(h.database.db, {
      uuid,
      operation: 'send',
      receiveIdType: 'chat_id',
      receiveId: 'oc_office',
      msgType: 'text',
      content: { text: '一分钟后' },
      purpose: 'test',
      now: t0,
    });
    // 67 s later: it died by its last beat plus one beat interval (6 s), so its minute has passed;
    // counted as unanswered, the requests would still fill the window until their lease ends.
    deps.clock.advance(67_000);
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 0 });
    await retirePredecessors(deps, machine!);
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 1, sent: 1 });
    expectMessage(h.fake, { uuid, text: '一分钟后' });
    expectNoMoreMessages(h.fake);
  });
});
