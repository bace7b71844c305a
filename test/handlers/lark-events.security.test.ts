import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { encryptLark } from '../../src/lark/crypto.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { nestedJson, withRawField } from '../helpers/hostile.js';
import {
  cardActionEvent,
  larkOnlyApp,
  larkRequest,
  larkTestConfig,
  messageEvent,
  postToLark,
  RawJson,
  TEST_ENCRYPT_KEY,
  TEST_VERIFICATION_TOKEN,
  urlVerification,
  v1CardCallback,
} from '../helpers/lark.js';

describe.each(engines)('Lark request verification on %s', (engine) => {
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

  const setup = (env: Record<string, string | undefined> = {}) => {
    const deps = testDeps(database, { config: larkTestConfig(null, env) });
    const calls = { events: 0, cards: 0 };
    const app = larkOnlyApp(deps, {
      event: async () => {
        calls.events++;
      },
      cardAction: async () => {
        calls.cards++;
        return {};
      },
    });
    return { deps, app, calls };
  };

  const storedEvents = () => database.db.selectFrom('inbound_events').selectAll().execute();

  /** Refused, with no row written, no handler called, and a log line saying why. */
  async function expectRefused(
    res: { status: number; body: any },
    status: number,
    reason: RegExp,
    ctx: ReturnType<typeof setup>,
  ) {
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBeTypeOf('string');
    expect(await storedEvents()).toHaveLength(0);
    expect(ctx.calls).toEqual({ events: 0, cards: 0 });
    const line = ctx.deps.logger.lines.findLast((l) => l.msg === 'lark request refused');
    expect(String(line?.reason)).toMatch(new RegExp(reason.source, 'i'));
    expect(JSON.stringify(ctx.deps.logger.lines)).not.toContain(TEST_ENCRYPT_KEY);
    expect(JSON.stringify(ctx.deps.logger.lines)).not.toContain(TEST_VERIFICATION_TOKEN);
  }

  it('accepts a signed, encrypted event (the control case)', async () => {
    const ctx = setup();
    const res = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: '待办' }));
    expect(res.status).toBe(200);
    expect(await storedEvents()).toHaveLength(1);
    expect(ctx.calls.events).toBe(1);
  });

  it('refuses a wrong signature (401)', async () => {
    const ctx = setup();
    const res = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }), {
      headers: { 'x-lark-signature': 'a'.repeat(64) },
    });
    await expectRefused(res, 401, /signature does not match/, ctx);
  });

  it('refuses a body changed after signing, even by one byte (signature is over the raw bytes)', async () => {
    const ctx = setup();
    const { body, headers } = larkRequest(messageEvent({ from: 'ou_a', text: 'x' }), {
      now: ctx.deps.clock.now(),
      encrypt: false,
    });
    // The same JSON with a space added: equal once parsed, different bytes.
    const res = await ctx.app.request('/lark/events', { method: 'POST', headers, body: `${body} ` });
    await expectRefused({ status: res.status, body: await res.json() }, 401, /signature/, ctx);
  });

  it.each([
    ['x-lark-signature'],
    ['x-lark-request-timestamp'],
    ['x-lark-request-nonce'],
  ])('refuses a request without %s (401)', async (header) => {
    const ctx = setup();
    const res = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }), {
      headers: { [header]: undefined },
    });
    await expectRefused(res, 401, /missing/, ctx);
  });

  it('refuses a stale request and one from the future (401)', async () => {
    const ctx = setup();
    const now = ctx.deps.clock.now().getTime();
    const old = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }), {
      at: new Date(now - 6 * 60_000),
    });
    await expectRefused(old, 401, /too old/, ctx);
    const future = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }), {
      at: new Date(now + 6 * 60_000),
    });
    await expectRefused(future, 401, /future/, ctx);
    // Within the window is fine.
    const recent = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }), {
      at: new Date(now - 4 * 60_000),
    });
    expect(recent.status).toBe(200);
  });

  it('refuses a correctly signed event with a wrong verification token (403)', async () => {
    const ctx = setup();
    const res = await postToLark(
      ctx.app,
      ctx.deps,
      messageEvent({ from: 'ou_a', text: 'x', token: 'wrong' }),
    );
    await expectRefused(res, 403, /verification token/, ctx);
  });

  it('refuses a body encrypted with another key (401)', async () => {
    const ctx = setup();
    const res = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }), {
      encryptKey: 'another-key',
    });
    // Signed with the other key too, so the signature fails first.
    await expectRefused(res, 401, /signature|decrypt/, ctx);
  });

  it('answers malformed JSON with 400 and stores nothing', async () => {
    const ctx = setup({ LARK_ENCRYPT_KEY: '' });
    const res = await ctx.app.request('/lark/events', { method: 'POST', body: '{"schema":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('invalid_json');
    expect(await storedEvents()).toHaveLength(0);
  });

  it.each([
    ['/lark/events', 'a message event', true],
    ['/lark/events', 'a message event', false],
    ['/lark/cards', 'a card callback', true],
    ['/lark/cards', 'a card callback', false],
  ] as const)('%s: %s nested 5,000 levels deep (encrypted: %s) is a 400 invalid_json; nothing stored or handled', async (path, _what, encrypt) => {
    const ctx = setup();
    const payload =
      path === '/lark/cards'
        ? cardActionEvent({ operator: 'ou_a', value: { v: 1, op: 'done', item: 'T-1' } })
        : messageEvent({ from: 'ou_a', text: 'x' });
    const res = await postToLark(
      ctx.app,
      ctx.deps,
      new RawJson(withRawField(payload, 'deep', nestedJson(5_000))),
      {
        path,
        encrypt,
        sign: true,
      },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_json' });
    expect(res.body.error.message).toContain('64 levels');
    expect(await storedEvents()).toHaveLength(0);
    expect(ctx.calls).toEqual({ events: 0, cards: 0 });
  });

  it('without an encrypt key: plain events pass on the token alone; a wrong token is refused', async () => {
    const ctx = setup({ LARK_ENCRYPT_KEY: '' });
    const ok = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }));
    expect(ok.status).toBe(200);
    expect(ctx.calls.events).toBe(1);
    const bad = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x', token: 'nope' }));
    expect(bad.status).toBe(403);
    expect(await storedEvents()).toHaveLength(1);
  });

  it('refuses everything when no verification token is configured', async () => {
    const ctx = setup({ LARK_VERIFICATION_TOKEN: '', LARK_ENCRYPT_KEY: '' });
    const res = await postToLark(ctx.app, ctx.deps, messageEvent({ from: 'ou_a', text: 'x' }));
    await expectRefused(res, 403, /LARK_VERIFICATION_TOKEN/, ctx);
  });

  describe('URL verification', () => {
    it('answers the challenge, plain and unsigned', async () => {
      const ctx = setup();
      const res = await postToLark(ctx.app, ctx.deps, urlVerification('ch-1'), {
        encrypt: false,
        sign: false,
      });
      expect(res).toEqual({ status: 200, body: { challenge: 'ch-1' } });
      expect(await storedEvents()).toHaveLength(0);
    });

    it('answers the challenge when encrypted, through the real app', async () => {
      const ctx = setup();
      const app = createApp(ctx.deps);
      const res = await postToLark(app, ctx.deps, urlVerification('ch-2'), { encrypt: true, sign: false });
      expect(res).toEqual({ status: 200, body: { challenge: 'ch-2' } });
    });

    it('refuses a challenge with a wrong token', async () => {
      const ctx = setup();
      const res = await postToLark(ctx.app, ctx.deps, urlVerification('ch-3', 'wrong'), {
        encrypt: false,
        sign: false,
      });
      await expectRefused(res, 403, /verification token/, ctx);
    });

    it('refuses a signed challenge whose signature is wrong', async () => {
      const ctx = setup();
      const res = await postToLark(ctx.app, ctx.deps, urlVerification('ch-4'), {
        headers: { 'x-lark-signature': 'b'.repeat(64) },
      });
      await expectRefused(res, 401, /signature/, ctx);
    });
  });

  describe('card callbacks', () => {
    it('refuses a new-style callback with a bad signature or token on /lark/cards', async () => {
      const ctx = setup();
      const click = cardActionEvent({ operator: 'ou_a', value: { v: 1, op: 'done', item: 'D-1' } });
      const badSig = await postToLark(ctx.app, ctx.deps, click, {
        path: '/lark/cards',
        headers: { 'x-lark-signature': 'c'.repeat(64) },
      });
      await expectRefused(badSig, 401, /signature/, ctx);
      const badToken = await postToLark(
        ctx.app,
        ctx.deps,
        cardActionEvent({ operator: 'ou_a', value: {}, token: 'wrong' }),
        { path: '/lark/cards' },
      );
      await expectRefused(badToken, 403, /token/, ctx);
    });

    it('verifies an old-style (v1) callback with SHA-1 and the verification token', async () => {
      const ctx = setup({ LARK_ENCRYPT_KEY: '' });
      const payload = { ...v1CardCallback({ operator: 'ou_a', value: { op: 'done' } }), token: undefined };
      // v1 callbacks carry the verification token at the top level
      const body = { ...payload, token: TEST_VERIFICATION_TOKEN };
      const ok = await postToLark(ctx.app, ctx.deps, body, {
        path: '/lark/cards',
        encrypt: false,
        sign: 'v1',
      });
      expect(ok.status).toBe(200);
      expect(ctx.calls.cards).toBe(1);

      const badSig = await postToLark(
        ctx.app,
        ctx.deps,
        { ...body, open_message_id: 'om_other' },
        { path: '/lark/cards', encrypt: false, sign: 'v1', verificationToken: 'not-the-token' },
      );
      expect(badSig.status).toBe(401);
      const unsigned = await postToLark(
        ctx.app,
        ctx.deps,
        { ...body, open_message_id: 'om_third' },
        { path: '/lark/cards', encrypt: false, sign: false },
      );
      expect(unsigned.status).toBe(401);
      expect(ctx.calls.cards).toBe(1);
    });

    it('accepts an encrypted v1 callback signed with SHA-256', async () => {
      const ctx = setup();
      const body = {
        ...v1CardCallback({ operator: 'ou_a', value: { op: 'read' } }),
        token: TEST_VERIFICATION_TOKEN,
      };
      const res = await postToLark(ctx.app, ctx.deps, body, { path: '/lark/cards' });
      expect(res.status).toBe(200);
      expect(ctx.calls.cards).toBe(1);
    });
  });

  it('decrypts with key = sha256(encrypt key): a body encrypted by hand is accepted', async () => {
    const ctx = setup();
    const plain = JSON.stringify(messageEvent({ from: 'ou_b', text: '帮助' }));
    const raw = JSON.stringify({ encrypt: encryptLark(TEST_ENCRYPT_KEY, plain) });
    const { headers } = larkRequest({}, { now: ctx.deps.clock.now(), encrypt: false });
    // re-sign the exact raw body
    const { larkSignature } = await import('../../src/lark/crypto.js');
    headers['x-lark-signature'] = larkSignature(
      headers['x-lark-request-timestamp']!,
      headers['x-lark-request-nonce']!,
      TEST_ENCRYPT_KEY,
      Buffer.from(raw),
    );
    const res = await ctx.app.request('/lark/events', { method: 'POST', headers, body: raw });
    expect(res.status).toBe(200);
    expect(ctx.calls.events).toBe(1);
  });
});
