import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { createLarkGateway } from '../../src/lark/gateway.js';
import { dispatchOnce } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { SILENT_AFTER_MS } from '../../src/platform/liveness.js';
import { FakeLark } from '../fakes/lark-server.js';
import { openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { larkTestConfig } from '../helpers/lark.js';

// Two dispatchers with their own connections: a real server (PGlite runs one connection).
describe.runIf(process.env.TEST_DATABASE_URL)('a dispatcher that vanishes mid-batch, on postgres', () => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    fake = await FakeLark.start();
  });
  afterAll(async () => {
    await database?.close();
    await fake?.close();
  });

  it('its rows go out from another instance once it is silent, each exactly once', async () => {
    const config = larkTestConfig(fake);
    const gone = testDeps(database, { config });
    // Its requests wait as long as Lark keeps them: the one left hanging freezes it mid-batch.
    gone.lark = createLarkGateway(config.lark, gone.logger, { timeoutMs: 600_000 });
    const other = testDeps(database, { config });
    other.clock.set(gone.clock.now());
    fake.clock = () => other.clock.now().getTime();
    const uuids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const uuid = outboxKey('takeover', String(i));
      uuids.push(uuid);
      await enqueueOutbox(database.db, {
        uuid,
        operation: 'send',
        receiveIdType: 'open_id',
        receiveId: `ou_${i}`,
        msgType: 'text',
        content: { text: `第${i}条` },
        purpose: 'test',
        now: gone.clock.now(),
      });
    }
    // The first instance sends a few, then one request of its gets no answer: it freezes there.
    const frozen = dispatchOnce(gone, { limit: 50, random: () => 0 });
    while (fake.messages.length < 4) await new Promise((r) => setTimeout(r, 5));
    fake.inject({ type: 'hang' }, { operation: 'send' });
    while (fake.hangingCount === 0) await new Promise((r) => setTimeout(r, 5));
    const firstSends = fake.messages.length;
    expect(firstSends).toBeLessThan(29);

    // Still within the silence allowed: its rows are its own, nothing is taken.
    other.clock.advance(SILENT_AFTER_MS - 1000);
    expect(await dispatchOnce(other, { random: () => 0 })).toMatchObject({ claimed: 0 });

    // Past it: another instance takes the rest over and sends them, without waiting for the lease
    // (a round or two: the shared app windows still count the slots the silent one was granted).
    other.clock.advance(2000);
    const takeover = { sent: 0, takenOver: 0 };
    for (let round = 0; round < 5 && takeover.sent < 30 - firstSends; round++) {
      const r = await dispatchOnce(other, { limit: 50, random: () => 0 });
      takeover.sent += r.sent;
      takeover.takenOver += r.takenOver;
      other.clock.advance(1000);
    }
    // What it held is taken over (the rest of the 30 it had not claimed yet was free anyway).
    expect(takeover.takenOver).toBeGreaterThan(0);
    expect(takeover.sent).toBe(30 - firstSends);
    const rows = await database.db.selectFrom('outbox').select(['status', 'claimed_by']).execute();
    expect(rows.every((r) => r.status === 'sent')).toBe(true);

    // The frozen one wakes (its connection cut): it sends none of what was taken from it.
    fake.releaseHanging();
    const late = await frozen;
    expect(late.sent).toBe(firstSends);
    expect(late.yielded).toBe(takeover.takenOver - 1);
    expect((await database.db.selectFrom('outbox').select('status').execute()).map((r) => r.status)).toEqual(
      Array(30).fill('sent'),
    );

    // Every message exactly once in Lark's log; only the hung one was asked for twice.
    const delivered = fake.messages.map((m) => m.uuid).sort();
    expect(delivered).toEqual([...uuids].sort());
    const resent = uuids.filter((u) => fake.sendAttempts(u) > 1);
    expect(resent).toHaveLength(1);
  });
});
