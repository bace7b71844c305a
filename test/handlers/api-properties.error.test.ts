import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { openTestDatabase, resetDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testDeps } from '../helpers/deps.js';
import { nestedJson, overDeep, withinDepth, withRawField } from '../helpers/hostile.js';
import { api } from '../helpers/http.js';
import { workbook } from '../helpers/workbooks.js';
import { seedOffice } from '../integration/items-seed.js';

/**
 * Property-based: for every field of every admin API route, hostile values never give a 5xx.
 * Values that can never be stored (NUL, control characters, lone surrogates) are always a 422
 * naming the field, and no row changes. Other odd values (wrong types, years far away, huge or
 * invisible text) are either accepted or refused with a 4xx naming the field and no row changed.
 */

/** Text that can never be stored: a NUL, a control character or a lone surrogate somewhere in it. */
const poison = fc
  .tuple(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\ud800', '\udfff'),
    fc.string({ maxLength: 12 }),
  )
  .map(([a, bad, b]) => `${a}${bad}${b}`);

/** Poison that can travel in a URL (encodeURIComponent refuses lone surrogates). */
const urlPoison = poison.filter((s) => !/[\ud800-\udfff]/.test(s));

/** Odd values of every JSON type. */
const odd = fc.oneof(
  poison,
  fc.constantFrom(
    '',
    ' ',
    '\u200b\u200c\ufeff',
    ' ou_lisi ',
    '9999-12-31',
    '0001-01-01',
    '2026-02-30',
    '9999-12-31T23:59:00+08:00',
    '0001-01-01T00:00:00Z',
    '+010000-01-01T00:00:00Z',
    '2026-11-24T18:00:00',
    '25:99',
    '__proto__',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

interface Route {
  method: string;
  path: string;
  body: Record<string, unknown>;
}

const doc = { kind: 'document', docType: 'normal', title: '文件', assignee: 'ou_lisi' };
const routes: Route[] = [
  {
    method: 'POST',
    path: '/api/v1/items',
    body: { ...doc, docNo: '〔2026〕1号', receivedAt: '2026-11-23T09:00:00+08:00' },
  },
  {
    method: 'POST',
    path: '/api/v1/items',
    body: {
      kind: 'meeting',
      title: '会议',
      startsAt: '2026-11-25T09:00:00+08:00',
      endsAt: '2026-11-25T11:00:00+08:00',
      location: '三楼',
      attendees: ['ou_lisi'],
      organizer: 'ou_wang',
      minutesTaker: 'ou_lisi',
    },
  },
  {
    method: 'POST',
    path: '/api/v1/items',
    body: {
      kind: 'task',
      source: 'instruction',
      title: '任务',
      leadDept: 'mishu',
      coDepts: ['ducha'],
      assignee: 'ou_lisi',
      dueAt: '2026-11-30T18:00:00+08:00',
      createdBy: 'ou_admin',
    },
  },
  {
    method: 'POST',
    path: '/api/v1/items/T-1/actions',
    body: { action: 'progress', by: 'ou_lisi', note: '进展' },
  },
  {
    method: 'POST',
    path: '/api/v1/items/T-1/actions',
    body: { action: 'extend', by: 'ou_lisi', days: 2, reason: '等待' },
  },
  {
    method: 'POST',
    path: '/api/v1/items/T-1/actions',
    body: { action: 'reassign', by: 'ou_wang', to: 'ou_zhangsan' },
  },
  { method: 'PUT', path: '/api/v1/people/ou_new', body: { name: '新人', dept: 'mishu', roles: ['staff'] } },
  { method: 'PUT', path: '/api/v1/departments/xin', body: { name: '新处', chatId: 'oc_xin', isTop: false } },
  { method: 'POST', path: '/api/v1/departments', body: { code: 'xin2', name: '新处', chatId: 'oc_xin2' } },
  {
    method: 'PUT',
    path: '/api/v1/calendar/2026-12-01',
    body: { workday: false, note: '调休', by: 'ou_admin' },
  },
  {
    method: 'PUT',
    path: '/api/v1/rules',
    body: { circularCutoff: '16:00', signoffWorkdays: 2, by: 'ou_admin' },
  },
  {
    method: 'PUT',
    path: '/api/v1/duty/2026-11-24',
    body: { officer: 'ou_lisi', leader: 'ou_wang', note: '值班' },
  },
  { method: 'POST', path: '/api/v1/duty/2026-11-24/log', body: { by: 'ou_lisi', entry: '平安无事' } },
  {
    method: 'PUT',
    path: '/api/v1/schedules/remind',
    body: { cron: '0 9 * * 1-5', timezone: 'Asia/Shanghai', enabled: true },
  },
  { method: 'POST', path: '/api/v1/jobs/remind/run', body: { at: '2026-11-24T09:00:00+08:00' } },
  {
    method: 'PUT',
    path: '/api/v1/reminder-rules',
    body: {
      rounds: ['09:00'],
      escalateToChiefAfter: 1,
      quietHours: { start: '22:00', end: '07:30' },
      paused: false,
    },
  },
  {
    method: 'POST',
    path: '/api/v1/recurring',
    body: {
      title: '信息编报',
      assignee: 'ou_lisi',
      source: 'other',
      rule: { every: 'workday', dueAt: '16:00' },
    },
  },
];

const queries: [string, string[]][] = [
  ['/api/v1/items', ['status', 'kind', 'assignee', 'dept', 'parent', 'light', 'limit']],
  ['/api/v1/people', ['dept']],
  ['/api/v1/duty', ['from', 'to']],
  ['/api/v1/calendar', ['year']],
  ['/api/v1/outbox', ['status', 'limit']],
  ['/api/v1/inbound', ['status', 'limit']],
  ['/api/v1/reports/summary?from=2026-11-01&to=2026-11-30&', ['from', 'to', 'dept', 'format']],
];

const paths = [
  '/api/v1/people/:x',
  '/api/v1/items/:x',
  '/api/v1/calendar/:x',
  '/api/v1/duty/:x',
  '/api/v1/schedules/:x',
  '/api/v1/recurring/:x',
];

const RUNS = 8;

describe('hostile values for every field of every admin API route (fast-check)', () => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;

  /** A digest of every table's rows: equal digests, no row changed. */
  const digest = async () => {
    const tables = [
      'items',
      'item_history',
      'item_parts',
      'meeting_attendees',
      'extension_requests',
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
      'recurring_duties',
    ];
    const parts = await Promise.all(
      tables.map(async (t) => {
        const { rows } = await sql<{
          d: string | null;
        }>`select md5(string_agg(x::text, '|' order by x::text)) as d from ${sql.table(t)} x`.execute(
          database.db,
        );
        return `${t}:${rows[0]?.d ?? ''}`;
      }),
    );
    return parts.join(' ');
  };

  const namesField = (body: any, field: string) => {
    const named = [
      body?.error?.message ?? '',
      ...(Array.isArray(body?.error?.details) ? body.error.details : []).map((d: any) => d?.field ?? ''),
    ];
    return named.join(' ').includes(field);
  };

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
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

  it.each(
    routes.map((r) => [`${r.method} ${r.path} (${String(r.body.kind ?? r.body.action ?? '')})`, r] as const),
  )(
    '%s: poison in any field is a 422 naming it, nothing changes; odd values never give a 5xx',
    async (_name, route) => {
      const fields = Object.keys(route.body);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields), poison, async (field, value) => {
          const before = await digest();
          const res = await api(app, route.method, route.path, { ...route.body, [field]: value });
          expect(res.status, `${field}=${JSON.stringify(value)} → ${JSON.stringify(res.body)}`).toBe(422);
          expect(namesField(res.body, field), JSON.stringify(res.body)).toBe(true);
          expect(await digest()).toBe(before);
        }),
        { numRuns: RUNS },
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields, '__extra'), odd, async (field, value) => {
          const before = await digest();
          const res = await api(app, route.method, route.path, { ...route.body, [field]: value });
          expect(res.status, `${field}=${JSON.stringify(value)} → ${JSON.stringify(res.body)}`).toBeLessThan(
            500,
          );
          if (res.status >= 400) {
            expect(res.body.error.code).toMatch(/^[a-z_]+$/);
            expect(await digest()).toBe(before);
            // A value that passes the fields but not the office's rules (an unknown person) is refused
            // by the action itself: invalid_input, with the reason in details.reply.
            if (res.status === 422)
              expect(
                namesField(res.body, field) ||
                  namesField(res.body, '(date)') ||
                  res.body.error.code === 'invalid_input',
              ).toBe(true);
          }
        }),
        { numRuns: RUNS },
      );
    },
    120_000,
  );

  it.each(
    routes.map((r) => [`${r.method} ${r.path} (${String(r.body.kind ?? r.body.action ?? '')})`, r] as const),
  )(
    '%s: JSON nested past 64 levels in any field is a 400 invalid_json naming the limit; nothing changes',
    async (_name, route) => {
      const fields = Object.keys(route.body);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...fields, '__extra'), overDeep, async (field, { depth, shape }) => {
          const before = await digest();
          const res = await api(
            app,
            route.method,
            route.path,
            withRawField(route.body, field, nestedJson(depth, shape)),
          );
          expect(res.status, `${field} nested ${depth} (${shape}) → ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.error.code).toBe('invalid_json');
          expect(res.body.error.message).toContain('64');
          expect(await digest()).toBe(before);
        }),
        { numRuns: RUNS },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...fields, '__extra'),
          withinDepth,
          async (field, { depth, shape }) => {
            const before = await digest();
            const res = await api(
              app,
              route.method,
              route.path,
              withRawField(route.body, field, nestedJson(depth, shape)),
            );
            expect(
              res.status,
              `${field} nested ${depth} (${shape}) → ${JSON.stringify(res.body)}`,
            ).toBeLessThan(500);
            if (res.status >= 400) expect(await digest()).toBe(before);
          },
        ),
        { numRuns: RUNS },
      );
    },
    120_000,
  );

  it('POST /api/v1/items/import: hostile files and bodies never give a 5xx; a refusal changes nothing', async () => {
    const real = await workbook([
      ['kind', 'source', 'title', 'leadDept', 'dueAt'],
      ['task', 'other', '任务', 'mishu', '2026-12-01'],
    ]);
    const cell = fc.oneof(
      poison,
      fc.constantFrom(
        '2026-13-01',
        '2026-12-01 25:99',
        '2026-02-30',
        '0999-01-01',
        '9999-12-31',
        '=1+1',
        '"',
        '',
      ),
      fc.string({ maxLength: 10 }),
    );
    const csv = fc
      .array(fc.tuple(cell, cell), { maxLength: 4 })
      .map(
        (rows) =>
          `kind,source,title,leadDept,dueAt\n${rows.map(([a, b]) => `task,other,${a},mishu,${b}`).join('\n')}`,
      );
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      csv.map((t) => new TextEncoder().encode(t)),
      fc.integer({ min: 0, max: real.byteLength }).map((n) => real.subarray(0, n)),
      fc.constantFrom(
        new TextEncoder().encode(
          '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nkind',
        ),
        new Uint8Array([0xd5, 0xc5, 0xc8, 0xfd]),
        real,
      ),
    );
    const type = fc.constantFrom(
      undefined,
      'multipart/form-data',
      'multipart/form-data; boundary=XX',
      'text/csv',
      'text/csv; charset=gbk',
      'text/csv; charset=ebcdic',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    await fc.assert(
      fc.asyncProperty(body, type, fc.boolean(), async (bytes, contentType, asForm) => {
        const before = await digest();
        const headers: Record<string, string> = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
        let sent: Uint8Array | FormData = bytes;
        if (asForm) {
          sent = new FormData();
          sent.set(
            'file',
            new File(
              [bytes],
              contentType?.includes('sheet') ? 'a.xlsx' : 'a.csv',
              contentType ? { type: contentType } : {},
            ),
          );
        } else if (contentType) headers['content-type'] = contentType;
        const res = await app.request('/api/v1/items/import?dryRun=true', {
          method: 'POST',
          headers,
          body: sent,
        });
        const answer = (await res.json()) as any;
        expect(
          res.status,
          `${contentType} ${bytes.byteLength} bytes → ${JSON.stringify(answer)}`,
        ).toBeLessThan(500);
        if (res.status >= 400) {
          expect(answer.error.code).toMatch(/^(invalid_file|invalid_rows|invalid_field)$/);
          for (const d of answer.error.details ?? []) expect(typeof d.message).toBe('string');
        }
        expect(await digest()).toBe(before);
      }),
      { numRuns: RUNS * 6 },
    );
  }, 120_000);

  it.each(
    queries,
  )('GET %s: hostile query parameters never give a 5xx; poison is a 422 naming the parameter', async (path, params) => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...params),
        fc.oneof(
          urlPoison,
          odd
            .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
            .filter((s) => !/[\ud800-\udfff]/.test(s)),
        ),
        async (param, value) => {
          const res = await api(
            app,
            'GET',
            `${path}${path.includes('?') ? '' : '?'}${param}=${encodeURIComponent(value)}`,
          );
          expect(res.status, `${param}=${JSON.stringify(value)} → ${JSON.stringify(res.body)}`).toBeLessThan(
            500,
          );
          if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(value)) {
            expect(res.status).toBe(422);
            expect(namesField(res.body, param)).toBe(true);
          }
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it.each(paths)('%s: hostile path ids never give a 5xx and change nothing', async (template) => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          urlPoison,
          odd
            .map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
            .filter((s) => !/[\ud800-\udfff]/.test(s)),
        ),
        fc.constantFrom('GET', 'PUT', 'POST'),
        async (id, method) => {
          const before = await digest();
          const path = template.replace(':x', encodeURIComponent(id));
          const res = await api(
            app,
            method,
            method === 'POST' ? `${path}/retry` : path,
            method === 'GET' ? undefined : {},
          );
          expect(res.status, `${method} ${path} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
          if (res.status >= 400) expect(await digest()).toBe(before);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
