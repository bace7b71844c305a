import { sql } from 'kysely';
import type { Db, ItemRow, Trx } from '../schema.js';

export type CandidateItem = Pick<
  ItemRow,
  | 'id'
  | 'kind'
  | 'title'
  | 'status'
  | 'doc_type'
  | 'assignee'
  | 'dept'
  | 'due_at'
  | 'created_at'
  | 'starts_at'
  | 'location'
  | 'report_every'
  | 'report_since'
>;

const ITEM_COLUMNS = [
  'id',
  'kind',
  'title',
  'status',
  'doc_type',
  'assignee',
  'dept',
  'due_at',
  'created_at',
  'starts_at',
  'location',
  'report_every',
  'report_since',
] as const;

/**
 * The open items a reminder run may concern, found by index, never by scanning:
 * deadlines before `dueBefore` (items_open_due_idx), urgent documents (items_open_urgent_idx),
 * meetings starting before `meetingsBefore` (items_meeting_starts_idx), and items whose open
 * co-handling part is due before `dueBefore` (item_parts_open_due_idx), and the open tasks that
 * report on a rhythm (items_open_rhythm_idx: their reports are due whatever their deadline).
 */
export async function loadReminderCandidates(
  db: Db,
  window: { now: Date; dueBefore: Date; meetingsBefore: Date },
): Promise<CandidateItem[]> {
  const [due, urgent, meetings, partItems, rhythm] = await Promise.all([
    db
      .selectFrom('items')
      .select(ITEM_COLUMNS)
      .where('status', '=', 'open')
      .where('due_at', '<', window.dueBefore)
      .where('kind', '<>', 'meeting')
      .execute(),
    db
      .selectFrom('items')
      .select(ITEM_COLUMNS)
      .where('status', '=', 'open')
      .where('doc_type', '=', 'urgent')
      .where('created_at', '<=', window.now)
      .execute(),
    db
      .selectFrom('items')
      .select(ITEM_COLUMNS)
      .where('kind', '=', 'meeting')
      .where('status', '=', 'open')
      .where('starts_at', '>', window.now)
      .where('starts_at', '<', window.meetingsBefore)
      .execute(),
    db
      .selectFrom('item_parts')
      .innerJoin('items', 'items.id', 'item_parts.item_id')
      .select(ITEM_COLUMNS.map((c) => `items.${c}` as const))
      .where('item_parts.status', '=', 'open')
      .where('item_parts.due_at', '<', window.dueBefore)
      .where('items.status', '=', 'open')
      .execute(),
    db
      .selectFrom('items')
      .select(ITEM_COLUMNS)
      .where('status', '=', 'open')
      .where('report_every', 'is not', null)
      .execute(),
  ]);
  const byId = new Map<string, CandidateItem>();
  for (const row of [...due, ...urgent, ...meetings, ...partItems, ...rhythm]) byId.set(row.id, row);
  return [...byId.values()];
}

export interface OpenPartRow {
  item_id: string;
  dept_code: string;
  assignee: string | null;
  due_at: Date | null;
}

export async function loadOpenParts(db: Db, itemIds: string[]): Promise<OpenPartRow[]> {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('item_parts')
    .select(['item_id', 'dept_code', 'assignee', 'due_at'])
    .where('status', '=', 'open')
    .where(sql<boolean>`item_id = any(${itemIds}::text[])`)
    .execute();
}

export async function loadAttending(
  db: Db,
  meetingIds: string[],
): Promise<{ item_id: string; open_id: string; attendance: string }[]> {
  if (meetingIds.length === 0) return [];
  return db
    .selectFrom('meeting_attendees')
    .select(['item_id', 'open_id', 'attendance'])
    .where('attendance', '<>', 'leave')
    .where(sql<boolean>`item_id = any(${meetingIds}::text[])`)
    .execute();
}

/**
 * Once-keys already recorded for these items that can still matter: one-shot kinds (periods
 * 'due:…', 'start:…', 'once', the progress reports' 'report:…') and today's / this hour's daily kinds.
 */
export async function loadSentKeys(
  db: Db,
  itemIds: string[],
  periods: { today: string; hour: string },
): Promise<{ item_id: string; recipient: string; kind: string; level: number; period: string }[]> {
  if (itemIds.length === 0) return [];
  return db
    .selectFrom('reminders')
    .select(['item_id', 'recipient', 'kind', 'level', 'period'])
    .where(sql<boolean>`item_id = any(${itemIds}::text[])`)
    .where((eb) =>
      eb.or([
        eb('period', 'in', [periods.today, periods.hour, 'once']),
        eb('period', 'like', 'due:%'),
        eb('period', 'like', 'start:%'),
        eb('period', 'like', 'report:%'),
      ]),
    )
    .execute();
}

export interface Organisation {
  chiefsByDept: Map<string, string[]>;
  leaders: string[];
  names: Map<string, string>;
  deptNames: Map<string, string>;
}

/**
 * Who escalations go to: each department's active chiefs; the office's leaders are the chiefs of
 * the top department and chiefs without a department (they see every department).
 */
export async function loadOrganisation(db: Db): Promise<Organisation> {
  const [chiefs, depts] = await Promise.all([
    db
      .selectFrom('people')
      .select(['open_id', 'name', 'dept_code'])
      .where('active', '=', true)
      .where(sql<boolean>`'chief' = any(roles)`)
      .orderBy('open_id')
      .execute(),
    db.selectFrom('departments').select(['code', 'name', 'is_top']).execute(),
  ]);
  const top = new Set(depts.filter((d) => d.is_top).map((d) => d.code));
  const chiefsByDept = new Map<string, string[]>();
  const leaders: string[] = [];
  const names = new Map<string, string>();
  for (const c of chiefs) {
    names.set(c.open_id, c.name);
    if (c.dept_code) chiefsByDept.set(c.dept_code, [...(chiefsByDept.get(c.dept_code) ?? []), c.open_id]);
    if (!c.dept_code || top.has(c.dept_code)) leaders.push(c.open_id);
  }
  return { chiefsByDept, leaders, names, deptNames: new Map(depts.map((d) => [d.code, d.name])) };
}

export async function loadNames(db: Db, openIds: string[]): Promise<Map<string, string>> {
  if (openIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('people')
    .select(['open_id', 'name'])
    .where(sql<boolean>`open_id = any(${openIds}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.open_id, r.name]));
}

export interface ReminderRow {
  item_id: string;
  recipient: string;
  kind: string;
  level: number;
  period: string;
}

/** Records reminders; answers only the rows that were new (the rest were already sent). */
export async function insertReminders(
  trx: Trx,
  rows: ReminderRow[],
  meta: { slot: string; sentAt: Date },
): Promise<ReminderRow[]> {
  if (rows.length === 0) return [];
  return trx
    .insertInto('reminders')
    .values(rows.map((r) => ({ ...r, slot: meta.slot, sent_at: meta.sentAt })))
    .onConflict((oc) => oc.constraint('reminders_once').doNothing())
    .returning(['item_id', 'recipient', 'kind', 'level', 'period'])
    .execute();
}

/** Points this slot's new reminder rows for one recipient at the outbox row that carries them. */
export async function linkRemindersToOutbox(
  trx: Trx,
  link: { recipient: string; slot: string; outboxId: string },
): Promise<void> {
  await trx
    .updateTable('reminders')
    .set({ outbox_id: link.outboxId })
    .where('slot', '=', link.slot)
    .where('recipient', '=', link.recipient)
    .where('outbox_id', 'is', null)
    .execute();
}

/** The reminders one round card carried (its outbox row), in the order they were recorded. */
export async function listRemindersOfCard(db: Db, outboxId: string): Promise<ReminderRow[]> {
  return db
    .selectFrom('reminders')
    .select(['item_id', 'recipient', 'kind', 'level', 'period'])
    .where('outbox_id', '=', outboxId)
    .orderBy('id')
    .execute();
}
