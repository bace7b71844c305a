import { listItemRows } from '../../db/repos/items.js';
import type { Db } from '../../db/schema.js';
import type { CardJson } from '../../lark/cards/common.js';
import { type TodoEntry, todoCard } from '../../lark/cards/todo-card.js';
import { deadlineOf, type ViewContext } from './item-view.js';

/** 待办: the person's open items as one card, red first (the card sorts and caps the list). */
export async function todoCardFor(
  db: Db,
  ctx: ViewContext,
  openId: string,
  notice?: string,
): Promise<CardJson> {
  const items = await listItemRows(db, { status: 'open', assignee: openId, limit: 500 });
  const entries: TodoEntry[] = items.map((item) => ({ item, ...deadlineOf(item, ctx) }));
  return todoCard({ entries, timeZone: ctx.timeZone, ...(notice ? { notice } : {}) });
}
