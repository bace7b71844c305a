import { jobRegistry } from '../jobs/registry.js';
import type { BackgroundTask } from './background.js';
import type { Deps } from './deps.js';
import { createScheduler } from './services/scheduler.js';

/** Starts the long-running work of a Node process. Each issue's runtime piece is listed here. */
export function startBackgroundTasks(deps: Deps): BackgroundTask[] {
  const tasks: BackgroundTask[] = [];
  void deps;
  // The scheduler: node-cron timers from the schedules table, re-read every 30 s; (job, slot) claims.
  tasks.push(createScheduler(deps, jobRegistry));
  for (const task of tasks) task.start();
  return tasks;
}
