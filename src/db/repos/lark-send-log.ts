import { sql } from 'kysely';
import type { Db, Trx } from '../schema.js';

/**
 * lark_send_log: the app's requests to Lark as every instance sees them, for the per-app sliding
 * windows (n in any `secondMs`, m in any `minuteMs`). A request is logged when a dispatcher is
 * granted its slot and counts as happening "now" until it is settled with the time its answer
 * came (Lark counted it somewhere in between), so the log never runs behind Lark's own count.
 */

/** The per-app windows, as the log is asked about them. */
export interface AppWindowLimits {
  perSecond: number;
  secondMs: number;
  perMinute: number;
  minuteMs: number;
  /** A request not settled after this long is taken for lost (its sender died). */
  inFlightMs: number;
}

export interface AppWindowState {
  /** How many more requests may start now without passing either window. */
  free: number;
  /** When `free` is 0: ms until one more may start. */
  waitMs: number;
}

/**
 * Serialises the grants of every instance: held until the claiming transaction ends. An advisory
 * lock rather than a row, so a truncated log (tests) or a fresh database needs no seed row.
 */
export async function lockAppWindows(trx: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('lark_send_log'))`.execute(trx);
}

/**
 * Room left in the app's windows at `nowMs`, counting unsettled requests as happening now; in the
 * same round trip, forgets the requests no window can count any more.
 */
export async function appWindowState(trx: Trx, nowMs: number, w: AppWindowLimits): Promise<AppWindowState> {
  const forgetBefore = nowMs - Math.max(w.minuteMs, w.inFlightMs);
  const { rows } = await sql<{
    in_second: number;
    in_minute: number;
    second_anchor: number | null;
    minute_anchor: number | null;
  }>`
    with forgotten as (delete from lark_send_log where at_ms < ${forgetBefore})
    select count(*) filter (where t > ${nowMs - w.secondMs})::int as in_second,
      count(*)::int as in_minute,
      ((array_agg(t order by t desc) filter (where t > ${nowMs - w.secondMs}))[${w.perSecond}])::float8 as second_anchor,
      ((array_agg(t order by t desc))[${w.perMinute}])::float8 as minute_anchor
    from (
      select case when settled then at_ms else ${nowMs}::bigint end as t from lark_send_log
      where at_ms >= ${forgetBefore}
        and (not settled or at_ms > ${nowMs - w.minuteMs})
        and (settled or at_ms > ${nowMs - w.inFlightMs})
    ) log`.execute(trx);
  const r = rows[0]!;
  const free = Math.max(0, Math.min(w.perSecond - r.in_second, w.perMinute - r.in_minute));
  if (free > 0) return { free, waitMs: 0 };
  let wait = 1;
  if (r.in_second >= w.perSecond && r.second_anchor !== null)
    wait = Math.max(wait, r.second_anchor + w.secondMs - nowMs);
  if (r.in_minute >= w.perMinute && r.minute_anchor !== null)
    wait = Math.max(wait, r.minute_anchor + w.minuteMs - nowMs);
  return { free: 0, waitMs: Math.ceil(wait) };
}

/** Logs `count` requests granted at `nowMs`; answers their ids (one per request). */
export async function logGrantedSends(trx: Trx, count: number, nowMs: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = await trx
    .insertInto('lark_send_log')
    .values(Array.from({ length: count }, () => ({ at_ms: nowMs })))
    .returning('id')
    .execute();
  return rows.map((r) => String(r.id));
}

/** The request's answer came at `atMs`: it counts from then. */
export async function settleSend(db: Db, id: string, atMs: number): Promise<void> {
  await db.updateTable('lark_send_log').set({ at_ms: atMs, settled: true }).where('id', '=', id).execute();
}

/** Granted but never made (the row was handed back or held back): the slots are free again. */
export async function releaseSends(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('lark_send_log').where('id', 'in', ids).execute();
}
