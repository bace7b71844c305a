import {
  type AppWindowLimits,
  appWindowState,
  lockAppWindows,
  logGrantedSends,
  releaseSends,
  settleSend,
} from '../../db/repos/lark-send-log.js';
import { claimDueOutbox } from '../../db/repos/outbox.js';
import type { Db, OutboxRow } from '../../db/schema.js';
import type { Deps } from '../../deps.js';
import { aliveSince } from '../../platform/liveness.js';
import type { RateLimits } from '../rate-limiter.js';

/**
 * The app's send windows (50 in any second, 1,000 in any minute at Lark) kept in the database, so
 * that every instance — several Node processes, Workers invocations, or one process on PGlite —
 * draws on the same ones. A dispatcher claims outbox rows only as far as the windows have room,
 * in one transaction that holds an advisory lock, counts the requests logged in the last minute,
 * claims that many rows at most and logs one request per row. Each logged request counts as
 * happening now until its answer comes, then from the answer's time (Lark counted it somewhere
 * in between); a row that is not sent after all gives its slot back.
 */

/** Claimed rows, each with the id of the slot granted to it. */
export interface WindowedClaim {
  rows: OutboxRow[];
  /** How many of them were taken over from an instance that stopped beating (liveness.ts). */
  takenOver: number;
  slots: Map<string, string>;
  /** When the windows had no room: ms until one more request may start. */
  waitMs: number | null;
}

function windowLimits(limits: RateLimits, leaseMs: number): AppWindowLimits {
  return {
    perSecond: limits.appPerSecond,
    secondMs: limits.secondMs,
    perMinute: limits.appPerMinute,
    minuteMs: limits.minuteMs,
    // Past its lease the row is taken over: its sender is presumed dead, and so is the request.
    inFlightMs: leaseMs,
  };
}

export async function claimWithinAppWindows(
  deps: Deps,
  o: { limit: number; leaseMs: number; limits: RateLimits; silentAfterMs?: number | undefined },
): Promise<WindowedClaim> {
  const now = deps.clock.now();
  const nowMs = now.getTime();
  const w = windowLimits(o.limits, o.leaseMs);
  return deps.database.db.transaction().execute(async (trx) => {
    await lockAppWindows(trx);
    const state = await appWindowState(trx, nowMs, w);
    if (state.free === 0) return { rows: [], takenOver: 0, slots: new Map(), waitMs: state.waitMs };
    const { rows, takenOver } = await claimDueOutbox(trx, {
      now,
      limit: Math.min(o.limit, state.free),
      leaseMs: o.leaseMs,
      self: deps.instanceId,
      aliveSince: aliveSince(now, o.silentAfterMs),
    });
    const ids = await logGrantedSends(trx, rows.length, nowMs, deps.instanceId);
    return { rows, takenOver, slots: new Map(rows.map((r, i) => [r.id, ids[i]!])), waitMs: null };
  });
}

/** The request for `rowId` was answered (or failed) at `atMs`: its slot counts from then. */
export async function settleSlot(
  db: Db,
  slots: Map<string, string>,
  rowId: string,
  atMs: number,
): Promise<void> {
  const id = slots.get(rowId);
  if (id === undefined) return;
  slots.delete(rowId);
  await settleSend(db, id, atMs);
}

/** These rows will not be sent in this round: their slots are free for any instance. */
export async function releaseSlots(db: Db, slots: Map<string, string>, rowIds: string[]): Promise<void> {
  const ids: string[] = [];
  for (const rowId of rowIds) {
    const id = slots.get(rowId);
    if (id === undefined) continue;
    ids.push(id);
    slots.delete(rowId);
  }
  await releaseSends(db, ids);
}
