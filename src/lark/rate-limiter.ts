/**
 * Lark's send limits, counted the way Lark counts them: sliding windows (50 in any second and
 * 1,000 in any minute per app, 5 in any second per chat, per user, per message for PATCH).
 * Pure: time comes in as milliseconds, so tests drive it with a clock.
 * One limiter per dispatcher (per process). The app's two windows are also kept where every
 * instance sees them (lark_send_log, see outbox/dispatcher.ts), so several instances together keep
 * to them; the per-chat, per-user and per-message windows stay per process.
 *
 * Why windows and not token buckets: a bucket of 50 refilling 50/s lets up to ~100 through in one
 * sliding second (a full bucket, then its refill), which Lark answers with 429s; and a minute cap
 * as a bucket would need a burst of 1,000. A log of send times answers exactly "may one more go
 * now, and if not, when".
 */
export interface RateLimits {
  appPerSecond: number;
  appPerMinute: number;
  chatPerSecond: number;
  userPerSecond: number;
  messagePerSecond: number;
  /** The length of the short window ("a second"): 1,000 ms at Lark; shorter in tests. */
  secondMs: number;
  /** The length of the long window ("a minute"): 60,000 ms at Lark; shorter in tests. */
  minuteMs: number;
}

export const LARK_LIMITS: RateLimits = {
  appPerSecond: 50,
  appPerMinute: 1000,
  chatPerSecond: 5,
  userPerSecond: 5,
  messagePerSecond: 5,
  secondMs: 1000,
  minuteMs: 60_000,
};

export interface RateLimiter {
  /**
   * Counts one send on every key in `keys` if all have room: answers 0. Otherwise counts
   * nothing and answers how many ms to wait before trying again.
   */
  take(keys: string[], nowMs: number): number;
  /**
   * The request that the last `take` on `keys` allowed has finished at `atMs`: count it from
   * then. Lark counts a request when it arrives, somewhere between our take and the answer;
   * counting from the answer means a sliding window here never runs ahead of Lark's.
   */
  settle?(keys: string[], atMs: number): void;
  /** How many ms until one more send on `key` alone would fit (0: now). Counts nothing. */
  waitFor?(key: string, nowMs: number): number;
  /** After a 429: nothing on `key` until `untilMs`. */
  block(key: string, untilMs: number): void;
}

interface Window {
  count: number;
  ms: number;
}

function windowsOf(key: string, limits: RateLimits): Window[] {
  const second = limits.secondMs;
  if (key === 'app')
    return [
      { count: limits.appPerSecond, ms: second },
      { count: limits.appPerMinute, ms: limits.minuteMs },
    ];
  if (key.startsWith('chat:')) return [{ count: limits.chatPerSecond, ms: second }];
  if (key.startsWith('user:')) return [{ count: limits.userPerSecond, ms: second }];
  if (key.startsWith('message:')) return [{ count: limits.messagePerSecond, ms: second }];
  return [{ count: limits.appPerSecond, ms: second }];
}

interface Log {
  windows: Window[];
  /** Send times, oldest first; only as many as the longest window still needs. */
  times: number[];
  /** Set after a 429: no sending on this key before then. */
  blockedUntil: number;
}

export function createRateLimiter(limits: RateLimits = LARK_LIMITS): RateLimiter {
  const logs = new Map<string, Log>();
  const logOf = (key: string): Log => {
    let log = logs.get(key);
    if (!log) {
      log = { windows: windowsOf(key, limits), times: [], blockedUntil: 0 };
      logs.set(key, log);
    }
    return log;
  };
  const waitOn = (log: Log, now: number): number => {
    let wait = Math.max(0, log.blockedUntil - now);
    for (const { count, ms } of log.windows) {
      // With `count` sends in the last `ms`, the next may go when the count-th latest leaves it.
      const anchor = log.times[log.times.length - count];
      if (anchor !== undefined) wait = Math.max(wait, anchor + ms - now);
    }
    return Math.max(0, Math.ceil(wait));
  };
  const prune = (log: Log) => {
    const keep = Math.max(...log.windows.map((w) => w.count));
    if (log.times.length > keep * 2) log.times.splice(0, log.times.length - keep);
  };
  return {
    take(keys, now) {
      let wait = 0;
      for (const key of keys) wait = Math.max(wait, waitOn(logOf(key), now));
      if (wait > 0) return wait;
      for (const key of keys) {
        const log = logOf(key);
        log.times.push(Math.max(now, log.times[log.times.length - 1] ?? now));
        prune(log);
      }
      // Forget idle keys now and then, so per-chat logs do not pile up forever.
      if (logs.size > 10_000) {
        for (const [k, log] of logs) {
          const longest = Math.max(...log.windows.map((w) => w.ms));
          const last = log.times[log.times.length - 1] ?? Number.NEGATIVE_INFINITY;
          if (last + longest <= now && log.blockedUntil <= now) logs.delete(k);
        }
      }
      return 0;
    },
    settle(keys, atMs) {
      for (const key of keys) {
        const times = logs.get(key)?.times;
        // Only ever moves the latest entry later, so the log stays in order.
        if (times && times.length > 0) times[times.length - 1] = Math.max(times[times.length - 1]!, atMs);
      }
    },
    waitFor(key, now) {
      return waitOn(logOf(key), now);
    },
    block(key, untilMs) {
      const log = logOf(key);
      log.blockedUntil = Math.max(log.blockedUntil, untilMs);
    },
  };
}
