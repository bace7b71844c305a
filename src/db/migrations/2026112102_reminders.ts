import { type Kysely, sql } from 'kysely';

/**
 * Urgent documents are chased every hour whatever their deadline, so the reminder round finds
 * them by this partial index rather than by scanning the open items.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index items_open_urgent_idx on items (created_at) where status = 'open' and doc_type = 'urgent'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists items_open_urgent_idx`.execute(db);
}
