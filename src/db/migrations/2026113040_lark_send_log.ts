import { type Kysely, sql } from 'kysely';

/**
 * Lark's per-app send windows (50 in any second, 1,000 in any minute) shared by every instance:
 * one row per request an instance is about to make or has made, kept for a minute and a bit.
 * A dispatcher claims outbox rows only as far as this log leaves room (see repos/lark-send-log).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table lark_send_log (
    id bigserial primary key,
    at_ms bigint not null,
    settled boolean not null default false
  )`.execute(db);
  await sql`create index lark_send_log_at_idx on lark_send_log (at_ms)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists lark_send_log`.execute(db);
}
