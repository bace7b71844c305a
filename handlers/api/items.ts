import { z } from 'zod';
import type { Deps } from '../../src/deps.js';
import { ACTION_NAMES, normalizeItemId } from '../../src/domain/items.js';
import { MAX_MILESTONES } from '../../src/domain/rhythm.js';
import { toZonedIso } from '../../src/domain/time.js';
import type { ActionName, HistoryEntry, Item, Light } from '../../src/domain/types.js';
import { type ItemActionInput, performItemAction } from '../../src/items/actions/perform.js';
import { createItemOnce } from '../../src/items/intake/intake.js';
import {
  createItem,
  findItem,
  findItemWithHistory,
  type ItemDetail,
  lightNow,
  listItemsWithLights,
} from '../../src/items/items.js';
import { taskPlanNow } from '../../src/items/rhythm.js';
import { ADMIN_API_ACTOR, updateTaskPlan } from '../../src/items/task-plan.js';
import { AppError, notFound } from '../../src/platform/errors.js';
import { listItemsAtRisk } from '../../src/reports/forecast.js';
import { requireCategoriesIn, setCategoriesOnItem } from '../../src/settings/categories.js';
import { param, readBody, validate } from './body.js';
import * as F from './fields.js';
import { idempotencyKeyOf } from './idempotency.js';
import { apiApp, pathParam, route } from './openapi.js';

const openId = F.openId();
const instant = F.instant();
const title = F.text({ max: 300 }).meta({
  description: 'The title as on the document (never its content).',
});
const deptCode = F.deptCode();
const optional = F.optional;
const chatId = F.chatId();
const itemRef = F.itemRef();

const categories = z
  .array(F.text({ max: 100 }))
  .max(10, 'at most 10 categories')
  .meta({
    description:
      '专项: codes (or names) of categories defined under `/categories` (e.g. `key-projects` or 重点建设项目); an unknown or retired one is a 422. The item is counted under each in `GET /reports/figures?by=category`.',
  });

const reportEvery = z
  .enum(['week', 'tenDays', 'month'], { error: 'expected "week", "tenDays", "month" or null' })
  .nullable()
  .meta({
    description:
      "How often progress is reported (以周保旬、以旬保月): each week (Monday–Sunday), each 旬 (1st–10th, 11th–20th, 21st–end) or each month. A report is due at the end of the period's last working day (before a holiday, not after); a missing one is chased like a deadline. Absent: the default for the source in `GET /rules` `reportEvery`; null: no reports.",
  });
const milestone = z
  .object({
    title: F.text({ max: 100 }).meta({ description: 'What is reached (节点), e.g. 完成招标.' }),
    dueAt: instant.meta({ description: "When; no later than the task's deadline." }),
  })
  .strict();
const milestones = z
  .array(milestone)
  .max(MAX_MILESTONES, `at most ${MAX_MILESTONES} milestones`)
  .meta({
    description: `Milestones (节点, at most ${MAX_MILESTONES}), each with its own light by its own dueAt, shown on the item's card and in the digest.`,
  });

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
    categories: optional(categories),
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
    categories: optional(categories),
    createdBy: optional(openId),
  })
  .strict();
const taskSchema = z
  .object({
    kind: z.literal('task'),
    source: z.enum(['instruction', 'decision', 'proposal', 'practical', 'hotline', 'other']),
    title,
    leadDept: deptCode.meta({ description: 'Code of the lead department (主办); any member may claim it.' }),
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
    reportEvery: reportEvery.optional(),
    milestones: milestones.optional(),
    categories: optional(categories),
    createdBy: optional(openId),
  })
  .strict();
/** The body of POST /items, also read by the OA webhook and each row of an import. */
export const createSchema = z.discriminatedUnion('kind', [documentSchema, meetingSchema, taskSchema], {
  error: 'expected one of "document", "meeting", "task"',
});

const patchSchema = z
  .object({
    reportEvery: reportEvery.optional(),
    milestones: z
      .array(milestone.extend({ done: z.boolean().optional().meta({ description: 'Reached.' }) }).strict())
      .max(MAX_MILESTONES, `at most ${MAX_MILESTONES} milestones`)
      .optional(),
    categories: categories.optional().meta({
      description:
        '专项: replaces the categories of any item (document, meeting or task, open or closed); recorded in the history as `categories`.',
    }),
    by: openId.optional().meta({
      description:
        "open_id of who changes it (history actor): a chief of the task's department (or of the top department) or an admin; 422 if unknown, 403 otherwise. Default admin-api.",
    }),
  })
  .strict();

const actionSchema = z
  .object({
    action: z.enum(ACTION_NAMES as [ActionName, ...ActionName[]]),
    by: openId.meta({
      description: 'open_id of the person acting; the office rules decide whether they may.',
    }),
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

const listQuery = z.object({
  status: z.enum(['open', 'done', 'cancelled']).optional(),
  kind: z.enum(['document', 'meeting', 'task']).optional(),
  assignee: F.queryValue().optional().meta({ description: 'open_id of the handler.' }),
  dept: F.queryValue().optional().meta({ description: 'Department code.' }),
  parent: F.queryValue().optional().meta({ description: 'Sub-tasks of this item id.' }),
  category: F.queryValue().optional().meta({ description: '专项: items carrying this category code.' }),
  atRisk: z.enum(['true', 'false']).optional().meta({
    description:
      '预计逾期: `true` lists only the open items the forecast flags, each with `risk: {reason, basis, averageWorkdays, elapsedWorkdays, remainingWorkdays}` (docs/figures.md).',
  }),
  light: z.enum(['green', 'yellow', 'red']).optional().meta({ description: 'The light computed now.' }),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const idParams = z.object({ id: itemRef.meta({ description: 'D-12, M-3 or T-7.' }) });

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
  const app = apiApp();
  const tag = 'items';
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
    ...(item.milestones
      ? { milestones: item.milestones.map((m) => ({ ...m, dueAt: z8(m.dueAt), doneAt: z8(m.doneAt) })) }
      : {}),
  });
  /** The rhythm, milestones with their lights and the sub-task roll-up of one item. */
  const plan = async (item: Item) => {
    const p = await taskPlanNow(deps, item);
    const r = p.rhythm;
    return {
      milestones: p.milestones.map((m) => ({ ...m, dueAt: z8(m.dueAt), doneAt: z8(m.doneAt) })),
      rhythm: r && {
        ...r,
        next: r.next && { ...r.next, dueAt: z8(r.next.dueAt) },
        lastReport: r.lastReport && { ...r.lastReport, at: z8(r.lastReport.at) },
      },
      subtasks: p.subtasks,
    };
  };

  route(
    app,
    {
      method: 'post',
      path: '/items',
      tag,
      summary: 'Create a document, meeting or task',
      description:
        'The deadline follows the office rules unless `dueAt` is given. The handler (or the department group, for an unassigned task) gets the new-item card. With an Idempotency-Key header, a repeat answers the first item (200).',
      body: createSchema,
      ok: { status: 201, description: 'The item with `id`, `status`, `dueAt` and `light`.' },
      errors: [409],
    },
    async (c) => {
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
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/items',
      tag,
      summary: 'List items with their lights computed now',
      query: listQuery,
      ok: { description: '`{items}`' },
    },
    async (c) => {
      const q = validate(listQuery, c.req.query());
      const parent = q.parent ? (normalizeItemId(q.parent) ?? q.parent) : undefined;
      const { atRisk, ...filters } = q;
      const wanted = { ...filters, ...(parent ? { parent } : {}) };
      if (atRisk === 'true') {
        const flagged = await listItemsAtRisk(deps, wanted);
        return c.json({ items: flagged.map((i) => ({ ...show(i, i.light), risk: i.risk })) });
      }
      const items = await listItemsWithLights(deps, wanted);
      return c.json({ items: items.map((i) => show(i, i.light)) });
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/items/{id}',
      tag,
      summary: 'One item with its parts, attendees, extension requests and full history (留痕)',
      description:
        "Tasks also answer `rhythm` (how often they report, the next report due, the last report, reports on time / late / missed; null without a rhythm), `milestones` with each one's `light` (null once reached) and `subtasks` (倒排工期: `{total, done, late}` of the sub-tasks, null without any; late = open past the deadline or closed after it).",
      params: idParams,
      ok: { description: 'The item and `history`.' },
      errors: [404],
    },
    async (c) => {
      param(c, 'id', itemRef);
      const item = await findItemWithHistory(deps, pathParam(c, 'id'));
      if (!item) throw notFound(`No item "${pathParam(c, 'id')}" (ids look like D-12, M-3, T-7).`);
      return c.json({ ...show(item, await lightNow(deps, item)), ...(await plan(item)) });
    },
  );

  route(
    app,
    {
      method: 'patch',
      path: '/items/{id}',
      tag,
      summary: "A task's reporting rhythm and milestones; any item's categories (专项)",
      description:
        "Open tasks only (409 otherwise). `reportEvery` sets how often progress is reported (null: no reports); `milestones` replaces the whole list, `done: true` marking one reached (it keeps the moment it was first marked). A new milestone must lie in the future; every one no later than the task's deadline. Recorded in the history as `update`.",
      params: idParams,
      body: patchSchema,
      ok: { description: 'The task with `rhythm`, `milestones` and `subtasks`, as GET /items/:id.' },
      errors: [403, 404, 409],
    },
    async (c) => {
      param(c, 'id', itemRef);
      const { by, categories: wanted, ...patch } = await readBody(c, patchSchema);
      const id = pathParam(c, 'id');
      const actor = by ?? ADMIN_API_ACTOR;
      const codes = wanted === undefined ? null : await requireCategoriesIn(deps, wanted);
      // The plan first: it checks the task, its state and who acts before anything is written.
      let item: Item | null =
        Object.keys(patch).length > 0 || codes === null ? await updateTaskPlan(deps, id, patch, actor) : null;
      if (codes !== null) {
        const outcome = await setCategoriesOnItem(deps, normalizeItemId(id) ?? id, codes, actor);
        if (!outcome.ok && outcome.code === 'not_found')
          throw notFound(`No item "${id}" (ids look like D-12, M-3, T-7).`);
        if (!outcome.ok)
          throw new AppError(403, 'forbidden', `by: ${actor} may not set the categories of ${id}`, [
            { field: 'by', message: outcome.message },
          ]);
        item = await findItem(deps, outcome.itemId);
      }
      if (!item) throw notFound(`No item "${id}" (ids look like D-12, M-3, T-7).`);
      return c.json({ ...show(item, await lightNow(deps, item)), ...(await plan(item)) });
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/items/{id}/actions',
      tag,
      summary: 'Act on an item as a person: the same rules as the card buttons and chat commands',
      description: [
        'Who may act: the handler on their item (done, read, progress, extend); any member of the lead',
        'department claims an unassigned item (first one wins); a co-unit member reports on their',
        "unit's part (partDept); a chief of the department (or of the top department) approves or",
        'rejects extensions, reassigns, closes and cancels; admins may do everything; attendees answer',
        'attend / leave. Anyone else gets 403 and nothing changes. A repeat answers `changed: false`.',
      ].join(' '),
      params: idParams,
      body: actionSchema,
      ok: { description: '`{ok, changed, message, item}`' },
      errors: [403, 404, 409],
    },
    async (c) => {
      param(c, 'id', itemRef);
      const body = await readBody(c, actionSchema);
      const outcome = await performItemAction(deps, actionInput(pathParam(c, 'id'), body));
      if (!outcome.ok) {
        // One language policy: `message` is English for the integrator; the sentence the person
        // would read in chat is `details.reply`.
        const id = outcome.item?.id ?? pathParam(c, 'id');
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
    },
  );

  return app;
}
