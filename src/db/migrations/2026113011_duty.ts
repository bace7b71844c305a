import { type Kysely, sql } from 'kysely';

/**
 * 值班 in the chat: several officers and a start and end time per day, structured duty-log events,
 * the notices sent per shift (each once), swaps between officers, and the append-only duty history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table duty_roster add column co_officers text[] not null default '{}'`.execute(db);
  await sql`alter table duty_roster add column start_time text`.execute(db);
  await sql`alter table duty_roster add column end_time text`.execute(db);
  await sql`alter table duty_log add column quiet boolean not null default false`.execute(db);
  await sql`alter table duty_log add column event jsonb`.execute(db);

  await db.schema
    .createTable('duty_notices')
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull())
    .addColumn('outbox_uuid', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('duty_notices_pk', ['date', 'kind', 'recipient'])
    .execute();

  await db.schema
    .createTable('duty_swaps')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('from_officer', 'text', (c) => c.notNull().references('people.open_id'))
    .addColumn('to_officer', 'text', (c) => c.notNull().references('people.open_id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('note', 'text')
    .execute();
  await sql`create unique index duty_swaps_one_pending on duty_swaps (date, from_officer) where status = 'pending'`.execute(
    db,
  );

  await db.schema
    .createTable('duty_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  await db.schema.createIndex('duty_history_date_idx').on('duty_history').columns(['date', 'id']).execute();
  await sql`create trigger duty_history_append_only before update or delete on duty_history
    for each row execute function forbid_history_rewrite()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('duty_history').execute();
  await db.schema.dropTable('duty_swaps').execute();
  await db.schema.dropTable('duty_notices').execute();
  await sql`alter table duty_log drop column event`.execute(db);
  await sql`alter table duty_log drop column quiet`.execute(db);
  await sql`alter table duty_roster drop column end_time`.execute(db);
  await sql`alter table duty_roster drop column start_time`.execute(db);
  await sql`alter table duty_roster drop column co_officers`.execute(db);
}
