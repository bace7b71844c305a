import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';

const now = new Date('2026-11-23T01:00:00Z');

describe.each(engines)('enqueueOutbox on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
  });

  it('writes one pending row per key, even when enqueued twice', async () => {
    const uuid = outboxKey('remind', 'D-12', 'ou_a', '2026-11-23');
    const message = {
      uuid,
      operation: 'send' as const,
      receiveIdType: 'open_id' as const,
      receiveId: 'ou_a',
      msgType: 'text' as const,
      content: { text: '请办理' },
      purpose: 'reminder',
      itemIds: ['D-12'],
      now,
    };
    const first = await database.db.transaction().execute((trx) => enqueueOutbox(trx, message));
    const second = await database.db.transaction().execute((trx) => enqueueOutbox(trx, message));
    expect(first.inserted).toBe(true);
    expect(second).toEqual({ id: first.id, inserted: false });
    const rows = await database.db.selectFrom('outbox').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'pending',
      uuid,
      content: '{"text":"请办理"}',
      item_ids: ['D-12'],
      receive_id: 'ou_a',
    });
  });

  it('rolls back with the transaction that wrote it', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await enqueueOutbox(trx, {
          uuid: outboxKey('x', 1),
          operation: 'reply',
          messageId: 'om_1',
          msgType: 'text',
          content: '{"text":"hi"}',
          purpose: 'test',
          now,
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await database.db.selectFrom('outbox').selectAll().execute()).toHaveLength(0);
  });

  it('derives keys of at most 50 characters, the same for the same parts', () => {
    const a = outboxKey('card-refresh-very-long-prefix', 'M-3', 'x'.repeat(500));
    expect(a.length).toBeLessThanOrEqual(50);
    expect(outboxKey('card-refresh-very-long-prefix', 'M-3', 'x'.repeat(500))).toBe(a);
    expect(outboxKey('a', 'b')).not.toBe(outboxKey('a', 'c'));
  });

  it('refuses rows that could never be sent', async () => {
    await expect(
      enqueueOutbox(database.db, {
        uuid: 'k',
        operation: 'send',
        msgType: 'text',
        content: 'x',
        purpose: 't',
        now,
      }),
    ).rejects.toThrow(/receiveId/);
    await expect(
      enqueueOutbox(database.db, {
        uuid: 'x'.repeat(51),
        operation: 'reply',
        messageId: 'om',
        msgType: 'text',
        content: 'x',
        purpose: 't',
        now,
      }),
    ).rejects.toThrow(/uuid/);
  });
});
