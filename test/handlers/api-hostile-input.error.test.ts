import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { nestedJson, withRawField } from '../helpers/hostile.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

/**
 * The bad inputs that once reached the database or the calendar and came back as 500s: a NUL
 * anywhere, years far outside the office's, text/plain bodies, invisible titles, ids with spaces.
 * Each is a 4xx naming the field, and nothing is written.
 */
describe.each(engines)('hostile input to the admin API on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  const tables = [
    'items',
    'item_history',
    'item_parts',
    'people',
    'departments',
    'calendar_overrides',
    'duty_roster',
    'duty_log',
    'job_runs',
    'outbox',
    'settings',
    'settings_history',
    'schedules',
  ] as const;
  const snapshot = async () =>
    Object.fromEntries(
      await Promise.all(
        tables.map(async (t) => [t, await database.db.selectFrom(t).selectAll().execute()] as const),
      ),
    );

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    const deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
    const task = {
      kind: 'task',
      source: 'instruction',
      title: '任务',
      leadDept: 'mishu',
      assignee: 'ou_lisi',
    };
    expect((await api(app, 'POST', '/api/v1/items', task)).status).toBe(201);
  });
  afterAll(async () => {
    await database.close();
  });

  const doc = { kind: 'document', docType: 'normal', title: '文件', assignee: 'ou_lisi' };
  const cases: [string, string, string, unknown, number, string][] = [
    // [name, method, path, body, status, field named]
    ['NUL in a title', 'POST', '/api/v1/items', { ...doc, title: 'a\u0000b' }, 422, 'title'],
    ['NUL in a docNo', 'POST', '/api/v1/items', { ...doc, docNo: '\u0000' }, 422, 'docNo'],
    ['NUL in a person name', 'PUT', '/api/v1/people/ou_new', { name: '\u0000', dept: 'mishu' }, 422, 'name'],
    ['NUL in a department name', 'PUT', '/api/v1/departments/xin', { name: 'x\u0000' }, 422, 'name'],
    [
      'NUL in a calendar note',
      'PUT',
      '/api/v1/calendar/2026-12-01',
      { workday: false, note: '\u0000' },
      422,
      'note',
    ],
    ['NUL in a rule value', 'PUT', '/api/v1/rules', { circularCutoff: '16:00\u0000' }, 422, 'circularCutoff'],
    [
      'NUL in a progress note',
      'POST',
      '/api/v1/items/T-1/actions',
      { action: 'progress', by: 'ou_lisi', note: '\u0000' },
      422,
      'note',
    ],
    ['NUL in a query parameter', 'GET', '/api/v1/items?dept=%00', undefined, 422, 'dept'],
    ['NUL in a people filter', 'GET', '/api/v1/people?dept=%00', undefined, 422, 'dept'],
    ['NUL in a path id', 'GET', '/api/v1/people/ou_%00x', undefined, 422, '(path)'],
    ['NUL in a path id (PUT)', 'PUT', '/api/v1/people/ou_%00x', { name: '某人' }, 422, '(path)'],
    ['year 9999 in a calendar path', 'PUT', '/api/v1/calendar/9999-12-31', { workday: false }, 422, 'date'],
    ['year 9999 in a calendar read', 'GET', '/api/v1/calendar/9999-12-31', undefined, 422, 'date'],
    ['year 1 in a calendar read', 'GET', '/api/v1/calendar/0001-01-01', undefined, 422, 'date'],
    ['a job run in 9999', 'POST', '/api/v1/jobs/remind/run', { at: '9999-12-31T23:59:00+08:00' }, 422, 'at'],
    ['a job run in year 1', 'POST', '/api/v1/jobs/remind/run', { at: '0001-01-01T00:00:00Z' }, 422, 'at'],
    [
      'a document received in 9999',
      'POST',
      '/api/v1/items',
      { ...doc, receivedAt: '9999-01-04T09:00:00+08:00' },
      422,
      'receivedAt',
    ],
    [
      'a task due in 9999',
      'POST',
      '/api/v1/items',
      { kind: 'task', source: 'other', title: 't', leadDept: 'mishu', dueAt: '9999-01-04T09:00:00+08:00' },
      422,
      'dueAt',
    ],
    [
      'a duty day in 9999',
      'PUT',
      '/api/v1/duty/9999-01-04',
      { officer: 'ou_lisi', leader: 'ou_wang' },
      422,
      'date',
    ],
    ['a duty range into 9999', 'GET', '/api/v1/duty?from=2026-01-01&to=9999-01-01', undefined, 422, 'to'],
    [
      'a title of zero-width characters',
      'POST',
      '/api/v1/items',
      { ...doc, title: '\u200B\u200C\u200D\uFEFF' },
      422,
      'title',
    ],
    [
      'an open_id with spaces around it',
      'PUT',
      '/api/v1/people/%20ou_lisi%20',
      { name: '冒名', dept: 'mishu' },
      422,
      'openId',
    ],
    [
      'an open_id with spaces around it (GET)',
      'GET',
      '/api/v1/people/%20ou_lisi%20',
      undefined,
      422,
      'openId',
    ],
    [
      'an unknown key in a schedule',
      'PUT',
      '/api/v1/schedules/remind',
      { cron: '0 9 * * 1-5', enable: false },
      422,
      'enable',
    ],
  ];

  it.each(
    cases,
  )('%s → %s %s is a 4xx naming the field; nothing changes', async (_n, method, path, body, status, field) => {
    const before = await snapshot();
    const res = await api(app, method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toMatch(/^[a-z_]+$/);
    const named = [res.body.error.message, ...(res.body.error.details ?? []).map((d: any) => d.field)];
    expect(named.join(' ')).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['POST', '/api/v1/items', 'title'],
    ['POST', '/api/v1/items/T-1/actions', 'note'],
    ['PUT', '/api/v1/people/ou_new', 'name'],
    ['PUT', '/api/v1/rules', 'circularCutoff'],
    ['PUT', '/api/v1/reminder-rules', 'rounds'],
    ['POST', '/api/v1/jobs/remind/run', 'at'],
    ['POST', '/api/v1/duty/import', 'csv'],
  ])('%s %s with JSON nested 5,000 levels deep (10 KB) is a 400 invalid_json naming the limit; nothing changes', async (method, path, field) => {
    const before = await snapshot();
    const body = withRawField({}, field, nestedJson(5_000, 'mixed'));
    expect(body.length).toBeGreaterThan(10_000);
    const res = await api(app, method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
    expect(res.body.error.message).toContain('more than 64 levels deep');
    expect(await snapshot()).toEqual(before);
  });

  it('a JSON route refuses a body that is not JSON by its Content-Type (415), and changes nothing', async () => {
    const before = await snapshot();
    const res = await app.request('/api/v1/people/ou_new', {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ name: '某人', dept: 'mishu' }),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).error).toMatchObject({ code: 'unsupported_media_type' });
    expect(await snapshot()).toEqual(before);
  });

  it('the same id is read and written the same way: ou_lisi is unchanged after the refused PUT', async () => {
    const res = await api(app, 'GET', '/api/v1/people/ou_lisi');
    expect(res.body).toMatchObject({ openId: 'ou_lisi', name: '李四' });
  });
});
