import { sql, type UpdateObject } from 'kysely';
import type { BackgroundTask } from '../../background.js';
import type { Database, OutboxRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { classifyError, type LarkError, type LarkGateway } from '../gateway.js';
import { createRateLimiter, type RateLimiter } from '../rate-limiter.js';

/** Lark de-duplicates a uuid for one hour after the first send. */
export const UUID_WINDOW_MS = 60 * 60 * 1000;
/** Retries must happen this long before the window closes (request time, clock drift). */
const WINDOW_MARGIN_MS = 5 * 60 * 1000;
/** A card-update token lives 30 minutes. */
const CARD_TOKEN_LIFE_MS = 25 * 60 * 1000;
const MAX_ATTEMPTS_WITHOUT_UUID = 10;
const DEFAULT_LEASE_MS = 120_000;

export interface DispatchSummary {
  /** True when Lark is not configured: nothing was claimed or sent. */
  disabled: boolean;
  claimed: number;
  sent: number;
  /** Put back for later by our own rate limiter or a 429 (not a failure). */
  deferred: number;
  /** Failed for now (5xx, timeout, connection), retried later with the same uuid. */
  retried: number;
  failed: number;
  flagged: number;
  /**
   * When our own limits held something back: the ms until the soonest of it may go (the app's
   * window reopening, or a chat's/user's). Null when nothing was held back.
   */
  waitMs: number | null;
}

export interface DispatchOptions {
  limit?: number;
  /** The dispatcher's rate limiter; a loop keeps one for its lifetime. */
  limiter?: RateLimiter;
  leaseMs?: number;
  /** For the jitter; defaults to Math.random. */
  random?: () => number;
}

/** 2 s, 4 s, 8 s … capped at 5 min, with jitter (half to full length) so instances spread out. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(2000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
  return Math.round(base / 2 + (random() * base) / 2);
}

/** Which rate-limit keys a row draws from (Lark's limits: per app, per chat, per user, per message). */
export function rateKeys(
  row: Pick<OutboxRow, 'operation' | 'receive_id_type' | 'receive_id' | 'message_id'>,
): string[] {
  if (row.operation === 'send') {
    if (row.receive_id_type === 'chat_id') return ['app', `chat:${row.receive_id}`];
    return ['app', `user:${row.receive_id_type}:${row.receive_id}`];
  }
  if (row.operation === 'patch') return ['app', `message:${row.message_id}`];
  return ['app'];
}

const usesUuid = (row: OutboxRow) => row.operation === 'send' || row.operation === 'reply';

async function claim(deps: Deps, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  const now = deps.clock.now();
  return deps.database.db.transaction().execute(async (trx) => {
    const ids = (
      await trx
        .selectFrom('outbox')
        .select('id')
        .where('status', 'in', ['pending', 'sending'])
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute()
    ).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await trx
      .updateTable('outbox')
      .set({ status: 'sending', locked_until: new Date(now.getTime() + leaseMs) })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  });
}

async function perform(lark: LarkGateway, row: OutboxRow): Promise<string | null> {
  switch (row.operation) {
    case 'send': {
      const r = await lark.send({
        receiveIdType: row.receive_id_type ?? 'open_id',
        receiveId: row.receive_id ?? '',
        msgType: row.msg_type,
        content: row.content,
        uuid: row.uuid,
      });
      return r.messageId;
    }
    case 'reply': {
      const r = await lark.reply({
        messageId: row.message_id ?? '',
        msgType: row.msg_type,
        content: row.content,
        uuid: row.uuid,
      });
      return r.messageId;
    }
    case 'patch':
      await lark.patch({ messageId: row.message_id ?? '', content: row.content });
      return row.message_id;
    case 'card_update':
      await lark.cardUpdate({ token: row.card_token ?? '', card: JSON.parse(row.content) });
      return null;
  }
}

/**
 * Sends due outbox rows once. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so
 * several dispatchers (instances) never send one row at the same time; a row whose sender died
 * mid-way is taken over when its lease runs out and resent with the same uuid, which Lark
 * de-duplicates for an hour. Retries that would fall outside that hour are flagged for an admin
 * instead, so nothing is ever sent twice.
 */
export async function dispatchOnce(deps: Deps, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const summary: DispatchSummary = {
    disabled: false,
    claimed: 0,
    sent: 0,
    deferred: 0,
    retried: 0,
    failed: 0,
    flagged: 0,
    waitMs: null,
  };
  const noteWait = (ms: number) => {
    summary.waitMs = summary.waitMs === null ? ms : Math.min(summary.waitMs, ms);
  };
  const lark = deps.lark;
  if (!lark) return { ...summary, disabled: true };
  const { db } = deps.database;
  const limiter = options.limiter ?? createRateLimiter();
  const random = options.random ?? Math.random;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // Every operation draws on the app's windows: while they are full, claiming would only hand back.
  const appWait = limiter.waitFor?.('app', deps.clock.now().getTime()) ?? 0;
  if (appWait > 0) {
    noteWait(appWait);
    return summary;
  }
  const rows = await claim(deps, options.limit ?? 50, leaseMs);
  summary.claimed = rows.length;
  // Slow answers (timeouts) must not let the lease run out under rows not yet sent: past half of
  // it, the rest of the batch is handed back for the next round (or another instance).
  const handBackAfter = performance.now() + leaseMs / 2;

  const update = (row: OutboxRow, set: UpdateObject<Database, 'outbox'>) =>
    db.updateTable('outbox').set(set).where('id', '=', row.id).execute();

  // Puts the rest of the batch back as it was (same next_attempt_at, so the order is kept).
  const handBack = async (index: number) => {
    const rest = rows.slice(index).map((r) => r.id);
    await db
      .updateTable('outbox')
      .set({ status: 'pending', locked_until: null })
      .where('id', 'in', rest)
      .where('status', '=', 'sending')
      .execute();
    summary.deferred += rest.length;
  };

  for (const [index, row] of rows.entries()) {
    if (performance.now() > handBackAfter) {
      await handBack(index);
      break;
    }
    const now = deps.clock.now();
    // The app's window is full (50 in a second, 1,000 in a minute): no row can go, so the batch
    // goes back untouched instead of being deferred row by row (which would reorder a chat's
    // messages against rows not claimed yet).
    const appWaitNow = limiter.waitFor?.('app', now.getTime()) ?? 0;
    if (appWaitNow > 0) {
      noteWait(appWaitNow);
      await handBack(index);
      break;
    }
    const firstAttemptAt = row.first_attempt_at ?? now;
    const windowEnd = firstAttemptAt.getTime() + UUID_WINDOW_MS - WINDOW_MARGIN_MS;
    if (usesUuid(row) && row.first_attempt_at && now.getTime() > windowEnd) {
      // Taken over after a crash, too late for Lark's uuid de-duplication: an admin decides.
      await update(row, {
        status: 'flagged',
        locked_until: null,
        last_error: `not confirmed within the 1-hour uuid window (last error: ${row.last_error ?? 'none'}); check Lark before resending`,
      });
      summary.flagged++;
      continue;
    }

    const keys = rateKeys(row);
    const wait = limiter.take(keys, now.getTime());
    if (wait > 0) {
      noteWait(wait);
      await update(row, {
        status: 'pending',
        locked_until: null,
        next_attempt_at: new Date(now.getTime() + wait),
      });
      summary.deferred++;
      continue;
    }

    // Record the first attempt before sending, so a crash after Lark accepted still knows the window.
    await update(row, { first_attempt_at: firstAttemptAt, attempts: sql`attempts + 1` });
    const attempts = row.attempts + 1;
    try {
      let messageId: string | null;
      try {
        messageId = await perform(lark, row);
      } finally {
        // Count the request from its answer: Lark counted it somewhere before that.
        limiter.settle?.(keys, deps.clock.now().getTime());
      }
      await update(row, {
        status: 'sent',
        sent_at: deps.clock.now(),
        sent_message_id: messageId,
        locked_until: null,
        last_error: null,
      });
      summary.sent++;
    } catch (err) {
      const error: LarkError = classifyError(err);
      const at = deps.clock.now().getTime();
      // A content that is not JSON is our bug, not Lark's: retrying will not help.
      if (error.kind === 'permanent' || err instanceof SyntaxError) {
        await update(row, { status: 'failed', locked_until: null, last_error: error.message.slice(0, 1000) });
        deps.logger.warn('outbox message failed', { id: row.id, purpose: row.purpose, error: error.message });
        summary.failed++;
        continue;
      }
      let delay: number;
      if (error.kind === 'rate_limited') {
        delay = Math.max(1, error.details.resetSeconds ?? 1) * 1000;
        limiter.block(keys[keys.length - 1]!, at + delay);
      } else {
        delay = retryDelayMs(attempts, random);
      }
      const next = at + delay;
      const tooLate = usesUuid(row)
        ? next > windowEnd
        : row.operation === 'card_update'
          ? next > firstAttemptAt.getTime() + CARD_TOKEN_LIFE_MS
          : attempts >= MAX_ATTEMPTS_WITHOUT_UUID;
      if (tooLate) {
        const status = usesUuid(row) ? 'flagged' : 'failed';
        await update(row, {
          status,
          locked_until: null,
          last_error:
            `${error.message} (gave up: ${usesUuid(row) ? 'a retry would fall outside the 1-hour uuid window' : 'too many attempts'})`.slice(
              0,
              1000,
            ),
        });
        deps.logger.warn(`outbox message ${status}`, {
          id: row.id,
          purpose: row.purpose,
          error: error.message,
        });
        if (status === 'flagged') summary.flagged++;
        else summary.failed++;
        continue;
      }
      await update(row, {
        status: 'pending',
        locked_until: null,
        next_attempt_at: new Date(next),
        last_error: error.message.slice(0, 1000),
      });
      if (error.kind === 'rate_limited') summary.deferred++;
      else summary.retried++;
      deps.logger.info('outbox message will be retried', { id: row.id, kind: error.kind, inMs: delay });
    }
  }
  return summary;
}

/**
 * How long the loop rests after a round: not at all while rows were sent and none held back (more
 * may be due), exactly until our limits let the next one go when they held rows back, and
 * `intervalMs` (the polling pace) when nothing was due. Never longer than `intervalMs`, so rows
 * that fall due meanwhile wait at most that long.
 */
export function nextRoundInMs(summary: DispatchSummary, intervalMs: number): number {
  if (summary.waitMs !== null) return Math.min(intervalMs, summary.waitMs);
  if (summary.claimed === 0 || summary.disabled) return intervalMs;
  return 0;
}

/**
 * The dispatcher loop of one process, with its own limiter. It sends as fast as Lark's limits
 * allow (the limiter paces it), rather than a batch then a fixed pause.
 */
export function outboxDispatcherTask(deps: Deps, intervalMs = 1000): BackgroundTask {
  const limiter = createRateLimiter();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const run = () => {
    if (stopped || running) return;
    let rest = intervalMs;
    running = dispatchOnce(deps, { limit: 50, limiter })
      .then((summary) => {
        rest = nextRoundInMs(summary, intervalMs);
      })
      .catch((error) => deps.logger.error('lark-outbox failed', { error }))
      .finally(() => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(run, rest);
        timer.unref?.();
      });
  };
  return {
    name: 'lark-outbox',
    start() {
      stopped = false;
      timer = setTimeout(run, 0);
      timer.unref?.();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
