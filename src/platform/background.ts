import type { Logger } from './logger.js';

/**
 * Work that runs beside HTTP in a long-lived process: the outbox dispatcher, the inbound-event
 * processor, the scheduler. Each is started once and stopped on shutdown, after which it must
 * not start new work and must have finished what was in flight.
 */
export interface BackgroundTask {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs `tick` repeatedly, waiting `intervalMs` between the end of one run and the start of the
 * next (so runs never overlap), until stopped. `wake()` starts the next run at once.
 */
export function loopTask(
  name: string,
  intervalMs: number,
  tick: () => Promise<unknown>,
  logger: Logger,
): BackgroundTask & { wake(): void } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref?.();
  };
  const run = () => {
    if (stopped || running) return;
    running = tick()
      .then(() => undefined)
      .catch((error) => logger.error(`${name} failed`, { error }))
      .finally(() => {
        running = undefined;
        schedule(intervalMs);
      });
  };
  return {
    name,
    start() {
      stopped = false;
      schedule(0);
    },
    wake() {
      if (!running) schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
