import type { BackgroundTask } from './background.js';
import type { Deps } from './deps.js';

/** Starts the long-running work of a Node process. Each issue's runtime piece is listed here. */
export function startBackgroundTasks(deps: Deps): BackgroundTask[] {
  const tasks: BackgroundTask[] = [];
  void deps;
  for (const task of tasks) task.start();
  return tasks;
}
