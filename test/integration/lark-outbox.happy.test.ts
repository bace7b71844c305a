import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { dispatchOnce } from '../../src/lark/outbox/dispatcher.js';
import { enqueueOutbox, outboxKey } from '../../src/lark/outbox/enqueue.js';
import { createRateLimiter } from '../../src/lark/rate-limiter.js';
import { engines } from '../helpers/db.js';
import { testConfig, testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { expectMessage, expectNoMoreMessages, flushOutbox, larkTestConfig } from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

const card = (title: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: title }, template: 'blue' },
  body: { elements: [{ tag: 'markdown', content: `**${title}**` }] },
});

describe.each(engines)('Lark outbox dispatcher on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  const larkDeps = () => testDeps(h.database, { config: larkTestConfig(h.fake) });
  const row = async (id: string) =>
    h.database.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function enqueueSend(
    deps: ReturnType<typeof larkDeps>,
    key: string,
    to: { chatId?: string; openId?: string },
    content: object = { text: `hello ${key}` },
  ) {
    const { id } = await enqueueOutbox(deps.database.db, {
      uuid: outboxKey('test', key),
      operation: 'send',
      receiveIdType: to.chatId ? 'chat_id' : 'open_id',
      receiveId: (to.chatId ?? to.openId)!,
      msgType: 'text' in content ? 'text' : 'interactive',
      content,
      purpose: 'test',
      now: deps.clock.now(),
    });
    return id;
  }

  it('sends a card to a chat and a text to a person through the SDK, recording message ids', async () => {
    const deps = larkDeps();
    const a = await enqueueSend(deps, 'a', { chatId: 'oc_office' }, card('新公文 D-12'));
    const b = await enqueueSend(deps, 'b', { openId: 'ou_alice' }, { text: '请办理 D-12' });
    const summary = await dispatchOnce(deps);
    expect(summary).toMatchObject({ disabled: false, claimed: 2, sent: 2 });
    const m1 = expectMessage(h.fake, { chatId: 'oc_office', msgType: 'interactive', text: '新公文 D-12' });
    const m2 = expectMessage(h.fake, { openId: 'ou_alice', msgType: 'text', text: '请办理' });
    expectNoMoreMessages(h.fake);
    expect(await row(a)).toMatchObject({ status: 'sent', sent_message_id: m1.messageId, attempts: 1 });
    expect(await row(b)).toMatchObject({ status: 'sent', sent_message_id: m2.messageId });
    expect(m1.uuid).toBe(outboxKey('test', 'a'));
    // Nothing left: a second round claims nothing.
    expect(await dispatchOnce(deps)).toMatchObject({ claimed: 0, sent: 0 });
    expect(h.fake.tokensIssued).toBe(1);
  });

  it('replies in thread, patches a shared card and does a delayed card update', async () => {
    const deps = larkDeps();
    const sent = await enqueueSend(deps, 'card', { chatId: 'oc_office' }, card('v1'));
    await flushOutbox(deps);
    const original = expectMessage(h.fake, { chatId: 'oc_office' });
    const db = deps.database.db;
    const now = deps.clock.now();
    const reply = await enqueueOutbox(db, {
      uuid: outboxKey('reply', 1),
      operation: 'reply',
      messageId: original.messageId,
      msgType: 'text',
      content: { text: '已收到' },
      purpose: 'test',
      now,
    });
    const patch = await enqueueOutbox(db, {
      uuid: outboxKey('patch', 1),
      operation: 'patch',
      messageId: (await row(sent)).sent_message_id!,
      msgType: 'interactive',
      content: card('v2'),
      purpose: 'card-refresh',
      now,
    });
    const update = await enqueueOutbox(db, {
      uuid: outboxKey('update', 1),
      operation: 'card_update',
      cardToken: 'c-token-1',
      msgType: 'interactive',
      content: card('v3'),
      purpose: 'card-refresh',
      now,
    });
    expect(await dispatchOnce(deps)).toMatchObject({ sent: 3 });
    expectMessage(h.fake, {
      operation: 'reply',
      replyTo: original.messageId,
      chatId: 'oc_office',
      text: '已收到',
    });
    expectNoMoreMessages(h.fake);
    expect(h.fake.patches).toEqual([
      expect.objectContaining({ messageId: original.messageId, card: card('v2') }),
    ]);
    expect(h.fake.cardUpdates).toEqual([expect.objectContaining({ token: 'c-token-1', card: card('v3') })]);
    for (const id of [reply.id, patch.id, update.id]) expect((await row(id)).status).toBe('sent');
  });

  it('keeps to 5 messages a second per chat with its own token buckets (no 429 from Lark)', async () => {
    const deps = larkDeps();
    // Lark's rate windows follow the same (manual) clock as the dispatcher.
    h.fake.clock = () => deps.clock.now().getTime();
    for (let i = 0; i < 8; i++) await enqueueSend(deps, `burst-${i}`, { chatId: 'oc_busy' });
    const limiter = createRateLimiter();
    const first = await dispatchOnce(deps, { limiter });
    expect(first).toMatchObject({ sent: 5, deferred: 3 });
    // The clock has not moved: the deferred ones are not due yet.
    expect(await dispatchOnce(deps, { limiter })).toMatchObject({ claimed: 0 });
    deps.clock.advance(1000);
    expect(await dispatchOnce(deps, { limiter })).toMatchObject({ sent: 3 });
    expect(h.fake.requests.filter((r) => r.status === 429)).toHaveLength(0);
    for (let i = 0; i < 8; i++) expectMessage(h.fake, { chatId: 'oc_busy', text: `burst-${i}` });
    expectNoMoreMessages(h.fake);
  });

  it('flushOutbox waits out the fake Lark real-time 429s: a burst of 7 to one chat all arrives, in order', async () => {
    const deps = larkDeps();
    for (let i = 0; i < 7; i++) await enqueueSend(deps, `flush-${i}`, { chatId: 'oc_burst' });
    await flushOutbox(deps);
    expect(h.fake.requests.some((r) => r.status === 429)).toBe(true);
    expect(h.fake.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 7 }, (_, i) => `hello flush-${i}`),
    );
    for (let i = 0; i < 7; i++) expectMessage(h.fake, { chatId: 'oc_burst', text: `flush-${i}` });
    expectNoMoreMessages(h.fake);
  });

  it('with no Lark credentials: rows stay pending, nothing is sent, /healthz says so', async () => {
    const deps = testDeps(h.database, { config: testConfig() });
    expect(deps.lark).toBeNull();
    const id = await enqueueSend(deps, 'quiet', { openId: 'ou_a' });
    expect(await dispatchOnce(deps)).toMatchObject({ disabled: true, claimed: 0, sent: 0 });
    expect((await row(id)).status).toBe('pending');
    expect(h.fake.requests).toHaveLength(0);
    const res = await createApp(deps).request('/healthz');
    const body = (await res.json()) as any;
    expect(body.outbox).toMatchObject({
      ok: false,
      pending: 1,
      failed: 0,
      flagged: 0,
      sending: expect.stringMatching(/disabled/),
    });
    expect(body.warnings.join('\n')).toMatch(/Lark is not configured/);
  });

  it('lists failed messages in GET /api/v1/outbox?status=failed, and an admin can requeue one', async () => {
    const deps = larkDeps();
    h.fake.chatsWithoutBot.add('oc_gone');
    const bad = await enqueueSend(deps, 'gone', { chatId: 'oc_gone' });
    await enqueueSend(deps, 'fine', { chatId: 'oc_here' });
    await dispatchOnce(deps);
    expectMessage(h.fake, { chatId: 'oc_here' });
    const app = createApp(deps);
    const res = await api(app, 'GET', '/api/v1/outbox?status=failed');
    expect(res.status).toBe(200);
    expect(res.body.messages).toEqual([
      expect.objectContaining({
        id: bad,
        status: 'failed',
        receiveId: 'oc_gone',
        error: expect.stringContaining('230002'),
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('hello gone');
    const health = (await (await app.request('/healthz')).json()) as any;
    expect(health.outbox).toMatchObject({ ok: false, failed: 1 });
    expect((await api(app, 'GET', '/api/v1/outbox?status=nope')).status).toBe(422);
    expect((await api(app, 'GET', '/api/v1/outbox', undefined, null)).status).toBe(401);

    h.fake.chatsWithoutBot.delete('oc_gone');
    expect((await api(app, 'POST', `/api/v1/outbox/${bad}/retry`)).body).toEqual({
      id: bad,
      status: 'pending',
    });
    expect((await api(app, 'POST', `/api/v1/outbox/${bad}/retry`)).status).toBe(409);
    await dispatchOnce(deps);
    expectMessage(h.fake, { chatId: 'oc_gone' });
    expectNoMoreMessages(h.fake);
  });
});
