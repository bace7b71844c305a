import { sql } from 'kysely';
import type { Db } from '../schema.js';

/**
 * instances: one heartbeat row per live instance (a Node process, a Workers invocation). Claims
 * on outbox rows and inbound events name their instance; a claim whose instance stopped beating
 * is free without waiting out its lease.
 */

/** Records that `id` is alive at `now` (inserting it on its first beat). */
export async function beatInstance(db: Db, o: { id: string; now: Date }): Promise<void> {
  await db
    .insertInto('instances')
    .values({ id: o.id, started_at: o.now, heartbeat_at: o.now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: o.now }))
    .execute();
}

/** An instance that stops cleanly leaves: its unfinished claims are free at once. */
export async function retireInstance(db: Db, id: string): Promise<void> {
  await db.deleteFrom('instances').where('id', '=', id).execute();
}

/** The instances whose id starts with `prefix` (those of one machine), with their last beat. */
export async function listInstancesLike(
  db: Db,
  prefix: string,
): Promise<{ id: string; heartbeatAt: Date }[]> {
  const rows = await db
    .selectFrom('instances')
    .select(['id', 'heartbeat_at'])
    .where(sql<boolean>`starts_with(id, ${prefix})`)
    .execute();
  return rows.map((r) => ({ id: r.id, heartbeatAt: r.heartbeat_at }));
}

/** Forgets instances silent since before `before` (their claims are long free). */
export async function pruneInstances(db: Db, before: Date): Promise<number> {
  const res = await db.deleteFrom('instances').where('heartbeat_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * A claim (`claimed_by` of `table`) whose owner is another instance with no heartbeat since
 * `aliveSince`: the owner died (or stopped) and its claim may be taken over now. A claim without
 * an owner (made before owners were recorded) waits out its lease.
 */
export function claimOwnerGone(table: 'outbox' | 'inbound_events', o: { self: string; aliveSince: Date }) {
  const owner = sql.ref(`${table}.claimed_by`);
  return sql<boolean>`(${owner} is not null and ${owner} <> ${o.self} and not exists (
    select 1 from instances where instances.id = ${owner} and instances.heartbeat_at >= ${o.aliveSince}))`;
}
