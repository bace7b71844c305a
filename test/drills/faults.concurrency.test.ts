import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, givenPostgres } from '../../bench/drill/postgres.js';
import {
  type DrillContext,
  prepareTemplate,
  runScenario,
  type ScenarioResult,
} from '../../bench/drill/run.js';
import { FakeLark, type Fault, type FaultSchedule } from '../fakes/lark-server.js';

/**
 * The fault drills of `npm run drill`, small: the service in processes of its own on the Postgres
 * of TEST_DATABASE_URL, 200 reminders for 40 handlers and 20 办结 clicks in flight, against the
 * fake Lark. Lark's faults, each kind; then a kill -9 mid-dispatch with a restart, and every
 * Postgres connection cut. Nothing lost, nothing twice, every click applied once.
 */
describe.runIf(process.env.TEST_DATABASE_URL)('fault drills on postgres', () => {
  let fake: FakeLark;
  let ctx: DrillContext;
  const workload = { reminders: 200, people: 40, clicks: 20 };
  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL!;
    fake = await FakeLark.start();
    const prefix = `cuiban_fastdrill_${process.pid}`;
    const pg = givenPostgres(url);
    await prepareTemplate(pg, `${prefix}_template`, workload);
    ctx = {
      pg,
      fake,
      template: `${prefix}_template`,
      prefix,
      workload,
      settleMs: 120_000,
      clickSpreadMs: 4_000,
      service: {
        lark: { appId: fake.appId, appSecret: fake.appSecret, url: fake.url },
        verificationToken: 'drill-verification-token',
        encryptKey: 'drill-encrypt-key',
        adminToken: 'drill-admin-token-0123456789',
      },
    };
  }, 120_000);
  afterAll(async () => {
    if (ctx) await adminQuery(ctx.pg.url, `drop database if exists ${ctx.prefix}_template with (force)`);
    await fake?.close();
  });

  function expectClean(r: ScenarioResult) {
    expect(r.failures).toEqual([]);
    expect(r.tally.reminders).toEqual({ planned: 200, once: 200, lost: 0, duplicated: 0 });
    expect(r.tally.messages.once).toBe(r.tally.messages.total);
    expect(r.tally.clicks).toEqual({ total: 20, once: 20, notApplied: 0, twice: 0 });
    // Nothing reached Lark that the outbox did not hold.
    expect(fake.messages).toHaveLength(r.tally.messages.total);
  }

  it('Lark answering 429 with a reset, 503, nothing (timeout) and accept-then-drop', async () => {
    const fired: Record<string, number> = {};
    const kinds: Array<[number, string, Fault]> = [
      [3, '429', { type: 'rate_limit', resetSeconds: 1 }],
      [7, '503', { type: 'status', status: 503 }],
      [11, 'accept_then_drop', { type: 'accept_then_drop' }],
      [15, 'timeout', { type: 'hang' }],
    ];
    const schedule: FaultSchedule = (op, n) => {
      if (op === 'token') return undefined;
      // Each kind once early in the round, then a 429 or a drop every 13th request.
      const early = kinds.find(([at]) => at === n);
      const late = n > 20 && n % 13 === 0 ? kinds[n % 2 === 0 ? 0 : 2] : undefined;
      const hit = early ?? late;
      if (hit) fired[hit[1]] = (fired[hit[1]] ?? 0) + 1;
      return hit?.[2];
    };
    const r = await runScenario(ctx, { key: 'lark', name: 'Lark faults', instances: 1, lark: schedule }, 0);
    expectClean(r);
    expect(Object.keys(fired).sort()).toEqual(['429', '503', 'accept_then_drop', 'timeout']);
    // The timed-out and dropped sends went again with the same uuid; Lark kept one of each.
    expect(r.tally.resent).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('kill -9 mid-dispatch and a restart, then every Postgres connection cut', async () => {
    const r = await runScenario(
      ctx,
      { key: 'kill', name: 'kill -9 and Postgres', instances: 1, kill: true, postgres: true },
      1,
    );
    expectClean(r);
    expect(r.recovery!.held).toBeGreaterThan(0);
    // What the dead process held was taken over by its successor, not left to the leases.
    expect(r.takenOver).toBeGreaterThanOrEqual(r.recovery!.held);
  }, 180_000);
});
