import { type Kysely, sql } from 'kysely';

/**
 * The Lark channel keeps the answer it gave to a card callback, so a replayed callback gets the
 * same answer without acting twice.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table inbound_events add column answer jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table inbound_events drop column answer`.execute(db);
}
