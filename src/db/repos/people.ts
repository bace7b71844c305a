import type { Person, Role } from '../../domain/types.js';
import type { PersonRow } from '../schema.js';
import type { Db } from './departments.js';

export function toPerson(r: PersonRow): Person {
  return { openId: r.open_id, name: r.name, dept: r.dept_code, roles: r.roles as Role[] };
}

/** An active (registered) person, or null. */
export async function getPerson(db: Db, openId: string): Promise<Person | null> {
  const r = await db
    .selectFrom('people')
    .selectAll()
    .where('open_id', '=', openId)
    .where('active', '=', true)
    .executeTakeFirst();
  return r ? toPerson(r) : null;
}

export async function getPeople(db: Db, openIds: string[]): Promise<Person[]> {
  if (openIds.length === 0) return [];
  const rows = await db
    .selectFrom('people')
    .selectAll()
    .where('open_id', 'in', [...new Set(openIds)])
    .where('active', '=', true)
    .execute();
  return rows.map(toPerson);
}

export async function listPeople(db: Db, filter: { dept?: string } = {}): Promise<Person[]> {
  let q = db.selectFrom('people').selectAll().where('active', '=', true);
  if (filter.dept) q = q.where('dept_code', '=', filter.dept);
  return (await q.orderBy('open_id').execute()).map(toPerson);
}

/** Chiefs who approve for a department: its own chiefs, else chiefs of the top department / without one. */
export async function chiefsFor(db: Db, dept: string | null): Promise<Person[]> {
  const rows = await db
    .selectFrom('people')
    .leftJoin('departments', 'departments.code', 'people.dept_code')
    .selectAll('people')
    .select('departments.is_top')
    .where('people.active', '=', true)
    .where((eb) => eb(eb.val('chief'), '=', eb.fn.any('people.roles')))
    .orderBy('people.open_id')
    .execute();
  const own = dept ? rows.filter((r) => r.dept_code === dept) : [];
  if (own.length > 0) return own.map(toPerson);
  return rows.filter((r) => r.dept_code === null || r.is_top === true).map(toPerson);
}

export async function upsertPerson(db: Db, p: Person, at: Date): Promise<void> {
  await db
    .insertInto('people')
    .values({
      open_id: p.openId,
      name: p.name,
      dept_code: p.dept,
      roles: p.roles,
      created_at: at,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .column('open_id')
        .doUpdateSet({ name: p.name, dept_code: p.dept, roles: p.roles, active: true, updated_at: at }),
    )
    .execute();
}

/** Active admins (办公室综合科), by open_id. */
export async function listAdmins(db: Db): Promise<Person[]> {
  const rows = await db
    .selectFrom('people')
    .selectAll()
    .where('active', '=', true)
    .where((eb) => eb(eb.val('admin'), '=', eb.fn.any('roles')))
    .orderBy('open_id')
    .execute();
  return rows.map(toPerson);
}

/** Active people with this display name (a roster file may name people instead of open_ids). */
export async function findPeopleByName(db: Db, names: string[]): Promise<Person[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('people')
    .selectAll()
    .where('active', '=', true)
    .where('name', 'in', [...new Set(names)])
    .execute();
  return rows.map(toPerson);
}
