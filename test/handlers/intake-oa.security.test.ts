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
const sign = (secret: string, ts: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;

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

  it('a signed delivery creates the item once; a re-delivery answers it again', async () => {
    const ts = nowSeconds();
    const headers = { 'x-oa-timestamp': ts, 'x-oa-signature': sign(SECRET, ts, body) };
    const first = await deliver(headers);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'D-1', status: 'open', replayed: false });
    const again = await deliver(headers);
    expect(again).toMatchObject({ status: 200, body: { id: 'D-1', replayed: true } });
    expect(await rows('items')).toBe(1);
    const history = await sql<{
      actor: string;
    }>`select actor from item_history where item_id = 'D-1'`.execute(database.db);
    expect(history.rows).toEqual([{ actor: 'oa' }]);
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
