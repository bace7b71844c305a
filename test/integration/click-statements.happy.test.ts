import { Socket } from 'node:net';
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
 * Counts the socket writes to the Postgres server from now until `stop()`: each is one system call
 * and one round trip's worth of the service's work, however many statements it carries.
 */
function postgresWrites(port: number) {
  const proto = Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
  const original = proto._writeGeneric;
  let writes = 0;
  proto._writeGeneric = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort === port) writes++;
    return original.apply(this, args);
  };
  return {
    stop() {
      proto._writeGeneric = original;
      return writes;
    },
  };
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
      const writes = postgresWrites(
        Number(new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x:5432').port),
      );
      const answer = await click(app, deps, {
        operator: 'ou_zhang',
        value: buttonValue(cardsOfSecond.group!, '办结'),
      });
      const written = writes.stop();
      const statements = [...counter.seen];

      expect(answer.toast).toEqual({ type: 'success', content: '已办结' });
      expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(9);
      // On Postgres, statements that do not wait for each other share a round trip: the callback
      // record; begin; the card lookup, the reference versions and the item's lock; the update;
      // the history row and the read of the item's cards; the patches; the answer; commit.
      if (engine === 'postgres') expect(written).toBeLessThanOrEqual(8);
      expect((await getItem(deps.database.db, second.id))?.status).toBe('done');
      await flushOutbox(deps);
      // Each click patches the group's copy and the handler's.
      expect(world.fake.patches).toHaveLength(4);
      expectNoMoreMessages(world.fake);
    });
  });
}
