import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

const doc = { kind: 'document', docType: 'normal', title: '文件', assignee: 'ou_lisi' };
const task = { kind: 'task', source: 'instruction', title: '任务', leadDept: 'mishu' };
const meeting = {
  kind: 'meeting',
  title: '会议',
  startsAt: '2026-11-25T09:00:00+08:00',
  endsAt: '2026-11-25T11:00:00+08:00',
  attendees: ['ou_lisi'],
};

describe.each(engines)('items API bad input on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  const fresh = async () => {
    await resetDatabase(database);
    const deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
  };

  const expectNothingWritten = async () => {
    expect(await database.db.selectFrom('items').select('id').execute()).toEqual([]);
    expect(await database.db.selectFrom('item_history').select('id').execute()).toEqual([]);
    expect(await database.db.selectFrom('item_parts').select('item_id').execute()).toEqual([]);
    expect(await database.db.selectFrom('meeting_attendees').select('item_id').execute()).toEqual([]);
  };

  describe('creating items', () => {
    // These requests write nothing, so they share one seeded database.
    beforeAll(fresh);
    it.each([
      [
        'an unknown assignee',
        { ...doc, assignee: 'ou_nobody' },
        422,
        'assignee',
        /unknown person "ou_nobody"/,
      ],
      ['an unknown department', { ...doc, dept: 'nope' }, 422, 'dept', /unknown department "nope"/],
      ['an unknown lead department', { ...task, leadDept: 'nope' }, 422, 'leadDept', /unknown department/],
      ['an unknown co-unit', { ...task, coDepts: ['ducha', 'nope'] }, 422, 'coDepts.1', /unknown department/],
      ['the lead unit as co-unit', { ...task, coDepts: ['mishu'] }, 422, 'coDepts.0', /lead department/],
      [
        'a co-unit due after the item',
        {
          ...task,
          dueAt: '2026-11-26T18:00:00+08:00',
          coDepts: [{ dept: 'ducha', dueAt: '2026-11-27T18:00:00+08:00' }],
        },
        422,
        'coDepts.0.dueAt',
        /before the item is due/,
      ],
      [
        'dueAt before receivedAt',
        { ...doc, receivedAt: '2026-11-23T09:00:00+08:00', dueAt: '2026-11-22T18:00:00+08:00' },
        422,
        'dueAt',
        /later than receivedAt/,
      ],
      ['a task due in the past', { ...task, dueAt: '2026-11-20T18:00:00+08:00' }, 422, 'dueAt', /future/],
      [
        'a meeting ending before it starts',
        { ...meeting, endsAt: '2026-11-25T08:00:00+08:00' },
        422,
        'endsAt',
        /later than startsAt/,
      ],
      [
        'an unknown attendee',
        { ...meeting, attendees: ['ou_lisi', 'ou_ghost'] },
        422,
        'attendees',
        /ou_ghost/,
      ],
      ['an unknown minutes taker', { ...meeting, minutesTaker: 'ou_ghost' }, 422, 'minutesTaker', /ou_ghost/],
      ['an unknown docType', { ...doc, docType: 'secret' }, 422, 'docType', /circular/],
      ['an unknown kind', { ...doc, kind: 'memo' }, 422, 'kind', /document/],
      ['an unknown source', { ...task, source: 'rumour' }, 422, 'source', /instruction/],
      ['a time without offset', { ...doc, dueAt: '2026-11-30 18:00' }, 422, 'dueAt', /ISO 8601/],
      ['a missing title', { ...doc, title: '  ' }, 422, 'title', /required/],
      ['an unknown field', { ...doc, secret: 1 }, 422, '(body)', /secret/],
      ['an unknown parent', { ...task, parent: 'M-99' }, 422, 'parent', /M-99/],
    ])('POST /items with %s → 4xx naming the field, nothing written', async (_n, body, status, field, msg) => {
      const res = await api(app, 'POST', '/api/v1/items', body);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(msg);
      expect(res.body.error.details.map((d: any) => d.field)).toContain(field);
      await expectNothingWritten();
    });
  });

  describe('the rest', () => {
    beforeEach(fresh);

    it('malformed JSON → 400', async () => {
      const res = await api(app, 'POST', '/api/v1/items', '{"kind":');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_json');
    });

    it('actions: not found 404, forbidden 403, wrong state 409, bad input 422 — each with a message for people', async () => {
      expect((await api(app, 'POST', '/api/v1/items', { ...task, assignee: 'ou_lisi' })).status).toBe(201);
      expect((await api(app, 'POST', '/api/v1/items', doc)).status).toBe(201);
      const act = (id: string, body: object) => api(app, 'POST', `/api/v1/items/${id}/actions`, body);

      const missing = await act('T-99', { action: 'done', by: 'ou_lisi' });
      expect(missing.status).toBe(404);
      expect(missing.body.error.details.reply).toMatch(/找不到事项 T-99/);
      expect((await act('nonsense', { action: 'done', by: 'ou_lisi' })).status).toBe(404);

      const stranger = await act('T-1', { action: 'done', by: 'ou_zhao' });
      expect(stranger.status).toBe(403);
      expect(stranger.body.error.details.reply).toBe('该事项由李四承办，您无权办结');
      // One language for API errors: `message` in English, the sentence people read in details.reply.
      expect(stranger.body.error.message).toBe(
        'by: ou_zhao is not allowed to "done" T-1 (details.reply says why).',
      );
      expect(missing.body.error.message).toMatch(/^id: no item "T-99"/);
      const unregistered = await act('T-1', { action: 'done', by: 'ou_ghost' });
      expect(unregistered.status).toBe(403);
      expect(unregistered.body.error.details.reply).toBe('您尚未登记，请联系办公室管理员');

      const readSignoff = await act('D-1', { action: 'read', by: 'ou_lisi' });
      expect(readSignoff.status).toBe(409);
      expect(readSignoff.body.error.details.reply).toMatch(/只有传阅件/);
      const noPending = await act('T-1', { action: 'approve-extension', by: 'ou_wang' });
      expect(noPending.status).toBe(409);
      expect(noPending.body.error.details.reply).toBe('该事项没有待审批的延期申请');

      const noNote = await act('T-1', { action: 'progress', by: 'ou_lisi' });
      expect(noNote.status).toBe(422);
      expect(noNote.body.error.details.reply).toBe('请填写进展内容');
      const noDays = await act('T-1', { action: 'extend', by: 'ou_lisi' });
      expect(noDays.status).toBe(422);
      const earlier = await act('T-1', {
        action: 'extend',
        by: 'ou_lisi',
        newDueAt: '2026-11-24T18:00:00+08:00',
      });
      expect(earlier.status).toBe(422);
      expect(earlier.body.error.details.reply).toBe('延期后的时限须晚于原时限');
      const toGhost = await act('T-1', { action: 'reassign', by: 'ou_wang', to: 'ou_ghost' });
      expect(toGhost.status).toBe(422);
      const badAction = await act('T-1', { action: 'delete', by: 'ou_admin' });
      expect(badAction.status).toBe(422);
      expect(badAction.body.error.details[0].field).toBe('action');

      expect((await act('T-1', { action: 'cancel', by: 'ou_wang' })).status).toBe(200);
      const afterCancel = await act('T-1', { action: 'done', by: 'ou_lisi' });
      expect(afterCancel.status).toBe(409);
      expect(afterCancel.body.error.details.reply).toBe('该事项已撤销，无法办结');
      for (const res of [
        missing,
        stranger,
        unregistered,
        readSignoff,
        noPending,
        noNote,
        earlier,
        afterCancel,
      ])
        expect(res.body.error.message).toMatch(/^[\x20-\x7e]+$/);

      // none of the refusals left a trace: create + cancel only
      const h = await api(app, 'GET', '/api/v1/items/T-1');
      expect(h.body.history.map((x: any) => x.action)).toEqual(['create', 'cancel']);
      expect(h.body.version).toBe(2);
    });

    it('GET /items/:id of an unknown item → 404', async () => {
      const res = await api(app, 'GET', '/api/v1/items/D-404');
      expect(res.status).toBe(404);
    });

    it('departments: duplicate chat → 409 naming chatId, duplicate code on POST → 409, bad code → 422', async () => {
      const dupChat = await api(app, 'PUT', '/api/v1/departments/ducha', {
        name: '督查处',
        chatId: 'oc_mishu',
      });
      expect(dupChat.status).toBe(409);
      expect(dupChat.body.error.message).toMatch(/^chatId: .*"mishu"/);
      const dupCode = await api(app, 'POST', '/api/v1/departments', { code: 'mishu', name: '又一个' });
      expect(dupCode.status).toBe(409);
      expect(dupCode.body.error.details[0].field).toBe('code');
      const badCode = await api(app, 'PUT', '/api/v1/departments/has%20space', { name: 'x' });
      expect(badCode.status).toBe(422);
      const noName = await api(app, 'PUT', '/api/v1/departments/x1', {});
      expect(noName.status).toBe(422);
      expect(noName.body.error.details[0].field).toBe('name');
      const dept = await database.db
        .selectFrom('departments')
        .select('name')
        .where('code', '=', 'ducha')
        .executeTakeFirst();
      expect(dept?.name).toBe('督查处');
    });

    it('people: unknown department → 422 naming dept, unknown role → 422', async () => {
      const res = await api(app, 'PUT', '/api/v1/people/ou_new', {
        name: '新人',
        dept: 'nope',
        roles: ['staff'],
      });
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].field).toBe('dept');
      const role = await api(app, 'PUT', '/api/v1/people/ou_new', {
        name: '新人',
        dept: 'mishu',
        roles: ['boss'],
      });
      expect(role.status).toBe(422);
      expect(role.body.error.details[0].field).toBe('roles.0');
      expect((await api(app, 'GET', '/api/v1/people/ou_new')).status).toBe(404);
    });

    it('calendar: impossible dates → 400 with a clear message, missing workday → 422', async () => {
      const feb30 = await api(app, 'PUT', '/api/v1/calendar/2026-02-30', { workday: false });
      expect(feb30.status).toBe(400);
      expect(feb30.body.error.message).toMatch(/date: expected a real date as YYYY-MM-DD/);
      expect((await api(app, 'PUT', '/api/v1/calendar/20261001', { workday: false })).status).toBe(400);
      const missing = await api(app, 'PUT', '/api/v1/calendar/2026-12-01', { note: 'x' });
      expect(missing.status).toBe(422);
      expect(missing.body.error.details[0].field).toBe('workday');
      const year = await api(app, 'GET', '/api/v1/calendar?year=abc');
      expect(year.status).toBe(422);
      expect(await database.db.selectFrom('calendar_overrides').selectAll().execute()).toEqual([]);
    });

    it('rules: each invalid value → 422 naming the rule, nothing stored', async () => {
      for (const [body, field] of [
        [{ proposalMonths: 7 }, 'proposalMonths'],
        [{ circularCutoff: '4pm' }, 'circularCutoff'],
        [{ circularCutoff: '19:00' }, 'circularCutoff'],
        [{ signoffWorkdays: -1 }, 'signoffWorkdays'],
        [{ normalWorkdays: 'three' }, 'normalWorkdays'],
        [{ bogus: 1 }, '(body)'],
      ] as const) {
        const res = await api(app, 'PUT', '/api/v1/rules', body);
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.body.error.details.map((d: any) => d.field).join(' '), JSON.stringify(body)).toContain(
          field,
        );
      }
      expect(await database.db.selectFrom('settings').selectAll().execute()).toEqual([]);
      expect(await database.db.selectFrom('settings_history').selectAll().execute()).toEqual([]);
    });
  });
});
