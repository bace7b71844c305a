import { createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testConfig, testDeps } from '../helpers/deps.js';
import { nestedJson, withRawField } from '../helpers/hostile.js';
import { seedOffice } from '../integration/items-seed.js';

const SECRET = 'oa-webhook-secret-0123456789abcdef';
const NOW = '2026-11-23T10:00:00+08:00';
const nowSeconds = () => String(Math.floor(new Date(NOW).getTime() / 1000));
/** The recipe of docs/intake.md, written out here (not imported) so a change to it fails this test. */
const sign = (secret: string, ts: string, body: string, key = '') =>
  `sha256=${createHmac('sha256', secret).update(`${ts}\n${key}\n${body}`).digest('hex')}`;

const body = JSON.stringify({
  kind: 'document',
  docType: 'urgent',
  title: '关于做好寒潮防御工作的紧急通知',
  docNo: '穗府办明电〔2026〕8号',
  direction: 'in',
  assignee: 'ou_lisi',
});

describe.each(engines)('the signed OA webhook on %s', (engine) => {
  let database: DatabaseHandle;
  let deps: ReturnType<typeof testDeps>;
  const rows = async (table: 'items' | 'idempotency_keys' | 'outbox') =>
    Number(
      (await sql<{ n: string }>`select count(*)::text as n from ${sql.table(table)}`.execute(database.db))
        .rows[0]!.n,
    );
  const deliver = async (headers: Record<string, string>, payload = body, secret: string | null = SECRET) => {
    const config = testConfig(secret ? { OA_WEBHOOK_SECRET: secret } : {});
    const app = createApp({ ...deps, config });
    const res = await app.request('/intake/oa', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
    deps = testDeps(database, { now: NOW });
    await seedOffice(deps);
  });

  it('a signed delivery nested 5,000 levels deep (10 KB) is a 400 invalid_json naming the limit, with no effect', async () => {
    const ts = nowSeconds();
    const deep = withRawField(JSON.parse(body), 'title', nestedJson(5_000));
    const res = await deliver({ 'x-oa-timestamp': ts, 'x-oa-signature': sign(SECRET, ts, deep) }, deep);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_json' });
    expect(res.body.error.message).toContain('64 levels');
    expect([await rows('items'), await rows('idempotency_keys'), await rows('outbox')]).toEqual([0, 0, 0]);
  });

  it('a signed delivery creates the item once; a re-delivery signed afresh answers it again', async () => {
    const ts = nowSeconds();
    const headers = { 'x-oa-timestamp': ts, 'x-oa-signature': sign(SECRET, ts, body) };
    const first = await deliver(headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'D-1', status: 'open', replayed: false });
    const later = String(Number(ts) + 7);
    const again = await deliver({ 'x-oa-timestamp': later, 'x-oa-signature': sign(SECRET, later, body) });
    expect(again).toMatchObject({ status: 200, body: { id: 'D-1', replayed: true } });
    expect(await rows('items')).toBe(1);
    const history = await sql<{
      actor: string;
    }>`select actor from item_history where item_id = 'D-1'`.execute(database.db);
    expect(history.rows).toEqual([{ actor: 'oa' }]);
  });

  it('the signature binds the Idempotency-Key: one captured delivery replayed under three new keys creates nothing', async () => {
    const ts = nowSeconds();
    const captured = { 'x-oa-timestamp': ts, 'x-oa-signature': sign(SECRET, ts, body, 'oa-2026-000123') };
    const first = await deliver({ ...captured, 'idempotency-key': 'oa-2026-000123' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const sent = await rows('outbox');
    for (const key of ['replay-1', 'replay-2', 'replay-3']) {
      const replay = await deliver({ ...captured, 'idempotency-key': key });
      expect(replay.status, JSON.stringify(replay.body)).toBe(401);
      expect(replay.body.error.code).toBe('invalid_signature');
    }
    // Dropping the key does not help either: the signature covered it.
    expect((await deliver(captured)).status).toBe(401);
    expect([await rows('items'), await rows('outbox')]).toEqual([1, sent]);
  });

  it('the same signed delivery is taken once within the window: a replay byte for byte is a 401, even all at once', async () => {
    const ts = nowSeconds();
    const key = 'oa-2026-000124';
    const headers = {
      'x-oa-timestamp': ts,
      'x-oa-signature': sign(SECRET, ts, body, key),
      'idempotency-key': key,
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(headers)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 401, 401, 401, 401]);
    for (const a of answers.filter((x) => x.status === 401)) {
      expect(a.body.error.code).toBe('invalid_signature');
      expect(a.body.error.message).toContain('already received');
    }
    const again = await deliver(headers);
    expect(again.status).toBe(401);
    // The OA's own retry signs afresh: the same key answers the first item.
    const later = String(Number(ts) + 1);
    const retry = await deliver({
      'x-oa-timestamp': later,
      'x-oa-signature': sign(SECRET, later, body, key),
      'idempotency-key': key,
    });
    expect(retry).toMatchObject({ status: 200, body: { id: 'D-1', replayed: true } });
    expect(await rows('items')).toBe(1);
  });

  it('refuses a wrong signature, a wrong secret, a changed body, a stale or missing timestamp — with no effect', async () => {
    const ts = nowSeconds();
    const stale = String(Number(ts) - 301);
    const cases: Record<string, string>[] = [
      { 'x-oa-timestamp': ts, 'x-oa-signature': `sha256=${'0'.repeat(64)}` },
      { 'x-oa-timestamp': ts, 'x-oa-signature': sign('another-secret-0123456789abcdefgh', ts, body) },
      { 'x-oa-timestamp': ts, 'x-oa-signature': sign(SECRET, ts, body.replace('ou_lisi', 'ou_zhao')) },
      { 'x-oa-timestamp': stale, 'x-oa-signature': sign(SECRET, stale, body) },
      { 'x-oa-timestamp': String(Number(ts) + 1), 'x-oa-signature': sign(SECRET, ts, body) },
      // The old recipe (timestamp "." body) no longer signs.
      {
        'x-oa-timestamp': ts,
        'x-oa-signature': `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`,
      },
      { 'x-oa-timestamp': ts, 'x-oa-signature': sign(SECRET, ts, body, 'k-1'), 'idempotency-key': 'k-2' },
      { 'x-oa-signature': sign(SECRET, ts, body) },
      { 'x-oa-timestamp': ts },
    ];
    for (const headers of cases) {
      const res = await deliver(headers);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    expect(await rows('items')).toBe(0);
    expect(await rows('idempotency_keys')).toBe(0);
    expect(await rows('outbox')).toBe(0);
  });

  it('without OA_WEBHOOK_SECRET the route refuses everything with 403, even a body signed with an empty key', async () => {
    const ts = nowSeconds();
    const res = await deliver({ 'x-oa-timestamp': ts, 'x-oa-signature': sign('', ts, body) }, body, null);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('oa_intake_off');
    expect(await rows('items')).toBe(0);
  });

  it('never writes the secret to the log', async () => {
    const ts = nowSeconds();
    await deliver({ 'x-oa-timestamp': ts, 'x-oa-signature': sign(SECRET, ts, body) });
    await deliver({ 'x-oa-timestamp': ts, 'x-oa-signature': 'sha256=bad' });
    expect(deps.logger.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(deps.logger.lines)).not.toContain(SECRET);
  });
});
