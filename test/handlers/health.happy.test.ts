import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testConfig, testDeps } from '../helpers/deps.js';
import { readJson } from '../helpers/http.js';

describe.each(engines)('GET /healthz on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers 200 with the database engine and says Lark is not configured', async () => {
    const app = createApp(testDeps(database));
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body.status).toBe('ok');
    expect(body.database).toMatchObject({ ok: true, engine });
    expect(body.lark.configured).toBe(false);
    expect(body.warnings).toContain('Lark is not configured: the service runs but sends nothing.');
  });

  it('reports Lark as configured when the app credentials are set', async () => {
    const config = testConfig({ LARK_APP_ID: 'cli_test', LARK_APP_SECRET: 'secret-value' });
    const app = createApp(testDeps(database, { config }));
    const body = await readJson(await app.request('/healthz'));
    expect(body.lark).toEqual({ configured: true });
    expect(JSON.stringify(body)).not.toContain('secret-value');
  });

  it('answers 503 when the database is gone', async () => {
    const other = await openTestDatabase(engine);
    const app = createApp(testDeps(other));
    await other.close();
    const res = await app.request('/healthz');
    expect(res.status).toBe(503);
    expect((await readJson(res)).database.ok).toBe(false);
  });
});
