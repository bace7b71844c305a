import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { seedOffice } from '../integration/items-seed.js';

const task = (title: string) =>
  JSON.stringify({ kind: 'task', source: 'instruction', title, leadDept: 'mishu', assignee: 'ou_lisi' });

describe.each(engines)('Idempotency-Key retention on %s', (engine) => {
  let database: DatabaseHandle;
  let deps: ReturnType<typeof testDeps>;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    deps = testDeps(database, { now: '2026-11-02T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  });
  afterAll(async () => {
    await database.close();
  });
  const post = async (key: string, body: string) => {
    const res = await app.request('/api/v1/items', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const keys = async () =>
    (await database.db.selectFrom('idempotency_keys').select('key').orderBy('key').execute()).map(
      (r) => r.key,
    );

  it('keys answer their item for 7 days; the next keyed write after that forgets them', async () => {
    const first = await post('oa-1', task('第一件'));
    expect(first).toMatchObject({ status: 201, body: { id: 'T-1' } });

    deps.clock.set('2026-11-09T09:59:00+08:00'); // 6 days 23 hours 59 minutes later: still kept
    expect(await post('oa-1', task('第一件'))).toMatchObject({ status: 200, body: { id: 'T-1' } });
    expect(await post('oa-2', task('第二件'))).toMatchObject({ status: 201, body: { id: 'T-2' } });
    expect(await keys()).toEqual(['oa-1', 'oa-2']);

    deps.clock.set('2026-11-09T10:01:00+08:00'); // past 7 days: a keyed write purges oa-1 only
    expect(await post('oa-3', task('第三件'))).toMatchObject({ status: 201, body: { id: 'T-3' } });
    expect(await keys()).toEqual(['oa-2', 'oa-3']);
    // The forgotten key now creates anew; the kept one still answers its item.
    expect(await post('oa-1', task('第一件'))).toMatchObject({ status: 201, body: { id: 'T-4' } });
    expect(await post('oa-2', task('第二件'))).toMatchObject({ status: 200, body: { id: 'T-2' } });
  });
});
