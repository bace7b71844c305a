import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { type Engine, openTestDatabase, resetDatabase } from './db.js';
import { testDeps } from './deps.js';

/** The duty API tests' office: 张三, 李四, 王五 (staff), 刘主任 and 陈主任 (leaders), two 赵六. */
export function dutyApiWorld(engine: Engine) {
  const w = {} as {
    database: DatabaseHandle;
    deps: ReturnType<typeof testDeps>;
    app: ReturnType<typeof createApp>;
  };
  beforeAll(async () => {
    w.database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await w.database.close();
  });
  beforeEach(async () => {
    await resetDatabase(w.database);
    await w.database.db
      .insertInto('people')
      .values([
        { open_id: 'ou_zhang', name: '张三', roles: ['staff'] },
        { open_id: 'ou_li', name: '李四', roles: ['staff'] },
        { open_id: 'ou_wang', name: '王五', roles: ['staff'] },
        { open_id: 'ou_liu', name: '刘主任', roles: ['chief'] },
        { open_id: 'ou_chen', name: '陈主任', roles: ['chief'] },
        { open_id: 'ou_zhao1', name: '赵六', roles: ['staff'] },
        { open_id: 'ou_zhao2', name: '赵六', roles: ['staff'] },
      ])
      .execute();
    w.deps = testDeps(w.database, { now: '2026-09-20T09:00:00+08:00' });
    w.app = createApp(w.deps);
  });
  return w;
}
