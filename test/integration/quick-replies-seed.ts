import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import type { Item } from '../../src/domain/types.js';
import { createItem } from '../../src/items/items.js';
import type { ManualClock } from '../../src/platform/clock.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark, type FakeLarkOptions, type FakeMessage } from '../fakes/lark-server.js';
import { type Engine, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { expectMessage, flushOutbox, larkTestConfig } from '../helpers/lark.js';

/**
 * The office of the quick-replies end-to-end tests: 综合处 (bound to the group oc_zhb) with
 * 张三 and 李四 (staff) and 王处长 (chief); 办公室 (the top department, no group) with an admin.
 * Monday 23 November 2026, 09:00 in Shanghai.
 */
export const ZHB_CHAT = 'oc_zhb';
export const at = (local: string) => new Date(`${local}+08:00`);

export type TestDeps = Deps & { clock: ManualClock; logger: { lines: unknown[] } };

export interface World {
  deps: TestDeps;
  app: ReturnType<typeof createApp>;
  fake: FakeLark;
  database: DatabaseHandle;
}

export function quickRepliesWorld(
  engine: Engine,
  options: { lark?: FakeLarkOptions; env?: Record<string, string> } = {},
): World {
  const world = {} as World;
  beforeAll(async () => {
    world.database = await openTestDatabase(engine);
    world.fake = await FakeLark.start(options.lark);
  });
  afterAll(async () => {
    await world.fake?.close();
    await world.database?.close();
  });
  beforeEach(async () => {
    await resetDatabase(world.database);
    world.fake.reset();
    world.deps = testDeps(world.database, {
      config: larkTestConfig(world.fake, options.env),
      now: '2026-11-23T09:00:00+08:00',
    }) as TestDeps;
    world.app = createApp(world.deps);
    const deps = world.deps;
    await putDepartment(deps, { code: 'BGS', name: '办公室', isTop: true });
    await putDepartment(deps, { code: 'ZHB', name: '综合处', chatId: ZHB_CHAT });
    await putDepartment(deps, { code: 'CWC', name: '财务处' });
    await putPerson(deps, { openId: 'ou_zhang', name: '张三', dept: 'ZHB', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_li', name: '李四', dept: 'ZHB', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_wang', name: '王处长', dept: 'ZHB', roles: ['staff', 'chief'] });
    await putPerson(deps, { openId: 'ou_zhao', name: '赵六', dept: 'CWC', roles: ['staff'] });
    await putPerson(deps, { openId: 'ou_admin', name: '刘管理', dept: 'BGS', roles: ['staff', 'admin'] });
  });
  return world;
}

/**
 * 关于年度工作总结的通知 (D-1), an ordinary document for 张三, due Tuesday 18:00. Each further
 * document of a test gets the next 文号 (12号, 13号, …): an open 文号 is registered once.
 */
export async function createDocument(world: World, over: Record<string, unknown> = {}): Promise<Item> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from items where kind = 'document'`.execute(world.database.db);
  return createItem(
    world.deps,
    {
      kind: 'document',
      docType: 'normal',
      docNo: `穗府办〔2026〕${12 + (rows[0]?.n ?? 0)}号`,
      title: '关于年度工作总结的通知',
      assignee: 'ou_zhang',
      dept: 'ZHB',
      dueAt: at('2026-11-24T18:00:00'),
      ...over,
    } as never,
    'ou_admin',
  );
}

/** 落实全市安全生产会议议定事项 (T-n), a task of 综合处 nobody has claimed yet, due Friday. */
export async function createUnassignedTask(world: World): Promise<Item> {
  return createItem(
    world.deps,
    {
      kind: 'task',
      source: 'decision',
      title: '落实全市安全生产会议议定事项',
      leadDept: 'ZHB',
      dueAt: at('2026-11-27T18:00:00'),
    },
    'ou_admin',
  );
}

/** Sends what is queued and consumes the new-item cards of a just-created item (DM and group). */
export async function deliverNewItemCards(
  world: World,
  item: Item,
  to: { dm?: string[]; group?: boolean } = {},
): Promise<{ dm: FakeMessage[]; group: FakeMessage | null }> {
  await flushOutbox(world.deps);
  const dm = (to.dm ?? (item.assignee ? [item.assignee] : [])).map((openId) =>
    expectMessage(world.fake, { openId, text: item.title }),
  );
  const group = to.group === false ? null : expectMessage(world.fake, { chatId: ZHB_CHAT, text: item.title });
  return { dm, group };
}

/** The buttons of a sent card, by their text. */
export function buttonValue(message: FakeMessage, text: string): Record<string, unknown> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
    } else if (node && typeof node === 'object') {
      const el = node as Record<string, any>;
      if (el.tag === 'button' && el.text?.content === text) found.push(el.behaviors[0].value);
      for (const v of Object.values(el)) walk(v);
    }
  };
  walk(message.body);
  if (found.length === 0) throw new Error(`no button 「${text}」 in ${message.text.slice(0, 200)}`);
  return found[0]!;
}
