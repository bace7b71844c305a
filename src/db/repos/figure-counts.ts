import { sql } from 'kysely';
import type { FigureCounts } from '../../domain/figure-rows.js';
import type { Period } from '../../domain/figures.js';
import type { Db } from '../schema.js';

/**
 * The counts of src/domain/figure-rows.ts in one grouped query: the items something happened to
 * in the period (created, closed, due, overdue at its end, an extension asked or a 催办 sent in
 * it), each counted under its group. Handling working days come from a table of day ordinals the
 * caller passes (workdayOrdinals), so the calendar stays in the domain.
 */

export type FigureGrouping = 'dept' | 'source' | 'person' | 'category' | 'office';

/** Actions that answer a 催办 (as in itemFacts): anything the handler or a chief did on the item. */
const ANSWERS = ['done', 'read', 'claim', 'progress', 'extend', 'attend', 'leave', 'reassign', 'cancel'];

const KEY = {
  dept: sql`i.dept`,
  source: sql`coalesce(i.source, i.kind)`,
  person: sql`i.assignee`,
  category: sql`c.code`,
  office: sql`null::text`,
} as const;

export interface FigureScope {
  /** Only the items of this department. */
  dept?: string | undefined;
  /** Only tasks of this source (the hotline's figures). */
  source?: string | undefined;
}

/** The first local day any item closed in the period was created (where the ordinals must start). */
export async function firstCreatedOfClosed(db: Db, p: Period, timeZone: string): Promise<string | null> {
  const r = await db
    .selectFrom('items')
    .select(sql<string | null>`to_char(min(created_at) at time zone ${timeZone}, 'YYYY-MM-DD')`.as('day'))
    .where('status', '=', 'done')
    .where('closed_at', '>=', p.from)
    .where('closed_at', '<', p.to)
    .executeTakeFirst();
  return r?.day ?? null;
}

export async function countFigures(
  db: Db,
  p: Period,
  by: FigureGrouping,
  scope: FigureScope,
  ctx: { timeZone: string; days: string[]; ordinals: number[] },
): Promise<Array<FigureCounts & { key: string | null }>> {
  const tz = ctx.timeZone;
  const f = p.from;
  const t = p.to;
  const deptFilter = scope.dept ? sql`and i.dept = ${scope.dept}` : sql``;
  const sourceFilter = scope.source ? sql`and i.source = ${scope.source}` : sql``;
  const categoryJoin = by === 'category' ? sql`cross join lateral unnest(i.categories) as c(code)` : sql``;
  const closedIn = sql`i.status = 'done' and i.closed_at >= ${f} and i.closed_at < ${t}`;
  const dueIn = sql`i.due_at >= ${f} and i.due_at < ${t}`;
  const { rows } = await sql<Record<string, string | null>>`
    with touched as (
      select id from items where created_at >= ${f} and created_at < ${t}
      union select id from items where status = 'done' and closed_at >= ${f} and closed_at < ${t}
      union select id from items where status <> 'cancelled' and due_at >= ${f} and due_at < ${t}
      union select id from items where status = 'open' and due_at < ${t}
      union select id from items where status = 'done' and closed_at >= ${t} and due_at < ${t}
      union select item_id from extension_requests where requested_at >= ${f} and requested_at < ${t}
      union select item_id from reminders where sent_at >= ${f} and sent_at < ${t}
    ), ext as (
      select item_id, count(*) as n from extension_requests
       where requested_at >= ${f} and requested_at < ${t} group by item_id
    ), rem as (
      select r.item_id, count(*) as n from reminders r
       where r.sent_at >= ${f} and r.sent_at < ${t}
         and not exists (select 1 from item_history h where h.item_id = r.item_id and h.at > r.sent_at
                           and h.at < ${t} and h.action = any(${ANSWERS}::text[]))
       group by r.item_id
    ), days as (
      select * from unnest(${ctx.days}::date[], ${ctx.ordinals}::int[]) as d(day, ord)
    )
    select ${KEY[by]} as key,
      count(*) filter (where i.created_at >= ${f} and i.created_at < ${t}) as opened,
      count(*) filter (where ${closedIn}) as closed,
      count(*) filter (where ${closedIn} and (i.due_at is null or i.closed_at <= i.due_at)) as on_time,
      count(*) filter (where (i.status = 'open' and i.due_at < ${t})
                          or (i.status = 'done' and i.closed_at >= ${t} and i.due_at < ${t})) as overdue,
      count(*) filter (where ${dueIn}) as due,
      count(*) filter (where ${dueIn} and i.status = 'done' and i.closed_at < ${t}) as due_done,
      count(*) filter (where ${dueIn} and i.status = 'done' and i.closed_at <= i.due_at) as due_on_time,
      coalesce(sum(dc.ord - dd.ord) filter (where ${closedIn}), 0) as handling,
      coalesce(sum(ext.n), 0) as extensions,
      coalesce(sum(rem.n), 0) as unanswered
    from touched join items i on i.id = touched.id
    ${categoryJoin}
    left join ext on ext.item_id = i.id
    left join rem on rem.item_id = i.id
    left join days dd on dd.day = (i.created_at at time zone ${tz})::date
    left join days dc on dc.day = (i.closed_at at time zone ${tz})::date
    where i.status <> 'cancelled' ${deptFilter} ${sourceFilter}
    group by 1`.execute(db);
  const n = (v: string | null | undefined) => Number(v ?? 0);
  return rows.map((r) => ({
    key: r.key ?? null,
    opened: n(r.opened),
    closed: n(r.closed),
    onTime: n(r.on_time),
    overdue: n(r.overdue),
    due: n(r.due),
    dueDone: n(r.due_done),
    dueDoneOnTime: n(r.due_on_time),
    handlingWorkdaysTotal: n(r.handling),
    extensions: n(r.extensions),
    unansweredReminders: n(r.unanswered),
  }));
}

/** 信息 sent: outgoing documents (发文, direction out) closed in the period. */
export async function countInformationSent(db: Db, p: Period, scope: FigureScope): Promise<number> {
  let q = db
    .selectFrom('items')
    .select(sql<string>`count(*)`.as('n'))
    .where('kind', '=', 'document')
    .where('direction', '=', 'out')
    .where('status', '=', 'done')
    .where('closed_at', '>=', p.from)
    .where('closed_at', '<', p.to);
  if (scope.dept) q = q.where('dept', '=', scope.dept);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Items closed since `since`, by department, handler, kind and source (a document's type): how
 * many and their handling working days in total (for 预计逾期).
 */
export async function handlingHistory(
  db: Db,
  since: Date,
  ctx: { timeZone: string; days: string[]; ordinals: number[] },
): Promise<
  Array<{ dept: string | null; assignee: string | null; key: string; samples: number; total: number }>
> {
  const tz = ctx.timeZone;
  const { rows } = await sql<{
    dept: string | null;
    assignee: string | null;
    key: string;
    n: string;
    total: string;
  }>`
    with days as (select * from unnest(${ctx.days}::date[], ${ctx.ordinals}::int[]) as d(day, ord))
    select i.dept, i.assignee, i.kind || ':' || coalesce(i.source, i.doc_type, '') as key,
           count(*) as n, sum(dc.ord - dd.ord) as total
      from items i
      join days dd on dd.day = (i.created_at at time zone ${tz})::date
      join days dc on dc.day = (i.closed_at at time zone ${tz})::date
     where i.status = 'done' and i.closed_at >= ${since}
     group by 1, 2, 3`.execute(db);
  return rows.map((r) => ({
    dept: r.dept,
    assignee: r.assignee,
    key: r.key,
    samples: Number(r.n),
    total: Number(r.total ?? 0),
  }));
}

/** The earliest local day an item closed since `since` was created. */
export async function firstCreatedClosedSince(db: Db, since: Date, timeZone: string): Promise<string | null> {
  const r = await db
    .selectFrom('items')
    .select(sql<string | null>`to_char(min(created_at) at time zone ${timeZone}, 'YYYY-MM-DD')`.as('day'))
    .where('status', '=', 'done')
    .where('closed_at', '>=', since)
    .executeTakeFirst();
  return r?.day ?? null;
}
