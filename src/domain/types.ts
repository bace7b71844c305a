/**
 * The office's vocabulary (shared/docs/domain.md). Domain code uses these names and imports
 * neither Hono, Lark nor Kysely.
 */
export type ItemKind = 'document' | 'meeting' | 'task';
export type ItemStatus = 'open' | 'done' | 'cancelled';
/** 传阅件 / 签发件 / 紧急件 / 一般件 */
export type DocType = 'circular' | 'signoff' | 'urgent' | 'normal';
/** 领导批示 / 会议议定 / 建议提案 / 十件实事 / 热线 / 其他 */
export type TaskSource = 'instruction' | 'decision' | 'proposal' | 'practical' | 'hotline' | 'other';
/** How often a long task reports progress: each week, each 旬 (ten days) or each month. */
export type ReportEvery = 'week' | 'tenDays' | 'month';
/** 红黄绿灯预警 */
export type Light = 'green' | 'yellow' | 'red';
export type Role = 'staff' | 'chief' | 'admin';
export type Attendance = 'pending' | 'attend' | 'leave';

/** Every operation a person can take on an item, from the API, a card button or a chat command. */
export type ActionName =
  | 'done'
  | 'read'
  | 'claim'
  | 'progress'
  | 'extend'
  | 'approve-extension'
  | 'reject-extension'
  | 'reassign'
  | 'cancel'
  | 'attend'
  | 'leave';

export const KIND_PREFIX: Record<ItemKind, string> = { document: 'D', meeting: 'M', task: 'T' };

export interface Person {
  openId: string;
  name: string;
  dept: string | null;
  roles: Role[];
}

export interface Department {
  code: string;
  name: string;
  chatId: string | null;
  /** The office's top department: its chiefs see every department. */
  isTop: boolean;
}

export interface ItemPart {
  dept: string;
  assignee: string | null;
  status: 'open' | 'done';
  dueAt: Date | null;
  note: string | null;
  doneAt: Date | null;
  doneBy: string | null;
}

export interface MeetingAttendee {
  openId: string;
  attendance: Attendance;
  respondedAt: Date | null;
}

export interface ExtensionRequest {
  id: number;
  itemId: string;
  requestedBy: string;
  requestedAt: Date;
  currentDueAt: Date | null;
  newDueAt: Date;
  reason: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface Item {
  id: string;
  kind: ItemKind;
  title: string;
  status: ItemStatus;
  docType: DocType | null;
  docNo: string | null;
  direction: 'in' | 'out' | null;
  receivedAt: Date | null;
  source: TaskSource | null;
  leadDept: string | null;
  /** The department that owns the item: `dept` for documents, `leadDept` for tasks. */
  dept: string | null;
  assignee: string | null;
  dueAt: Date | null;
  originalDueAt: Date | null;
  startsAt: Date | null;
  endsAt: Date | null;
  location: string | null;
  organizer: string | null;
  minutesTaker: string | null;
  chatId: string | null;
  parentId: string | null;
  progressNote: string | null;
  progressAt: Date | null;
  closedAt: Date | null;
  closedBy: string | null;
  createdBy: string | null;
  /** Tasks: the leader who gave the instruction or chaired the meeting; gets the 办结反馈. */
  leader?: string | null;
  /** Hotline tasks (source hotline): 工单号, unique. */
  ticketNo?: string | null;
  /** Hotline tasks: who called. Kept on the item and in the API; never put on a card. */
  caller?: string | null;
  /** Hotline tasks: the category the recurring-problem figures count by. */
  category?: string | null;
  /** Tasks: how often progress is reported (week, 旬 or month), null for none. */
  reportEvery?: ReportEvery | null;
  /** When the rhythm began (creation, or the later change of reportEvery): no report is owed before. */
  reportSince?: Date | null;
  /** Tasks: milestones (节点), each with its own deadline. */
  milestones?: { title: string; dueAt: Date; doneAt: Date | null }[];
  /** 专项: codes of the categories the item is supervised under (an admin defines them). */
  categories?: string[];
  createdAt: Date;
  version: number;
}

export interface HistoryEntry {
  id: string;
  itemId: string;
  at: Date;
  actor: string;
  action: string;
  details: Record<string, unknown>;
}
