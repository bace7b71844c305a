import { loadOverrides } from '../db/repos/calendar.js';
import { listDepartments } from '../db/repos/departments.js';
import { listPeople } from '../db/repos/people.js';
import { readReferenceVersions } from '../db/repos/reference-versions.js';
import { listSettings } from '../db/repos/settings.js';
import type { Db } from '../db/schema.js';
import type { Deps } from '../deps.js';
import { createWorkCalendar } from '../domain/calendar.js';
import { DEADLINE_RULES_SETTING, rulesFromStored } from '../domain/rules.js';
import type { Person } from '../domain/types.js';
import { type Part, ReferenceCache, type ReferenceData } from './reference-cache.js';

export { ReferenceCache, type ReferenceData };

type TableName = 'people' | 'departments' | 'settings' | 'calendar_overrides';

const byDatabase = new WeakMap<object, ReferenceCache>();
const byTransaction = new WeakMap<object, Promise<ReferenceData>>();

function cacheOf(deps: Deps): ReferenceCache {
  if (deps.referenceCache) return deps.referenceCache;
  let cache = byDatabase.get(deps.database);
  if (!cache) {
    cache = new ReferenceCache();
    byDatabase.set(deps.database, cache);
  }
  return cache;
}

/**
 * The reference data as of now: one select of the versions (once per transaction when `db` is
 * one), and a reload of the tables whose version moved since this process last read them.
 */
export function referenceData(deps: Deps, db: Db = deps.database.db): Promise<ReferenceData> {
  if (!db.isTransaction) return current(cacheOf(deps), db);
  let seen = byTransaction.get(db);
  if (!seen) {
    seen = current(cacheOf(deps), db);
    byTransaction.set(db, seen);
    seen.catch(() => byTransaction.delete(db));
  }
  return seen;
}

async function current(cache: ReferenceCache, db: Db): Promise<ReferenceData> {
  const versions = await readReferenceVersions(db);
  const v = (name: TableName) => versions.get(name) ?? '0';
  const [people, departments, settings, calendar] = await Promise.all([
    fresh(cache, 'people', v('people'), async () => {
      const list = await listPeople(db);
      return { byId: new Map(list.map((p) => [p.openId, p])) };
    }),
    fresh(cache, 'departments', v('departments'), async () => {
      const list = await listDepartments(db);
      return { list, byCode: new Map(list.map((d) => [d.code, d])) };
    }),
    fresh(cache, 'settings', v('settings'), async () => {
      const map = await listSettings(db);
      return { map, rules: rulesFromStored(map.get(DEADLINE_RULES_SETTING)) };
    }),
    fresh(cache, 'calendar', v('calendar_overrides'), async () =>
      createWorkCalendar(await loadOverrides(db)),
    ),
  ]);
  return {
    people: people.byId,
    departments: departments.list,
    departmentsByCode: departments.byCode,
    settings: settings.map,
    rules: settings.rules,
    calendar,
  };
}

type Slot = 'people' | 'departments' | 'settings' | 'calendar';
type ValueOf<S extends Slot> = NonNullable<ReferenceCache[S]>['value'];

/** The cached part when its version is current, else a reload (shared with concurrent callers). */
async function fresh<S extends Slot>(
  cache: ReferenceCache,
  slot: S,
  version: string,
  load: () => Promise<ValueOf<S>>,
): Promise<ValueOf<S>> {
  const held = cache[slot];
  if (held && held.version === version) return held.value as ValueOf<S>;
  const key = `${slot}@${version}`;
  const shared = cache.loading.get(key) as Promise<ValueOf<S>> | undefined;
  // Another request's load may fail with its transaction: then this one loads for itself.
  if (shared) return shared.catch(load);
  const pending = load();
  cache.loading.set(key, pending);
  pending
    .then((value) => {
      (cache as unknown as Record<Slot, Part<ValueOf<S>>>)[slot] = { version, value };
    })
    .catch(() => {})
    .finally(() => cache.loading.delete(key));
  return pending;
}

/** Display names for open_ids (unknown ones are left out; cards say 未登记人员). */
export function namesIn(
  ref: ReferenceData,
  openIds: Array<string | null | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of openIds) {
    const p = id ? ref.people.get(id) : undefined;
    if (p) out[p.openId] = p.name;
  }
  return out;
}

/** Department names by code. */
export function deptNamesIn(ref: ReferenceData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of ref.departments) out[d.code] = d.name;
  return out;
}

/**
 * Chiefs who approve for a department: its own chiefs, else the chiefs of the top department and
 * those without one (as chiefsFor in src/db/repos/people.ts), by open_id.
 */
export function chiefsIn(ref: ReferenceData, dept: string | null): Person[] {
  const chiefs = [...ref.people.values()]
    .filter((p) => p.roles.includes('chief'))
    .sort((a, b) => (a.openId < b.openId ? -1 : a.openId > b.openId ? 1 : 0));
  const own = dept ? chiefs.filter((p) => p.dept === dept) : [];
  if (own.length > 0) return own;
  return chiefs.filter((p) => p.dept === null || ref.departmentsByCode.get(p.dept)?.isTop === true);
}
