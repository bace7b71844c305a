import { describe, expect, it } from 'vitest';
import { loopTask } from '../../src/platform/background.js';
import { silentLogger } from '../../src/platform/logger.js';

describe('background loop', () => {
  it('finishes the run in flight before stop() resolves, and starts no new run after', async () => {
    const events: string[] = [];
    let release!: () => void;
    const task = loopTask(
      'test',
      1,
      async () => {
        events.push('start');
        await new Promise<void>((r) => {
          release = r;
        });
        events.push('end');
      },
      silentLogger,
    );
    task.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['start']);
    const stopped = task.stop().then(() => events.push('stopped'));
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['start']);
    release();
    await stopped;
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['start', 'end', 'stopped']);
  });

  it('keeps running after a failed run, logging the failure', async () => {
    let runs = 0;
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (msg: string) => errors.push(msg) };
    const task = loopTask(
      'flaky',
      1,
      async () => {
        runs++;
        if (runs === 1) throw new Error('boom');
      },
      logger,
    );
    task.start();
    while (runs < 3) await new Promise((r) => setTimeout(r, 5));
    await task.stop();
    expect(errors).toEqual(['flaky failed']);
  });
});
