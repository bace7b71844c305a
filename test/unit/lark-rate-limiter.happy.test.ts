import { describe, expect, it } from 'vitest';
import { createRateLimiter, LARK_LIMITS } from '../../src/lark/rate-limiter.js';

/** Sends `n` times on `keys` as early as the limiter allows, starting at `t`; answers the send times. */
function sendAsFastAsAllowed(
  limiter: ReturnType<typeof createRateLimiter>,
  n: number,
  keys: (i: number) => string[],
  t = 0,
): number[] {
  const times: number[] = [];
  let now = t;
  for (let i = 0; i < n; i++) {
    for (let wait = limiter.take(keys(i), now); wait > 0; wait = limiter.take(keys(i), now)) now += wait;
    times.push(now);
  }
  return times;
}

/** The most sends in any window of `ms` (a window [s, s + ms) starting at each send). */
function mostInAnyWindow(times: number[], ms: number): number {
  let most = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('Lark rate limiter (sliding windows)', () => {
  it('lets 5 messages a second into one chat, then says how long to wait', () => {
    const limiter = createRateLimiter();
    const t = 1_000_000;
    for (let i = 0; i < 5; i++) expect(limiter.take(['app', 'chat:oc_1'], t)).toBe(0);
    expect(limiter.take(['app', 'chat:oc_1'], t)).toBe(1000);
    // Another chat is not affected by the first one's limit.
    expect(limiter.take(['app', 'chat:oc_2'], t)).toBe(0);
    expect(limiter.take(['app', 'chat:oc_1'], t + 999)).toBe(1);
    expect(limiter.take(['app', 'chat:oc_1'], t + 1000)).toBe(0);
  });

  it('keeps to 5 in any second per user, and users do not share', () => {
    const limiter = createRateLimiter();
    const alice = sendAsFastAsAllowed(limiter, 40, () => ['app', 'user:open_id:ou_alice']);
    expect(mostInAnyWindow(alice, 1000)).toBe(5);
    // 40 at 5 per second: the last goes at the start of the 8th second.
    expect(alice.at(-1)).toBe(7000);
    expect(limiter.take(['app', 'user:open_id:ou_bob'], 7000)).toBe(0);
  });

  it('caps the whole app at 50 in any second across chats and users', () => {
    const limiter = createRateLimiter();
    const t = 5_000_000;
    for (let i = 0; i < 50; i++) expect(limiter.take(['app', `user:open_id:ou_${i}`], t)).toBe(0);
    expect(limiter.take(['app', 'user:open_id:ou_new'], t)).toBe(1000);
    expect(limiter.take(['app', 'user:open_id:ou_new'], t + 1000)).toBe(0);
  });

  it('never lets more than 50 through in a sliding second, however the sends are spread', () => {
    const limiter = createRateLimiter();
    // Sends tried every 7 ms: a token bucket would let its burst plus its refill through in one second.
    const times: number[] = [];
    for (let now = 0; times.length < 500; now += 7)
      if (limiter.take(['app', `chat:oc_${times.length}`], now) === 0) times.push(now);
    expect(mostInAnyWindow(times, 1000)).toBe(50);
  });

  it('caps the app at 1,000 in any minute: the 1,001st waits for the first to leave the window', () => {
    const limiter = createRateLimiter();
    const times = sendAsFastAsAllowed(limiter, 2000, (i) => ['app', `user:open_id:ou_${i}`]);
    expect(mostInAnyWindow(times, 60_000)).toBe(1000);
    expect(mostInAnyWindow(times, 1000)).toBe(50);
    // 1,000 at 50 a second take 19 s, then the minute holds the rest until 60 s after the first.
    expect(times[999]).toBe(19_000);
    expect(times[1000]).toBe(60_000);
    expect(times[1999]).toBe(79_000);
    // The second thousand fills the minute from 60 s: the next may go at 120 s.
    expect(limiter.waitFor?.('app', 79_000)).toBe(41_000);
  });

  it('answers the wait for the minute window, not just the second one', () => {
    const limiter = createRateLimiter();
    sendAsFastAsAllowed(limiter, 1000, (i) => ['app', `chat:oc_${i}`]);
    // At 20 s the last second is clear, but the minute is full until 60 s.
    expect(limiter.waitFor?.('app', 20_000)).toBe(40_000);
    expect(limiter.take(['app', 'chat:oc_new'], 20_000)).toBe(40_000);
    expect(limiter.take(['app', 'chat:oc_new'], 60_000)).toBe(0);
  });

  it('counts a send from when its answer came (settle), so slow answers do not bunch sends up', () => {
    const limiter = createRateLimiter();
    expect(limiter.take(['app', 'chat:a'], 0)).toBe(0);
    limiter.settle?.(['app', 'chat:a'], 300);
    for (let i = 0; i < 4; i++) expect(limiter.take(['app', 'chat:a'], 400)).toBe(0);
    // The first send now counts from 300 ms: the 6th may go at 1,300 ms, not at 1,000 ms.
    expect(limiter.take(['app', 'chat:a'], 1000)).toBe(300);
    expect(limiter.take(['app', 'chat:a'], 1300)).toBe(0);
  });

  it('takes nothing from any key when one of them is full', () => {
    const limiter = createRateLimiter({ ...LARK_LIMITS, appPerSecond: 2, chatPerSecond: 1 });
    const t = 0;
    expect(limiter.take(['app', 'chat:a'], t)).toBe(0);
    expect(limiter.take(['app', 'chat:a'], t)).toBeGreaterThan(0);
    // The refused take did not count against the app.
    expect(limiter.take(['app', 'chat:b'], t)).toBe(0);
    expect(limiter.take(['app', 'chat:c'], t)).toBeGreaterThan(0);
  });

  it('holds a key back until a 429 reset has passed', () => {
    const limiter = createRateLimiter();
    limiter.block('chat:oc_1', 10_000);
    expect(limiter.take(['app', 'chat:oc_1'], 7_000)).toBe(3_000);
    expect(limiter.take(['app', 'chat:oc_2'], 7_000)).toBe(0);
    expect(limiter.take(['app', 'chat:oc_1'], 10_000)).toBe(0);
  });
});
