import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { handleAdminSettingCommand } from '../../src/settings/admin-settings.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

describe.each(engines)('schedules and settings refuse bad input on %s', (engine) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.close();
  });

  it('an invalid cron is a 422 with an example of a valid one, and nothing changes', async () => {
    const app = createApp(testDeps(database));
    for (const cron of ['61 9 * * *', '0 9 * *', '*/5 * * * * *', 'every day']) {
      const res = await api(app, 'PUT', '/api/v1/schedules/remind', { cron, enabled: true });
      expect(res.status, cron).toBe(422);
      expect(res.body.error.code).toBe('invalid_field');
      expect(res.body.error.message).toMatch(/^cron: /);
      expect(res.body.error.details[0].example).toBe('0 9 * * *;30 14 * * *');
    }
    const tz = await api(app, 'PUT', '/api/v1/schedules/remind', {
      cron: '0 9 * * *',
      timezone: 'Mars/Olympus',
    });
    expect(tz.status).toBe(422);
    expect(tz.body.error.message).toContain('timezone');
    expect((await api(app, 'GET', '/api/v1/schedules/remind')).body.isDefault).toBe(true);
  });

  it('unknown jobs are 404s naming the known ones; malformed bodies 400; bad fields 422', async () => {
    const app = createApp(testDeps(database));
    const unknown = await api(app, 'GET', '/api/v1/schedules/coffee');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('remind, chase, digest, bulletin, duty, recurring');
    expect((await api(app, 'POST', '/api/v1/jobs/coffee/run', {})).status).toBe(404);
    expect((await api(app, 'POST', '/api/v1/jobs/remind/run', '{nope')).status).toBe(400);
    const badAt = await api(app, 'POST', '/api/v1/jobs/remind/run', { at: 'tomorrow' });
    expect(badAt.status).toBe(422);
    expect(badAt.body.error.message).toMatch(/^at: /);
    const rules = await api(app, 'PUT', '/api/v1/reminder-rules', {
      quietHours: { start: '25:00', end: '07:30' },
    });
    expect(rules.status).toBe(422);
    const nm = await api(app, 'PUT', '/api/v1/reminder-rules', {
      escalateToChiefAfter: 3,
      escalateToLeadersAfter: 1,
    });
    expect(nm.status).toBe(422);
    expect(nm.body.error.message).toContain('escalateToLeadersAfter');
  });

  it('refuses the chat settings commands to non-admins, and bad times with an example', async () => {
    const deps = testDeps(database);
    await putDepartment(deps, { code: 'zonghe', name: '综合处' });
    await putPerson(deps, { openId: 'ou_staff', name: '张三', dept: 'zonghe', roles: ['staff', 'chief'] });
    await putPerson(deps, { openId: 'ou_admin', name: '管理员', dept: 'zonghe', roles: ['admin'] });
    const refused = await handleAdminSettingCommand(deps, { text: '设置 提醒 09:00', by: 'ou_staff' });
    expect(refused.replyText).toContain('仅限管理员');
    expect(await database.db.selectFrom('settings_history').selectAll().execute()).toEqual([]);
    const bad = await handleAdminSettingCommand(deps, { text: '设置 提醒 25:00', by: 'ou_admin' });
    expect(bad.replyText).toContain('示例：设置 提醒 09:00,14:30');
    const badQuiet = await handleAdminSettingCommand(deps, { text: '设置 免打扰 22点', by: 'ou_admin' });
    expect(badQuiet.replyText).toContain('示例：设置 免打扰 22:00-07:30');
    const late = await handleAdminSettingCommand(deps, { text: '设置 提醒 09:00,23:00', by: 'ou_admin' });
    expect(late.replyText).toContain('注意：23:00 在免打扰时段（22:00–07:30）内，该轮只发送紧急件。');
    await database.db.deleteFrom('settings_history').execute();
    await database.db.deleteFrom('settings').execute();
    await database.db.deleteFrom('schedules').execute();
    const unknown = await handleAdminSettingCommand(deps, { text: '暂停 咖啡', by: 'ou_admin' });
    expect(unknown.replyText).toContain('示例：暂停 提醒');
    expect(await database.db.selectFrom('settings_history').selectAll().execute()).toEqual([]);
  });

  it('the admin API refuses requests without the token', async () => {
    const app = createApp(testDeps(database));
    expect((await api(app, 'GET', '/api/v1/schedules/remind', undefined, null)).status).toBe(401);
    expect((await api(app, 'POST', '/api/v1/jobs/remind/run', {}, null)).status).toBe(401);
  });
});
