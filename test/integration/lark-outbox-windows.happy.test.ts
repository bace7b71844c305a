import { describe, expect, it } from 'vitest';
import { dispatchOnce } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { createRateLimiter } from '../../src/lark/rate-limiter.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { larkTestConfig } from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

describe.each(engines)('the app windows are kept in the database on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  it('a second instance with a fresh limiter sees the first one’s sends and waits its turn', async () => {
    const first = testDeps(h.database, { config: larkTestConfig(h.fake) });
    const second = { ...testDeps(h.database, { config: larkTestConfig(h.fake) }), clock: first.clock };
    h.fake.clock = () => first.clock.now().getTime();
    for (let i = 0; i < 60; i++) {
      await enqueueOutbox(h.database.db, {
        uuid: outboxKey('shared', i),
        operation: 'send',
        receiveIdType: 'open_id',
        receiveId: `ou_${i}`,
        msgType: 'text',
        content: { text: `#${i}` },
        purpose: 'test',
        now: first.clock.now(),
      });
    }
    const a = await dispatchOnce(first, { limit: 100, limiter: createRateLimiter() });
    // Claimed only as many as the app's window had room for: 50, all sent.
    expect(a).toMatchObject({ claimed: 50, sent: 50, deferred: 0 });
    // Its own limiter has counted nothing, but the shared window is full for the next second.
    const b = await dispatchOnce(second, { limit: 100, limiter: createRateLimiter() });
    expect(b).toMatchObject({ claimed: 0, sent: 0, waitMs: 1000 });
    first.clock.advance(999);
    expect(await dispatchOnce(second, { limit: 100, limiter: createRateLimiter() })).toMatchObject({
      claimed: 0,
      waitMs: 1,
    });
    first.clock.advance(1);
    expect(await dispatchOnce(second, { limit: 100, limiter: createRateLimiter() })).toMatchObject({
      claimed: 10,
      sent: 10,
    });
    expect(h.fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(h.fake.messages).toHaveLength(60);
  });

  it('a slot granted to a row that is not sent after all is given back', async () => {
    const deps = testDeps(h.database, { config: larkTestConfig(h.fake) });
    h.fake.clock = () => deps.clock.now().getTime();
    // Six to one chat: its 5/s window (this instance's own limiter) holds the sixth back.
    for (let i = 0; i < 6; i++) {
      await enqueueOutbox(h.database.db, {
        uuid: outboxKey('held', i),
        operation: 'send',
        receiveIdType: 'chat_id',
        receiveId: 'oc_busy',
        msgType: 'text',
        content: { text: `#${i}` },
        purpose: 'test',
        now: deps.clock.now(),
      });
    }
    expect(await dispatchOnce(deps, { limiter: createRateLimiter() })).toMatchObject({
      sent: 5,
      deferred: 1,
    });
    const log = await h.database.db.selectFrom('lark_send_log').select(['settled']).execute();
    expect(log).toEqual(Array.from({ length: 5 }, () => ({ settled: true })));
  });
});
