import { sql } from 'kysely';
import type {
  DocType,
  ExtensionRequest,
  Item,
  ItemKind,
  ItemPart,
  ItemStatus,
  MeetingAttendee,
  TaskSource,
} from '../../domain/types.js';
import { KIND_PREFIX } from '../../domain/types.js';
import type { Db, ItemRow, ItemUpdate, NewItemRow, Trx } from '../schema.js';

export function toItem(r: ItemRow): Item {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    docType: r.doc_type,
    docNo: r.doc_no,
    direction: r.direction,
    receivedAt: r.received_at,
    source: r.source as TaskSource | null,
    leadDept: r.lead_dept,
    dept: r.dept,
    assignee: r.assignee,
    dueAt: r.due_at,
    originalDueAt: r.original_due_at,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    location: r.location,
    organizer: r.organizer,
    minutesTaker: r.minutes_taker,
    chatId: r.chat_id,
    parentId: r.parent_id,
    progressNote: r.progress_note,
    progressAt: r.progress_at,
    closedAt: r.closed_at,
    closedBy: r.closed_by,
    createdBy: r.created_by,
    leader: r.leader,
    ticketNo: r.ticket_no,
    caller: r.caller,
    category: r.category,
    reportEvery: r.report_every ?? null,
    reportSince: r.report_since ?? null,
    milestones: milestonesOf(r.milestones),
    categories: r.categories ?? [],
    createdAt: r.created_at,
    version: r.version,
  };
}

type StoredMilestone = { title: string; dueAt: string; doneAt: string | null };

function milestonesOf(stored: unknown): NonNullable<Item['milestones']> {
  const list = (typeof stored === 'string' ? JSON.parse(stored) : stored) as StoredMilestone[] | null;
  if (!Array.isArray(list)) return [];
  return list.map((m) => ({
    title: m.title,
    dueAt: new Date(m.dueAt),
    doneAt: m.doneAt ? new Date(m.doneAt) : null,
  }));
}

/** Milestones as the column stores them (JSON text; null for none). */
export function storedMilestones(list: NonNullable<Item['milestones']>): string | null {
  if (list.length === 0) return null;
  return JSON.stringify(
    list.map((m) => ({
      title: m.title,
      dueAt: m.dueAt.toISOString(),
      doneAt: m.doneAt?.toISOString() ?? null,
    })),
  );
}

/** The next short id of a kind (D-12, M-3, T-7), from that kind's sequence. */
export async function nextItemId(db: Db, kind: ItemKind): Promise<string> {
  const seq = `item_seq_${kind}`;
  const { rows } = await sql<{ n: string }>`select nextval(${seq}::regclass)::text as n`.execute(db);
  return `${KIND_PREFIX[kind]}-${Number(rows[0]!.n)}`;
}

export async function insertItem(db: Db, row: NewItemRow): Promise<Item> {
  const r = await db.insertInto('items').values(row).returningAll().executeTakeFirstOrThrow();
  return toItem(r);
}

export async function getItemRow(db: Db, id: string): Promise<Item | null> {
  const r = await db.selectFrom('items').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toItem(r) : null;
}

/** One item, its row locked until the transaction ends (serialises actions on it: first wins). */
export async function lockItem(trx: Trx, id: string): Promise<Item | null> {
  const r = await trx.selectFrom('items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return r ? toItem(r) : null;
}

/**
 * Locks the item row (FOR UPDATE of the item only) and reads its pending extension request in the
 * same statement: what every action on an item reads first, in one round trip.
 */
export async function lockItemWithPending(
  trx: Trx,
  id: string,
): Promise<{ item: Item; pending: ExtensionRequest | null } | null> {
  const r = await trx
    .selectFrom('items')
    .leftJoin('extension_requests as e', (j) =>
      j.onRef('e.item_id', '=', 'items.id').on('e.status', '=', 'pending'),
    )
    .selectAll('items')
    .select([
      'e.id as e_id',
      'e.requested_by as e_requested_by',
      'e.requested_at as e_requested_at',
      'e.current_due_at as e_current_due_at',
      'e.new_due_at as e_new_due_at',
      'e.reason as e_reason',
      'e.decided_by as e_decided_by',
      'e.decided_at as e_decided_at',
    ])
    .where('items.id', '=', id)
    .forUpdate('items')
    .executeTakeFirst();
  if (!r) return null;
  const pending: ExtensionRequest | null =
    r.e_id === null
      ? null
      : {
          id: r.e_id,
          itemId: r.id,
          requestedBy: r.e_requested_by!,
          requestedAt: r.e_requested_at!,
          currentDueAt: r.e_current_due_at,
          newDueAt: r.e_new_due_at!,
          reason: r.e_reason,
          status: 'pending',
          decidedBy: r.e_decided_by,
          decidedAt: r.e_decided_at,
        };
  return { item: toItem(r), pending };
}

/** Changes an item and bumps its version (cards compare versions to know they are stale). */
export async function updateItem(db: Db, id: string, set: ItemUpdate, at: Date): Promise<Item> {
  const r = await db
    .updateTable('items')
    .set({ ...set, updated_at: at, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItem(r);
}

export interface ItemFilters {
  status?: ItemStatus;
  kind?: ItemKind;
  assignee?: string;
  dept?: string;
  parent?: string;
  docType?: DocType;
  /** 专项: items carrying this category code. */
  category?: string;
  limit?: number;
}

export async function listItemRows(db: Db, f: ItemFilters): Promise<Item[]> {
  let q = db.selectFrom('items').selectAll();
  if (f.status) q = q.where('status', '=', f.status);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.assignee) q = q.where('assignee', '=', f.assignee);
  if (f.dept) q = q.where('dept', '=', f.dept);
  if (f.parent) q = q.where('parent_id', '=', f.parent);
  if (f.docType) q = q.where('doc_type', '=', f.docType);
  if (f.category) q = q.where(sql<boolean>`categories @> array[${f.category}]::text[]`);
  const rows = await q
    .orderBy(sql`due_at asc nulls last`)
    .orderBy('created_at')
    .orderBy('id')
    .limit(f.limit ?? 500)
    .execute();
  return rows.map(toItem);
}

// --- co-handling parts -------------------------------------------------------------------------

export async function insertParts(db: Db, itemId: string, parts: ItemPart[]): Promise<void> {
  if (parts.length === 0) return;
  await db
    .insertInto('item_parts')
    .values(
      parts.map((p) => ({
        item_id: itemId,
        dept_code: p.dept,
        assignee: p.assignee,
        status: p.status,
        due_at: p.dueAt,
        note: p.note,
      })),
    )
    .execute();
}

export async function getParts(db: Db, itemIds: string[]): Promise<Map<string, ItemPart[]>> {
  const out = new Map<string, ItemPart[]>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('item_parts')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .orderBy('item_id')
    .orderBy('dept_code')
    .execute();
  for (const r of rows) {
    const list = out.get(r.item_id) ?? [];
    list.push({
      dept: r.dept_code,
      assignee: r.assignee,
      status: r.status,
      dueAt: r.due_at,
      note: r.note,
      doneAt: r.done_at,
      doneBy: r.done_by,
    });
    out.set(r.item_id, list);
  }
  return out;
}

export async function updatePart(
  db: Db,
  itemId: string,
  dept: string,
  set: { assignee?: string | null; status?: 'open' | 'done'; note?: string; doneAt?: Date; doneBy?: string },
): Promise<void> {
  await db
    .updateTable('item_parts')
    .set({
      ...(set.assignee !== undefined ? { assignee: set.assignee } : {}),
      ...(set.status ? { status: set.status } : {}),
      ...(set.note !== undefined ? { note: set.note } : {}),
      ...(set.doneAt ? { done_at: set.doneAt } : {}),
      ...(set.doneBy ? { done_by: set.doneBy } : {}),
    })
    .where('item_id', '=', itemId)
    .where('dept_code', '=', dept)
    .execute();
}

// --- meeting attendees -------------------------------------------------------------------------

export async function insertAttendees(db: Db, itemId: string, openIds: string[]): Promise<void> {
  if (openIds.length === 0) return;
  await db
    .insertInto('meeting_attendees')
    .values([...new Set(openIds)].map((open_id) => ({ item_id: itemId, open_id })))
    .execute();
}

export async function getAttendees(db: Db, itemIds: string[]): Promise<Map<string, MeetingAttendee[]>> {
  const out = new Map<string, MeetingAttendee[]>();
  if (itemIds.length === 0) return out;
  const rows = await db
    .selectFrom('meeting_attendees')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .orderBy('item_id')
    .orderBy('open_id')
    .execute();
  for (const r of rows) {
    const list = out.get(r.item_id) ?? [];
    list.push({ openId: r.open_id, attendance: r.attendance, respondedAt: r.responded_at });
    out.set(r.item_id, list);
  }
  return out;
}

export async function setAttendance(
  db: Db,
  itemId: string,
  openId: string,
  attendance: 'attend' | 'leave',
  at: Date,
): Promise<void> {
  await db
    .updateTable('meeting_attendees')
    .set({ attendance, responded_at: at })
    .where('item_id', '=', itemId)
    .where('open_id', '=', openId)
    .execute();
}

/** The item registered under a hotline 工单号, whatever its status. */
export async function findTicket(db: Db, ticketNo: string): Promise<string | null> {
  const r = await db.selectFrom('items').select('id').where('ticket_no', '=', ticketNo).executeTakeFirst();
  return r?.id ?? null;
}

// --- documents ---------------------------------------------------------------------------------

/** The open document registered under this 文号 and direction (no direction is its own value). */
export async function findOpenDocument(
  db: Db,
  docNo: string,
  direction: 'in' | 'out' | null,
): Promise<string | null> {
  let q = db
    .selectFrom('items')
    .select('id')
    .where('kind', '=', 'document')
    .where('status', '=', 'open')
    .where('doc_no', '=', docNo);
  q = direction ? q.where('direction', '=', direction) : q.where('direction', 'is', null);
  return (await q.executeTakeFirst())?.id ?? null;
}

// --- rhythm ------------------------------------------------------------------------------------

/** The sub-tasks (倒排工期) of these parents, each with what the roll-up counts. */
export async function listChildren(
  db: Db,
  parentIds: string[],
): Promise<{ parentId: string; status: ItemStatus; dueAt: Date | null; closedAt: Date | null }[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .selectFrom('items')
    .select(['parent_id', 'status', 'due_at', 'closed_at'])
    .where(sql<boolean>`parent_id = any(${parentIds}::text[])`)
    .execute();
  return rows.map((r) => ({
    parentId: r.parent_id!,
    status: r.status,
    dueAt: r.due_at,
    closedAt: r.closed_at,
  }));
}

/**
 * The open long tasks: those on a reporting rhythm, with milestones, or with open or closed
 * sub-tasks (倒排工期), of one department or of all.
 */
export async function listOpenLongTasks(db: Db, filters: { dept?: string } = {}): Promise<Item[]> {
  let q = db
    .selectFrom('items as i')
    .selectAll('i')
    .where('i.status', '=', 'open')
    .where('i.kind', '=', 'task')
    .where((eb) =>
      eb.or([
        eb('i.report_every', 'is not', null),
        eb('i.milestones', 'is not', null),
        eb.exists(eb.selectFrom('items as c').select('c.id').whereRef('c.parent_id', '=', 'i.id')),
      ]),
    );
  if (filters.dept) q = q.where('i.dept', '=', filters.dept);
  const rows = await q.orderBy('i.id').execute();
  return rows.map(toItem);
}
