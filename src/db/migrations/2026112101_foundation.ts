import { type Kysely, sql } from 'kysely';

/**
 * The base schema for the whole office: organisation, items and their parts, the append-only
 * history, the Lark channel (inbound events, outbox), schedules and slot claims, reminders,
 * calendar overrides, rules, the duty roster and recurring duties.
 * Never edit this file once landed: add a new migration instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('departments')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.unique())
    .addColumn('is_top', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('open_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('dept_code', 'text', (c) => c.references('departments.code'))
    .addColumn('roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{staff}'::text[]`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('people_dept_idx').on('people').column('dept_code').execute();

  // Short typeable ids (D-12, M-3, T-7) come from one sequence per kind.
  await sql`create sequence item_seq_document`.execute(db);
  await sql`create sequence item_seq_meeting`.execute(db);
  await sql`create sequence item_seq_task`.execute(db);

  await db.schema
    .createTable('items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('document','meeting','task')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('open').check(sql`status in ('open','done','cancelled')`),
    )
    // document
    .addColumn('doc_type', 'text', (c) => c.check(sql`doc_type in ('circular','signoff','urgent','normal')`))
    .addColumn('doc_no', 'text')
    .addColumn('direction', 'text', (c) => c.check(sql`direction in ('in','out')`))
    .addColumn('received_at', 'timestamptz')
    // task
    .addColumn('source', 'text')
    .addColumn('lead_dept', 'text', (c) => c.references('departments.code'))
    // meeting
    .addColumn('starts_at', 'timestamptz')
    .addColumn('ends_at', 'timestamptz')
    .addColumn('location', 'text')
    .addColumn('organizer', 'text', (c) => c.references('people.open_id'))
    .addColumn('minutes_taker', 'text', (c) => c.references('people.open_id'))
    .addColumn('chat_id', 'text')
    // common
    .addColumn('dept', 'text', (c) => c.references('departments.code'))
    .addColumn('assignee', 'text', (c) => c.references('people.open_id'))
    .addColumn('due_at', 'timestamptz')
    .addColumn('original_due_at', 'timestamptz')
    .addColumn('parent_id', 'text', (c) => c.references('items.id'))
    .addColumn('recurring_id', 'integer')
    .addColumn('occurrence_key', 'text')
    .addColumn('progress_note', 'text')
    .addColumn('progress_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('closed_by', 'text')
    .addColumn('created_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The reminder round and the digest read open items by deadline, by person and by department.
  await sql`create index items_open_due_idx on items (due_at) where status = 'open'`.execute(db);
  await sql`create index items_open_assignee_idx on items (assignee, due_at) where status = 'open'`.execute(
    db,
  );
  await sql`create index items_open_dept_idx on items (dept, due_at) where status = 'open'`.execute(db);
  await sql`create index items_closed_at_idx on items (closed_at) where status = 'done'`.execute(db);
  await sql`create index items_parent_idx on items (parent_id) where parent_id is not null`.execute(db);
  await sql`create index items_meeting_starts_idx on items (starts_at) where kind = 'meeting' and status = 'open'`.execute(
    db,
  );
  await sql`create unique index items_occurrence_uq on items (recurring_id, occurrence_key) where recurring_id is not null`.execute(
    db,
  );

  // Co-handling units (会办/协办): each with its own part, status and deadline.
  await db.schema
    .createTable('item_parts')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('dept_code', 'text', (c) => c.notNull().references('departments.code'))
    .addColumn('assignee', 'text', (c) => c.references('people.open_id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','done')`))
    .addColumn('due_at', 'timestamptz')
    .addColumn('note', 'text')
    .addColumn('done_at', 'timestamptz')
    .addColumn('done_by', 'text')
    .addPrimaryKeyConstraint('item_parts_pk', ['item_id', 'dept_code'])
    .execute();
  await sql`create index item_parts_open_due_idx on item_parts (due_at) where status = 'open'`.execute(db);

  await db.schema
    .createTable('meeting_attendees')
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('open_id', 'text', (c) => c.notNull().references('people.open_id'))
    .addColumn('attendance', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`attendance in ('pending','attend','leave')`),
    )
    .addColumn('responded_at', 'timestamptz')
    .addPrimaryKeyConstraint('meeting_attendees_pk', ['item_id', 'open_id'])
    .execute();
  await db.schema
    .createIndex('meeting_attendees_person_idx')
    .on('meeting_attendees')
    .column('open_id')
    .execute();

  // 留痕: every change, reminder and escalation, appended and never rewritten.
  await db.schema
    .createTable('item_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema
    .createIndex('item_history_item_idx')
    .on('item_history')
    .columns(['item_id', 'id'])
    .execute();
  await sql`
    create function forbid_history_rewrite() returns trigger language plpgsql as $$
    begin
      raise exception 'history is append-only (% on %)', tg_op, tg_table_name;
    end $$`.execute(db);
  await sql`create trigger item_history_append_only before update or delete on item_history
    for each row execute function forbid_history_rewrite()`.execute(db);

  await db.schema
    .createTable('extension_requests')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('current_due_at', 'timestamptz')
    .addColumn('new_due_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','approved','rejected','withdrawn')`),
    )
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .execute();
  await sql`create unique index extension_requests_one_pending on extension_requests (item_id) where status = 'pending'`.execute(
    db,
  );

  // Reminder de-duplication: one row per (item, recipient, kind, level, period). The unique key is
  // what makes a reminder "at most once" across re-runs and instances.
  await db.schema
    .createTable('reminders')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) => c.notNull().references('items.id'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outbox_id', 'bigint')
    .addUniqueConstraint('reminders_once', ['item_id', 'recipient', 'kind', 'level', 'period'])
    .execute();
  await db.schema.createIndex('reminders_slot_idx').on('reminders').column('slot').execute();

  // Lark inbound: every acknowledged event is stored first, deduplicated by event_id.
  await db.schema
    .createTable('inbound_events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','processing','done','failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('processed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .execute();
  await sql`create index inbound_events_due_idx on inbound_events (next_attempt_at) where status in ('pending','processing')`.execute(
    db,
  );
  await db.schema
    .createIndex('inbound_events_received_idx')
    .on('inbound_events')
    .column('received_at')
    .execute();

  // Lark outbound: written in the same transaction as the change that caused it.
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('uuid', 'text', (c) => c.notNull().unique())
    .addColumn('operation', 'text', (c) =>
      c.notNull().check(sql`operation in ('send','reply','patch','card_update')`),
    )
    .addColumn('receive_id_type', 'text')
    .addColumn('receive_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('card_token', 'text')
    .addColumn('msg_type', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('item_ids', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','sending','sent','failed','flagged')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('first_attempt_at', 'timestamptz')
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('sent_message_id', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await sql`create index outbox_due_idx on outbox (next_attempt_at) where status in ('pending','sending')`.execute(
    db,
  );
  await sql`create index outbox_failed_idx on outbox (created_at) where status in ('failed','flagged')`.execute(
    db,
  );
  await sql`create index outbox_items_idx on outbox using gin (item_ids)`.execute(db);
  await sql`create index outbox_sent_message_idx on outbox (sent_message_id) where sent_message_id is not null`.execute(
    db,
  );

  // Scheduling: admins set each job's schedule; each (job, slot) is claimed once.
  await db.schema
    .createTable('schedules')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text')
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('job_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('summary', 'jsonb')
    .addPrimaryKeyConstraint('job_runs_pk', ['job', 'slot'])
    .execute();

  // Office settings: deadline rules, reminder rules, quiet hours (one JSON document per key).
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('settings_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_overrides')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('workday', 'boolean', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // 值班: the roster, handovers and the duty log.
  await db.schema
    .createTable('duty_roster')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('officer', 'text', (c) => c.notNull().references('people.open_id'))
    .addColumn('leader', 'text', (c) => c.notNull().references('people.open_id'))
    .addColumn('note', 'text')
    .addColumn('handover_by', 'text')
    .addColumn('handover_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('duty_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('duty_log_date_idx').on('duty_log').columns(['date', 'id']).execute();

  await db.schema
    .createTable('recurring_duties')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('task'))
    .addColumn('assignee', 'text', (c) => c.references('people.open_id'))
    .addColumn('dept', 'text', (c) => c.references('departments.code'))
    .addColumn('rule', 'jsonb', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('the foundation migration is not reversible');
}
