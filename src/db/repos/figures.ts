import { sql } from 'kysely';
import type { ClosedCounts, DueCounts, OpenCounts, Period } from '../../domain/figures.js';
import type { Db } from '../schema.js';

/**
 * The figures of src/domain/figures.ts counted in SQL, one row per department (`dept` null for
 * items without one). Each reads a partial index of items: open by department and deadline,
 * closed by closing time, all by deadline, all by creation time (2026113010_digest).
 */

export type ByDept<T> = Array<T & { dept: string | null }>;

const n = (v: unknown) => Number(v ?? 0);

/** Open items by light as of now (bounds from lightBounds) and those due later today. */
export async function countOpen(
  db: Db,
  b: { redBefore: Date; yellowBefore: Date; todayEnd: Date },
): Promise<ByDept<OpenCounts>> {
  const rows = await db
    .selectFrom('items')
    .select([
      'dept',
      sql<string>`count(*) filter (where due_at < ${b.redBefore})`.as('red'),
      sql<string>`count(*) filter (where due_at >= ${b.redBefore} and due_at < ${b.yellowBefore})`.as(
        'yellow',
      ),
      sql<string>`count(*) filter (where due_at is null or due_at >= ${b.yellowBefore})`.as('green'),
      sql<string>`count(*) filter (where due_at >= ${b.redBefore} and due_at < ${b.todayEnd})`.as(
        'due_today',
      ),
    ])
    .where('status', '=', 'open')
    .groupBy('dept')
    .execute();
  return rows.map((r) => ({
    dept: r.dept,
    red: n(r.red),
    yellow: n(r.yellow),
    green: n(r.green),
    dueToday: n(r.due_today),
  }));
}

/** 办结 / 按时办结 in a period, by closing time. */
export async function countClosed(db: Db, p: Period): Promise<ByDept<ClosedCounts>> {
  const rows = await db
    .selectFrom('items')
    .select([
      'dept',
      sql<string>`count(*)`.as('closed'),
      sql<string>`count(*) filter (where due_at is null or closed_at <= due_at)`.as('on_time'),
    ])
    .where('status', '=', 'done')
    .where('closed_at', '>=', p.from)
    .where('closed_at', '<', p.to)
    .groupBy('dept')
    .execute();
  return rows.map((r) => ({ dept: r.dept, closed: n(r.closed), closedOnTime: n(r.on_time) }));
}

/**
 * 应办结 in a period (deadline in it) and, of those, closed (on time) before its end; `source`
 * narrows to tasks of one source (the hotline's figures).
 */
export async function countDue(
  db: Db,
  p: Period,
  scope: { source?: string } = {},
): Promise<ByDept<DueCounts>> {
  let q = db.selectFrom('items');
  if (scope.source) q = q.where('source', '=', scope.source);
  const rows = await q
    .select([
      'dept',
      sql<string>`count(*)`.as('due'),
      sql<string>`count(*) filter (where status = 'done' and closed_at < ${p.to})`.as('done'),
      sql<string>`count(*) filter (where status = 'done' and closed_at <= due_at)`.as('on_time'),
    ])
    .where('status', '<>', 'cancelled')
    .where('due_at', '>=', p.from)
    .where('due_at', '<', p.to)
    .groupBy('dept')
    .execute();
  return rows.map((r) => ({ dept: r.dept, due: n(r.due), dueDone: n(r.done), dueDoneOnTime: n(r.on_time) }));
}

/** Items opened and closed per local day of a period, by department (the 14-day trend). */
export async function countDaily(
  db: Db,
  p: Period,
  timeZone: string,
): Promise<Array<{ dept: string | null; day: string; opened: number; closed: number }>> {
  const { rows } = await sql<{ dept: string | null; day: string; opened: string; closed: string }>`
    select dept, day, sum(opened) as opened, sum(closed) as closed from (
      select dept, to_char(created_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, 1 as opened, 0 as closed
        from items where created_at >= ${p.from} and created_at < ${p.to} and status <> 'cancelled'
      union all
      select dept, to_char(closed_at at time zone ${timeZone}, 'YYYY-MM-DD') as day, 0, 1
        from items where status = 'done' and closed_at >= ${p.from} and closed_at < ${p.to}
    ) t group by dept, day`.execute(db);
  return rows.map((r) => ({ dept: r.dept, day: r.day, opened: n(r.opened), closed: n(r.closed) }));
}

export interface OverdueRow {
  id: string;
  title: string;
  dept: string | null;
  assignee: string | null;
  dueAt: Date;
}

/** The `perDept` longest-overdue open items of each department, oldest deadline first. */
export async function oldestOverdue(db: Db, now: Date, perDept: number): Promise<OverdueRow[]> {
  const { rows } = await sql<{
    id: string;
    title: string;
    dept: string | null;
    assignee: string | null;
    due_at: Date;
  }>`
    select id, title, dept, assignee, due_at from (
      select id, title, dept, assignee, due_at,
             row_number() over (partition by dept order by due_at, id) as rn
        from items where status = 'open' and due_at < ${now}
    ) t where rn <= ${perDept} order by due_at, id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    dept: r.dept,
    assignee: r.assignee,
    dueAt: new Date(r.due_at),
  }));
}

export interface PendingExtensionRow {
  requestId: number;
  itemId: string;
  title: string;
  dept: string | null;
  requestedBy: string;
  newDueAt: Date;
  reason: string | null;
}

/** Every extension request still waiting for a decision, oldest first. */
export async function pendingExtensions(db: Db): Promise<PendingExtensionRow[]> {
  const rows = await db
    .selectFrom('extension_requests as e')
    .innerJoin('items as i', 'i.id', 'e.item_id')
    .select(['e.id', 'e.item_id', 'i.title', 'i.dept', 'e.requested_by', 'e.new_due_at', 'e.reason'])
    .where('e.status', '=', 'pending')
    .where('i.status', '=', 'open')
    .orderBy('e.requested_at')
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    requestId: r.id,
    itemId: r.item_id,
    title: r.title,
    dept: r.dept,
    requestedBy: r.requested_by,
    newDueAt: r.new_due_at,
    reason: r.reason,
  }));
}

/** Chiefs who may receive the digest: active, role chief, with their department and opt-out. */
export async function listChiefs(
  db: Db,
): Promise<Array<{ openId: string; name: string; dept: string | null; isTop: boolean; digestOff: boolean }>> {
  const rows = await db
    .selectFrom('people')
    .leftJoin('departments', 'departments.code', 'people.dept_code')
    .select(['people.open_id', 'people.name', 'people.dept_code', 'departments.is_top', 'people.digest_off'])
    .where('people.active', '=', true)
    .where((eb) => eb(eb.val('chief'), '=', eb.fn.any('people.roles')))
    .orderBy('people.open_id')
    .execute();
  return rows.map((r) => ({
    openId: r.open_id,
    name: r.name,
    dept: r.dept_code,
    isTop: r.is_top === true,
    digestOff: r.digest_off,
  }));
}

/** 简报 关闭 / 开启: whether a person receives the daily digest. */
export async function setDigestOff(db: Db, openId: string, off: boolean, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('people')
    .set({ digest_off: off, updated_at: at })
    .where('open_id', '=', openId)
    .where('active', '=', true)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface ItemFactRow {
  id: string;
  title: string;
  dept: string | null;
  createdAt: Date;
  dueAt: Date | null;
  /** Set when closed within the period. */
  closedAt: Date | null;
  /** Open, or closed after the period, with its deadline before the period's end. */
  overdueAtEnd: boolean;
  extensions: number;
  unansweredReminders: number;
}

/** Actions that answer a 催办: anything the handler or a chief did on the item. */
const ANSWERS = ['done', 'read', 'claim', 'progress', 'extend', 'attend', 'leave', 'reassign', 'cancel'];

/**
 * Every item something happened to in a period, for the scores: closed in it, overdue at its
 * end, an extension asked in it, or a 催办 sent in it that nobody answered before its end.
 */
export async function itemFacts(db: Db, p: Period): Promise<ItemFactRow[]> {
  const { rows } = await sql<{
    id: string;
    title: string;
    dept: string | null;
    created_at: Date;
    due_at: Date | null;
    closed_at: Date | null;
    overdue_at_end: boolean;
    extensions: string;
    unanswered: string;
  }>`
    with closed as (
      select id from items where status = 'done' and closed_at >= ${p.from} and closed_at < ${p.to}
    ), overdue as (
      select id from items where status = 'open' and due_at < ${p.to}
      union select id from items where status = 'done' and closed_at >= ${p.to} and due_at < ${p.to}
    ), ext as (
      select item_id as id, count(*) as n from extension_requests
       where requested_at >= ${p.from} and requested_at < ${p.to} group by item_id
    ), rem as (
      select r.item_id as id, count(*) as n from reminders r
       where r.sent_at >= ${p.from} and r.sent_at < ${p.to}
         and not exists (select 1 from item_history h where h.item_id = r.item_id and h.at > r.sent_at
                           and h.at < ${p.to} and h.action = any(${ANSWERS}::text[]))
       group by r.item_id
    ), touched as (
      select id from closed union select id from overdue union select id from ext union select id from rem
    )
    select i.id, i.title, i.dept, i.created_at, i.due_at,
           case when i.id in (select id from closed) then i.closed_at end as closed_at,
           i.id in (select id from overdue) as overdue_at_end,
           coalesce(ext.n, 0) as extensions, coalesce(rem.n, 0) as unanswered
      from touched t join items i on i.id = t.id
      left join ext on ext.id = i.id left join rem on rem.id = i.id
     where i.status <> 'cancelled'
     order by i.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    dept: r.dept,
    createdAt: new Date(r.created_at),
    dueAt: r.due_at ? new Date(r.due_at) : null,
    closedAt: r.closed_at ? new Date(r.closed_at) : null,
    overdueAtEnd: r.overdue_at_end,
    extensions: n(r.extensions),
    unansweredReminders: n(r.unanswered),
  }));
}

/** Items opened in a period, by department and task source ('document' / 'meeting' for the others). */
export async function countOpened(
  db: Db,
  p: Period,
): Promise<Array<{ dept: string | null; source: string; opened: number }>> {
  const rows = await db
    .selectFrom('items')
    .select(['dept', sql<string>`coalesce(source, kind)`.as('source'), sql<string>`count(*)`.as('opened')])
    .where('created_at', '>=', p.from)
    .where('created_at', '<', p.to)
    .where('status', '<>', 'cancelled')
    .groupBy(['dept', sql`coalesce(source, kind)`])
    .execute();
  return rows.map((r) => ({ dept: r.dept, source: r.source, opened: n(r.opened) }));
}

/** Hotline tickets opened in a period, by category (null for none), most first. */
export async function countHotlineCategories(
  db: Db,
  p: Period,
): Promise<Array<{ category: string | null; count: number }>> {
  const rows = await db
    .selectFrom('items')
    .select(['category', sql<string>`count(*)`.as('n')])
    .where('source', '=', 'hotline')
    .where('status', '<>', 'cancelled')
    .where('created_at', '>=', p.from)
    .where('created_at', '<', p.to)
    .groupBy('category')
    .execute();
  return rows
    .map((r) => ({ category: r.category, count: n(r.n) }))
    .sort((a, b) => b.count - a.count || String(a.category).localeCompare(String(b.category)));
}
