import type { Deps } from '../deps.js';
import { categoriesZh, resolveCategories } from '../domain/categories.js';
import { categories, setCategoriesOnItem } from './categories.js';

/**
 * `专项 T-3 重点建设项目、部门责任目标` in chat: sets the item's categories by name (or code) for a
 * chief of its department, an office leader or an admin; `专项 T-3 清除` removes them. The answer
 * is one line saying what is now set, or why nothing changed.
 */
export async function setCategoriesByChat(
  deps: Deps,
  by: string,
  command: { itemId: string; names: string[] },
): Promise<string> {
  const defined = await categories(deps.database.db);
  const resolved = resolveCategories(command.names, defined);
  if ('unknown' in resolved) {
    const known = defined.filter((c) => c.active).map((c) => c.name);
    return `未找到专项「${resolved.unknown.slice(0, 30)}」。现有专项：${known.join('、') || '无'}。`;
  }
  const outcome = await setCategoriesOnItem(deps, command.itemId, resolved.codes, by);
  if (!outcome.ok) return outcome.message;
  if (resolved.codes.length === 0)
    return outcome.changed ? `已清除 ${outcome.itemId} 的专项。` : `${outcome.itemId} 未设专项。`;
  const names = categoriesZh(resolved.codes, defined);
  return outcome.changed
    ? `已将 ${outcome.itemId} 列入专项：${names}。`
    : `${outcome.itemId} 已在专项：${names}。`;
}
