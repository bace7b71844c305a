import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

/** Timestamps come back as Date and go in as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns are read as 'YYYY-MM-DD' strings (see the type parsers in connect.ts). */
type DateOnly = ColumnType<string, string, string>;
type Json<T = unknown> = ColumnType<T, string, string>;
type BigId = ColumnType<string, string | number | undefined, never>;

export interface DepartmentsTable {
  code: string;
  name: string;
  chat_id: string | null;
  is_top: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface PeopleTable {
  open_id: string;
  name: string;
  dept_code: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  /** 简报 关闭: no daily digest for this person (2026113010_digest). */
  digest_off: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ItemsTable {
  id: string;
  kind: 'document' | 'meeting' | 'task';
  title: string;
  status: Generated<'open' | 'done' | 'cancelled'>;
  doc_type: 'circular' | 'signoff' | 'urgent' | 'normal' | null;
  doc_no: string | null;
  direction: 'in' | 'out' | null;
  received_at: Timestamp | null;
  source: string | null;
  lead_dept: string | null;
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  location: string | null;
  organizer: string | null;
  minutes_taker: string | null;
  chat_id: string | null;
  dept: string | null;
  assignee: string | null;
  due_at: Timestamp | null;
  original_due_at: Timestamp | null;
  parent_id: string | null;
  recurring_id: number | null;
  occurrence_key: string | null;
  progress_note: string | null;
  progress_at: Timestamp | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  created_by: string | null;
  /** Tasks: the leader who gave the instruction or chaired the meeting (2026113010_digest). */
  leader: string | null;
  /** Hotline tasks: ticket number (unique), caller (never on a card), category (2026113014_intake_hotline). */
  ticket_no: string | null;
  caller: string | null;
  category: string | null;
  /** Tasks: how often progress is reported, and the milestones (2026113041_rhythm). */
  report_every: 'week' | 'tenDays' | 'month' | null;
  /** When the rhythm began: creation, or a later change of report_every (2026113042_rhythm_since). */
  report_since: Timestamp | null;
  milestones: Json<{ title: string; dueAt: string; doneAt: string | null }[] | null> | null;
  /** 专项: codes of the categories the item is supervised under (2026120810_categories). */
  categories: ColumnType<string[], string[] | undefined, string[]>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ItemPartsTable {
  item_id: string;
  dept_code: string;
  assignee: string | null;
  status: Generated<'open' | 'done'>;
  due_at: Timestamp | null;
  note: string | null;
  done_at: Timestamp | null;
  done_by: string | null;
}

export interface MeetingAttendeesTable {
  item_id: string;
  open_id: string;
  attendance: Generated<'pending' | 'attend' | 'leave'>;
  responded_at: Timestamp | null;
}

export interface ItemHistoryTable {
  id: BigId;
  item_id: string;
  at: Timestamp;
  actor: string;
  action: string;
  details: Json<Record<string, unknown>>;
}

export interface ExtensionRequestsTable {
  id: Generated<number>;
  item_id: string;
  requested_by: string;
  requested_at: Timestamp;
  current_due_at: Timestamp | null;
  new_due_at: Timestamp;
  reason: string | null;
  status: Generated<'pending' | 'approved' | 'rejected' | 'withdrawn'>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
}

export interface RemindersTable {
  id: BigId;
  item_id: string;
  recipient: string;
  kind: string;
  level: Generated<number>;
  period: string;
  slot: string;
  sent_at: Timestamp;
  outbox_id: string | null;
}

export interface InboundEventsTable {
  event_id: string;
  event_type: string;
  payload: Json<unknown>;
  status: Generated<'pending' | 'processing' | 'done' | 'failed'>;
  attempts: Generated<number>;
  received_at: Timestamp;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  processed_at: Timestamp | null;
  last_error: string | null;
  /** The answer given to a card callback (2026112103_lark), replayed to a duplicate. */
  answer: ColumnType<unknown, string | null | undefined, string | null>;
  /** The instance working on it while `processing` (2026113043_instances). */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * One request to Lark as the app's shared send windows count it (2026113040_lark_send_log):
 * `at_ms` is when it was granted until it is settled, then when its answer came.
 */
export interface LarkSendLogTable {
  id: BigId;
  at_ms: ColumnType<string, number, number>;
  settled: Generated<boolean>;
  /** The instance the request was granted to (2026113051_send_log_owner). */
  claimed_by: string | null;
}

export interface OutboxTable {
  id: BigId;
  uuid: string;
  operation: 'send' | 'reply' | 'patch' | 'card_update';
  receive_id_type: string | null;
  receive_id: string | null;
  message_id: string | null;
  card_token: string | null;
  msg_type: string;
  content: string;
  purpose: string;
  item_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<'pending' | 'sending' | 'sent' | 'failed' | 'flagged'>;
  attempts: Generated<number>;
  created_at: Timestamp;
  first_attempt_at: Timestamp | null;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  sent_at: Timestamp | null;
  sent_message_id: string | null;
  last_error: string | null;
  /** The instance sending it while `sending` (2026113043_instances). */
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SchedulesTable {
  job: string;
  cron: string;
  timezone: string | null;
  enabled: Generated<boolean>;
  updated_by: string | null;
  updated_at: CreatedAt;
}

export interface JobRunsTable {
  job: string;
  slot: string;
  claimed_by: string;
  claimed_at: Timestamp;
  finished_at: Timestamp | null;
  summary: Json<Record<string, unknown>> | null;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: CreatedAt;
}

export interface SettingsHistoryTable {
  id: BigId;
  key: string;
  value: Json<unknown>;
  changed_by: string;
  changed_at: Timestamp;
}

export interface CalendarOverridesTable {
  date: DateOnly;
  workday: boolean;
  note: string | null;
  updated_by: string | null;
  updated_at: CreatedAt;
}

export interface DutyRosterTable {
  date: DateOnly;
  officer: string;
  leader: string;
  note: string | null;
  handover_by: string | null;
  handover_at: Timestamp | null;
  updated_at: CreatedAt;
  /** Officers beside `officer` on the same shift. */
  co_officers: ColumnType<string[], string[] | undefined, string[]>;
  /** 'HH:mm'; null = the office's default (duty settings). */
  start_time: string | null;
  end_time: string | null;
}

export interface DutyLogTable {
  id: BigId;
  date: DateOnly;
  at: Timestamp;
  by: string;
  entry: string;
  /** 平安无事: nothing happened on the shift. */
  quiet: Generated<boolean>;
  /** One event: time, caller, what happened, what was done. */
  event: ColumnType<DutyLogEvent | null, string | null | undefined, string | null>;
}

export interface DutyLogEvent {
  time: string;
  caller: string;
  what: string;
  done: string;
}

/** Each notice of a shift, once per (date, kind, recipient). */
export interface DutyNoticesTable {
  date: DateOnly;
  kind: string;
  recipient: string;
  sent_at: Timestamp;
  outbox_uuid: string;
}

export interface DutySwapsTable {
  id: Generated<number>;
  date: DateOnly;
  from_officer: string;
  to_officer: string;
  status: Generated<'pending' | 'accepted' | 'declined' | 'void'>;
  requested_at: Timestamp;
  decided_at: Timestamp | null;
  note: string | null;
}

/** 留痕 for duty: append-only, like item_history. */
export interface DutyHistoryTable {
  id: BigId;
  date: DateOnly;
  at: Timestamp;
  actor: string;
  action: string;
  details: Json<Record<string, unknown>>;
}

export interface RecurringDutiesTable {
  id: Generated<number>;
  title: string;
  kind: Generated<string>;
  assignee: string | null;
  dept: string | null;
  rule: Json<Record<string, unknown>>;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

/** A creation's Idempotency-Key, per entry point (2026113014_intake). */
export interface IdempotencyKeysTable {
  /** `api` (POST /api/v1/items) or `oa` (POST /intake/oa). */
  scope: string;
  key: string;
  /** sha256 of the request body as sent, so the same key with another body is told apart. */
  body_hash: string;
  item_id: string | null;
  created_at: Timestamp;
}

/** A live instance's heartbeat (2026113043_instances). */
export interface InstancesTable {
  id: string;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
}

export interface Database {
  departments: DepartmentsTable;
  people: PeopleTable;
  items: ItemsTable;
  item_parts: ItemPartsTable;
  meeting_attendees: MeetingAttendeesTable;
  item_history: ItemHistoryTable;
  extension_requests: ExtensionRequestsTable;
  reminders: RemindersTable;
  inbound_events: InboundEventsTable;
  outbox: OutboxTable;
  lark_send_log: LarkSendLogTable;
  schedules: SchedulesTable;
  job_runs: JobRunsTable;
  settings: SettingsTable;
  settings_history: SettingsHistoryTable;
  calendar_overrides: CalendarOverridesTable;
  duty_roster: DutyRosterTable;
  duty_log: DutyLogTable;
  duty_notices: DutyNoticesTable;
  duty_swaps: DutySwapsTable;
  duty_history: DutyHistoryTable;
  recurring_duties: RecurringDutiesTable;
  idempotency_keys: IdempotencyKeysTable;
  instances: InstancesTable;
  reference_versions: ReferenceVersionsTable;
  categories: CategoriesTable;
}

/** 专项 an admin defines; items carry their codes (2026120810_categories). */
export interface CategoriesTable {
  code: string;
  name: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  updated_by: string | null;
}

/** One version per reference table, bumped by a trigger on every write (2026113050_reference_versions). */
export interface ReferenceVersionsTable {
  name: string;
  version: ColumnType<string, never, never>;
}

export type ItemRow = Selectable<ItemsTable>;
export type NewItemRow = Insertable<ItemsTable>;
export type ItemUpdate = Updateable<ItemsTable>;
export type PersonRow = Selectable<PeopleTable>;
export type DepartmentRow = Selectable<DepartmentsTable>;
export type OutboxRow = Selectable<OutboxTable>;

/** What repository functions take: the database, or a transaction opened by a service. */
export type Db = Kysely<Database> | Transaction<Database>;
/** Locking reads (`for update`) take only this: they mean nothing outside a transaction. */
export type Trx = Transaction<Database>;
