import { type Kysely, sql } from 'kysely';

/**
 * Each request in the shared send log names the instance it was granted to, so that when a
 * restarted instance retires its dead predecessor, the predecessor's unanswered requests are
 * counted from when it died instead of as "now" until their lease runs out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table lark_send_log add column claimed_by text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table lark_send_log drop column claimed_by`.execute(db);
}
