import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/lark/rate-limiter.js';

describe('Lark token buckets', () => {
  it('lets 5 messages a second into one chat, then says how long to wait', () => {
    const limiter = createRateLimiter();
    const t = 1_000_000;
    for (let i = 0; i < 5; i++) expect(limiter.take(['app', 'chat:oc_1'], t)).toBe(0);
    const wait = limiter.take(['app', 'chat:oc_1'], t);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(200);
    // Another chat is not affected by the first one's limit.
    expect(limiter.take(['app', 'chat:oc_2'], t)).toBe(0);
    // After the wait, one more fits.
    expect(limiter.take(['app', 'chat:oc_1'], t + wait)).toBe(0);
  });

  it('caps the whole app at 50 a second across chats and users', () => {
    const limiter = createRateLimiter();
    const t = 5_000_000;
    for (let i = 0; i < 50; i++) expect(limiter.take(['app', `user:open_id:ou_${i}`], t)).toBe(0);
    expect(limiter.take(['app', 'user:open_id:ou_new'], t)).toBeGreaterThan(0);
    expect(limiter.take(['app', 'user:open_id:ou_new'], t + 1000)).toBe(0);
  });

  it('takes nothing from any bucket when one of them is empty', () => {
    const limiter = createRateLimiter({
      appPerSecond: 2,
      chatPerSecond: 1,
      userPerSecond: 1,
      messagePerSecond: 1,
    });
    const t = 0;
    expect(limiter.take(['app', 'chat:a'], t)).toBe(0);
    expect(limiter.take(['app', 'chat:a'], t)).toBeGreaterThan(0);
    // The refused take did not spend the app token.
    expect(limiter.take(['app', 'chat:b'], t)).toBe(0);
  });

  it('holds a key back until a 429 reset has passed', () => {
    const limiter = createRateLimiter();
    limiter.block('chat:oc_1', 10_000);
    expect(limiter.take(['app', 'chat:oc_1'], 7_000)).toBe(3_000);
    expect(limiter.take(['app', 'chat:oc_1'], 10_000)).toBeGreaterThan(0);
    expect(limiter.take(['app', 'chat:oc_1'], 10_200)).toBe(0);
  });
});
