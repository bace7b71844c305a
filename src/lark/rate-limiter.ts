/**
 * Token buckets for Lark's send limits (50/s per app, 5/s per chat, 5/s per user, 5/s per
 * message for PATCH). Pure: time comes in as milliseconds, so tests drive it with a clock.
 * One limiter per dispatcher (per process); Lark's 429 handles what several processes share.
 */
export interface RateLimits {
  appPerSecond: number;
  chatPerSecond: number;
  userPerSecond: number;
  messagePerSecond: number;
}

export const LARK_LIMITS: RateLimits = {
  appPerSecond: 50,
  chatPerSecond: 5,
  userPerSecond: 5,
  messagePerSecond: 5,
};

interface Bucket {
  tokens: number;
  updatedAt: number;
  /** Set after a 429: no sending on this key before then. */
  blockedUntil: number;
}

export interface RateLimiter {
  /**
   * Takes one token from each bucket in `keys` if all have one: answers 0. Otherwise takes
   * nothing and answers how many ms to wait before trying again.
   */
  take(keys: string[], nowMs: number): number;
  /** After a 429: nothing on `key` until `untilMs`. */
  block(key: string, untilMs: number): void;
}

function capacityOf(key: string, limits: RateLimits): number {
  if (key === 'app') return limits.appPerSecond;
  if (key.startsWith('chat:')) return limits.chatPerSecond;
  if (key.startsWith('user:')) return limits.userPerSecond;
  if (key.startsWith('message:')) return limits.messagePerSecond;
  return limits.appPerSecond;
}

export function createRateLimiter(limits: RateLimits = LARK_LIMITS): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string, now: number): Bucket => {
    const capacity = capacityOf(key, limits);
    let b = buckets.get(key);
    if (!b) {
      b = { tokens: capacity, updatedAt: now, blockedUntil: 0 };
      buckets.set(key, b);
    }
    const elapsed = Math.max(0, now - b.updatedAt);
    b.tokens = Math.min(capacity, b.tokens + (elapsed * capacity) / 1000);
    b.updatedAt = Math.max(b.updatedAt, now);
    return b;
  };
  return {
    take(keys, now) {
      let wait = 0;
      const all = keys.map((key) => ({ key, b: bucket(key, now) }));
      for (const { key, b } of all) {
        if (b.blockedUntil > now) wait = Math.max(wait, b.blockedUntil - now);
        else if (b.tokens < 1)
          wait = Math.max(wait, Math.ceil(((1 - b.tokens) * 1000) / capacityOf(key, limits)));
      }
      if (wait > 0) return wait;
      for (const { b } of all) b.tokens -= 1;
      // Forget idle full buckets now and then, so per-chat keys do not pile up forever.
      if (buckets.size > 10_000) {
        for (const [k, b] of buckets)
          if (b.tokens >= capacityOf(k, limits) && b.blockedUntil <= now) buckets.delete(k);
      }
      return 0;
    },
    block(key, untilMs) {
      const b = buckets.get(key) ?? { tokens: 0, updatedAt: untilMs, blockedUntil: 0 };
      b.blockedUntil = Math.max(b.blockedUntil, untilMs);
      b.tokens = 0;
      b.updatedAt = Math.max(b.updatedAt, untilMs);
      buckets.set(key, b);
    },
  };
}
