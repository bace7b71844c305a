import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { getItem } from '../../src/items/items.js';
import { ReferenceCache } from '../../src/settings/reference-data.js';
import { engines } from '../helpers/db.js';
import { click, expectNoMoreMessages, flushOutbox } from '../helpers/lark.js';
import { buttonValue, createDocument, deliverNewItemCards, quickRepliesWorld } from './quick-replies-seed.js';

/** Counts every statement Kysely sends (transaction control aside), with what kind it was. */
function statementCounter() {
  const seen: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const node: RootOperationNode = args.node;
      const table = /"kind":"IdentifierNode","name":"(\w+)"/.exec(JSON.stringify(node))?.[1] ?? '';
      seen.push(`${node.kind} ${table}`);
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return { plugin, seen };
}

/**
 * The statements of one 办结 click on a card that has a group copy and a personal copy: the people,
 * departments, rules and calendar come from the in-memory copy (one version check), the item is
 * locked without reading it first, and the answer card is drawn from what the transaction has.
 * A change that reads them again per click (or re-reads after the commit) breaks the bound. The
 * instance's heartbeat (src/platform/liveness.ts) is written by the first click only: the second comes
 * within half a heartbeat interval of it.
 */
for (const engine of engines) {
  describe(`a card click's statements on ${engine}`, () => {
    const world = quickRepliesWorld(engine);

    it('a 办结 click sends at most 9 statements once the reference data is in memory', async () => {
      const counter = statementCounter();
      const deps = {
        ...world.deps,
        referenceCache: new ReferenceCache(),
        database: { ...world.database, db: world.database.db.withPlugin(counter.plugin) },
      };
      const app = createApp(deps);
      const first = await createDocument(world);
      const second = await createDocument(world);
      const cardsOfFirst = await deliverNewItemCards(world, first);
      const cardsOfSecond = await deliverNewItemCards(world, second);

      // The first click fills the in-memory copy; the second is the one counted.
      await click(app, deps, { operator: 'ou_zhang', value: buttonValue(cardsOfFirst.group!, '办结') });
      counter.seen.length = 0;
      const answer = await click(app, deps, {
        operator: 'ou_zhang',
        value: buttonValue(cardsOfSecond.group!, '办结'),
      });
      const statements = [...counter.seen];

      expect(answer.toast).toEqual({ type: 'success', content: '已办结' });
      expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(9);
      expect((await getItem(deps.database.db, second.id))?.status).toBe('done');
      await flushOutbox(deps);
      // Each click patches the group's copy and the handler's.
      expect(world.fake.patches).toHaveLength(4);
      expectNoMoreMessages(world.fake);
    });
  });
}
