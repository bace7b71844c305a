import { sql } from 'kysely';
import type { Db } from '../schema.js';

/** 专项 as stored (2026120810_categories). */
export interface CategoryRow {
  code: string;
  name: string;
  active: boolean;
}

export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db.selectFrom('categories').select(['code', 'name', 'active']).orderBy('code').execute();
}

/** Creates or replaces one; answers whether it was new. */
export async function upsertCategory(
  db: Db,
  c: CategoryRow,
  by: string,
  at: Date,
): Promise<{ created: boolean }> {
  const r = await db
    .insertInto('categories')
    .values({ code: c.code, name: c.name, active: c.active, created_at: at, updated_at: at, updated_by: by })
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({ name: c.name, active: c.active, updated_at: at, updated_by: by }),
    )
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
  return { created: r.inserted };
}

/** How many items carry a category (any status). */
export async function countItemsInCategory(db: Db, code: string): Promise<number> {
  const r = await db
    .selectFrom('items')
    .select(sql<string>`count(*)`.as('n'))
    .where(sql<boolean>`categories @> array[${code}]::text[]`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Replaces the categories of one item (the caller records the history). */
export async function setItemCategories(db: Db, itemId: string, codes: string[], at: Date): Promise<void> {
  await db
    .updateTable('items')
    .set({ categories: codes, updated_at: at, version: sql<number>`version + 1` })
    .where('id', '=', itemId)
    .execute();
}
