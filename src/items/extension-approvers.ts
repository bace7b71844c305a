import { chiefsFor, listPeople } from '../db/repos/people.js';
import type { Db } from '../db/schema.js';
import type { Person } from '../domain/types.js';

/**
 * Who decides an extension request: the chiefs of the item's department other than the
 * requester; when there is none (the requester is its only chief, or it has none), the chiefs of
 * the top department (and those without a department) other than the requester; failing those,
 * the admins other than the requester. Nobody decides their own request.
 */
export async function extensionApprovers(db: Db, dept: string | null, requester: string): Promise<Person[]> {
  const others = (people: Person[]) => people.filter((p) => p.openId !== requester);
  const ownChiefs = dept ? others((await chiefsFor(db, dept)).filter((p) => p.dept === dept)) : [];
  if (ownChiefs.length > 0) return ownChiefs;
  const topChiefs = others(await chiefsFor(db, null));
  if (topChiefs.length > 0) return topChiefs;
  return others((await listPeople(db)).filter((p) => p.roles.includes('admin')));
}
