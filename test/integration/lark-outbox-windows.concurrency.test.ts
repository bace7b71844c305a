import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type DispatchSummary, dispatchOnce, nextRoundInMs } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { createRateLimiter, LARK_LIMITS, type RateLimits } from '../../src/lark/rate-limiter.js';
import { systemClock } from '../../src/platform/clock.js';
import { FakeLark } from '../fakes/lark-server.js';
import { createEmptyPostgresDatabase, engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { larkTestConfig } from '../helpers/lark.js';

/** The most entries of sorted `times` inside any window of `ms`. */
function mostInAnyWindow(times: number[], ms: number): number {
  let most = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

// Lark's windows, shortened (10 in any 250 ms, 40 in any 2 s) so the test runs in seconds.
const LIMITS: RateLimits = {
  ...LARK_LIMITS,
  appPerSecond: 10,
  appPerMinute: 40,
  secondMs: 250,
  minuteMs: 2000,
};
const MESSAGES = 100;
const INSTANCES = 3;

// Three instances need a real server: PGlite runs one connection in one process.
describe.runIf(engines.includes('postgres'))('three dispatchers share the app windows on postgres', () => {
  let fake: FakeLark;
  let dropDatabase: () => Promise<void>;
  const handles: DatabaseHandle[] = [];

  beforeAll(async () => {
    fake = await FakeLark.start({ limits: LIMITS });
    const empty = await createEmptyPostgresDatabase();
    dropDatabase = empty.drop;
    // Each instance with its own connection pool, as three processes would have.
    for (let i = 0; i < INSTANCES; i++) handles.push(await connectPostgres(empty.url));
    await migrateToLatest(handles[0]!.db);
  });
  afterAll(async () => {
    for (const h of handles) await h.close();
    await dropDatabase?.();
    await fake?.close();
  });

  it('sends 100 messages together without passing either app window and without one 429', async () => {
    const instances = handles.map((database) => ({
      ...testDeps(database, { config: larkTestConfig(fake) }),
      clock: systemClock,
    }));
    for (let i = 0; i < MESSAGES; i++) {
      await enqueueOutbox(handles[0]!.db, {
        uuid: outboxKey('windows', i),
        operation: 'send',
        receiveIdType: 'open_id',
        receiveId: `ou_${i}`,
        msgType: 'text',
        content: { text: `#${i}` },
        purpose: 'test',
        now: systemClock.now(),
      });
    }
    const start = Date.now();
    // Each instance runs the dispatcher loop as outboxDispatcherTask does, with its own limiter.
    const sentBy = await Promise.all(
      instances.map(async (deps) => {
        const limiter = createRateLimiter(LIMITS);
        let sent = 0;
        while (fake.messages.length < MESSAGES && Date.now() - start < 60_000) {
          const summary: DispatchSummary = await dispatchOnce(deps, {
            limit: 50,
            limiter,
            appWindows: LIMITS,
          });
          sent += summary.sent;
          expect(summary.failed + summary.flagged + summary.retried).toBe(0);
          await new Promise((r) => setTimeout(r, nextRoundInMs(summary, 100)));
        }
        return sent;
      }),
    );

    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    expect(fake.messages).toHaveLength(MESSAGES);
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(MESSAGES);
    // They sent together, not one after another.
    expect(sentBy.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const times = fake.messages.map((m) => m.at).sort((a, b) => a - b);
    expect(mostInAnyWindow(times, LIMITS.secondMs)).toBeLessThanOrEqual(LIMITS.appPerSecond);
    expect(mostInAnyWindow(times, LIMITS.minuteMs)).toBeLessThanOrEqual(LIMITS.appPerMinute);
    // Nothing is left behind in the log that would hold a slot: every request was settled.
    const unsettled = await handles[0]!.db
      .selectFrom('lark_send_log')
      .select('id')
      .where('settled', '=', false)
      .execute();
    expect(unsettled).toHaveLength(0);
  }, 90_000);
});
