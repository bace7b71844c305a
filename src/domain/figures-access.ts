import type { Department, Person } from './types.js';

/**
 * Who sees figures per person (each handler's on-time rate, overdue, unanswered 催办): that
 * department's chiefs, the office's leaders (chiefs of the top department, or of none) and the
 * admins. A chief of another department and staff are refused. A department's chief who names
 * no department reads their own.
 */
export type PersonFiguresAccess = { allowed: true; dept: string | null } | { allowed: false; reason: string };

export function personFiguresAccess(
  reader: Person,
  dept: string | null,
  departments: readonly Department[],
): PersonFiguresAccess {
  if (reader.roles.includes('admin')) return { allowed: true, dept };
  if (!reader.roles.includes('chief'))
    return { allowed: false, reason: '个人统计仅限处室负责人、办公厅领导和管理员查看' };
  const leader = !reader.dept || departments.some((d) => d.code === reader.dept && d.isTop);
  if (leader) return { allowed: true, dept };
  if (dept === null || dept === reader.dept) return { allowed: true, dept: reader.dept };
  return { allowed: false, reason: '处室负责人只能查看本处室人员的统计' };
}
