import { type Kysely, sql } from 'kysely';

/**
 * A reminder round card is redrawn from the reminders it carried (when one of its items changes,
 * or on a click), found through the outbox row that sent it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index reminders_outbox_idx on reminders (outbox_id) where outbox_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists reminders_outbox_idx`.execute(db);
}
