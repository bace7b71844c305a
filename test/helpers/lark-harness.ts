import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { FakeLark } from '../fakes/lark-server.js';
import { type Engine, openTestDatabase, resetDatabase } from './db.js';

/**
 * A test database and a fake Lark for one describe block: opened once, emptied and reset before
 * each test, closed at the end. Read `h.database` / `h.fake` inside hooks and tests.
 */
export function useDatabaseWithFakeLark(engine: Engine): { database: DatabaseHandle; fake: FakeLark } {
  const h = {} as { database: DatabaseHandle; fake: FakeLark };
  beforeAll(async () => {
    h.database = await openTestDatabase(engine);
    h.fake = await FakeLark.start();
  });
  afterAll(async () => {
    await h.database?.close();
    await h.fake?.close();
  });
  beforeEach(async () => {
    await resetDatabase(h.database);
    h.fake.reset();
  });
  return h;
}
