import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { type CreateItemInput, createItem } from '../../src/items/items.js';
import { digestForPerson } from '../../src/reports/digest-round.js';
import { engines, openTestDatabase, resetDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { seedOffice } from '../integration/items-seed.js';

const at = (local: string) => new Date(`${local}+08:00`);

/**
 * 督查处 (ducha) took 8 working days over each of its last three decisions, 秘书一处 (mishu) one.
 * Each then gets the same decision, due in 3 working days: only 督查处's is 预计逾期.
 */
describe.each(engines)('GET /items?atRisk=true on %s', (engine) => {
  let database: DatabaseHandle;
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof testDeps>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await resetDatabase(database);
    deps = testDeps(database, { now: '2026-10-12T09:00:00+08:00' });
    app = createApp(deps);
    await seedOffice(deps);
    const task = (leadDept: string, assignee: string, dueAt: string) =>
      createItem(
        deps,
        {
          kind: 'task',
          source: 'decision',
          title: '议定事项',
          leadDept,
          assignee,
          dueAt: at(dueAt),
        } as CreateItemInput,
        'admin',
      );
    const close = async (id: string, by: string, when: string) => {
      deps.clock.set(at(when));
      const r = await performItemAction(deps, { itemId: id, action: 'done', by });
      if (!r.ok) throw new Error(r.message);
    };
    // History: created Monday 10-12; 督查处 closes 8 working days later (10-22), 秘书一处 the next day.
    for (let i = 0; i < 3; i++) {
      deps.clock.set(at('2026-10-12T09:00:00'));
      const slow = await task('ducha', 'ou_zhao', '2026-10-30T18:00:00');
      const fast = await task('mishu', 'ou_lisi', '2026-10-30T18:00:00');
      await close(slow.id, 'ou_zhao', '2026-10-22T10:00:00');
      await close(fast.id, 'ou_lisi', '2026-10-13T10:00:00');
    }
    deps.clock.set(at('2026-11-02T09:00:00'));
    await task('ducha', 'ou_zhao', '2026-11-05T18:00:00');
    await task('mishu', 'ou_lisi', '2026-11-05T18:00:00');
  });
  afterAll(async () => {
    await database.close();
  });

  it("flags the slow unit's item with the reason in words, not the fast unit's", async () => {
    const res = await api(app, 'GET', '/api/v1/items?atRisk=true');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: 'T-7',
        dept: 'ducha',
        risk: {
          reason: '同类事项本人平均用时8个工作日，已用0个工作日，剩余3个工作日，尚无进展',
          basis: 'handler',
          averageWorkdays: 8,
          elapsedWorkdays: 0,
          remainingWorkdays: 3,
        },
      }),
    ]);
    // The digest: 督查处's chief reads 预计逾期 1 件, 秘书一处's none.
    const ducha = JSON.stringify(await digestForPerson(deps, 'ou_qian'));
    expect(ducha).toContain('预计逾期 1 件');
    expect(JSON.stringify(await digestForPerson(deps, 'ou_wang'))).not.toContain('预计逾期');
    // Progress reported: no longer flagged.
    const r = await performItemAction(deps, {
      itemId: 'T-7',
      action: 'progress',
      by: 'ou_zhao',
      note: '已起草',
    });
    expect(r.ok).toBe(true);
    expect((await api(app, 'GET', '/api/v1/items?atRisk=true')).body.items).toEqual([]);
    expect((await api(app, 'GET', '/api/v1/items?atRisk=maybe')).status).toBe(422);
  });
});
