import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

describe.each(engines)('duty roster API on %s', (engine) => {
  let database: DatabaseHandle;
  let deps: ReturnType<typeof testDeps>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
    await database.db
      .insertInto('people')
      .values([
        { open_id: 'ou_zhang', name: '张三', roles: ['staff'] },
        { open_id: 'ou_wang', name: '王处长', roles: ['chief'] },
        { open_id: 'ou_li', name: '李四', roles: ['staff'] },
      ])
      .execute();
    deps = testDeps(database, { now: '2026-11-23T09:00:00+08:00' });
    app = createApp(deps);
  });

  it('sets a day, replaces it, and lists the week from today by default', async () => {
    expect(
      (await api(app, 'PUT', '/api/v1/duty/2026-11-23', { officer: 'ou_zhang', leader: 'ou_wang' })).status,
    ).toBe(200);
    const replaced = await api(app, 'PUT', '/api/v1/duty/2026-11-23', {
      officer: 'ou_li',
      leader: 'ou_wang',
      note: '白班',
    });
    expect(replaced.body).toMatchObject({
      date: '2026-11-23',
      officer: 'ou_li',
      leader: 'ou_wang',
      note: '白班',
    });
    await api(app, 'PUT', '/api/v1/duty/2026-11-30', { officer: 'ou_zhang', leader: 'ou_wang' });

    const week = await api(app, 'GET', '/api/v1/duty');
    expect(week.body).toMatchObject({ from: '2026-11-23', to: '2026-11-29' });
    expect(week.body.days.map((d: any) => [d.date, d.officer])).toEqual([['2026-11-23', 'ou_li']]);
    const range = await api(app, 'GET', '/api/v1/duty?from=2026-11-01&to=2026-12-31');
    expect(range.body.days.map((d: any) => d.date)).toEqual(['2026-11-23', '2026-11-30']);
  });

  it('keeps a duty log and records the first handover confirmation only', async () => {
    await api(app, 'PUT', '/api/v1/duty/2026-11-23', { officer: 'ou_zhang', leader: 'ou_wang' });
    expect(
      (await api(app, 'POST', '/api/v1/duty/2026-11-23/log', { by: 'ou_zhang', entry: '平安无事' })).status,
    ).toBe(201);
    const first = await api(app, 'POST', '/api/v1/duty/2026-11-23/handover', { by: 'ou_zhang' });
    expect(first.body).toMatchObject({ handoverBy: 'ou_zhang', handoverAt: '2026-11-23T09:00:00+08:00' });
    deps.clock.advance(60_000);
    const again = await api(app, 'POST', '/api/v1/duty/2026-11-23/handover', { by: 'ou_wang' });
    expect(again.body).toMatchObject({ handoverBy: 'ou_zhang', handoverAt: '2026-11-23T09:00:00+08:00' });
    const day = await api(app, 'GET', '/api/v1/duty/2026-11-23');
    expect(day.body.log).toEqual([expect.objectContaining({ by: 'ou_zhang', entry: '平安无事' })]);
  });

  it.each([
    [
      'PUT',
      '/api/v1/duty/2026-02-30',
      { officer: 'ou_zhang', leader: 'ou_wang' },
      422,
      'date: expected a real date',
    ],
    [
      'PUT',
      '/api/v1/duty/2026-11-24',
      { officer: 'ou_ghost', leader: 'ou_wang' },
      422,
      'officer: no person with open_id "ou_ghost"',
    ],
    ['PUT', '/api/v1/duty/2026-11-24', { leader: 'ou_wang' }, 422, 'officer:'],
    ['GET', '/api/v1/duty?from=2026-12-01&to=2026-11-01', undefined, 422, 'to: is before from'],
    ['GET', '/api/v1/duty?from=2026-13-01', undefined, 422, 'from: expected a real date'],
    ['GET', '/api/v1/duty/2026-11-25', undefined, 404, 'No duty roster entry for 2026-11-25'],
    ['POST', '/api/v1/duty/2026-11-25/log', { by: 'ou_zhang', entry: 'x' }, 404, 'No duty roster entry'],
    ['POST', '/api/v1/duty/2026-11-23/handover', { by: 'ou_li' }, 404, 'No duty roster entry'],
  ])('%s %s is refused with a clear message and changes nothing', async (method, path, body, status, message) => {
    const res = await api(app, method, path, body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
    const rows = await database.db.selectFrom('duty_roster').selectAll().execute();
    expect(rows).toEqual([]);
  });

  it('lets only the people on duty confirm the handover', async () => {
    await api(app, 'PUT', '/api/v1/duty/2026-11-23', { officer: 'ou_zhang', leader: 'ou_wang' });
    const res = await api(app, 'POST', '/api/v1/duty/2026-11-23/handover', { by: 'ou_li' });
    expect(res.status).toBe(403);
    expect((await api(app, 'GET', '/api/v1/duty/2026-11-23')).body.handoverBy).toBeNull();
  });
});
