import cron, { type ScheduledTask } from 'node-cron';
import { claimedSlots, markSlots } from '../../db/repos/job-runs.js';
import type { Deps } from '../../deps.js';
import { atLocal, localDate } from '../../domain/time.js';
import { type BackgroundTask, loopTask } from '../background.js';
import { slotOf } from './job-runs.js';
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
  const results: RunResult[] = [];
  const schedules = await listSchedules(deps.database.db, jobs);
  for (const schedule of schedules) {
    const job = jobs.find((j) => j.name === schedule.job);
    if (!job || !schedule.enabled) continue;
    const result = await catchUpJob(deps, job, schedule, options.window ?? 'same-day');
    if (result) results.push(result);
  }
  return results;
}

/** One job's catch-up: older misses recorded as skipped, recent ones merged into one run of the latest. */
async function catchUpJob(
  deps: Deps,
  job: JobDefinition,
  schedule: Schedule,
  window: 'same-day' | number,
): Promise<RunResult | null> {
  const tz = deps.config.timezone;
  const now = deps.clock.now();
  const { windowStart, lookback } = catchUpWindow(now, tz, window);
  let instants: Date[];
  try {
    const nowMinute = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
    instants = slotsBetween(schedule.cron, schedule.timezone ?? tz, lookback, nowMinute);
  } catch (error) {
    deps.logger.error('catch-up skipped: the schedule cannot be read', {
      job: job.name,
      cron: schedule.cron,
      error,
    });
    return null;
  }
  const slots = instants.map((d) => slotOf(d, tz));
  const claimed = await claimedSlots(deps.database.db, job.name, slots);
  const missed = instants.filter((_, i) => !claimed.has(slots[i]!));
  const old = missed.filter((d) => d < windowStart).map((d) => slotOf(d, tz));
  const recent = missed.filter((d) => d >= windowStart).map((d) => slotOf(d, tz));
  await recordMissed(deps, job, now, {
    slots: old,
    level: 'warn',
    message: 'missed job slots skipped (older than the catch-up window)',
    summary: { skipped: 'missed: older than the catch-up window' },
  });
  const latest = recent[recent.length - 1];
  if (!latest) return null;
  const merged = recent.slice(0, -1);
  await recordMissed(deps, job, now, {
    slots: merged,
    level: 'info',
    message: 'missed job slots merged into one catch-up run',
    summary: { mergedInto: latest },
  });
  deps.logger.info('catching up a missed job slot', { job: job.name, slot: latest });
  return runJobSlot(deps, job, { at: now, slot: latest });
}

interface MissedSlots {
  slots: string[];
  level: 'warn' | 'info';
  message: string;
  summary: Record<string, unknown>;
}

/** Logs missed slots and records them in job_runs as not run, with the reason in `summary`. */
async function recordMissed(
  deps: Deps,
  job: JobDefinition,
  now: Date,
  { slots, level, message, summary }: MissedSlots,
): Promise<void> {
  if (slots.length === 0) return;
  deps.logger[level](message, {
    job: job.name,
    count: slots.length,
    first: slots[0],
    last: slots[slots.length - 1],
  });
  await markSlots(deps.database.db, { job: job.name, slots, instanceId: deps.instanceId, now, summary });
}

/**
 * Where the catch-up window starts, and how far back older misses are looked for (to log them):
 * a day for the same-day window, one more window's length for a window in minutes (a Workers
 * tick every minute reads 2 × window).
 */
function catchUpWindow(
  now: Date,
  tz: string,
  window: 'same-day' | number,
): { windowStart: Date; lookback: Date } {
  if (window === 'same-day') {
    const windowStart = atLocal(localDate(now, tz), '00:00', tz);
    return {
      windowStart,
      lookback: new Date(Math.min(windowStart.getTime(), now.getTime() - 24 * 60 * MINUTE)),
    };
  }
  const windowStart = new Date(now.getTime() - window * MINUTE);
  return { windowStart, lookback: new Date(windowStart.getTime() - window * MINUTE) };
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
  const timers = cronTimers(deps, (job, triggeredAt) => fire(job, triggeredAt));
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

  const sync = async () => {
    const schedules = await listSchedules(deps.database.db, jobs);
    for (const s of schedules) {
      const job = jobs.find((j) => j.name === s.job);
      if (!job) continue;
      try {
        timers.install(s, job);
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
      await timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** node-cron timers per job, rebuilt only when a job's schedule (enabled, cron, time zone) changes. */
function cronTimers(deps: Deps, fire: (job: JobDefinition, triggeredAt: Date) => void) {
  const tz = deps.config.timezone;
  const timers = new Map<string, { signature: string; tasks: ScheduledTask[] }>();
  return {
    install(schedule: Schedule, job: JobDefinition) {
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
    },
    async clear() {
      for (const { tasks } of timers.values()) for (const t of tasks) await t.destroy();
      timers.clear();
    },
  };
}
