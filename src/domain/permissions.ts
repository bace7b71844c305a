import { ACTION_ZH } from './items.js';
import type { ActionName, Department, Item, ItemPart, MeetingAttendee, Person } from './types.js';

export type Decision =
  | {
      allowed: true;
      /** Set when the action applies to a co-handling unit's part rather than the whole item. */
      partDept?: string;
    }
  | { allowed: false; reason: string };

export interface AuthorizeContext {
  /** All departments (to find the top one and name departments in reasons). */
  departments?: Department[];
  /** The co-handling unit whose part the action is about, when the caller says so. */
  partDept?: string;
  /** Display names by open_id, to name the assignee in reasons (该事项由李四承办). */
  names?: Record<string, string>;
  /** Who asked for the pending extension (nobody decides their own request). */
  extensionRequestedBy?: string | null;
}

const NOT_REGISTERED = '您尚未登记，请联系办公室管理员';

/**
 * Who may do what — the one rule used by the API, card buttons and chat commands:
 * - the assignee (for meetings also the organiser) acts on their item: done, read, progress, extend;
 * - a member of the item's department may claim it while nobody has (first one wins; the service
 *   serialises claims); an item with no department may be claimed by anyone registered;
 * - a member of a co-handling unit reports on their unit's part: progress, done of the part;
 * - a chief of the item's department, or a chief of the top department / with no department
 *   (they see every department), approves or rejects extensions, reassigns, closes, cancels,
 *   and may claim or report progress; a chief of a co-unit may reassign their unit's part;
 * - an admin may do everything;
 * - nobody, not even an admin, decides their own extension request;
 * - attendance (attend / leave) is answered only by the invited attendees themselves;
 * - everyone else is refused with a reason in plain Chinese.
 * State (already done, no pending extension …) is checked separately: see domain/items.ts.
 */
export function authorize(
  actor: Person | null,
  action: ActionName,
  item: Item & { parts?: ItemPart[]; attendees?: MeetingAttendee[] },
  ctx: AuthorizeContext = {},
): Decision {
  if (!actor) return { allowed: false, reason: NOT_REGISTERED };
  const depts = ctx.departments ?? [];
  const itemDept = item.dept ?? item.leadDept;
  const deptName = (code: string | null) =>
    code ? (depts.find((d) => d.code === code)?.name ?? code) : '办公室';
  const personName = (openId: string) => ctx.names?.[openId] ?? '其他同志';
  const verb = ACTION_ZH[action];

  const roles = actor.roles;
  const isAdmin = roles.includes('admin');
  const isChief = roles.includes('chief');
  const seesAll = isChief && (!actor.dept || depts.some((d) => d.code === actor.dept && d.isTop));
  const chiefHere = isChief && (seesAll || (itemDept !== null && actor.dept === itemDept));
  const isAssignee =
    item.assignee === actor.openId || (item.kind === 'meeting' && item.organizer === actor.openId);

  if (action === 'attend' || action === 'leave') {
    if (item.attendees?.some((a) => a.openId === actor.openId)) return { allowed: true };
    return { allowed: false, reason: '您不在本次会议的参会名单中' };
  }

  if (
    (action === 'approve-extension' || action === 'reject-extension') &&
    ctx.extensionRequestedBy === actor.openId
  )
    return { allowed: false, reason: '不能审批本人的延期申请，须由其他负责同志审批' };

  // A co-unit's part: explicitly named, or implied when the actor belongs to a co-unit and is not
  // the item's own handler.
  const parts = item.parts ?? [];
  const partFor = (dept: string | undefined | null) =>
    dept ? parts.find((p) => p.dept === dept) : undefined;
  const explicitPart = partFor(ctx.partDept);
  if (ctx.partDept && !explicitPart)
    return { allowed: false, reason: `${deptName(ctx.partDept)}不是该事项的会办单位` };

  if (isAdmin) return explicitPart ? { allowed: true, partDept: explicitPart.dept } : { allowed: true };

  const inPart = (p: ItemPart | undefined) => !!p && (p.assignee === actor.openId || actor.dept === p.dept);
  const chiefOfPart = (p: ItemPart | undefined) => !!p && isChief && (seesAll || actor.dept === p.dept);

  if (explicitPart) {
    if (action === 'done' || action === 'progress') {
      if (inPart(explicitPart) || chiefOfPart(explicitPart) || chiefHere)
        return { allowed: true, partDept: explicitPart.dept };
      return { allowed: false, reason: `该部分由${deptName(explicitPart.dept)}会办，您无权${verb}` };
    }
    if (action === 'reassign') {
      if (chiefOfPart(explicitPart) || chiefHere) return { allowed: true, partDept: explicitPart.dept };
      return { allowed: false, reason: `只有${deptName(explicitPart.dept)}负责同志可以改派该会办部分` };
    }
    return { allowed: false, reason: `会办部分不能${verb}` };
  }

  switch (action) {
    case 'claim': {
      if (item.assignee && !isAssignee) {
        return { allowed: false, reason: `该事项已由${personName(item.assignee)}认领` };
      }
      if (isAssignee || chiefHere || itemDept === null || actor.dept === itemDept) return { allowed: true };
      return { allowed: false, reason: `该事项由${deptName(itemDept)}承办，只有本处室同志可以认领` };
    }
    case 'done':
    case 'read':
    case 'progress':
    case 'extend': {
      if (isAssignee) return { allowed: true };
      if (chiefHere && action !== 'extend') return { allowed: true };
      const myPart = partFor(actor.dept);
      if ((action === 'done' || action === 'progress') && inPart(myPart))
        return { allowed: true, partDept: myPart!.dept };
      if (action === 'extend' && item.assignee === null)
        return { allowed: false, reason: '该事项尚无承办人，请先认领后再申请延期' };
      if (action === 'extend') return { allowed: false, reason: '只有承办人可以申请延期' };
      if (item.assignee)
        return { allowed: false, reason: `该事项由${personName(item.assignee)}承办，您无权${verb}` };
      if (itemDept === null || actor.dept === itemDept)
        return { allowed: false, reason: `该事项尚未认领，请先认领后再${verb}` };
      return { allowed: false, reason: `该事项由${deptName(itemDept)}承办，您无权${verb}` };
    }
    case 'approve-extension':
    case 'reject-extension':
    case 'reassign':
    case 'cancel': {
      if (chiefHere) return { allowed: true };
      return { allowed: false, reason: `只有${deptName(itemDept)}负责同志可以${verb}` };
    }
  }
  return { allowed: false, reason: `无法${verb}` };
}

/**
 * Whom an item (or a co-handling part) may be reassigned to: a person of its own department —
 * the item's lead department, or the co-handling unit for a part — as the card's 转办 list
 * offers; chiefs of the top department (or without a department) and admins hand it to anyone
 * registered. Null when allowed, else the reason.
 */
export function reassignProblem(
  actor: Person,
  target: Person,
  home: string | null,
  departments: Department[],
): string | null {
  if (!home || target.dept === home || actor.roles.includes('admin')) return null;
  const top =
    actor.roles.includes('chief') &&
    (!actor.dept || departments.some((d) => d.code === actor.dept && d.isTop));
  if (top) return null;
  const name = departments.find((d) => d.code === home)?.name ?? home;
  return `只能改派给${name}的同志`;
}
