import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { listDepartments } from '../../src/db/repos/departments.js';
import { lastInboundReceived } from '../../src/db/repos/inbound-events.js';
import { checkLarkSetup } from '../../src/lark/setup-check.js';
import { runLarkSetupCheck } from '../../src/lark/setup-health.js';
import { putDepartment } from '../../src/settings/organisation.js';
import { engines } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { cardActionEvent, larkOnlyApp, larkTestConfig, messageEvent, postToLark } from '../helpers/lark.js';
import { useDatabaseWithFakeLark } from '../helpers/lark-harness.js';

const run = promisify(execFile);

/**
 * npm run lark:check and /healthz larkSetup against the fake Lark (test/fakes/lark-server.ts):
 * a tenant token, the bot's info, the groups the bot is in against the departments bound to
 * them, a scope Lark refuses (99991672), and events or clicks that never arrived.
 */
describe.each(engines)('the Lark set-up check on %s', (engine) => {
  const h = useDatabaseWithFakeLark(engine);

  async function office() {
    const deps = testDeps(h.database, { config: larkTestConfig(h.fake), now: '2026-11-23T09:00:00+08:00' });
    await putDepartment(deps, { code: 'BGS', name: '办公室', isTop: true, chatId: 'oc_bgs' });
    await putDepartment(deps, { code: 'ZHB', name: '综合处', chatId: 'oc_zhb' });
    return deps;
  }

  /** A message and a click reach the app through the webhook, as Lark sends them. */
  async function somethingArrived(deps: Awaited<ReturnType<typeof office>>) {
    const app = larkOnlyApp(deps, { event: async () => {}, cardAction: async () => ({}) });
    expect((await postToLark(app, deps, messageEvent({ from: 'ou_a', text: '帮助' }))).status).toBe(200);
    const click = cardActionEvent({ operator: 'ou_a', value: { v: 1, op: 'todo' } });
    expect((await postToLark(app, deps, click, { path: '/lark/cards' })).status).toBe(200);
  }

  const facts = async (deps: Awaited<ReturnType<typeof office>>) => {
    return {
      departments: await listDepartments(deps.database.db),
      lastReceived: await lastInboundReceived(deps.database.db),
    };
  };

  it('a tenant with nothing missing: the bot, its groups, every department in its group', async () => {
    const deps = await office();
    h.fake.botChats.set('oc_bgs', '办公室群');
    h.fake.botChats.set('oc_zhb', '综合处群');
    await somethingArrived(deps);
    const report = await checkLarkSetup(deps.config.lark, await facts(deps), deps.clock.now());
    expect(report).toEqual({
      ok: true,
      checkedAt: deps.clock.now().toISOString(),
      bot: { openId: h.fake.botOpenId, name: 'cuiban' },
      chats: 2,
      findings: [],
    });
  });

  it('names the scope Lark refuses and a department whose group the bot is not in', async () => {
    const deps = await office();
    await somethingArrived(deps);
    h.fake.missingScopes.add('im:chat:readonly');
    const refused = await checkLarkSetup(deps.config.lark, await facts(deps), deps.clock.now());
    expect(refused.ok).toBe(false);
    expect(refused.chats).toBeNull();
    expect(refused.findings).toEqual([
      {
        level: 'problem',
        message:
          'Lark refused to list the groups the bot is in for a missing scope (code 99991672): add "im:chat" or "im:chat:readonly" under 权限管理 (Permissions), then publish a new version of the app.',
      },
    ]);

    // The scope granted: the bot is in 办公室's group and another one, not in 综合处's.
    h.fake.missingScopes.clear();
    h.fake.botChats.set('oc_bgs', '办公室群');
    h.fake.botChats.set('oc_other', '读书会');
    const unbound = await checkLarkSetup(deps.config.lark, await facts(deps), deps.clock.now());
    expect(unbound.ok).toBe(false);
    expect(unbound.findings).toEqual([
      {
        level: 'problem',
        message:
          '综合处 (ZHB) is bound to the group oc_zhb, but the bot is not in it: add the bot to that group (群设置 → 群机器人 → 添加机器人), or bind the right group with "@催办 绑定 ZHB".',
      },
      { level: 'note', message: 'The bot is in 1 group(s) no department is bound to: 读书会 oc_other.' },
    ]);
  });

  it('says when no event and no click has reached the app, and when the secret is refused', async () => {
    const deps = await office();
    h.fake.botChats.set('oc_bgs', '办公室群');
    h.fake.botChats.set('oc_zhb', '综合处群');
    const quiet = await checkLarkSetup(deps.config.lark, await facts(deps), deps.clock.now());
    expect(quiet.ok).toBe(false);
    expect(quiet.findings.map((f) => [f.level, f.message.split(':')[0]])).toEqual([
      ['problem', 'No event has reached the app in the last 7 days'],
      ['note', 'No card click has reached the app in the last 7 days'],
    ]);
    expect(quiet.findings[0]!.message).toContain('https://<your host>/lark/events');

    const wrong = await checkLarkSetup(
      { ...deps.config.lark, appSecret: 'not-the-secret' },
      await facts(deps),
      deps.clock.now(),
    );
    expect(wrong).toMatchObject({ ok: false, bot: null, chats: null });
    expect(wrong.findings).toEqual([
      {
        level: 'problem',
        message:
          'Lark refused the app id and secret (code 10014: app secret invalid): copy LARK_APP_ID and LARK_APP_SECRET again from 凭证与基础信息.',
      },
    ]);
  });

  it('/healthz larkSetup shows the last check and warns with each problem', async () => {
    const deps = await office();
    await somethingArrived(deps);
    h.fake.botChats.set('oc_bgs', '办公室群');
    const app = createApp(deps);
    const before = (await (await app.request('/healthz')).json()) as any;
    expect(before.larkSetup).toEqual({
      ok: true,
      checked: false,
      note: 'not checked yet: a Node process checks at start and hourly; npm run lark:check does it by hand',
    });

    await runLarkSetupCheck(deps);
    const after = (await (await app.request('/healthz')).json()) as any;
    expect(after.larkSetup).toMatchObject({
      ok: false,
      checked: true,
      chats: 1,
      bot: { openId: h.fake.botOpenId },
    });
    expect(after.warnings).toContainEqual(
      expect.stringContaining('larkSetup: 综合处 (ZHB) is bound to the group oc_zhb'),
    );
  });

  it('npm run lark:check prints the missing scope and exits 1', async () => {
    h.fake.missingScopes.add('im:chat:readonly');
    const env = {
      ...process.env,
      LARK_APP_ID: h.fake.appId,
      LARK_APP_SECRET: h.fake.appSecret,
      LARK_DOMAIN: h.fake.url,
      DATABASE_URL: '',
      DATA_DIR: 'memory://',
    };
    const failed = await run('npx', ['tsx', 'src/lark-check.ts'], { env }).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain(`bot: cuiban (${h.fake.botOpenId})`);
    expect(failed?.stdout).toContain(
      '✗ Lark refused to list the groups the bot is in for a missing scope (code 99991672)',
    );
    expect(failed?.stdout).toContain('"im:chat:readonly"');
  });
});
