import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOnce, nextRoundInMs } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { createRateLimiter } from '../../src/lark/rate-limiter.js';
import { FakeLark } from '../fakes/lark-server.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { larkTestConfig } from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

/** The most of `times` (sorted) in any window of `ms`. */
function mostInAnyWindow(times: number[], ms: number): number {
  let most = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('the fake Lark counts 1,000 sends a minute per app', () => {
  let fake: FakeLark;
  beforeAll(async () => {
    fake = await FakeLark.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('answers the 1,001st send in a rolling minute with 429 + 99991400 + x-ogw-ratelimit-reset', async () => {
    let now = 1_000_000;
    fake.clock = () => now;
    const tokenRes = await fetch(`${fake.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: fake.appId, app_secret: fake.appSecret }),
    });
    const { tenant_access_token: token } = (await tokenRes.json()) as { tenant_access_token: string };
    const send = (i: number) =>
      fetch(`${fake.url}/open-apis/im/v1/messages?receive_id_type=open_id`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ receive_id: `ou_${i}`, msg_type: 'text', content: '{"text":"hi"}' }),
      });
    // 50 a second (within the per-second limit) for 20 seconds: 1,000 in all, all accepted.
    for (let i = 0; i < 1000; i++) {
      if (i > 0 && i % 50 === 0) now += 1000;
      expect((await send(i)).status).toBe(200);
    }
    // At 30 s the last second is clear but the minute is not: refused, come back in 30 s.
    now = 1_030_000;
    const refused = await send(1000);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 99991400 });
    expect(refused.headers.get('x-ogw-ratelimit-reset')).toBe('30');
    // A minute after the first 50 went, 50 more fit (the window rolls, it is not a calendar minute).
    now = 1_060_000;
    for (let i = 0; i < 50; i++) expect((await send(2000 + i)).status).toBe(200);
    expect((await send(3000)).status).toBe(429);
    expect(fake.messages).toHaveLength(1050);
  });
});

describe.each(engines)('outbox dispatcher under the per-minute limit on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  it('sends 1,200 messages without one 429, as early as 50/s and 1,000/min allow', async () => {
    const deps = testDeps(h.database, { config: larkTestConfig(h.fake) });
    // Lark's windows follow the dispatcher's manual clock: no real minute passes.
    h.fake.clock = () => deps.clock.now().getTime();
    const start = deps.clock.now().getTime();
    // 1,150 people and two busy chats (25 each, so their 5/s limits hold rows back too).
    for (let i = 0; i < 1200; i++) {
      const chat = i % 24 === 0 ? `oc_${(i / 24) % 2}` : null;
      await enqueueOutbox(h.database.db, {
        uuid: outboxKey('limits', i),
        operation: 'send',
        receiveIdType: chat ? 'chat_id' : 'open_id',
        receiveId: chat ?? `ou_${i}`,
        msgType: 'text',
        content: { text: `#${i}` },
        purpose: 'test',
        now: deps.clock.now(),
      });
    }
    const limiter = createRateLimiter();
    for (let round = 0; round < 1000; round++) {
      const summary = await dispatchOnce(deps, { limit: 50, limiter });
      expect(summary.failed + summary.flagged + summary.retried).toBe(0);
      if (summary.claimed === 0 && summary.waitMs === null) {
        const left = await h.database.db
          .selectFrom('outbox')
          .select('id')
          .where('status', '<>', 'sent')
          .executeTakeFirst();
        if (!left) break;
      }
      deps.clock.advance(nextRoundInMs(summary, 1000));
    }
    expect(h.fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(h.fake.messages).toHaveLength(1200);
    const times = h.fake.messages.map((m) => m.at - start);
    expect(mostInAnyWindow(times, 1000)).toBe(50);
    expect(mostInAnyWindow(times, 60_000)).toBe(1000);
    // No slower than the limits make it: the first 1,000 within 20 s, the 1,001st exactly when
    // the first leaves the minute, the last 200 in the 4 seconds after that.
    expect(times[999]).toBeLessThan(20_000);
    expect(times[1000]).toBe(60_000);
    expect(times[1199]).toBeLessThan(64_000);
    // Each chat got its messages in the order they were queued.
    for (const chat of ['oc_0', 'oc_1']) {
      const texts = h.fake.messages.filter((m) => m.chatId === chat).map((m) => Number(m.text.slice(1)));
      expect(texts).toHaveLength(25);
      expect(texts).toEqual([...texts].sort((a, b) => a - b));
    }
  }, 180_000);
});
