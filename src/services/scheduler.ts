import cron, { type ScheduledTask } from 'node-cron';
import { type BackgroundTask, loopTask } from '../background.js';
import type { Deps } from '../deps.js';
import { atLocal, localDate } from '../domain/time.js';
import { claimedSlots, markSlots, slotOf } from './job-runs.js';
import { type JobDefinition, type RunResult, runJobSlot } from './run-job.js';
import { listSchedules, type Schedule, splitCron } from './schedules.js';

export interface SchedulerOptions {
  /** How often each instance re-reads the schedules table (a change is live everywhere within this). */
  reloadMs?: number;
  /** Scheduled runs start this many ms after their minute (random in [min, max]): bulk sends never
   *  start exactly on the hour or half hour, as Feishu asks of bulk senders. */
  jitterMs?: { min: number; max: number };
  /** Catch-up window for slots missed while no instance ran: 'same-day' (default) or minutes back. */
  catchUpWindow?: 'same-day' | number;
  /** Run catch-up when the scheduler starts (default true). */
  catchUpOnStart?: boolean;
}

const MINUTE = 60_000;

/** Every minute in [from, to) at which any of the cron expressions fires, in `timeZone`. */
export function slotsBetween(
  cronText: string,
  timeZone: string,
  from: Date,
  to: Date,
  limit = Infinity,
): Date[] {
  const matchers = splitCron(cronText).map((expr) => cron.createTask(expr, () => {}, { timezone: timeZone }));
  try {
    const out: Date[] = [];
    for (
      let t = Math.ceil(from.getTime() / MINUTE) * MINUTE;
      t < to.getTime() && out.length < limit;
      t += MINUTE
    ) {
      const d = new Date(t);
      if (matchers.some((m) => m.match(d))) out.push(d);
    }
    return out;
  } finally {
    for (const m of matchers) void m.destroy();
  }
}

/**
 * Runs the slots missed while no instance was running: within the window (default: since local
 * midnight, i.e. the same working day) each job's latest missed slot runs once — the jobs plan
 * from the current state, so one run covers the earlier ones — and older misses are logged and
 * skipped. Claims make this safe when several instances start at once.
 */
export async function catchUpMissedSlots(
  deps: Deps,
  jobs: readonly JobDefinition[],
  options: { window?: 'same-day' | number } = {},
): Promise<RunResult[]> {
  const tz = deps.config.timezone;
  const now = deps.clock.now();
  const nowMinute = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  const results: RunResult[] = [];
  const schedules = await listSchedules(deps.database.db, jobs);
  for (const schedule of schedules) {
    const job = jobs.find((j) => j.name === schedule.job);
    if (!job || !schedule.enabled) continue;
    const scheduleTz = schedule.timezone ?? tz;
    const window = options.window ?? 'same-day';
    const windowStart =
      window === 'same-day'
        ? atLocal(localDate(now, tz), '00:00', tz)
        : new Date(now.getTime() - window * MINUTE);
    // How far back older misses are looked for (to log them): a day for the same-day window, one
    // more window's length for a window in minutes (a Workers tick every minute reads 2 × window).
    const lookback =
      window === 'same-day'
        ? new Date(Math.min(windowStart.getTime(), now.getTime() - 24 * 60 * MINUTE))
        : new Date(windowStart.getTime() - window * MINUTE);
    let instants: Date[];
    try {
      instants = slotsBetween(schedule.cron, scheduleTz, lookback, nowMinute);
    } catch (error) {
      deps.logger.error('catch-up skipped: the schedule cannot be read', {
        job: job.name,
        cron: schedule.cron,
        error,
      });
      continue;
    }
    const slots = instants.map((d) => slotOf(d, tz));
    const claimed = await claimedSlots(deps.database.db, job.name, slots);
    const missed = instants.filter((_, i) => !claimed.has(slots[i]!));
    const old = missed.filter((d) => d < windowStart);
    const recent = missed.filter((d) => d >= windowStart);
    if (old.length > 0) {
      deps.logger.warn('missed job slots skipped (older than the catch-up window)', {
        job: job.name,
        count: old.length,
        first: slotOf(old[0]!, tz),
        last: slotOf(old[old.length - 1]!, tz),
      });
      await markSlots(deps.database.db, {
        job: job.name,
        slots: old.map((d) => slotOf(d, tz)),
        instanceId: deps.instanceId,
        now,
        summary: { skipped: 'missed: older than the catch-up window' },
      });
    }
    const latest = recent[recent.length - 1];
    if (!latest) continue;
    const merged = recent.slice(0, -1).map((d) => slotOf(d, tz));
    if (merged.length > 0) {
      deps.logger.info('missed job slots merged into one catch-up run', {
        job: job.name,
        count: merged.length,
        first: merged[0],
        last: merged[merged.length - 1],
      });
      await markSlots(deps.database.db, {
        job: job.name,
        slots: merged,
        instanceId: deps.instanceId,
        now,
        summary: { mergedInto: slotOf(latest, tz) },
      });
    }
    deps.logger.info('catching up a missed job slot', { job: job.name, slot: slotOf(latest, tz) });
    results.push(await runJobSlot(deps, job, { at: now, slot: slotOf(latest, tz) }));
  }
  return results;
}

/**
 * The Node scheduler: node-cron timers for each enabled schedule, rebuilt whenever the
 * schedules table changes (re-read every `reloadMs` on every instance). A timer firing claims
 * its (job, slot); only one instance runs it.
 */
export function createScheduler(
  deps: Deps,
  jobs: readonly JobDefinition[],
  options: SchedulerOptions = {},
): BackgroundTask & { sync(): Promise<void> } {
  const tz = deps.config.timezone;
  const jitter = options.jitterMs ?? { min: 3_000, max: 15_000 };
  const timers = new Map<string, { signature: string; tasks: ScheduledTask[] }>();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let caughtUp = options.catchUpOnStart === false;

  const track = (p: Promise<unknown>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  const fire = (job: JobDefinition, triggeredAt: Date) => {
    if (stopped) return;
    const slot = slotOf(new Date(Math.round(triggeredAt.getTime() / MINUTE) * MINUTE), tz);
    const delay = jitter.min + Math.random() * Math.max(0, jitter.max - jitter.min);
    track(
      new Promise((resolve) => setTimeout(resolve, delay))
        .then(() => (stopped ? undefined : runJobSlot(deps, job, { at: deps.clock.now(), slot })))
        .catch((error) => deps.logger.error('scheduled job failed', { job: job.name, slot, error })),
    );
  };

  const install = (schedule: Schedule, job: JobDefinition) => {
    const signature = `${schedule.enabled}|${schedule.cron}|${schedule.timezone ?? tz}`;
    const current = timers.get(job.name);
    if (current?.signature === signature) return;
    if (current) for (const t of current.tasks) void t.destroy();
    const tasks: ScheduledTask[] = [];
    if (schedule.enabled) {
      for (const expr of splitCron(schedule.cron)) {
        const task = cron.createTask(expr, (ctx) => fire(job, ctx.triggeredAt), {
          timezone: schedule.timezone ?? tz,
          name: `${job.name}:${expr}`,
        });
        void task.start();
        tasks.push(task);
      }
    }
    timers.set(job.name, { signature, tasks });
    deps.logger.info('schedule installed', {
      job: job.name,
      cron: schedule.cron,
      timezone: schedule.timezone ?? tz,
      enabled: schedule.enabled,
    });
  };

  const sync = async () => {
    const schedules = await listSchedules(deps.database.db, jobs);
    for (const s of schedules) {
      const job = jobs.find((j) => j.name === s.job);
      if (!job) continue;
      try {
        install(s, job);
      } catch (error) {
        // A schedule written past the API's validation must not stop the other jobs.
        deps.logger.error('schedule not installed', { job: job.name, cron: s.cron, error });
      }
    }
    if (!caughtUp) {
      caughtUp = true;
      track(
        catchUpMissedSlots(deps, jobs, { window: options.catchUpWindow ?? 'same-day' }).catch((error) =>
          deps.logger.error('catch-up failed', { error }),
        ),
      );
    }
  };

  const loop = loopTask('scheduler', options.reloadMs ?? 30_000, sync, deps.logger);
  return {
    name: 'scheduler',
    sync,
    start() {
      stopped = false;
      loop.start();
    },
    async stop() {
      stopped = true;
      await loop.stop();
      for (const { tasks } of timers.values()) for (const t of tasks) await t.destroy();
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
