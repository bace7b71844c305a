import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getItem } from '../../src/items/items.js';
import { flushOutbox } from '../helpers/lark.js';
import { startPlayground } from '../helpers/playground.js';

/** Debian's chromium package; .ci/run installs it with apt-get when it is missing. */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

describe.skipIf(!existsSync(CHROMIUM))('playground in a real browser (chromium)', () => {
  let pg: Awaited<ReturnType<typeof startPlayground>>;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let seeded = 0;

  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `playground-${name}.png`), fullPage: true });
  const header = (title: string) => page.locator('.card .hd', { hasText: title });
  /** Sends what the outbox holds (the test drives it) until the page shows `title`. */
  const waitForCard = async (title: string) => {
    await expect
      .poll(
        async () => {
          await flushOutbox(pg.deps);
          return header(title).count();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBeGreaterThan(0);
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    pg = await startPlayground('pglite');
    await flushOutbox(pg.deps);
    seeded = pg.standIn.messages.length;
    profile = mkdtempSync(join(tmpdir(), 'cuiban-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timezoneId: 'Asia/Shanghai',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    // A button's confirm (二次确认) shows as the browser's dialog: the person agrees.
    page.on('dialog', (dialog) => void dialog.accept());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await pg?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('loads, renders 张三’s card, and 办结 closes the item and turns the card grey', async () => {
    await page.goto(`${pg.url}/playground`);
    await page.locator('.chat', { hasText: '张三' }).click();
    await expect.poll(() => page.locator('#as').inputValue()).toBe('ou_demo_zhang');
    const todo = header('【待办】关于报送年度工作总结的通知');
    await todo.waitFor();
    await shot('1-card');

    const card = page.locator('.card', {
      has: page.locator('.hd', { hasText: '【待办】关于报送年度工作总结的通知' }),
    });
    await card.getByRole('button', { name: '办结', exact: true }).click();
    await header('【已办结】关于报送年度工作总结的通知').waitFor();
    expect(await page.locator('.card .hd.grey', { hasText: '关于报送年度工作总结的通知' }).count()).toBe(1);
    expect((await getItem(pg.deps.database.db, 'D-1'))!.status).toBe('done');
    await shot('2-closed');
  }, 60_000);

  it('“@催办 办结 D-2” typed in the division’s group gets its reply', async () => {
    await page.locator('.chat', { hasText: '秘书一处群' }).click();
    await page.locator('#text').fill('@催办 办结 D-2');
    await page.locator('#composer button').click();
    await waitForCard('【已办结】关于冬季安全生产检查的请示');
    await page.locator('.msg.mine', { hasText: '@催办 办结 D-2' }).waitFor();
    expect((await getItem(pg.deps.database.db, 'D-2'))!.status).toBe('done');
    await shot('3-command');
  }, 60_000);

  it('the time control runs the reminder round and a reminder card arrives', async () => {
    await page.locator('#at').fill('2026-11-23T09:00');
    await page.locator('#job').selectOption('remind');
    await page.locator('#run').click();
    await expect.poll(() => page.locator('#runResult').textContent()).toMatch(/^已运行：发送 [1-9]/);
    await page.locator('.chat', { hasText: '张三' }).click();
    await waitForCard('【催办】');
    await shot('4-reminder');

    // Nothing else was sent: the typed command, its one reply, the round's reminders and escalation.
    const after = pg.standIn.messages.slice(seeded).map((m) => ({
      sender: m.sender,
      title: (m.body as { header?: { title?: { content?: string } } }).header?.title?.content ?? null,
    }));
    const unexpected = after.filter(
      (m) =>
        !(m.sender === 'ou_demo_zhang' && m.title === null) &&
        m.title !== '【已办结】关于冬季安全生产检查的请示' &&
        !m.title?.startsWith('【催办】') &&
        !m.title?.startsWith('【督办】'),
    );
    expect(unexpected).toEqual([]);
    expect(after.filter((m) => m.title === '【已办结】关于冬季安全生产检查的请示')).toHaveLength(1);
  }, 60_000);

  it('/docs loads the API reference and lists the items resource under /api/v1', async () => {
    await page.goto(`${pg.url}/docs`);
    // The page draws one block per operation, grouped by tag; the server base is /api/v1.
    const createItem = page.locator('details.op-post', { hasText: '/items' }).first();
    await createItem.waitFor({ timeout: 20_000 });
    expect(await page.locator('#servers').textContent()).toBe('/api/v1');
    expect(await page.locator('details.op-get .path', { hasText: /^\/items$/ }).count()).toBe(1);
    // Opening an operation shows its body fields with their limits, and its form calls the API.
    await page
      .locator('details.op-post', { has: page.locator('.path', { hasText: /^\/items$/ }) })
      .locator('summary')
      .click();
    const opened = page.locator('details.op-post[open]', {
      has: page.locator('.path', { hasText: /^\/items$/ }),
    });
    expect(await opened.locator('td.field', { hasText: /^title/ }).count()).toBeGreaterThan(0);
    await opened.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => opened.locator('pre.answer').textContent()).toMatch(/^401 /);
    await shot('5-docs');
  }, 60_000);
});
