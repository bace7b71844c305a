import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { inboundHandlers } from '../../src/lark/adapter/router.js';
import {
  MAX_INBOUND_ATTEMPTS,
  NOT_HANDLED_TEXT,
  processInboundEvents,
} from '../../src/lark/inbound/processor.js';
import { engines } from '../helpers/db.js';
import { api } from '../helpers/http.js';
import {
  expectMessage,
  expectNoMoreMessages,
  flushOutbox,
  larkOnlyApp,
  messageEvent,
  postToLark,
} from '../helpers/lark.js';
import { quickRepliesWorld } from './quick-replies-seed.js';

describe.each(engines)('a Lark event that keeps failing on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  it('ends failed after its retries, the sender is told once, /healthz and the API show it, an admin retries it', async () => {
    const { deps, fake } = world;
    let calls = 0;
    const broken = async () => {
      calls++;
      throw new Error('handler broken');
    };
    const lark = larkOnlyApp(deps, { event: broken });
    const payload = messageEvent({
      from: 'ou_zhang',
      text: '帮助',
      messageId: 'om_dead_1',
      eventId: 'ev_dead_1',
    });
    expect((await postToLark(lark, deps, payload)).status).toBe(200);

    // Each retry once its backoff has passed, until the attempts run out.
    for (let i = 0; i < MAX_INBOUND_ATTEMPTS + 2; i++) {
      deps.clock.advance(31 * 60_000);
      await processInboundEvents(deps, broken);
    }
    expect(calls).toBe(MAX_INBOUND_ATTEMPTS);
    const row = await deps.database.db
      .selectFrom('inbound_events')
      .select(['status', 'attempts', 'last_error'])
      .where('event_id', '=', 'ev_dead_1')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_INBOUND_ATTEMPTS });
    expect(row.last_error).toContain('handler broken');

    await flushOutbox(deps);
    const told = expectMessage(fake, { operation: 'reply', replyTo: 'om_dead_1' });
    expect(told.body).toEqual({ text: NOT_HANDLED_TEXT });
    expectNoMoreMessages(fake);

    const app = createApp(deps);
    const health = await app.request('/healthz');
    const h = (await health.json()) as any;
    expect(h.inbound).toMatchObject({ ok: false, failed: 1 });
    expect(h.warnings.join(' ')).toContain('GET /api/v1/inbound?status=failed');

    const failed = await api(app, 'GET', '/api/v1/inbound?status=failed');
    expect(failed.status).toBe(200);
    expect(failed.body.events).toEqual([
      expect.objectContaining({ id: 'ev_dead_1', status: 'failed', attempts: MAX_INBOUND_ATTEMPTS }),
    ]);
    expect((await api(app, 'GET', '/api/v1/inbound?status=gone')).status).toBe(422);
    expect((await api(app, 'POST', '/api/v1/inbound/ev_nothing/retry')).status).toBe(404);

    // The admin fixed the cause and retries: the event is handled and answered as usual.
    const retried = await api(app, 'POST', '/api/v1/inbound/ev_dead_1/retry');
    expect(retried.body).toMatchObject({ id: 'ev_dead_1', status: 'pending', attempts: 0 });
    expect((await api(app, 'POST', '/api/v1/inbound/ev_dead_1/retry')).status).toBe(409);
    expect(await processInboundEvents(deps, inboundHandlers.event)).toMatchObject({ done: 1 });
    await flushOutbox(deps);
    const help = expectMessage(fake, { operation: 'reply', replyTo: 'om_dead_1' });
    expect(help.msgType).toBe('interactive');
    expect(((await (await app.request('/healthz')).json()) as any).inbound).toMatchObject({
      ok: true,
      failed: 0,
    });
    expectNoMoreMessages(fake);
  });
});
