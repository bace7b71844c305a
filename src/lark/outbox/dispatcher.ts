import {
  claimDueOutbox,
  handBackOutbox,
  markOutboxGivenUp,
  markOutboxSent,
  recordOutboxAttempt,
  rescheduleOutbox,
} from '../../db/repos/outbox.js';
import type { Db, OutboxRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import type { BackgroundTask } from '../../platform/background.js';
import { aliveSince, beat, beatWhenDue } from '../../platform/liveness.js';
import { classifyError, type LarkError, type LarkGateway } from '../gateway.js';
import { createRateLimiter, LARK_LIMITS, type RateLimiter, type RateLimits } from '../rate-limiter.js';
import { claimWithinAppWindows, releaseSlots, settleSlot } from './app-windows.js';

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
  /** Claimed from another instance that stopped beating (it died mid-way); resent with the same uuid. */
  takenOver: number;
  /** Claimed, then found taken over by another instance before the send: left to it, not sent. */
  yielded: number;
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
  /**
   * The app's windows, kept in the database so that every instance draws on the same ones
   * (app-windows.ts): Lark's by default. False leaves them to `limiter` alone (tests that flush
   * messages to the fake Lark, whose own windows then decide).
   */
  appWindows?: RateLimits | false;
  /** For the jitter; defaults to Math.random. */
  random?: () => number;
  /** How long an instance may stay silent before its claims are free (liveness.ts). */
  silentAfterMs?: number;
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

/** One round of the dispatcher: what its steps share, and the summary they fill in. */
interface Round {
  deps: Deps;
  db: Db;
  lark: LarkGateway;
  limiter: RateLimiter;
  /** The slot in the shared app windows granted to each claimed row (none without them). */
  slots: Map<string, string>;
  random: () => number;
  summary: DispatchSummary;
  /** Keeps this instance's heartbeat going between rows (Workers have no heartbeat task). */
  beat: () => Promise<void>;
}

/** One send of one claimed row, as its failure handling needs it. */
interface Attempt {
  row: OutboxRow;
  /** The rate-limit keys the send drew from. */
  keys: string[];
  /** Counting this one. */
  number: number;
  firstAttemptAt: Date;
  /** Past this, Lark may no longer de-duplicate the row's uuid. */
  windowEnd: number;
}

function emptySummary(): DispatchSummary {
  return {
    disabled: false,
    claimed: 0,
    sent: 0,
    deferred: 0,
    retried: 0,
    failed: 0,
    flagged: 0,
    takenOver: 0,
    yielded: 0,
    waitMs: null,
  };
}

function noteWait(summary: DispatchSummary, ms: number): void {
  summary.waitMs = summary.waitMs === null ? ms : Math.min(summary.waitMs, ms);
}

/**
 * Sends due outbox rows once. Rows are claimed with FOR UPDATE SKIP LOCKED, a lease and this
 * instance's id, so several dispatchers (instances) never send one row at the same time; a row
 * whose sender died mid-way is taken over as soon as that instance stops beating (liveness.ts),
 * or when its lease runs out, and resent with the same uuid, which Lark de-duplicates for an hour. Retries that would fall outside that hour are flagged for an admin
 * instead, so nothing is ever sent twice.
 */
export async function dispatchOnce(deps: Deps, options: DispatchOptions = {}): Promise<DispatchSummary> {
  const summary = emptySummary();
  if (!deps.lark) return { ...summary, disabled: true };
  const round: Round = {
    deps,
    db: deps.database.db,
    lark: deps.lark,
    limiter: options.limiter ?? createRateLimiter(options.appWindows || LARK_LIMITS),
    slots: new Map(),
    random: options.random ?? Math.random,
    summary,
    beat: beatWhenDue(deps),
  };
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // Every operation draws on the app's windows: while they are full, claiming would only hand back.
  if (appWindowFull(round)) return summary;
  const { rows, takenOver } = await claimRows(
    round,
    options.limit ?? 50,
    leaseMs,
    options.appWindows ?? LARK_LIMITS,
    options.silentAfterMs,
  );
  summary.claimed = rows.length;
  summary.takenOver = takenOver;
  if (takenOver > 0) deps.logger.warn('outbox rows taken over from a silent instance', { takenOver });
  // Slow answers (timeouts) must not let the lease run out under rows not yet sent: past half of
  // it, the rest of the batch is handed back for the next round (or another instance). So is it
  // while the app's window is full (50 in a second, 1,000 in a minute): no row can go, and
  // deferring row by row would reorder a chat's messages against rows not claimed yet.
  const handBackAfter = performance.now() + leaseMs / 2;
  for (const [index, row] of rows.entries()) {
    if (performance.now() > handBackAfter || appWindowFull(round)) {
      await handBack(round, rows.slice(index));
      break;
    }
    await round.beat();
    await dispatchRow(round, row);
  }
  return summary;
}

/** Whether the app's own windows are full now (noting how long until they reopen). */
function appWindowFull(round: Round): boolean {
  const wait = round.limiter.waitFor?.('app', round.deps.clock.now().getTime()) ?? 0;
  if (wait > 0) noteWait(round.summary, wait);
  return wait > 0;
}

/** Due rows, as many as the shared app windows have room for (when they are kept). */
async function claimRows(
  round: Round,
  limit: number,
  leaseMs: number,
  appWindows: RateLimits | false,
  silentAfterMs?: number,
): Promise<{ rows: OutboxRow[]; takenOver: number }> {
  // Beating first: this instance's claims start alive.
  await beat(round.deps);
  if (!appWindows) return claimBatch(round.deps, limit, leaseMs, silentAfterMs);
  const claim = await claimWithinAppWindows(round.deps, {
    limit,
    leaseMs,
    limits: appWindows,
    silentAfterMs,
  });
  if (claim.waitMs !== null) noteWait(round.summary, claim.waitMs);
  round.slots = claim.slots;
  return claim;
}

async function claimBatch(deps: Deps, limit: number, leaseMs: number, silentAfterMs?: number) {
  const now = deps.clock.now();
  return deps.database.db.transaction().execute((trx) =>
    claimDueOutbox(trx, {
      now,
      limit,
      leaseMs,
      self: deps.instanceId,
      aliveSince: aliveSince(now, silentAfterMs),
    }),
  );
}

/** Puts the rest of the batch back as it was (same next_attempt_at, so the order is kept). */
async function handBack(round: Round, rows: OutboxRow[]): Promise<void> {
  const ids = rows.map((r) => r.id);
  await handBackOutbox(round.db, ids, round.deps.instanceId);
  await releaseSlots(round.db, round.slots, ids);
  round.summary.deferred += rows.length;
}

/** One claimed row: flagged when too late for its uuid window, held back by the limiter, or sent. */
async function dispatchRow(round: Round, row: OutboxRow): Promise<void> {
  const now = round.deps.clock.now();
  const firstAttemptAt = row.first_attempt_at ?? now;
  const windowEnd = firstAttemptAt.getTime() + UUID_WINDOW_MS - WINDOW_MARGIN_MS;
  if (usesUuid(row) && row.first_attempt_at && now.getTime() > windowEnd) return flagUnconfirmed(round, row);

  const keys = rateKeys(row);
  const wait = round.limiter.take(keys, now.getTime());
  if (wait > 0) return holdBack(round, row, now, wait);

  // Record the first attempt before sending, so a crash after Lark accepted still knows the window;
  // a row taken over meanwhile (this instance was silent too long) is its new owner's to send.
  if (!(await recordOutboxAttempt(round.db, { id: row.id, self: round.deps.instanceId, firstAttemptAt }))) {
    round.summary.yielded++;
    return;
  }
  const attempt: Attempt = { row, keys, number: row.attempts + 1, firstAttemptAt, windowEnd };
  try {
    const messageId = await performCounted(round, attempt);
    await markOutboxSent(round.db, row.id, { at: round.deps.clock.now(), messageId });
    round.summary.sent++;
  } catch (err) {
    await settleFailure(round, attempt, err);
  }
}

/** Taken over after a crash, too late for Lark's uuid de-duplication: an admin decides. */
async function flagUnconfirmed(round: Round, row: OutboxRow): Promise<void> {
  await releaseSlots(round.db, round.slots, [row.id]);
  await markOutboxGivenUp(round.db, row.id, {
    status: 'flagged',
    error: `not confirmed within the 1-hour uuid window (last error: ${row.last_error ?? 'none'}); check Lark before resending`,
    self: round.deps.instanceId,
  });
  round.summary.flagged++;
}

/** Our own limiter says wait: back in the queue until then (not a failure). */
async function holdBack(round: Round, row: OutboxRow, now: Date, wait: number): Promise<void> {
  noteWait(round.summary, wait);
  await rescheduleOutbox(round.db, row.id, {
    nextAttemptAt: new Date(now.getTime() + wait),
    self: round.deps.instanceId,
  });
  await releaseSlots(round.db, round.slots, [row.id]);
  round.summary.deferred++;
}

/** Sends the row, counting the request in the limiter from its answer (Lark counted it before). */
async function performCounted(round: Round, attempt: Attempt): Promise<string | null> {
  try {
    return await perform(round.lark, attempt.row);
  } finally {
    const at = round.deps.clock.now().getTime();
    round.limiter.settle?.(attempt.keys, at);
    await settleSlot(round.db, round.slots, attempt.row.id, at);
  }
}

/** A failed send: failed for good, given up (too late to retry safely), or retried later. */
async function settleFailure(round: Round, attempt: Attempt, err: unknown): Promise<void> {
  const error = classifyError(err);
  const { row } = attempt;
  // A content that is not JSON is our bug, not Lark's: retrying will not help.
  if (error.kind === 'permanent' || err instanceof SyntaxError) return failForGood(round, row, error);
  const at = round.deps.clock.now().getTime();
  const delay = retryDelay(round, attempt, error, at);
  const next = at + delay;
  if (tooLateToRetry(attempt, next)) return giveUp(round, row, error);
  await rescheduleOutbox(round.db, row.id, {
    nextAttemptAt: new Date(next),
    error: error.message.slice(0, 1000),
    self: round.deps.instanceId,
  });
  if (error.kind === 'rate_limited') round.summary.deferred++;
  else round.summary.retried++;
  round.deps.logger.info('outbox message will be retried', { id: row.id, kind: error.kind, inMs: delay });
}

/** A 429 waits as long as Lark says, its key blocked meanwhile; other failures back off. */
function retryDelay(round: Round, attempt: Attempt, error: LarkError, at: number): number {
  if (error.kind !== 'rate_limited') return retryDelayMs(attempt.number, round.random);
  const delay = Math.max(1, error.details.resetSeconds ?? 1) * 1000;
  round.limiter.block(attempt.keys[attempt.keys.length - 1]!, at + delay);
  return delay;
}

/**
 * A send with a uuid must be retried inside Lark's de-duplication window; a card update while
 * its token lives; anything else a limited number of times.
 */
function tooLateToRetry(attempt: Attempt, next: number): boolean {
  const { row } = attempt;
  if (usesUuid(row)) return next > attempt.windowEnd;
  if (row.operation === 'card_update') return next > attempt.firstAttemptAt.getTime() + CARD_TOKEN_LIFE_MS;
  return attempt.number >= MAX_ATTEMPTS_WITHOUT_UUID;
}

async function failForGood(round: Round, row: OutboxRow, error: LarkError): Promise<void> {
  await markOutboxGivenUp(round.db, row.id, {
    status: 'failed',
    error: error.message.slice(0, 1000),
    self: round.deps.instanceId,
  });
  round.deps.logger.warn('outbox message failed', { id: row.id, purpose: row.purpose, error: error.message });
  round.summary.failed++;
}

/** Too late to retry: a uuid send is flagged for an admin (it may have arrived), the rest fail. */
async function giveUp(round: Round, row: OutboxRow, error: LarkError): Promise<void> {
  const status = usesUuid(row) ? 'flagged' : 'failed';
  const reason = usesUuid(row) ? 'a retry would fall outside the 1-hour uuid window' : 'too many attempts';
  await markOutboxGivenUp(round.db, row.id, {
    status,
    error: `${error.message} (gave up: ${reason})`.slice(0, 1000),
    self: round.deps.instanceId,
  });
  round.deps.logger.warn(`outbox message ${status}`, {
    id: row.id,
    purpose: row.purpose,
    error: error.message,
  });
  if (status === 'flagged') round.summary.flagged++;
  else round.summary.failed++;
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
export function outboxDispatcherTask(deps: Deps, intervalMs = 1000, limits = LARK_LIMITS): BackgroundTask {
  const limiter = createRateLimiter(limits);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const run = () => {
    if (stopped || running) return;
    let rest = intervalMs;
    running = dispatchOnce(deps, { limit: 50, limiter, appWindows: limits })
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
