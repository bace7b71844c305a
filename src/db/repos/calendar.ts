import { sql } from 'kysely';
import type { Db } from '../schema.js';

export interface CalendarOverride {
  date: string;
  workday: boolean;
  note: string | null;
  updatedBy: string | null;
  updatedAt: Date;
}

/** Every admin override as date → working day, for building a WorkCalendar. */
export async function loadOverrides(db: Db): Promise<Map<string, boolean>> {
  const rows = await db.selectFrom('calendar_overrides').select(['date', 'workday']).execute();
  return new Map(rows.map((r) => [r.date, r.workday]));
}

export async function listOverrides(db: Db, from?: string, to?: string): Promise<CalendarOverride[]> {
  let q = db.selectFrom('calendar_overrides').selectAll();
  if (from) q = q.where('date', '>=', from);
  if (to) q = q.where('date', '<=', to);
  const rows = await q.orderBy('date').execute();
  return rows.map((r) => ({
    date: r.date,
    workday: r.workday,
    note: r.note,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  }));
}

export async function upsertOverride(
  db: Db,
  o: { date: string; workday: boolean; note: string | null; by: string; at: Date },
): Promise<void> {
  await db
    .insertInto('calendar_overrides')
    .values({ date: o.date, workday: o.workday, note: o.note, updated_by: o.by, updated_at: o.at })
    .onConflict((oc) =>
      oc.column('date').doUpdateSet({ workday: o.workday, note: o.note, updated_by: o.by, updated_at: o.at }),
    )
    .execute();
}

export async function countOverrides(db: Db): Promise<number> {
  const row = await db
    .selectFrom('calendar_overrides')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** How many overrides each year has (years without any are absent). */
export async function overrideCountsByYear(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('calendar_overrides')
    .select([sql<number>`extract(year from date)::int`.as('year'), (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy(sql`extract(year from date)`)
    .execute();
  return new Map(rows.map((r) => [Number(r.year), Number(r.n)]));
}
