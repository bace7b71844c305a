import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { ACTION_NAMES, normalizeItemId } from '../../src/domain/items.js';
import { toZonedIso } from '../../src/domain/time.js';
import type { ActionName, HistoryEntry, Item, Light } from '../../src/domain/types.js';
import { AppError, notFound } from '../../src/errors.js';
import { createItemOnce } from '../../src/services/intake.js';
import { type ItemActionInput, performItemAction } from '../../src/services/item-actions.js';
import {
  createItem,
  getItemWithHistory,
  type ItemDetail,
  lightNow,
  listItemsWithLights,
} from '../../src/services/items.js';
import { param, readBody, validate } from './body.js';
import * as F from './fields.js';
import { idempotencyKeyOf } from './idempotency.js';

const openId = F.openId();
const instant = F.instant();
const title = F.text({ max: 300 });
const deptCode = F.deptCode();
const optional = F.optional;
const chatId = F.chatId();
const itemRef = F.itemRef();

const documentSchema = z
  .object({
    kind: z.literal('document'),
    docType: z.enum(['circular', 'signoff', 'urgent', 'normal']),
    docNo: optional(F.text({ max: 100, required: false })),
    title,
    assignee: openId,
    dept: optional(deptCode),
    direction: optional(z.enum(['in', 'out'])),
    receivedAt: optional(instant),
    dueAt: optional(instant),
    chatId: optional(chatId),
    parent: optional(itemRef),
    createdBy: optional(openId),
  })
  .strict();
const meetingSchema = z
  .object({
    kind: z.literal('meeting'),
    title,
    startsAt: instant,
    endsAt: instant,
    location: optional(F.text({ max: 200, required: false })),
    attendees: z.array(openId).max(500).default([]),
    organizer: optional(openId),
    minutesTaker: optional(openId),
    dept: optional(deptCode),
    chatId: optional(chatId),
    parent: optional(itemRef),
    createdBy: optional(openId),
  })
  .strict();
const taskSchema = z
  .object({
    kind: z.literal('task'),
    source: z.enum(['instruction', 'decision', 'proposal', 'practical', 'hotline', 'other']),
    title,
    leadDept: deptCode,
    coDepts: z
      .array(
        z.union([
          deptCode,
          z.object({ dept: deptCode, assignee: optional(openId), dueAt: optional(instant) }).strict(),
        ]),
      )
      .max(50)
      .optional(),
    assignee: optional(openId),
    dueAt: optional(instant),
    parent: optional(itemRef),
    chatId: optional(chatId),
    leader: optional(openId),
    ticketNo: optional(z.string().trim().min(1).max(64)),
    caller: optional(z.string().trim().max(100)),
    category: optional(z.string().trim().min(1).max(50)),
    createdBy: optional(openId),
  })
  .strict();
/** The body of POST /items, also read by the OA webhook and each row of an import. */
export const createSchema = z.discriminatedUnion('kind', [documentSchema, meetingSchema, taskSchema], {
  error: 'expected one of "document", "meeting", "task"',
});

const actionSchema = z
  .object({
    action: z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]),
    by: openId,
    note: F.text({ max: 2000, required: false }).optional(),
    days: z.number().int('must be a whole number of working days').min(1).max(60).optional(),
    newDueAt: instant.optional(),
    reason: F.text({ max: 1000, required: false }).optional(),
    to: openId.optional(),
    partDept: deptCode.optional(),
    /** The call's own id (a repeat changes nothing), or for a decision the extension request decided. */
    requestId: z.union([F.id({ max: 200, what: 'a request id' }), z.number().int().positive()]).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.days !== undefined && body.newDueAt !== undefined) {
      const message = 'give either days or newDueAt, not both';
      ctx.addIssue({ code: 'custom', path: ['days'], message });
      ctx.addIssue({ code: 'custom', path: ['newDueAt'], message });
    }
    if (isDecision(body.action) && body.requestId !== undefined && !/^\d{1,9}$/.test(String(body.requestId)))
      ctx.addIssue({
        code: 'custom',
        path: ['requestId'],
        message: `for ${body.action}: the id of the extension request decided (extensionRequests[].id)`,
      });
  });

function isDecision(action: ActionName): boolean {
  return action === 'approve-extension' || action === 'reject-extension';
}

/**
 * The action as the service takes it. A decision's requestId names the extension request it
 * decides (a decision on another request is refused with 409); any other action's requestId is
 * the call's own id, so a repeated call changes nothing.
 */
function actionInput(itemId: string, body: z.infer<typeof actionSchema>): ItemActionInput {
  const { requestId, ...rest } = body;
  if (requestId === undefined) return { ...rest, itemId };
  if (isDecision(body.action)) return { ...rest, itemId, extensionId: Number(requestId) };
  return { ...rest, itemId, requestId: String(requestId) };
}

type Shown = Item &
  Partial<Pick<ItemDetail, 'parts' | 'attendees' | 'extensionRequests'>> & { history?: HistoryEntry[] };

const REFUSED: Record<keyof typeof STATUS, (action: string, id: string, by: string) => string> = {
  not_found: (_a, id) => `id: no item "${id}" (ids look like D-12, M-3, T-7).`,
  forbidden: (a, id, by) => `by: ${by} is not allowed to "${a}" ${id} (details.reply says why).`,
  invalid_state: (a, id) =>
    `action: "${a}" does not apply to ${id} in its current state (details.reply says why).`,
  invalid_input: (a, id) => `"${a}" on ${id}: the input does not fit (details.reply says what is wrong).`,
};

const STATUS = { not_found: 404, forbidden: 403, invalid_state: 409, invalid_input: 422 } as const;

/** 事项: POST /items, GET /items, GET /items/:id (with history), POST /items/:id/actions. */
export function itemsRoutes(deps: Deps) {
  const app = new Hono();
  const tz = deps.config.timezone;
  const z8 = (d: Date | null) => (d ? toZonedIso(d, tz) : null);
  const show = (item: Shown, light: Light) => ({
    ...item,
    light,
    dueAt: z8(item.dueAt),
    originalDueAt: z8(item.originalDueAt),
    receivedAt: z8(item.receivedAt),
    startsAt: z8(item.startsAt),
    endsAt: z8(item.endsAt),
    progressAt: z8(item.progressAt),
    closedAt: z8(item.closedAt),
    createdAt: z8(item.createdAt),
    ...(item.parts
      ? { parts: item.parts.map((p) => ({ ...p, dueAt: z8(p.dueAt), doneAt: z8(p.doneAt) })) }
      : {}),
    ...(item.attendees
      ? { attendees: item.attendees.map((a) => ({ ...a, respondedAt: z8(a.respondedAt) })) }
      : {}),
    ...(item.extensionRequests
      ? {
          extensionRequests: item.extensionRequests.map((e) => ({
            ...e,
            requestedAt: z8(e.requestedAt),
            currentDueAt: z8(e.currentDueAt),
            newDueAt: z8(e.newDueAt),
            decidedAt: z8(e.decidedAt),
          })),
        }
      : {}),
    ...(item.history ? { history: item.history.map((h) => ({ ...h, at: z8(h.at) })) } : {}),
  });

  app.post('/items', async (c) => {
    const body = await readBody(c, createSchema);
    const { createdBy, ...input } = body;
    const actor = createdBy ?? 'admin-api';
    const key = await idempotencyKeyOf(c, 'api');
    if (key) {
      // The same key and body answer the item the first call created, with 200.
      const { item, replayed } = await createItemOnce(deps, input, actor, key);
      return c.json(show(item, await lightNow(deps, item)), replayed ? 200 : 201);
    }
    const created = await createItem(deps, input, actor);
    return c.json(show(created, await lightNow(deps, created)), 201);
  });

  app.get('/items', async (c) => {
    const q = validate(
      z.object({
        status: z.enum(['open', 'done', 'cancelled']).optional(),
        kind: z.enum(['document', 'meeting', 'task']).optional(),
        assignee: F.queryValue().optional(),
        dept: F.queryValue().optional(),
        parent: F.queryValue().optional(),
        light: z.enum(['green', 'yellow', 'red']).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
      c.req.query(),
    );
    const parent = q.parent ? (normalizeItemId(q.parent) ?? q.parent) : undefined;
    const items = await listItemsWithLights(deps, { ...q, ...(parent ? { parent } : {}) });
    return c.json({ items: items.map((i) => show(i, i.light)) });
  });

  app.get('/items/:id', async (c) => {
    param(c, 'id', itemRef);
    const item = await getItemWithHistory(deps.database.db, c.req.param('id'));
    if (!item) throw notFound(`No item "${c.req.param('id')}" (ids look like D-12, M-3, T-7).`);
    return c.json(show(item, await lightNow(deps, item)));
  });

  app.post('/items/:id/actions', async (c) => {
    param(c, 'id', itemRef);
    const body = await readBody(c, actionSchema);
    const outcome = await performItemAction(deps, actionInput(c.req.param('id'), body));
    if (!outcome.ok) {
      // One language policy: `message` is English for the integrator; the sentence the person
      // would read in chat is `details.reply`.
      const id = outcome.item?.id ?? c.req.param('id');
      throw new AppError(
        STATUS[outcome.code],
        outcome.code,
        REFUSED[outcome.code](body.action, id, body.by),
        {
          item: outcome.item?.id ?? null,
          action: body.action,
          reply: outcome.message,
        },
      );
    }
    return c.json({
      ok: true,
      changed: outcome.changed,
      message: outcome.message,
      item: show(outcome.item, await lightNow(deps, outcome.item)),
    });
  });

  return app;
}
