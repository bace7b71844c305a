import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

const task = {
  kind: 'task',
  source: 'practical',
  title: '建设社区食堂',
  leadDept: 'mishu',
  assignee: 'ou_lisi',
};
const milestone = (dueAt: string, title = '完成选址') => ({ title, dueAt });

describe.each(engines)('rhythm and milestones: bad input on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    const deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  });
  afterAll(async () => {
    await database.close();
  });

  const rows = async () => ({
    items: (
      await database.db
        .selectFrom('items')
        .select(['id', 'report_every', 'milestones'])
        .orderBy('id')
        .execute()
    ).length,
    history: (await database.db.selectFrom('item_history').select('id').execute()).length,
  });

  it.each([
    ['an unknown reportEvery', { ...task, reportEvery: 'daily' }, 'reportEvery'],
    [
      'reportEvery on a document',
      { kind: 'document', docType: 'normal', title: '文', assignee: 'ou_lisi', reportEvery: 'month' },
      'reportEvery',
    ],
    [
      'a milestone on an impossible date',
      { ...task, milestones: [milestone('2026-02-30T10:00:00+08:00')] },
      'milestones.0.dueAt',
    ],
    [
      'a milestone after 2100',
      { ...task, milestones: [milestone('2101-01-05T10:00:00+08:00')] },
      'milestones.0.dueAt',
    ],
    [
      'a milestone before 2000',
      { ...task, milestones: [milestone('1999-12-31T10:00:00+08:00')] },
      'milestones.0.dueAt',
    ],
    [
      'a milestone without a title',
      { ...task, milestones: [{ title: '  ', dueAt: '2026-12-01T18:00:00+08:00' }] },
      'milestones.0.title',
    ],
    [
      'a milestone in the past',
      { ...task, milestones: [milestone('2026-11-20T18:00:00+08:00')] },
      'milestones.0.dueAt',
    ],
    [
      'a milestone after the task is due',
      { ...task, milestones: [milestone('2027-01-05T18:00:00+08:00')] },
      'milestones.0.dueAt',
    ],
    [
      'a NUL in a milestone title',
      { ...task, milestones: [milestone('2026-12-01T18:00:00+08:00', '完成\u0000选址')] },
      'milestones.0.title',
    ],
    [
      'a 10,000-character milestone title',
      { ...task, milestones: [milestone('2026-12-01T18:00:00+08:00', '址'.repeat(10_000))] },
      'milestones.0.title',
    ],
    [
      'a milestone in the year 9999',
      { ...task, milestones: [milestone('9999-12-01T18:00:00+08:00')] },
      'milestones.0.dueAt',
    ],
    [
      'a milestone in the year 0001',
      { ...task, milestones: [milestone('0001-12-01T18:00:00+08:00')] },
      'milestones.0.dueAt',
    ],
    ['a reportEvery of the wrong type', { ...task, reportEvery: 7 }, 'reportEvery'],
    [
      '21 milestones',
      {
        ...task,
        milestones: Array.from({ length: 21 }, (_, i) => milestone('2026-12-01T18:00:00+08:00', `节点${i}`)),
      },
      'milestones',
    ],
    [
      'an unknown key in a milestone',
      { ...task, milestones: [{ ...milestone('2026-12-01T18:00:00+08:00'), owner: 'x' }] },
      'milestones.0',
    ],
  ])('POST /items with %s → 422 naming the field, nothing written', async (_what, body, field) => {
    const before = await rows();
    const res = await api(app, 'POST', '/api/v1/items', body);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(
      res.body.error.message.startsWith(field) ||
        JSON.stringify(res.body.error.details).includes(`"${field}`),
    ).toBe(true);
    expect(await rows()).toEqual(before);
  });

  it('PATCH /items/:id refuses what does not fit, and changes nothing', async () => {
    const created = await api(app, 'POST', '/api/v1/items', task);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const doc = await api(app, 'POST', '/api/v1/items', {
      kind: 'document',
      docType: 'normal',
      title: '文',
      assignee: 'ou_lisi',
    });
    const before = await rows();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['unknown item', '/api/v1/items/T-999', { reportEvery: 'week' }, 404, 'not_found'],
      ['a document', `/api/v1/items/${doc.body.id}`, { reportEvery: 'week' }, 409, 'invalid_state'],
      ['unknown rhythm', `/api/v1/items/${id}`, { reportEvery: 'yearly' }, 422, 'reportEvery'],
      [
        'impossible date',
        `/api/v1/items/${id}`,
        { milestones: [milestone('2026-11-31T18:00:00+08:00')] },
        422,
        'milestones.0.dueAt',
      ],
      ['unknown key', `/api/v1/items/${id}`, { title: '改名' }, 422, 'title'],
      [
        'NUL in a title',
        `/api/v1/items/${id}`,
        { milestones: [milestone('2026-12-01T18:00:00+08:00', '完成\u0000选址')] },
        422,
        'milestones.0.title',
      ],
      [
        'a 10,000-character title',
        `/api/v1/items/${id}`,
        { milestones: [milestone('2026-12-01T18:00:00+08:00', '址'.repeat(10_000))] },
        422,
        'milestones.0.title',
      ],
      [
        'year 9999',
        `/api/v1/items/${id}`,
        { milestones: [milestone('9999-12-01T18:00:00+08:00')] },
        422,
        'milestones.0.dueAt',
      ],
      [
        'year 0001',
        `/api/v1/items/${id}`,
        { milestones: [milestone('0001-12-01T18:00:00+08:00')] },
        422,
        'milestones.0.dueAt',
      ],
      ['a rhythm of the wrong type', `/api/v1/items/${id}`, { reportEvery: ['week'] }, 422, 'reportEvery'],
      [
        'done of the wrong type',
        `/api/v1/items/${id}`,
        { milestones: [{ ...milestone('2026-12-01T18:00:00+08:00'), done: 'yes' }] },
        422,
        'milestones.0.done',
      ],
      ['an unknown person', `/api/v1/items/${id}`, { reportEvery: 'week', by: 'ou_nobody' }, 422, '"by'],
      [
        "another department's chief",
        `/api/v1/items/${id}`,
        { reportEvery: 'week', by: 'ou_qian' },
        403,
        '"by',
      ],
      [
        "another department's staff",
        `/api/v1/items/${id}`,
        { reportEvery: 'week', by: 'ou_zhao' },
        403,
        '"by',
      ],
      [
        'the assignee, not a chief',
        `/api/v1/items/${id}`,
        { reportEvery: 'week', by: 'ou_lisi' },
        403,
        '"by',
      ],
      ['a body that is not JSON', `/api/v1/items/${id}`, '{"reportEvery": "week"', 400, 'invalid_json'],
      [
        'a body over the size limit',
        `/api/v1/items/${id}`,
        { milestones: [milestone('2026-12-01T18:00:00+08:00', 'x'.repeat(1_100_000))] },
        413,
        'payload_too_large',
      ],
    ];
    for (const [what, path, body, status, text] of cases) {
      const res = await api(app, 'PATCH', path, body);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(JSON.stringify(res.body.error), what).toContain(text);
    }
    expect(await rows()).toEqual(before);
  });

  it('PUT /rules: an unknown rhythm for a source is a 422 naming it; nothing stored', async () => {
    const bad = await api(app, 'PUT', '/api/v1/rules', { reportEvery: { proposal: 'daily' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toContain('reportEvery.proposal');
    const unknownSource = await api(app, 'PUT', '/api/v1/rules', { reportEvery: { petition: 'month' } });
    expect(unknownSource.status).toBe(422);
    const badDue = await api(app, 'PUT', '/api/v1/rules', { practicalDue: 'whenever' });
    expect(badDue.status).toBe(422);
    expect(badDue.body.error.message).toContain('practicalDue');
    const rules = await api(app, 'GET', '/api/v1/rules');
    expect(rules.body.rules).toMatchObject({
      practicalDue: 'yearEnd',
      reportEvery: { proposal: 'month', practical: 'month', instruction: null, decision: null },
    });
  });
});
