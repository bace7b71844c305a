import {
  countItemsInCategory,
  listCategories,
  setItemCategories,
  upsertCategory,
} from '../db/repos/categories.js';
import { appendHistory } from '../db/repos/history.js';
import { lockItem } from '../db/repos/items.js';
import type { Db } from '../db/schema.js';
import type { DatabaseContext, Deps } from '../deps.js';
import { type Category, MAX_ITEM_CATEGORIES, resolveCategories } from '../domain/categories.js';
import { authorize } from '../domain/permissions.js';
import { AppError } from '../platform/errors.js';
import { referenceData } from './reference-data.js';

/**
 * 专项: the categories an admin defines (GET|PUT /api/v1/categories) and the check every way of
 * setting them on an item goes through (POST /items, the import, OA intake, `专项 T-3 …` in chat).
 */

export async function categories(db: Db): Promise<Category[]> {
  return listCategories(db);
}

export async function putCategory(
  deps: Deps,
  c: Category,
  by: string,
): Promise<{ category: Category & { items: number }; created: boolean }> {
  const db = deps.database.db;
  const { created } = await upsertCategory(db, c, by, deps.clock.now());
  return { category: { ...c, items: await countItemsInCategory(db, c.code) }, created };
}

/**
 * The codes of the categories given (codes or names), each defined and active; a 422 naming
 * `field` otherwise. Nothing is read when none is given.
 */
export async function requireCategories(
  db: Db,
  given: readonly string[] | null | undefined,
  field = 'categories',
): Promise<string[]> {
  if (!given || given.length === 0) return [];
  if (given.length > MAX_ITEM_CATEGORIES)
    throw invalidCategories(field, `at most ${MAX_ITEM_CATEGORIES} categories`);
  const r = resolveCategories(given, await listCategories(db));
  if ('unknown' in r)
    throw invalidCategories(
      field,
      `unknown or retired category "${r.unknown.slice(0, 100)}" (GET /api/v1/categories lists them)`,
    );
  return r.codes;
}

function invalidCategories(field: string, message: string): AppError {
  return new AppError(422, 'invalid_field', `${field}: ${message}`, [{ field, message }]);
}

/** What setting an item's categories came to. */
export type CategoriesOutcome =
  | { ok: true; changed: boolean; itemId: string; codes: string[] }
  | { ok: false; code: 'not_found' | 'forbidden'; message: string };

/**
 * Sets an item's categories (replacing them), recorded in its history as `categories`. Who may:
 * an admin, or a chief of the item's department (or of the top department) — the people who may
 * reassign it; `admin-api` is the admin token itself. `changed: false` when they were already so.
 */
export async function setCategoriesOnItem(
  deps: Deps,
  itemId: string,
  codes: string[],
  actor: string,
): Promise<CategoriesOutcome> {
  return deps.database.db.transaction().execute(async (trx): Promise<CategoriesOutcome> => {
    const item = await lockItem(trx, itemId);
    if (!item) return { ok: false, code: 'not_found', message: `未找到事项 ${itemId}` };
    if (actor !== 'admin-api') {
      const ref = await referenceData(deps, trx);
      const decision = authorize(ref.people.get(actor) ?? null, 'reassign', item, {
        departments: [...ref.departments],
      });
      if (!decision.allowed)
        return { ok: false, code: 'forbidden', message: '专项由处室负责人、办公厅领导或管理员设置。' };
    }
    const before = item.categories ?? [];
    if (before.length === codes.length && before.every((c, i) => c === codes[i]))
      return { ok: true, changed: false, itemId: item.id, codes };
    const now = deps.clock.now();
    await setItemCategories(trx, item.id, codes, now);
    await appendHistory(trx, {
      itemId: item.id,
      at: now,
      actor,
      action: 'categories',
      details: { from: before, to: codes },
    });
    return { ok: true, changed: true, itemId: item.id, codes };
  });
}

/** The categories, for the API (GET /api/v1/categories). */
export function categoriesIn(ctx: DatabaseContext): Promise<Category[]> {
  return categories(ctx.database.db);
}

/** requireCategories for the API: the codes of the categories given, each defined and active. */
export function requireCategoriesIn(
  ctx: DatabaseContext,
  given: readonly string[] | null | undefined,
): Promise<string[]> {
  return requireCategories(ctx.database.db, given);
}
