import { sql } from 'kysely';
import type { Department } from '../../domain/types.js';
import type { Db, DepartmentRow } from '../schema.js';

export type { Db };

export function toDepartment(r: DepartmentRow): Department {
  return { code: r.code, name: r.name, chatId: r.chat_id, isTop: r.is_top };
}

export async function getDepartment(db: Db, code: string): Promise<Department | null> {
  const r = await db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
  return r ? toDepartment(r) : null;
}

export async function listDepartments(db: Db): Promise<Department[]> {
  const rows = await db.selectFrom('departments').selectAll().orderBy('code').execute();
  return rows.map(toDepartment);
}

export async function findDepartmentByChat(db: Db, chatId: string): Promise<Department | null> {
  const r = await db.selectFrom('departments').selectAll().where('chat_id', '=', chatId).executeTakeFirst();
  return r ? toDepartment(r) : null;
}

/** Inserts or replaces a department; returns whether it was new (xmax = 0 only on a fresh insert). */
export async function upsertDepartment(db: Db, d: Department, at: Date): Promise<boolean> {
  const r = await db
    .insertInto('departments')
    .values({
      code: d.code,
      name: d.name,
      chat_id: d.chatId,
      is_top: d.isTop,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ name: d.name, chat_id: d.chatId, is_top: d.isTop, updated_at: at }),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
  return r.inserted;
}

/** The office's top department (办公厅), if one is marked. */
export async function getTopDepartment(db: Db): Promise<Department | null> {
  const r = await db.selectFrom('departments').selectAll().where('is_top', '=', true).executeTakeFirst();
  return r ? toDepartment(r) : null;
}

/** Binds a department to a group chat (null unbinds it). */
export async function setDepartmentChat(
  db: Db,
  code: string,
  chatId: string | null,
  at: Date,
): Promise<void> {
  await db
    .updateTable('departments')
    .set({ chat_id: chatId, updated_at: at })
    .where('code', '=', code)
    .execute();
}

/** Takes the top-department flag from every department but `code` (there is one top department). */
export async function clearTopExcept(db: Db, code: string): Promise<void> {
  await db.updateTable('departments').set({ is_top: false }).where('code', '!=', code).execute();
}
