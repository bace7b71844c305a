import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { openTestDatabase } from '../helpers/db.js';
import { testConfig, testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

describe('errors, limits and the admin API gate', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers unknown paths with a JSON 404 in the contract format', async () => {
    const app = createApp(testDeps(database));
    const res = await api(app, 'GET', '/no/such/thing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: expect.stringContaining('/no/such/thing') },
    });
  });

  it('refuses bodies over the limit with 413 and a message saying the limit', async () => {
    const config = testConfig({ BODY_LIMIT_BYTES: '2048' });
    const deps = testDeps(database, { config });
    const app = createApp(deps);
    const res = await api(app, 'POST', '/api/v1/items', { title: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.body.error.message).toContain('2048 bytes');
  });

  it('refuses the admin API without the bearer token, and with a wrong one', async () => {
    const app = createApp(testDeps(database));
    const none = await api(app, 'GET', '/api/v1/items', undefined, null);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const wrong = await api(app, 'GET', '/api/v1/items', undefined, 'not-the-token-at-all-00');
    expect(wrong.status).toBe(401);
  });

  it('refuses everyone when ADMIN_TOKEN is not configured', async () => {
    const config = testConfig({ ADMIN_TOKEN: '' });
    const app = createApp(testDeps(database, { config }));
    const res = await api(app, 'GET', '/api/v1/items', undefined, 'anything-at-all-1234');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('ADMIN_TOKEN');
  });

  it('turns an unexpected failure into a 500 without a stack trace, and logs it', async () => {
    const deps = testDeps(database);
    const app = createApp(deps);
    app.get('/boom', () => {
      throw new Error('internal detail: password=hunter2');
    });
    const res = await api(app, 'GET', '/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(deps.logger.lines.some((l) => l.msg === 'unhandled error')).toBe(true);
  });

  it('puts a request id on every response and on its log line', async () => {
    const deps = testDeps(database);
    const app = createApp(deps);
    const res = await app.request('/healthz', { headers: { 'x-request-id': 'req-42' } });
    expect(res.headers.get('x-request-id')).toBe('req-42');
    expect(deps.logger.lines.find((l) => l.msg === 'request')).toMatchObject({
      requestId: 'req-42',
      status: 200,
    });
  });
});
