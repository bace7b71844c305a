import { listExtensionRequests } from '../db/repos/extension-requests.js';
import { appendHistory, listHistory } from '../db/repos/history.js';
import {
  findOpenDocument,
  findTicket,
  getAttendees,
  getItemRow,
  getParts,
  type ItemFilters,
  insertAttendees,
  insertItem,
  insertParts,
  listItemRows,
  nextItemId,
  storedMilestones,
} from '../db/repos/items.js';
import type { Db, NewItemRow, Trx } from '../db/schema.js';
import type { DatabaseContext, Deps } from '../deps.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { defaultDueAt } from '../domain/deadlines.js';
import { normalizeItemId } from '../domain/items.js';
import { lightOf } from '../domain/lights.js';
import type { DeadlineRules } from '../domain/rules.js';
import type {
  DocType,
  ExtensionRequest,
  HistoryEntry,
  Item,
  ItemPart,
  Light,
  MeetingAttendee,
  ReportEvery,
  TaskSource,
} from '../domain/types.js';
import { AppError } from '../platform/errors.js';
import { requireCategories } from '../settings/categories.js';
import { type ReferenceData, referenceData } from '../settings/reference-data.js';
import { notifyItemChanged } from './notifications/notify-item-change.js';

export interface CoDeptInput {
  dept: string;
  assignee?: string | null;
  dueAt?: Date | null;
}

export type CreateItemInput =
  | {
      kind: 'document';
      docType: DocType;
      title: string;
      assignee: string;
      docNo?: string | null;
      dept?: string | null;
      direction?: 'in' | 'out' | null;
      receivedAt?: Date | null;
      dueAt?: Date | null;
      chatId?: string | null;
      parent?: string | null;
      categories?: string[] | null;
    }
  | {
      kind: 'meeting';
      title: string;
      startsAt: Date;
      endsAt: Date;
      attendees: string[];
      location?: string | null;
      organizer?: string | null;
      minutesTaker?: string | null;
      dept?: string | null;
      chatId?: string | null;
      parent?: string | null;
      categories?: string[] | null;
    }
  | {
      kind: 'task';
      source: TaskSource;
      title: string;
      leadDept: string;
      coDepts?: (string | CoDeptInput)[];
      assignee?: string | null;
      dueAt?: Date | null;
      parent?: string | null;
      chatId?: string | null;
      /** The leader who gave the instruction or chaired the meeting (gets the 办结反馈). */
      leader?: string | null;
      /** Hotline tasks only: 工单号 (unique), caller, category. */
      ticketNo?: string | null;
      caller?: string | null;
      category?: string | null;
      /** How often progress is reported; absent → the rules' default for the source, null → never. */
      reportEvery?: ReportEvery | null;
      /** 节点: milestones, each due no later than the task. */
      milestones?: MilestoneInput[] | null;
      /** 专项: codes (or names) of categories an admin defined. */
      categories?: string[] | null;
    };

export interface MilestoneInput {
  title: string;
  dueAt: Date;
}

export type ItemDetail = Item & {
  parts: ItemPart[];
  attendees: MeetingAttendee[];
  extensionRequests: ExtensionRequest[];
};

/** The minutes task a meeting gets at creation (when it names a minutes taker). */
export type CreatedItem = ItemDetail & { minutesTaskId?: string };

/** A 422 naming the field and the problem; nothing has been written when it is thrown. */
export function invalid(field: string, message: string, status: 404 | 409 | 422 = 422): AppError {
  return new AppError(status, 'invalid_field', `${field}: ${message}`, [{ field, message }]);
}

function requirePeople(ref: ReferenceData, field: string, openIds: (string | null | undefined)[]): void {
  const wanted = [...new Set(openIds.filter((x): x is string => !!x))];
  const missing = wanted.filter((id) => !ref.people.has(id));
  if (missing.length > 0) throw invalid(field, `unknown person ${missing.map((m) => `"${m}"`).join(', ')}`);
}

function requireDept(ref: ReferenceData, field: string, code: string | null | undefined): void {
  if (code && !ref.departmentsByCode.has(code)) throw invalid(field, `unknown department "${code}"`);
}

async function requireParent(db: Db, parent: string | null | undefined): Promise<string | null> {
  if (!parent) return null;
  const id = normalizeItemId(parent);
  if (!id || !(await getItemRow(db, id))) throw invalid('parent', `no item "${parent}"`);
  return id;
}

/**
 * Creates an item with its co-unit parts or meeting attendees, its 'create' history row and its
 * notifications, in one transaction. Deadlines default from the office's rules; an explicit dueAt
 * wins. A meeting with a minutes taker gets its minutes task at once (parent = the meeting, due
 * `minutesWorkdays` working days after the meeting's end): created eagerly so nothing depends on a
 * job running at the right moment, and visible to the minutes taker ahead of time.
 */
export async function createItem(
  deps: Deps,
  input: CreateItemInput,
  actor: string,
  options: CreateItemOptions = {},
): Promise<CreatedItem> {
  const now = deps.clock.now();
  return withDuplicateDocumentCheck(deps.database.db, input, () =>
    deps.database.db.transaction().execute((trx) => createItemInTrx(trx, deps, input, actor, now, options)),
  );
}

/** Creates an item inside a transaction the caller holds (intake keeps its key in the same one). */
export async function createItemInTrx(
  trx: Trx,
  deps: Deps,
  input: CreateItemInput,
  actor: string,
  now: Date,
  options: CreateItemOptions = {},
): Promise<CreatedItem> {
  return createInTrx(trx, deps, input, actor, now, await referenceData(deps, trx), options);
}

/**
 * What an item would be, every reference and deadline checked, without writing anything or
 * drawing an id (a dry run of an import). Throws the same 4xx errors a creation would.
 */
export async function previewItemInTrx(
  trx: Trx,
  deps: Deps,
  input: CreateItemInput,
  actor: string,
  now: Date,
): Promise<ItemPreview> {
  const ref = await referenceData(deps, trx);
  const parentId = await requireParent(trx, input.parent);
  const categories = await requireCategories(trx, input.categories);
  const c: Creation = { trx, deps, actor, now, ...fromReference(ref, deps), parentId, categories };
  const draft = await draftItem(c, input);
  const r = draft.row;
  return {
    kind: r.kind,
    title: r.title,
    dept: r.dept ?? null,
    assignee: r.assignee ?? null,
    dueAt: r.due_at ? new Date(r.due_at) : null,
    parts: draft.parts.map((p) => ({ dept: p.dept, assignee: p.assignee, dueAt: p.dueAt })),
  };
}

export interface ItemPreview {
  kind: Item['kind'];
  title: string;
  dept: string | null;
  assignee: string | null;
  dueAt: Date | null;
  parts: { dept: string; assignee: string | null; dueAt: Date | null }[];
}

/** The 409 of a second open document under one 文号 and direction, naming the one already open. */
function duplicateDocument(existing: string, docNo: string, direction: string | null): AppError {
  return new AppError(
    409,
    'duplicate_document',
    `docNo: "${docNo}"${direction ? ` (${direction})` : ''} is already open as ${existing}`,
    { field: 'docNo', id: existing, docNo, direction },
  );
}

/** Whether an error is the unique violation of two open documents under one 文号 and direction. */
function isDuplicateOpenDocument(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  return (
    e?.code === '23505' &&
    (e.constraint === 'items_open_doc_no_uq' || /items_open_doc_no_uq/.test(e.message ?? ''))
  );
}

/**
 * Runs a creation; when a document registered at the same moment by another caller wins the
 * unique index, the loser's error becomes the 409 naming the winner (found after the rollback).
 */
export async function withDuplicateDocumentCheck<T>(
  db: Db,
  input: CreateItemInput,
  create: () => Promise<T>,
): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (input.kind !== 'document' || !input.docNo || !isDuplicateOpenDocument(error)) throw error;
    const existing = await findOpenDocument(db, input.docNo, input.direction ?? null);
    throw existing ? duplicateDocument(existing, input.docNo, input.direction ?? null) : error;
  }
}

export interface CreateItemOptions {
  /**
   * The recurring duty and occurrence this item is. Stored in the same insert, so the unique
   * index items_occurrence_uq makes a second creation of one occurrence fail as a whole
   * (`isDuplicateOccurrence`) — no window in which an item exists without its occurrence key.
   */
  occurrence?: { recurringId: number; key: string };
}

/** Whether an error is the unique violation of a recurring occurrence created twice. */
export function isDuplicateOccurrence(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | null;
  return (
    e?.code === '23505' &&
    (e.constraint === 'items_occurrence_uq' || /items_occurrence_uq/.test(e.message ?? ''))
  );
}

/** What creation needs besides the input: one clock reading, the calendar and rules, who creates. */
interface Creation {
  trx: Trx;
  deps: Deps;
  actor: string;
  now: Date;
  /** The people and departments every reference is checked against. */
  ref: ReferenceData;
  calendar: WorkCalendar;
  rules: DeadlineRules;
  timeZone: string;
  parentId: string | null;
  /** 专项 checked against the defined categories. */
  categories: string[];
}

/** The item's row with what comes with it; every reference checked, every deadline computed. */
interface Draft {
  /** The row but its id: the id is drawn only when the item is written. */
  row: Omit<NewItemRow, 'id'>;
  parts: ItemPart[];
  attendees: string[];
  minutes: MinutesPlan | null;
}

interface MinutesPlan {
  taker: string;
  dueAt: Date;
  dept: string | null;
}

function fromReference(ref: ReferenceData, deps: Deps) {
  return { ref, calendar: ref.calendar, rules: ref.rules, timeZone: deps.config.timezone };
}

async function createInTrx(
  trx: Trx,
  deps: Deps,
  input: CreateItemInput,
  actor: string,
  now: Date,
  ref: ReferenceData,
  options: CreateItemOptions = {},
): Promise<CreatedItem> {
  const parentId = await requireParent(trx, input.parent);
  const categories = await requireCategories(trx, input.categories);
  const c: Creation = { trx, deps, actor, now, ...fromReference(ref, deps), parentId, categories };
  const draft = await draftItem(c, input);
  if (options.occurrence) {
    const { recurringId, key } = options.occurrence;
    draft.row = { ...draft.row, recurring_id: recurringId, occurrence_key: key };
  }
  const item = await insertItem(trx, { ...draft.row, id: await nextItemId(trx, input.kind) });
  await insertParts(trx, item.id, draft.parts);
  await insertAttendees(trx, item.id, draft.attendees);
  const details = creationDetails(item, draft, parentId);
  await recordAndNotify(c, item, details);
  const result: CreatedItem = {
    ...item,
    parts: draft.parts,
    attendees: draft.attendees.map((openId) => ({ openId, attendance: 'pending', respondedAt: null })),
    extensionRequests: [],
  };
  if (draft.minutes) result.minutesTaskId = await createMinutesTask(c, item, draft.minutes);
  return result;
}

function draftItem(c: Creation, input: CreateItemInput): Promise<Draft> {
  switch (input.kind) {
    case 'document':
      return draftDocument(c, input);
    case 'meeting':
      return draftMeeting(c, input);
    case 'task':
      return draftTask(c, input);
  }
}

/** The columns every kind shares. */
function baseRow(c: Creation, input: CreateItemInput) {
  return {
    title: input.title,
    chat_id: input.chatId ?? null,
    parent_id: c.parentId,
    categories: c.categories,
    created_by: c.actor,
    created_at: c.now,
    updated_at: c.now,
  };
}

type Input<K extends CreateItemInput['kind']> = Extract<CreateItemInput, { kind: K }>;

async function draftDocument(c: Creation, input: Input<'document'>): Promise<Draft> {
  const { trx, now } = c;
  requirePeople(c.ref, 'assignee', [input.assignee]);
  requireDept(c.ref, 'dept', input.dept);
  const receivedAt = input.receivedAt ?? now;
  if (input.dueAt && input.dueAt.getTime() <= receivedAt.getTime())
    throw invalid('dueAt', 'must be later than receivedAt');
  if (input.docNo) {
    const existing = await findOpenDocument(trx, input.docNo, input.direction ?? null);
    if (existing) throw duplicateDocument(existing, input.docNo, input.direction ?? null);
  }
  const dept = input.dept ?? deptOf(c.ref, input.assignee);
  const dueAt =
    input.dueAt ??
    defaultDueAt({ kind: 'document', docType: input.docType, receivedAt }, c.rules, c.calendar, c.timeZone);
  const row: Draft['row'] = {
    ...baseRow(c, input),
    kind: 'document',
    doc_type: input.docType,
    doc_no: input.docNo ?? null,
    direction: input.direction ?? null,
    received_at: receivedAt,
    dept,
    assignee: input.assignee,
    due_at: dueAt,
    original_due_at: dueAt,
  };
  return { row, parts: [], attendees: [], minutes: null };
}

async function draftMeeting(c: Creation, input: Input<'meeting'>): Promise<Draft> {
  if (input.endsAt.getTime() <= input.startsAt.getTime())
    throw invalid('endsAt', 'must be later than startsAt');
  requirePeople(c.ref, 'attendees', input.attendees);
  requirePeople(c.ref, 'organizer', [input.organizer]);
  requirePeople(c.ref, 'minutesTaker', [input.minutesTaker]);
  requireDept(c.ref, 'dept', input.dept);
  const dept = input.dept ?? (input.organizer ? deptOf(c.ref, input.organizer) : null);
  const row: Draft['row'] = {
    ...baseRow(c, input),
    kind: 'meeting',
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    location: input.location ?? null,
    organizer: input.organizer ?? null,
    minutes_taker: input.minutesTaker ?? null,
    dept,
    // The organiser answers for the meeting; a meeting has no deadline of its own (its
    // follow-up is the minutes task and the decisions' tasks).
    assignee: input.organizer ?? null,
    due_at: null,
    original_due_at: null,
  };
  let minutes: MinutesPlan | null = null;
  if (input.minutesTaker) {
    const meetingEndsAt = input.endsAt;
    minutes = {
      taker: input.minutesTaker,
      dueAt: defaultDueAt({ kind: 'minutes', meetingEndsAt }, c.rules, c.calendar, c.timeZone),
      dept: dept ?? deptOf(c.ref, input.minutesTaker),
    };
  }
  return { row, parts: [], attendees: input.attendees, minutes };
}

async function draftTask(c: Creation, input: Input<'task'>): Promise<Draft> {
  const { trx, now } = c;
  requireDept(c.ref, 'leadDept', input.leadDept);
  requirePeople(c.ref, 'assignee', [input.assignee]);
  requirePeople(c.ref, 'leader', [input.leader]);
  await requireHotlineFields(trx, input);
  if (input.dueAt && input.dueAt.getTime() <= now.getTime()) throw invalid('dueAt', 'must be in the future');
  const dueAt =
    input.dueAt ??
    defaultDueAt({ kind: 'task', source: input.source, assignedAt: now }, c.rules, c.calendar, c.timeZone);
  // Every reference is checked before the id is drawn: a sequence number is never given back.
  const parts = await coDeptParts(c, input, dueAt);
  const milestones = checkMilestones(input.milestones ?? [], dueAt, now);
  const row: Draft['row'] = {
    ...baseRow(c, input),
    kind: 'task',
    source: input.source,
    lead_dept: input.leadDept,
    dept: input.leadDept,
    assignee: input.assignee ?? null,
    leader: input.leader ?? null,
    ticket_no: input.ticketNo ?? null,
    caller: input.caller ?? null,
    category: input.category ?? null,
    report_every: input.reportEvery === undefined ? c.rules.reportEvery[input.source] : input.reportEvery,
    report_since: now,
    milestones: storedMilestones(milestones),
    due_at: dueAt,
    original_due_at: dueAt,
  };
  return { row, parts, attendees: [], minutes: null };
}

/** 节点: each new milestone in the future (one kept as it was may have passed), all no later than the task's deadline. */
export function checkMilestones(
  list: readonly (MilestoneInput & { doneAt?: Date | null; kept?: boolean })[],
  taskDueAt: Date | null,
  now: Date,
): NonNullable<Item['milestones']> {
  return list.map((m, i) => {
    if (!m.doneAt && !m.kept && m.dueAt.getTime() <= now.getTime())
      throw invalid(`milestones.${i}.dueAt`, 'must be in the future');
    if (taskDueAt && m.dueAt.getTime() > taskDueAt.getTime())
      throw invalid(`milestones.${i}.dueAt`, "must not be later than the task's deadline (dueAt)");
    return { title: m.title, dueAt: m.dueAt, doneAt: m.doneAt ?? null };
  });
}

/** 工单号, caller and category belong to hotline tasks; a 工单号 is registered once. */
async function requireHotlineFields(trx: Trx, input: Input<'task'>): Promise<void> {
  if (input.source !== 'hotline') {
    for (const field of ['ticketNo', 'caller', 'category'] as const)
      if (input[field]) throw invalid(field, 'only hotline tasks (source "hotline") take this field');
    return;
  }
  if (!input.ticketNo) return;
  const existing = await findTicket(trx, input.ticketNo);
  if (existing) {
    throw new AppError(409, 'duplicate_ticket', `ticketNo: "${input.ticketNo}" is already ${existing}`, {
      field: 'ticketNo',
      id: existing,
      ticketNo: input.ticketNo,
    });
  }
}

/** 会办: each co-handling unit checked, with its own deadline (before the item's). */
async function coDeptParts(c: Creation, input: Input<'task'>, itemDueAt: Date): Promise<ItemPart[]> {
  const { now } = c;
  const co = (input.coDepts ?? []).map((d) => (typeof d === 'string' ? { dept: d } : d));
  const seen = new Set<string>();
  for (const [i, d] of co.entries()) {
    const field = `coDepts.${i}`;
    if (d.dept === input.leadDept) throw invalid(field, `"${d.dept}" is the lead department`);
    if (seen.has(d.dept)) throw invalid(field, `"${d.dept}" is listed twice`);
    seen.add(d.dept);
    requireDept(c.ref, field, d.dept);
    requirePeople(c.ref, `${field}.assignee`, [d.assignee]);
    if (d.dueAt && d.dueAt.getTime() > itemDueAt.getTime())
      throw invalid(`${field}.dueAt`, 'a co-handling unit answers the lead unit before the item is due');
    if (d.dueAt && d.dueAt.getTime() <= now.getTime())
      throw invalid(`${field}.dueAt`, 'must be in the future');
  }
  const coUnit = { kind: 'co-unit' as const, source: input.source, assignedAt: now, itemDueAt };
  return co.map((d) => ({
    dept: d.dept,
    assignee: d.assignee ?? null,
    status: 'open',
    dueAt: d.dueAt ?? defaultDueAt(coUnit, c.rules, c.calendar, c.timeZone),
    note: null,
    doneAt: null,
    doneBy: null,
  }));
}

function deptOf(ref: ReferenceData, openId: string): string | null {
  return ref.people.get(openId)?.dept ?? null;
}

/** What the 'create' history row says. */
function creationDetails(item: Item, draft: Draft, parentId: string | null): Record<string, unknown> {
  const details: Record<string, unknown> = { kind: item.kind, title: item.title };
  if (item.dueAt) details.dueAt = item.dueAt.toISOString();
  if (item.assignee) details.assignee = item.assignee;
  if (draft.parts.length)
    details.coDepts = draft.parts.map((p) => ({ dept: p.dept, dueAt: p.dueAt?.toISOString() ?? null }));
  if (draft.attendees.length) details.attendees = draft.attendees;
  if (parentId) details.parent = parentId;
  if (item.categories?.length) details.categories = item.categories;
  if (item.reportEvery) details.reportEvery = item.reportEvery;
  if (item.milestones?.length)
    details.milestones = item.milestones.map((m) => ({ title: m.title, dueAt: m.dueAt.toISOString() }));
  return details;
}

async function recordAndNotify(c: Creation, item: Item, details: Record<string, unknown>): Promise<void> {
  const { trx, actor, now } = c;
  await appendHistory(trx, { itemId: item.id, at: now, actor, action: 'create', details });
  await notifyItemChanged(trx, c.deps, { item, previous: null, action: 'create', actor, at: now, details });
}

/** The meeting's minutes task, for the minutes taker, recorded on both items. */
async function createMinutesTask(c: Creation, meeting: Item, plan: MinutesPlan): Promise<string> {
  const { trx, actor, now } = c;
  const task = await insertItem(trx, {
    id: await nextItemId(trx, 'task'),
    kind: 'task',
    title: `会议纪要：${meeting.title}`,
    source: 'other',
    lead_dept: plan.dept,
    dept: plan.dept,
    assignee: plan.taker,
    due_at: plan.dueAt,
    original_due_at: plan.dueAt,
    parent_id: meeting.id,
    chat_id: meeting.chatId,
    created_by: actor,
    created_at: now,
    updated_at: now,
  });
  const dueAt = plan.dueAt.toISOString();
  const details = { kind: 'task', title: task.title, minutesOf: meeting.id, assignee: plan.taker, dueAt };
  await appendHistory(trx, { itemId: task.id, at: now, actor, action: 'create', details });
  await appendHistory(trx, {
    itemId: meeting.id,
    at: now,
    actor,
    action: 'minutes-task',
    details: { taskId: task.id, assignee: plan.taker, dueAt },
  });
  await notifyItemChanged(trx, c.deps, {
    item: task,
    previous: null,
    action: 'create',
    actor,
    at: now,
    details,
  });
  return task.id;
}

/** One item with its parts, attendees and extension requests; ids in any spelling (d12 → D-12). */
export async function getItem(db: Db, id: string): Promise<ItemDetail | null> {
  const norm = normalizeItemId(id);
  if (!norm) return null;
  const item = await getItemRow(db, norm);
  if (!item) return null;
  const [parts, attendees, extensionRequests] = await Promise.all([
    getParts(db, [item.id]),
    getAttendees(db, [item.id]),
    listExtensionRequests(db, item.id),
  ]);
  return {
    ...item,
    parts: parts.get(item.id) ?? [],
    attendees: attendees.get(item.id) ?? [],
    extensionRequests,
  };
}

/** An item with its full history (every action, reminder and change, with actor and time). */
export async function getItemWithHistory(
  db: Db,
  id: string,
): Promise<(ItemDetail & { history: HistoryEntry[] }) | null> {
  const item = await getItem(db, id);
  if (!item) return null;
  return { ...item, history: await listHistory(db, item.id) };
}

export type { ItemFilters };

export async function listItems(db: Db, filters: ItemFilters = {}): Promise<Item[]> {
  return listItemRows(db, filters);
}

/** Items with their traffic light as of the clock, optionally only those of one light. */
export async function listItemsWithLights(
  deps: Deps,
  filters: ItemFilters & { light?: Light },
): Promise<(Item & { light: Light; parts: ItemPart[] })[]> {
  const db = deps.database.db;
  const [items, { calendar, rules }] = await Promise.all([listItemRows(db, filters), referenceData(deps)]);
  const now = deps.clock.now();
  const parts = await getParts(
    db,
    items.map((i) => i.id),
  );
  return items
    .map((i) => ({
      ...i,
      parts: parts.get(i.id) ?? [],
      light: lightOf(i, now, calendar, rules, deps.config.timezone),
    }))
    .filter((i) => !filters.light || i.light === filters.light);
}

/** The light of one item as of the clock (loads the calendar and rules). */
export async function lightNow(deps: Deps, item: Item): Promise<Light> {
  const { calendar, rules } = await referenceData(deps);
  return lightOf(item, deps.clock.now(), calendar, rules, deps.config.timezone);
}

/** One item, for the API: getItem with the database of the Deps. */
export function findItem(ctx: DatabaseContext, id: string): Promise<ItemDetail | null> {
  return getItem(ctx.database.db, id);
}

/** One item with its full history, for the API (GET /items/:id). */
export function findItemWithHistory(
  ctx: DatabaseContext,
  id: string,
): Promise<(ItemDetail & { history: HistoryEntry[] }) | null> {
  return getItemWithHistory(ctx.database.db, id);
}
