import type { Db } from '../schema.js';

/** recurring_duties, and the items that are their occurrences. `rule` is stored as JSON text. */
export interface RecurringDutyRow {
  id: number;
  title: string;
  assignee: string | null;
  dept: string | null;
  rule: unknown;
  enabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface RecurringDutyValues {
  title: string;
  assignee: string | null;
  dept: string | null;
  /** JSON text. */
  rule: string;
  enabled: boolean;
}

export async function listRecurringRows(db: Db): Promise<RecurringDutyRow[]> {
  return db.selectFrom('recurring_duties').selectAll().orderBy('id').execute();
}

export async function getRecurringRow(db: Db, id: number): Promise<RecurringDutyRow | undefined> {
  return db.selectFrom('recurring_duties').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRecurring(
  db: Db,
  v: RecurringDutyValues & { by: string; at: Date },
): Promise<RecurringDutyRow> {
  return db
    .insertInto('recurring_duties')
    .values({
      title: v.title,
      kind: 'task',
      assignee: v.assignee,
      dept: v.dept,
      rule: v.rule,
      enabled: v.enabled,
      created_by: v.by,
      created_at: v.at,
      updated_at: v.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates a duty (all its values, or only `enabled`) and answers the stored row. */
export async function updateRecurringRow(
  db: Db,
  id: number,
  v: RecurringDutyValues | { enabled: false },
  at: Date,
): Promise<RecurringDutyRow> {
  return db
    .updateTable('recurring_duties')
    .set({ ...v, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The item created for this occurrence of the duty, if there is one. */
export async function occurrenceItemId(
  db: Db,
  dutyId: number,
  occurrenceKey: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('items')
    .select('id')
    .where('recurring_id', '=', dutyId)
    .where('occurrence_key', '=', occurrenceKey)
    .executeTakeFirst();
  return row?.id ?? null;
}
