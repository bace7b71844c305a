import type { Db } from './departments.js';

export interface DutyDay {
  date: string;
  officer: string;
  leader: string;
  note: string | null;
  handoverBy: string | null;
  handoverAt: Date | null;
}

export interface DutyLogEntry {
  id: string;
  date: string;
  at: Date;
  by: string;
  entry: string;
}

export async function upsertDutyDay(
  db: Db,
  day: { date: string; officer: string; leader: string; note: string | null },
  now: Date,
): Promise<void> {
  await db
    .insertInto('duty_roster')
    .values({ ...day, updated_at: now })
    .onConflict((oc) =>
      oc
        .column('date')
        .doUpdateSet({ officer: day.officer, leader: day.leader, note: day.note, updated_at: now }),
    )
    .execute();
}

export async function listDutyDays(db: Db, from: string, to: string): Promise<DutyDay[]> {
  const rows = await db
    .selectFrom('duty_roster')
    .selectAll()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
  return rows.map((r) => ({
    date: r.date,
    officer: r.officer,
    leader: r.leader,
    note: r.note,
    handoverBy: r.handover_by,
    handoverAt: r.handover_at,
  }));
}

export async function getDutyDay(db: Db, date: string): Promise<DutyDay | null> {
  return (await listDutyDays(db, date, date))[0] ?? null;
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
  entry: { date: string; at: Date; by: string; entry: string },
): Promise<void> {
  await db.insertInto('duty_log').values(entry).execute();
}

export async function listDutyLog(db: Db, date: string): Promise<DutyLogEntry[]> {
  const rows = await db.selectFrom('duty_log').selectAll().where('date', '=', date).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, date: r.date, at: r.at, by: r.by, entry: r.entry }));
}
