import { beatInstance, listInstancesLike, pruneInstances, retireInstance } from '../db/repos/instances.js';
import { settleSendsOf } from '../db/repos/lark-send-log.js';
import type { Deps } from '../deps.js';
import { loopTask } from './background.js';

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

/** When each instance (its Deps) last beat, by its own clock. */
const lastBeat = new WeakMap<Deps, number>();

/**
 * One beat of this instance now, unless it beat less than half a heartbeat interval ago: its row
 * is then fresh enough for any claim it makes (the others wait SILENT_AFTER_MS), and a burst of
 * card clicks does not write the same row once per click.
 */
export async function beat(deps: Deps): Promise<void> {
  const now = deps.clock.now();
  const last = lastBeat.get(deps);
  const since = last === undefined ? Number.POSITIVE_INFINITY : now.getTime() - last;
  if (since >= 0 && since < HEARTBEAT_EVERY_MS / 2) return;
  await beatInstance(deps.database.db, { id: deps.instanceId, now });
  lastBeat.set(deps, now.getTime());
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

/** How a process tells, on its own machine, that an earlier instance's process is gone. */
export interface Predecessors {
  /** The prefix shared by the ids of instances started on this machine since its boot. */
  prefix: string;
  /** Whether the instance `id` (of this machine) no longer runs. */
  gone: (id: string) => boolean;
}

/**
 * At start: instances of this machine whose process no longer runs (a restart after kill -9) are
 * retired at once, so what they held is taken over now rather than after SILENT_AFTER_MS. Their
 * requests still unanswered were made while they beat, so they count in the send windows from
 * their last beat plus one beat interval (the latest they can have died), not as happening now.
 * Answers the ids retired.
 */
export async function retirePredecessors(deps: Deps, machine: Predecessors): Promise<string[]> {
  const retired: string[] = [];
  for (const p of await listInstancesLike(deps.database.db, machine.prefix)) {
    if (p.id === deps.instanceId || !machine.gone(p.id)) continue;
    const diedBy = Math.min(deps.clock.now().getTime(), p.heartbeatAt.getTime() + HEARTBEAT_EVERY_MS + 1_000);
    await deps.database.db.transaction().execute(async (trx) => {
      await settleSendsOf(trx, p.id, diedBy);
      await retireInstance(trx, p.id);
    });
    retired.push(p.id);
  }
  if (retired.length > 0)
    deps.logger.warn('instances of this machine found dead at start retired', { retired });
  return retired;
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
