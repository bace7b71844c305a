import { describe, expect, it } from 'vitest';
import { beatInstance } from '../../src/db/repos/instances.js';
import type { CardAction, InboundEvent } from '../../src/lark/events.js';
import { answerCardCallback } from '../../src/lark/inbound/cards.js';
import { processInboundEvents } from '../../src/lark/inbound/processor.js';
import { dispatchOnce } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { SILENT_AFTER_MS } from '../../src/platform/liveness.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import {
  cardActionEvent,
  expectMessage,
  expectNoMoreMessages,
  larkTestConfig,
  messageEvent,
} from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

/**
 * What a process killed mid-way leaves (rows claimed in its name, a heartbeat that stopped) is
 * taken over by the next instance to look, or by itself restarted, once the silence is past
 * SILENT_AFTER_MS: long before the claims' leases (1 and 2 minutes) run out.
 */
describe.each(engines)('work of a stopped instance on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  function setup() {
    const deps = testDeps(h.database, { config: larkTestConfig(h.fake) });
    h.fake.clock = () => deps.clock.now().getTime();
    return deps;
  }

  /** An instance that beat at `at`, then died. */
  async function diedAt(at: Date, id = 'killed-instance') {
    await beatInstance(h.database.db, { id, now: at });
    return id;
  }

  it('an outbox row it was sending goes out with the same uuid, once, after its silence', async () => {
    const deps = setup();
    const uuid = outboxKey('liveness', 'one');
    const { id } = await enqueueOutbox(h.database.db, {
      uuid,
      operation: 'send',
      receiveIdType: 'chat_id',
      receiveId: 'oc_office',
      msgType: 'text',
      content: { text: '接管' },
      purpose: 'test',
      now: deps.clock.now(),
    });
    const dead = await diedAt(deps.clock.now());
    await h.database.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        claimed_by: dead,
        attempts: 1,
        first_attempt_at: deps.clock.now(),
        locked_until: new Date(deps.clock.now().getTime() + 120_000),
      })
      .where('id', '=', id)
      .execute();
    deps.clock.advance(SILENT_AFTER_MS - 1);
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 0 });
    deps.clock.advance(2);
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 1, takenOver: 1, sent: 1 });
    expectMessage(h.fake, { uuid, text: '接管' });
    expectNoMoreMessages(h.fake);
  });

  it('an inbound event it was processing is processed by another after its silence', async () => {
    const deps = setup();
    const events: InboundEvent[] = [];
    const handler = async (_d: unknown, e: InboundEvent) => {
      events.push(e);
    };
    const ev = messageEvent({ from: 'ou_a', text: '待办' });
    const dead = await diedAt(deps.clock.now());
    await h.database.db
      .insertInto('inbound_events')
      .values({
        event_id: ev.header.event_id,
        event_type: ev.header.event_type,
        payload: JSON.stringify(ev),
        status: 'processing',
        attempts: 1,
        received_at: deps.clock.now(),
        next_attempt_at: deps.clock.now(),
        locked_until: new Date(deps.clock.now().getTime() + 60_000),
        claimed_by: dead,
      })
      .execute();
    deps.clock.advance(SILENT_AFTER_MS - 1);
    expect(await processInboundEvents(deps, handler)).toMatchObject({ claimed: 0 });
    deps.clock.advance(2);
    expect(await processInboundEvents(deps, handler)).toMatchObject({ claimed: 1, done: 1 });
    expect(events).toHaveLength(1);
  });

  it('a click it was handling is handled on the next delivery after its silence', async () => {
    const deps = setup();
    const actions: CardAction[] = [];
    const handler = async (_d: unknown, a: CardAction) => {
      actions.push(a);
      return { toast: { type: 'success' as const, content: '已办结' } };
    };
    const body = cardActionEvent({ operator: 'ou_a', value: { action: 'done', item: 'D-1' } });
    const dead = await diedAt(deps.clock.now());
    await h.database.db
      .insertInto('inbound_events')
      .values({
        event_id: body.header.event_id,
        event_type: 'card.action.trigger',
        payload: JSON.stringify(body),
        status: 'processing',
        attempts: 1,
        received_at: deps.clock.now(),
        next_attempt_at: deps.clock.now(),
        locked_until: new Date(deps.clock.now().getTime() + 30_000),
        claimed_by: dead,
      })
      .execute();
    deps.clock.advance(SILENT_AFTER_MS - 1);
    const early = await answerCardCallback(deps, body, '2.0', handler);
    expect(early).toMatchObject({ toast: { content: '正在处理，请稍候' } });
    expect(actions).toHaveLength(0);
    deps.clock.advance(2);
    // The event processor leaves it alone: it is handled again only when Lark delivers it again.
    expect(await processInboundEvents(deps, async () => {})).toMatchObject({ claimed: 0 });
    const answer = await answerCardCallback(deps, body, '2.0', handler);
    expect(answer).toMatchObject({ toast: { content: '已办结' } });
    expect(actions).toHaveLength(1);
  });
});
