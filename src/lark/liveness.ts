import { loopTask } from '../background.js';
import { beatInstance, pruneInstances, retireInstance } from '../db/repos/instances.js';
import type { Deps } from '../deps.js';

/**
 * Liveness of instances, so that the work a dead process held is taken over within seconds.
 * Every instance beats (a row in `instances`) every HEARTBEAT_EVERY_MS while it runs, and again
 * on every claim; its claims on outbox rows and inbound events carry its id. An instance silent
 * for SILENT_AFTER_MS is dead to the others: its unfinished claims are free at once, whatever
 * their lease says. A live instance checks that a row is still its own before each send, so a
 * row taken over from a silent (not dead) instance is not sent by it a second time.
 */
export const HEARTBEAT_EVERY_MS = 5_000;
export const SILENT_AFTER_MS = 20_000;

/** The instant before which a silent instance is taken for dead. */
export function aliveSince(now: Date, silentAfterMs = SILENT_AFTER_MS): Date {
  return new Date(now.getTime() - silentAfterMs);
}

/** One beat of this instance now. */
export async function beat(deps: Deps): Promise<void> {
  await beatInstance(deps.database.db, { id: deps.instanceId, now: deps.clock.now() });
}

/** This instance stops: what it still held (nothing, after a clean stop) is free at once. */
export async function leave(deps: Deps): Promise<void> {
  await retireInstance(deps.database.db, deps.instanceId);
}

/**
 * A beat every `everyMs` until it has been that long since the last one, for long loops that
 * must keep their claims (the dispatcher between rows, on Workers with no heartbeat task).
 */
export function beatWhenDue(deps: Deps, everyMs = HEARTBEAT_EVERY_MS): () => Promise<void> {
  let last = deps.clock.now().getTime();
  return async () => {
    const now = deps.clock.now().getTime();
    if (now - last < everyMs) return;
    last = now;
    await beat(deps);
  };
}

/** Forgets instances silent for a day (Workers invocations leave one row each when cut short). */
export async function pruneSilentInstances(deps: Deps): Promise<void> {
  await pruneInstances(deps.database.db, new Date(deps.clock.now().getTime() - 24 * 3600_000));
}

/** The heartbeat of a Node process; once an hour it forgets instances silent for a day. */
export function heartbeatTask(deps: Deps) {
  let lastPrune = 0;
  return loopTask(
    'heartbeat',
    HEARTBEAT_EVERY_MS,
    async () => {
      await beat(deps);
      const now = deps.clock.now().getTime();
      if (now - lastPrune > 3600_000) {
        lastPrune = now;
        await pruneSilentInstances(deps);
      }
    },
    deps.logger,
  );
}
