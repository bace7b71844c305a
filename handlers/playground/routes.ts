import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { cardActionEvent, messageEvent, signedRequest } from '../../src/lark/playground/lark-requests.js';
import type { StandIn } from '../../src/lark/playground/stand-in.js';
import { AppError, notFound } from '../../src/platform/errors.js';
import { findJob, jobNames, runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { playgroundDirectory } from '../../src/settings/demo-office.js';
import { readBody } from '../api/body.js';
import { PLAYGROUND_PAGE } from './page.js';

type Fetch = (req: Request) => Response | Promise<Response>;

const sayBody = z.object({
  as: z.string().min(1),
  chatId: z.string().min(1),
  text: z.string().trim().min(1).max(2000),
});
const clickBody = z.object({
  as: z.string().min(1),
  messageId: z.string().min(1),
  value: z.record(z.string(), z.unknown()),
  formValue: z.record(z.string(), z.unknown()).optional(),
});
const runBody = z.object({
  at: z.iso.datetime({
    offset: true,
    message: 'expected ISO 8601 with an offset, e.g. 2026-09-28T09:00:00+08:00',
  }),
});

/**
 * /playground: the page, the Lark stand-in the gateway talks to (/playground/lark/open-apis/…),
 * and the page's own endpoints. What a person does is turned into the request Lark would send,
 * signed with the playground's keys and posted to /lark/events or /lark/cards through the app.
 */
export function playgroundRoutes(deps: Deps, standIn: StandIn, appFetch: Fetch) {
  const r = new Hono();
  const lark = deps.config.lark;
  const origin = 'http://playground.local';

  const post = async (path: '/lark/events' | '/lark/cards', payload: unknown) => {
    const { body, headers } = signedRequest(lark, payload, deps.clock.now());
    const res = await appFetch(new Request(`${origin}${path}`, { method: 'POST', headers, body }));
    const answer = (await res.json().catch(() => ({}))) as {
      toast?: { content?: string };
      card?: { type?: string; data?: unknown };
    };
    if (res.status !== 200)
      throw new AppError(422, 'lark_refused', `${path} answered ${res.status}: ${JSON.stringify(answer)}`);
    return answer;
  };

  r.route('/lark', standIn.routes());
  r.get('/', (c) => c.html(PLAYGROUND_PAGE));

  r.get('/api/state', async (c) => {
    const directory = await playgroundDirectory(deps);
    return c.json({
      bot: { openId: standIn.botOpenId, name: '催办' },
      chats: [
        ...directory.departments
          .filter((d) => d.chatId)
          .map((d) => ({ chatId: d.chatId, name: `${d.name}群`, type: 'group' })),
        ...directory.people.map((p) => ({ chatId: standIn.dmChat(p.openId), name: p.name, type: 'p2p' })),
      ],
      people: directory.people,
      messages: standIn.messages,
      jobs: deps.jobs.map((j) => ({ name: j.name, description: j.description })),
    });
  });

  r.post('/api/say', async (c) => {
    const body = await readBody(c, sayBody);
    const group = !body.chatId.startsWith('oc_dm_');
    const mentioned = body.text.startsWith('@催办');
    const text = mentioned ? `@_user_1${body.text.slice('@催办'.length)}` : body.text;
    const message = standIn.addUserMessage({ chatId: body.chatId, sender: body.as, text: body.text });
    const event = messageEvent(lark, {
      from: body.as,
      chatId: body.chatId,
      chatType: group ? 'group' : 'p2p',
      messageId: message.messageId,
      text,
      ...(mentioned ? { bot: { openId: standIn.botOpenId, name: '催办' } } : {}),
      now: deps.clock.now(),
    });
    await post('/lark/events', event);
    return c.json({ messageId: message.messageId });
  });

  r.post('/api/click', async (c) => {
    const body = await readBody(c, clickBody);
    const message = standIn.messages.find((m) => m.messageId === body.messageId);
    if (!message) throw notFound(`No message ${body.messageId} in the playground.`);
    const token = `c-pg-${randomBytes(8).toString('hex')}`;
    standIn.registerCallbackToken(token, message.messageId);
    const answer = await post(
      '/lark/cards',
      cardActionEvent(lark, {
        operator: body.as,
        messageId: message.messageId,
        chatId: message.chatId,
        token,
        value: body.value,
        ...(body.formValue ? { formValue: body.formValue } : {}),
        now: deps.clock.now(),
      }),
    );
    // Lark shows the card answered to a click in place of the clicker's copy.
    if (answer.card?.type === 'raw') standIn.replaceCard(message.messageId, answer.card.data);
    return c.json({ toast: answer.toast ?? null });
  });

  r.post('/api/jobs/:job/run', async (c) => {
    const name = c.req.param('job');
    const job = findJob(deps, name);
    if (!job) throw notFound(`No job "${name}". Known jobs: ${jobNames(deps)}.`);
    const body = await readBody(c, runBody);
    return c.json(await runJobSlot(deps, job, { at: new Date(body.at) }));
  });

  return r;
}
