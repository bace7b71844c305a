import { describe, expect, it } from 'vitest';
import { remindJob } from '../../jobs/remind.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { headerOf } from '../helpers/cards.js';
import { engines } from '../helpers/db.js';
import { expectMessage, expectNoMoreMessages, flushOutbox } from '../helpers/lark.js';
import { at, createDocument, deliverNewItemCards, quickRepliesWorld } from './quick-replies-seed.js';

/**
 * Lark updates a sent card for 14 days only (the fake refuses a PATCH past that, as Lark does).
 * A card older than that is never patched: the next round brings a fresh card instead.
 */
describe.each(engines)('cards past Lark’s 14-day update window on %s', (engine) => {
  const world = quickRepliesWorld(engine);

  it('a 15-day-old card gets a new card in the next round, not a patch Lark would refuse', async () => {
    const { deps, fake } = world;
    // The fake ages messages by the test's clock.
    fake.clock = () => deps.clock.now().getTime();
    const item = await createDocument(world, { dueAt: at('2026-12-09T18:00:00') });
    const { dm, group } = await deliverNewItemCards(world, item);

    // 15 days later (Tuesday 8 December) the round of 09:00 finds the item due tomorrow.
    await runJobSlot(deps, remindJob, { at: at('2026-12-08T09:00:00') });
    deps.clock.set(at('2026-12-08T09:00:00'));
    await flushOutbox(deps);
    const round = expectMessage(fake, { openId: 'ou_zhang', operation: 'send', text: item.title });
    expect(round.messageId).not.toBe(dm[0]!.messageId);

    // Closed elsewhere: the fresh round card is patched, the 15-day-old copies are left alone.
    deps.clock.set(at('2026-12-08T10:00:00'));
    expect((await performItemAction(deps, { itemId: item.id, action: 'done', by: 'ou_admin' })).ok).toBe(
      true,
    );
    await flushOutbox(deps);
    const patched = fake.patches.map((p) => p.messageId);
    expect(patched).toContain(round.messageId);
    expect(patched).not.toContain(dm[0]!.messageId);
    expect(patched).not.toContain(group!.messageId);
    expect(headerOf(fake.patches.find((p) => p.messageId === round.messageId)!.card).template).toBe('grey');
    expect(fake.refusedPatches).toEqual([]);
    expect(fake.requests.filter((r) => r.operation === 'patch' && r.status !== 200)).toEqual([]);
    expectNoMoreMessages(fake);
  });
});
