import { type Kysely, sql } from 'kysely';

/**
 * Live instances: each process (and each Workers invocation) writes a heartbeat every few seconds
 * while it works, and its claims on outbox rows and inbound events name it. A claim whose owner's
 * heartbeat has stopped is free at once, without waiting out its lease: a process killed mid-way
 * is taken over within seconds of another one (or its restart) looking.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table instances (
    id text primary key,
    started_at timestamptz not null,
    heartbeat_at timestamptz not null
  )`.execute(db);
  await sql`alter table outbox add column claimed_by text`.execute(db);
  await sql`alter table inbound_events add column claimed_by text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table inbound_events drop column claimed_by`.execute(db);
  await sql`alter table outbox drop column claimed_by`.execute(db);
  await sql`drop table instances`.execute(db);
}
