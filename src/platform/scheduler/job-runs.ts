import { claimSlot as insertClaim } from '../../db/repos/job-runs.js';
import type { Db } from '../../db/schema.js';
import { atLocal, localDate, localTime } from '../../domain/time.js';

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

/** How long a claim may stay unfinished before another run may take the slot over. */
export const STALE_CLAIM_MS = 15 * 60_000;

export async function claimSlot(
  db: Db,
  claim: { job: string; slot: string; instanceId: string; now: Date; staleMs?: number },
): Promise<boolean> {
  const staleBefore = new Date(claim.now.getTime() - (claim.staleMs ?? STALE_CLAIM_MS));
  return insertClaim(db, {
    job: claim.job,
    slot: claim.slot,
    instanceId: claim.instanceId,
    now: claim.now,
    staleBefore,
  });
}
