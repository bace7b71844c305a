/**
 * 专项 (categories): groups an admin defines (政府工作报告分解, 部门责任目标, 重点建设项目 …) and sets on
 * items, so each group has figures of its own. An item carries codes; a code is 1–32 letters,
 * digits, "-" or "_"; a person may also name a category by its Chinese name in chat or in a file.
 */
export interface Category {
  code: string;
  name: string;
  /** A retired category stays on the items that carry it, but is not set on new ones. */
  active: boolean;
}

export const CATEGORY_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
/** At most this many categories on one item. */
export const MAX_ITEM_CATEGORIES = 10;

/**
 * The codes meant by what a person gave (codes or names, in any order, repeats dropped), or the
 * first one nobody defined (or that is retired).
 */
export function resolveCategories(
  given: readonly string[],
  defined: readonly Category[],
): { codes: string[] } | { unknown: string } {
  const codes: string[] = [];
  for (const raw of given) {
    const word = raw.trim();
    const c = defined.find((d) => d.code === word) ?? defined.find((d) => d.name === word);
    if (!c || !c.active) return { unknown: word };
    if (!codes.includes(c.code)) codes.push(c.code);
  }
  return { codes };
}

/** '政府工作报告分解、重点建设项目' from an item's codes (a code nobody defines shows as itself). */
export function categoriesZh(codes: readonly string[], defined: readonly Category[]): string {
  return codes.map((code) => defined.find((d) => d.code === code)?.name ?? code).join('、');
}
