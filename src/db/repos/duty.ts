import type { Db, DutyLogEvent, Trx } from '../schema.js';

export type { DutyLogEvent };

export interface DutyDay {
  date: string;
  /** The officer on duty (first of `officers`). */
  officer: string;
  /** Every officer on the shift, the officer first. */
  officers: string[];
  leader: string;
  note: string | null;
  /** 'HH:mm' set for this day; null = the office's default. */
  start: string | null;
  end: string | null;
  handoverBy: string | null;
  handoverAt: Date | null;
}

export interface DutyLogEntry {
  id: string;
  date: string;
  at: Date;
  by: string;
  entry: string;
  quiet: boolean;
  event: DutyLogEvent | null;
}

export interface DutyDayInput {
  date: string;
  officers: string[];
  leader: string;
  note: string | null;
  start: string | null;
  end: string | null;
}

/** Writes a day of the roster (a new one, or the officers, leader, note and times of an existing one). */
export async function upsertDutyDay(db: Db, day: DutyDayInput, now: Date): Promise<void> {
  const values = {
    officer: day.officers[0]!,
    co_officers: day.officers.slice(1),
    leader: day.leader,
    note: day.note,
    start_time: day.start,
    end_time: day.end,
    updated_at: now,
  };
  await db
    .insertInto('duty_roster')
    .values({ date: day.date, ...values })
    .onConflict((oc) => oc.column('date').doUpdateSet(values))
    .execute();
}

type RosterRow = {
  date: string;
  officer: string;
  co_officers: string[];
  leader: string;
  note: string | null;
  start_time: string | null;
  end_time: string | null;
  handover_by: string | null;
  handover_at: Date | null;
};

function toDutyDay(r: RosterRow): DutyDay {
  return {
    date: r.date,
    officer: r.officer,
    officers: [r.officer, ...(r.co_officers ?? []).filter((o) => o !== r.officer)],
    leader: r.leader,
    note: r.note,
    start: r.start_time,
    end: r.end_time,
    handoverBy: r.handover_by,
    handoverAt: r.handover_at,
  };
}

export async function listDutyDays(db: Db, from: string, to: string): Promise<DutyDay[]> {
  const rows = await db
    .selectFrom('duty_roster')
    .selectAll()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
  return rows.map(toDutyDay);
}

export async function getDutyDay(db: Db, date: string): Promise<DutyDay | null> {
  return (await listDutyDays(db, date, date))[0] ?? null;
}

export async function lockDutyDay(trx: Trx, date: string): Promise<DutyDay | null> {
  const r = await trx
    .selectFrom('duty_roster')
    .selectAll()
    .where('date', '=', date)
    .forUpdate()
    .executeTakeFirst();
  return r ? toDutyDay(r) : null;
}

/** Replaces one officer of a day by another (a swap), keeping the others and the order. */
export async function replaceOfficer(
  trx: Trx,
  day: DutyDay,
  from: string,
  to: string,
  now: Date,
): Promise<void> {
  const officers = day.officers.map((o) => (o === from ? to : o));
  await trx
    .updateTable('duty_roster')
    .set({ officer: officers[0]!, co_officers: officers.slice(1), updated_at: now })
    .where('date', '=', day.date)
    .execute();
}

/** Records the handover once: the first confirmation stands, later ones change nothing. */
export async function confirmHandover(db: Db, date: string, by: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('duty_roster')
    .set({ handover_by: by, handover_at: at })
    .where('date', '=', date)
    .where('handover_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function appendDutyLog(
  db: Db,
  entry: { date: string; at: Date; by: string; entry: string; quiet?: boolean; event?: DutyLogEvent | null },
): Promise<void> {
  await db
    .insertInto('duty_log')
    .values({
      date: entry.date,
      at: entry.at,
      by: entry.by,
      entry: entry.entry,
      quiet: entry.quiet ?? false,
      event: entry.event ? JSON.stringify(entry.event) : null,
    })
    .execute();
}

export async function listDutyLog(db: Db, date: string): Promise<DutyLogEntry[]> {
  const rows = await db.selectFrom('duty_log').selectAll().where('date', '=', date).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    date: r.date,
    at: r.at,
    by: r.by,
    entry: r.entry,
    quiet: r.quiet,
    event: (typeof r.event === 'string' ? JSON.parse(r.event) : r.event) as DutyLogEvent | null,
  }));
}

/** The dates in [from, to] whose duty log has at least one entry. */
export async function datesWithLog(db: Db, from: string, to: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('duty_log')
    .select('date')
    .distinct()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .execute();
  return new Set(rows.map((r) => r.date));
}

/** The shifts (roster days) in [from, to] that have no duty log entry. */
export async function daysWithoutLog(db: Db, from: string, to: string): Promise<DutyDay[]> {
  const rows = await db
    .selectFrom('duty_roster')
    .selectAll()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('duty_log').select('id').whereRef('duty_log.date', '=', 'duty_roster.date')),
      ),
    )
    .orderBy('date')
    .execute();
  return rows.map(toDutyDay);
}
