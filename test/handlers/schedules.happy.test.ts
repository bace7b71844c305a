import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

describe.each(engines)('schedules, jobs and reminder rules API on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDatabase(database);
  });

  it('GET shows the default schedule with its next runs; PUT changes it and records who/when', async () => {
    const deps = testDeps(database, { now: '2026-09-28T08:00:00+08:00' });
    const app = createApp(deps);
    const before = await api(app, 'GET', '/api/v1/schedules/remind');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      job: 'remind',
      cron: '0 9 * * *;30 14 * * *',
      crons: ['0 9 * * *', '30 14 * * *'],
      timezone: 'Asia/Shanghai',
      enabled: true,
      isDefault: true,
    });
    expect(before.body.nextRuns).toEqual([
      '2026-09-28T09:00:00+08:00',
      '2026-09-28T14:30:00+08:00',
      '2026-09-29T09:00:00+08:00',
    ]);

    const put = await api(app, 'PUT', '/api/v1/schedules/remind', {
      cron: ['5 9 * * *', '35 15 * * *'],
      enabled: true,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ cron: '5 9 * * *;35 15 * * *', isDefault: false, updatedBy: 'api' });
    // Simple daily rounds are mirrored into the reminder rules.
    const rules = await api(app, 'GET', '/api/v1/reminder-rules');
    expect(rules.body.rounds).toEqual(['09:05', '15:35']);
    const history = await database.db
      .selectFrom('settings_history')
      .select(['key', 'changed_by'])
      .orderBy('id')
      .execute();
    expect(history).toEqual([
      { key: 'schedule:remind', changed_by: 'api' },
      { key: 'reminder_rules', changed_by: 'api' },
    ]);

    const all = await api(app, 'GET', '/api/v1/schedules');
    expect(all.body.schedules.map((s: any) => s.job)).toEqual([
      'remind',
      'chase',
      'digest',
      'bulletin',
      'duty',
      'recurring',
      'calendar',
      'backup',
    ]);
  });

  it('POST /jobs/:job/run answers the summary; the same slot twice does nothing the second time', async () => {
    const deps = testDeps(database, { now: '2026-09-28T08:00:00+08:00' });
    const app = createApp(deps);
    const first = await api(app, 'POST', '/api/v1/jobs/remind/run', { at: '2026-09-30T09:00:00+08:00' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      job: 'remind',
      at: '2026-09-30T09:00:00+08:00',
      slot: '2026-09-30T09:00',
      sent: 0,
      skipped: 0,
    });
    const second = await api(app, 'POST', '/api/v1/jobs/remind/run', { at: '2026-09-30T09:00:30+08:00' });
    expect(second.body).toMatchObject({ slot: '2026-09-30T09:00', alreadyRun: true, sent: 0 });
    const listed = await api(app, 'GET', '/api/v1/jobs');
    expect(listed.body.jobs.map((j: { name: string }) => j.name)).toContain('duty');
    for (const j of listed.body.jobs as { name: string; description: string }[])
      expect(j.description, j.name).not.toMatch(/later|issue|placeholder|not implemented/i);
    const digest = await api(app, 'POST', '/api/v1/jobs/digest/run', {});
    expect(digest.body).toMatchObject({
      job: 'digest',
      slot: '2026-09-28T08:00',
      sent: 0,
      readers: 0,
    });
  });

  it('PUT /reminder-rules changes N, M, quiet hours and rounds (rescheduling remind)', async () => {
    const deps = testDeps(database);
    const app = createApp(deps);
    const res = await api(app, 'PUT', '/api/v1/reminder-rules', {
      escalateToChiefAfter: 2,
      escalateToLeadersAfter: 4,
      quietHours: { start: '21:00', end: '08:00' },
      rounds: ['14:30', '08:45'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      escalateToChiefAfter: 2,
      escalateToLeadersAfter: 4,
      quietHours: { start: '21:00', end: '08:00' },
      rounds: ['08:45', '14:30'],
      remindSchedule: { cron: '45 8 * * *;30 14 * * *', enabled: true },
    });
  });
});

describe.each(engines)('chat admin settings on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });

  it('admins set rounds, the digest time, quiet hours, pause/resume, and see the settings; each change recorded', async () => {
    const { handleAdminSettingCommand } = await import('../../src/settings/admin-settings.js');
    const { loadReminderRules } = await import('../../src/settings/reminder-rules.js');
    const deps = testDeps(database);
    await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true });
    await putPerson(deps, { openId: 'ou_admin', name: '管理员', dept: 'office', roles: ['admin'] });
    const say = (text: string) => handleAdminSettingCommand(deps, { text, by: 'ou_admin', chatId: null });

    expect((await say('设置 提醒 9:00，14:30')).replyText).toBe(
      '已设置：工作日 09:00、14:30 催办提醒（节假日与免打扰时段不发送）。',
    );
    expect((await say('设置 日报 08:30')).replyText).toBe(
      '已设置：每日督办简报每个工作日 08:30 发送（节假日不发送）。',
    );
    expect((await say('设置 免打扰 22:00-07:30')).replyText).toContain('免打扰时段 22:00–07:30');
    expect((await say('暂停 提醒')).replyText).toContain('已暂停催办提醒');
    expect((await loadReminderRules(database.db)).paused).toBe(true);
    expect((await say('恢复 提醒')).replyText).toContain('已恢复');
    const view = (await say('查看设置')).replyText;
    expect(view).toContain('催办提醒：工作日 09:00、14:30');
    expect(view).toContain('每日督办简报：30 8 * * *');
    const digest = await database.db
      .selectFrom('schedules')
      .selectAll()
      .where('job', '=', 'digest')
      .executeTakeFirstOrThrow();
    expect(digest.cron).toBe('30 8 * * *');
    const changes = await database.db.selectFrom('settings_history').select('changed_by').execute();
    expect(changes.length).toBeGreaterThanOrEqual(5);
    expect(new Set(changes.map((c) => c.changed_by))).toEqual(new Set(['ou_admin']));
  });
});
