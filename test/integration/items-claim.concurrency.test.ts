import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { createItem, getItemWithHistory } from '../../src/items/items.js';
import { putPerson } from '../../src/settings/organisation.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { seedOffice } from './items-seed.js';

// Parallel transactions need a real server: PGlite runs one connection.
describe.runIf(engines.includes('postgres'))('claims under concurrency on postgres', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await database.close();
  });

  it('exactly one of many simultaneous claims wins; the others are told who has it', async () => {
    const deps = testDeps(database, { now: '2026-11-23T10:00:00+08:00' });
    await seedOffice(deps);
    const staff = Array.from({ length: 8 }, (_, i) => `ou_staff_${i}`);
    for (const [i, openId] of staff.entries())
      await putPerson(deps, { openId, name: `同志${i}`, dept: 'mishu', roles: ['staff'] });

    for (let round = 1; round <= 5; round++) {
      const item = await createItem(
        deps,
        { kind: 'task', source: 'other', title: `待认领${round}`, leadDept: 'mishu' },
        'ou_admin',
      );
      const outcomes = await Promise.all(
        staff.map((by) => performItemAction(deps, { itemId: item.id, action: 'claim', by })),
      );
      const winners = outcomes.filter((o) => o.ok && o.changed);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      expect(winner.ok && winner.item.assignee).toBeTruthy();
      const winnerName = `同志${staff.indexOf((winner as { item: { assignee: string } }).item.assignee)}`;
      for (const o of outcomes.filter((x) => x !== winner))
        expect(o).toMatchObject({ ok: false, code: 'invalid_state', message: `该事项已由${winnerName}认领` });
      const h = await getItemWithHistory(database.db, item.id);
      expect(h?.history.filter((x) => x.action === 'claim')).toHaveLength(1);
      expect(h?.version).toBe(2);
    }
  });
});
