import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { atLocal, localDate, localTime } from '../domain/time.js';

/**
 * (job, slot) claims: a slot is the scheduled minute in the office's time zone
 * ('2026-09-28T09:00'); whoever inserts the job_runs row runs it, so several instances never
 * run one slot twice. A claim that was never finished (the instance died mid-run) may be
 * taken over after `staleMs`: every job is idempotent, so finishing it again is safe.
 */
export function slotOf(at: Date, timeZone: string): string {
  return `${localDate(at, timeZone)}T${localTime(at, timeZone)}`;
}

export function slotInstant(slot: string, timeZone: string): Date {
  const [date, time] = slot.split('T') as [string, string];
  return atLocal(date, time, timeZone);
}

export async function claimSlot(
  db: Kysely<Database>,
  claim: { job: string; slot: string; instanceId: string; now: Date; staleMs?: number },
): Promise<boolean> {
  const staleBefore = new Date(claim.now.getTime() - (claim.staleMs ?? 15 * 60_000));
  const row = await db
    .insertInto('job_runs')
    .values({ job: claim.job, slot: claim.slot, claimed_by: claim.instanceId, claimed_at: claim.now })
    .onConflict((oc) =>
      oc
        .columns(['job', 'slot'])
        .doUpdateSet({ claimed_by: claim.instanceId, claimed_at: claim.now })
        .where('job_runs.finished_at', 'is', null)
        .where('job_runs.claimed_at', '<', staleBefore),
    )
    .returning('claimed_by')
    .executeTakeFirst();
  return row?.claimed_by === claim.instanceId;
}

export async function finishSlot(
  db: Kysely<Database>,
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
  db: Kysely<Database>,
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

export async function getRun(db: Kysely<Database>, job: string, slot: string) {
  return db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .where('slot', '=', slot)
    .executeTakeFirst();
}

/** The slots of `job` already claimed among `slots`. */
export async function claimedSlots(db: Kysely<Database>, job: string, slots: string[]): Promise<Set<string>> {
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
  db: Kysely<Database>,
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
