import type { Deps } from '../deps.js';
import { inboundHandlers } from '../lark/adapter/router.js';
import { inboundProcessorTask } from '../lark/inbound/processor.js';
import { outboxDispatcherTask } from '../lark/outbox/dispatcher.js';
import { larkSetupCheckTask } from '../lark/setup-health.js';
import { longConnectionTask } from '../lark/ws/long-connection.js';
import type { BackgroundTask } from './background.js';
import { heartbeatTask } from './liveness.js';
import { createScheduler } from './scheduler/scheduler.js';

/** Starts the long-running work of a Node process: the scheduler and the Lark channel's loops. */
export function startBackgroundTasks(deps: Deps): BackgroundTask[] {
  const tasks: BackgroundTask[] = [];
  // This process's heartbeat: while it beats, its claims are its own; once it stops (kill -9), the
  // other instances, or this one restarted, take them over within SILENT_AFTER_MS.
  tasks.push(heartbeatTask(deps));
  // The scheduler: node-cron timers from the schedules table, re-read every 30 s; (job, slot) claims.
  tasks.push(createScheduler(deps, deps.jobs));
  // The Lark channel: stored inbound events are processed (and retried); the outbox is sent.
  tasks.push(inboundProcessorTask(deps, inboundHandlers.event));
  tasks.push(outboxDispatcherTask(deps));
  // What the tenant still lacks (scopes, groups, events), for /healthz larkSetup.
  if (deps.lark && !deps.playground) tasks.push(larkSetupCheckTask(deps));
  // LARK_MODE=ws: events and card clicks arrive over a connection dialled out to Lark.
  if (deps.config.lark.mode === 'ws' && deps.lark) {
    const connection = longConnectionTask(deps, inboundHandlers);
    deps.larkConnection = connection;
    tasks.push(connection);
  }
  for (const task of tasks) task.start();
  return tasks;
}
