import { sql } from 'kysely';
import type { Db } from '../schema.js';

/**
 * job_runs: one row per (job, slot) claim. Whoever inserts the row runs the slot, so several
 * instances never run one slot twice; a claim never finished may be taken over once stale.
 */

/** Claims (job, slot) for `instanceId`, or takes over a claim older than `staleBefore` that never finished. */
export async function claimSlot(
  db: Db,
  claim: { job: string; slot: string; instanceId: string; now: Date; staleBefore: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('job_runs')
    .values({ job: claim.job, slot: claim.slot, claimed_by: claim.instanceId, claimed_at: claim.now })
    .onConflict((oc) =>
      oc
        .columns(['job', 'slot'])
        .doUpdateSet({ claimed_by: claim.instanceId, claimed_at: claim.now })
        .where('job_runs.finished_at', 'is', null)
        .where('job_runs.claimed_at', '<', claim.staleBefore),
    )
    .returning('claimed_by')
    .executeTakeFirst();
  return row?.claimed_by === claim.instanceId;
}

export async function finishSlot(
  db: Db,
  run: { job: string; slot: string; now: Date; summary: Record<string, unknown> },
): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ finished_at: run.now, summary: JSON.stringify(run.summary) })
    .where('job', '=', run.job)
    .where('slot', '=', run.slot)
    .execute();
}

/** Gives a slot back after a failed run, so the next attempt (or another instance) may run it. */
export async function releaseSlot(
  db: Db,
  run: { job: string; slot: string; instanceId: string },
): Promise<void> {
  await db
    .deleteFrom('job_runs')
    .where('job', '=', run.job)
    .where('slot', '=', run.slot)
    .where('claimed_by', '=', run.instanceId)
    .where('finished_at', 'is', null)
    .execute();
}

export async function getRun(db: Db, job: string, slot: string) {
  return db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .where('slot', '=', slot)
    .executeTakeFirst();
}

/** The slots of `job` already claimed among `slots`. */
export async function claimedSlots(db: Db, job: string, slots: string[]): Promise<Set<string>> {
  if (slots.length === 0) return new Set();
  const rows = await db
    .selectFrom('job_runs')
    .select('slot')
    .where('job', '=', job)
    .where('slot', 'in', slots)
    .execute();
  return new Set(rows.map((r) => r.slot));
}

/**
 * Records slots that will not run on their own (merged into a catch-up run, or too old), so
 * they are neither run later nor reported again. Slots claimed meanwhile are left alone.
 */
export async function markSlots(
  db: Db,
  mark: { job: string; slots: string[]; instanceId: string; now: Date; summary: Record<string, unknown> },
): Promise<void> {
  if (mark.slots.length === 0) return;
  await db
    .insertInto('job_runs')
    .values(
      mark.slots.map((slot) => ({
        job: mark.job,
        slot,
        claimed_by: mark.instanceId,
        claimed_at: mark.now,
        finished_at: mark.now,
        summary: JSON.stringify(mark.summary),
      })),
    )
    .onConflict((oc) => oc.columns(['job', 'slot']).doNothing())
    .execute();
}

/** Each job's latest slot that really ran (not one recorded as merged or skipped). */
export async function lastRealRuns(
  db: Db,
): Promise<{ job: string; slot: string; finished_at: Date | null }[]> {
  const result = await sql<{ job: string; slot: string; finished_at: Date | null }>`
    select distinct on (job) job, slot, finished_at from job_runs
    where not (coalesce(summary, '{}'::jsonb) ?| array['skipped', 'mergedInto'])
    order by job, slot desc`.execute(db);
  return result.rows;
}

/** Claims made before `claimedBefore` that never finished (an instance died mid-run). */
export async function unfinishedClaims(
  db: Db,
  claimedBefore: Date,
): Promise<{ job: string; slot: string }[]> {
  return db
    .selectFrom('job_runs')
    .select(['job', 'slot'])
    .where('finished_at', 'is', null)
    .where('claimed_at', '<', claimedBefore)
    .execute();
}
