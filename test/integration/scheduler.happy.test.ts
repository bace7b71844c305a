import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { JobDefinition } from '../../src/platform/scheduler/run-job.js';
import { createScheduler } from '../../src/platform/scheduler/scheduler.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe.each(engines)('the Node scheduler on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });

  it('installs timers from the schedules table, follows a change made elsewhere, and claims each slot once', async () => {
    const calls: string[] = [];
    const probe: JobDefinition = {
      name: 'probe',
      defaultCron: '0 3 * * *',
      description: 'test job',
      async run(_deps, ctx) {
        calls.push(ctx.slot);
        return { sent: 0, skipped: 0 };
      },
    };
    // Two instances of the service, one database.
    const a = testDeps(database);
    const b = testDeps(database);
    const schedulers = [a, b].map((d) =>
      createScheduler(d, [probe], { reloadMs: 60_000, jitterMs: { min: 0, max: 0 }, catchUpOnStart: false }),
    );
    try {
      for (const s of schedulers) await s.sync();
      const installed = (d: typeof a) =>
        d.logger.lines.filter((l) => l.msg === 'schedule installed').map((l) => `${l.cron}|${l.enabled}`);
      expect(installed(a)).toEqual(['0 3 * * *|true']);

      // An admin on another instance changes the schedule (here: straight in the table, with a
      // seconds field so the test need not wait a minute). Each instance picks it up on its next read.
      await database.db
        .insertInto('schedules')
        .values({ job: 'probe', cron: '* * * * * *', enabled: true, updated_at: new Date() })
        .execute();
      for (const s of schedulers) await s.sync();
      expect(installed(b)).toEqual(['0 3 * * *|true', '* * * * * *|true']);

      // Both instances fire every second; the claim lets one of them run each minute's slot.
      await until(
        () =>
          [a, b].some((d) => d.logger.lines.some((l) => l.msg === 'job slot already claimed')) &&
          calls.length > 0,
        'a second fire of a claimed slot',
      );
      const runs = await database.db
        .selectFrom('job_runs')
        .select('slot')
        .where('job', '=', 'probe')
        .execute();
      expect(calls.sort()).toEqual(runs.map((r) => r.slot).sort());
      expect(new Set(calls).size).toBe(calls.length);

      await database.db.updateTable('schedules').set({ enabled: false }).where('job', '=', 'probe').execute();
      for (const s of schedulers) await s.sync();
      expect(installed(a)).toEqual(['0 3 * * *|true', '* * * * * *|true', '* * * * * *|false']);
    } finally {
      for (const s of schedulers) await s.stop();
    }
  });
});

describe.each(engines)('/healthz scheduler section on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });

  it('shows each job’s schedule and last run, and flags a claim left unfinished', async () => {
    const { createApp } = await import('../../src/app.js');
    const deps = testDeps(database, { now: '2026-09-30T10:00:00+08:00' });
    await database.db
      .insertInto('job_runs')
      .values([
        {
          job: 'remind',
          slot: '2026-09-30T09:00',
          claimed_by: 'a',
          claimed_at: new Date('2026-09-30T09:00:05+08:00'),
          finished_at: new Date('2026-09-30T09:00:09+08:00'),
        },
        {
          job: 'digest',
          slot: '2026-09-30T08:30',
          claimed_by: 'b',
          claimed_at: new Date('2026-09-30T08:30:05+08:00'),
        },
        {
          // Recorded by a catch-up as merged: not a run of its own.
          job: 'remind',
          slot: '2026-09-30T09:30',
          claimed_by: 'a',
          claimed_at: new Date('2026-09-30T09:59:00+08:00'),
          finished_at: new Date('2026-09-30T09:59:00+08:00'),
          summary: JSON.stringify({ mergedInto: '2026-09-30T09:45' }),
        },
      ])
      .execute();
    const body: any = await (await createApp(deps).request('/healthz')).json();
    expect(body.scheduler.ok).toBe(false);
    expect(body.scheduler.unfinished).toEqual(['digest@2026-09-30T08:30']);
    expect(body.warnings.some((w: string) => w.startsWith('scheduler: 1 job run(s)'))).toBe(true);
    expect(body.scheduler.jobs[0]).toEqual({
      job: 'remind',
      cron: '0 9 * * *;30 14 * * *',
      enabled: true,
      lastSlot: '2026-09-30T09:00',
      lastFinishedAt: '2026-09-30T09:00:09+08:00',
    });
  });
});
