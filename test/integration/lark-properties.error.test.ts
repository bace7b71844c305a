import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { nestedJson, overDeep } from '../helpers/hostile.js';
import {
  cardActionEvent,
  click,
  expectMessage,
  expectNoMoreMessages,
  flushOutbox,
  messageEvent,
  postToLark,
  RawJson,
  say,
} from '../helpers/lark.js';
import { createUnassignedTask, quickRepliesWorld } from './quick-replies-seed.js';

/**
 * Property-based: signed chat messages and card forms with hostile text. Every message is handled
 * at once (never left failing for retries) and answered exactly once in its thread; text that can
 * never be stored changes nothing.
 */
const poison = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\ud800'),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, bad, b]) => `${a}${bad}${b}`);
const anyText = fc.oneof(
  poison,
  fc.string({ maxLength: 30 }),
  fc.constantFrom('9999-12-31', '99999', '\u200b'),
);

const COMMANDS = [
  (t: string) => `办结 ${t}`,
  (t: string) => `已阅 ${t}`,
  (t: string) => `认领 ${t}`,
  (t: string) => `进展 T-1 ${t}`,
  (t: string) => `延期 T-1 ${t}天 ${t}`,
  (t: string) => `延期 T-1 3天 ${t}`,
  (t: string) => `待办${t}`,
  (t: string) => `值班 ${t}`,
  (t: string) => `绑定 ${t}`,
  (t: string) => `设置 提醒 ${t}`,
  (t: string) => `设置 免打扰 ${t}`,
  (t: string) => `换班 ${t} @同事`,
  (t: string) => `简报 ${t}`,
  (t: string) => t,
];

describe.each(engines)('hostile text in signed Lark events on %s (fast-check)', (engine) => {
  const world = quickRepliesWorld(engine);

  it('every chat command with hostile text is handled at once and answered once; poison changes nothing', async () => {
    const { deps, app, fake, database } = world;
    await createUnassignedTask(world);
    await say(app, deps, { from: 'ou_zhang', text: '认领 T-1', messageId: 'om_claim' });
    await flushOutbox(deps);
    fake.reset();
    let n = 0;
    const history = async () => (await database.db.selectFrom('item_history').select('id').execute()).length;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...COMMANDS.keys()),
        anyText,
        fc.constantFrom('ou_zhang', 'ou_admin'),
        async (which, text, from) => {
          const messageId = `om_prop_${n}`;
          const eventId = `ev_prop_${n++}`;
          const before = await history();
          const message = COMMANDS[which]!(text);
          await say(app, deps, { from, text: message, messageId, eventId });
          const row = await database.db
            .selectFrom('inbound_events')
            .select(['status', 'last_error'])
            .where('payload', 'is not', null)
            .orderBy('received_at', 'desc')
            .executeTakeFirstOrThrow();
          expect(row.status, `${JSON.stringify(message)}: ${row.last_error}`).toBe('done');
          await flushOutbox(deps);
          expectMessage(fake, { operation: 'reply', replyTo: messageId });
          if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800]/.test(text)) {
            expectNoMoreMessages(fake);
            expect(await history()).toBe(before);
          } else {
            // An odd text may still be a valid command (an extension asks the chief): others may hear of it.
            for (const m of fake.messages) m.consumed = true;
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);

  it('card forms with poison in any field are refused with a toast and change nothing', async () => {
    const { deps, app, database } = world;
    const task = await createUnassignedTask(world);
    await say(app, deps, { from: 'ou_zhang', text: `认领 ${task.id}`, messageId: 'om_claim2' });
    await flushOutbox(deps);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['progress', 'note'],
          ['extend', 'days'],
          ['extend', 'reason'],
          ['extend', 'new_date'],
          ['reassign', 'to'],
        ),
        poison,
        async ([op, field], value) => {
          const before = await database.db.selectFrom('item_history').select('id').execute();
          const answer = await click(app, deps, {
            operator: op === 'reassign' ? 'ou_wang' : 'ou_zhang',
            value: { v: 1, op, item: task.id },
            formValue: { [field]: value },
          });
          expect(answer.toast?.type).toBe('warning');
          expect(await database.db.selectFrom('item_history').select('id').execute()).toEqual(before);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('signed events and card callbacks nested past 64 levels anywhere are a 400 invalid_json: nothing stored, nothing sent', async () => {
    const { deps, app, fake, database } = world;
    const task = await createUnassignedTask(world);
    await flushOutbox(deps);
    fake.reset();
    const stored = async () =>
      (await database.db.selectFrom('inbound_events').select('event_id').execute()).length;
    const history = async () => (await database.db.selectFrom('item_history').select('id').execute()).length;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('message', 'click'),
        fc.constantFrom('top', 'event', 'form'),
        overDeep,
        fc.boolean(),
        async (kind, where, { depth, shape }, encrypt) => {
          const before = [await stored(), await history()];
          const payload: any =
            kind === 'click'
              ? cardActionEvent({
                  operator: 'ou_zhang',
                  value: { v: 1, op: 'progress', item: task.id },
                  formValue: {},
                })
              : messageEvent({ from: 'ou_zhang', text: `进展 ${task.id} 好` });
          const target =
            where === 'top'
              ? payload
              : where === 'event'
                ? payload.event
                : (payload.event.action ?? payload.event.message);
          target.deep = '__deep__';
          const text = JSON.stringify(payload).replace('"__deep__"', nestedJson(depth, shape));
          const res = await postToLark(app, deps, new RawJson(text), {
            path: kind === 'click' ? '/lark/cards' : '/lark/events',
            encrypt,
          });
          expect(res.status, `${kind} ${where} ${depth} ${shape}: ${JSON.stringify(res.body)}`).toBe(400);
          expect(res.body.error.code).toBe('invalid_json');
          await flushOutbox(deps);
          expectNoMoreMessages(fake);
          expect([await stored(), await history()]).toEqual(before);
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
