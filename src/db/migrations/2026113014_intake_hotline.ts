import { type Kysely, sql } from 'kysely';

/**
 * Hotline and petition tickets (市长公开电话, 电子信访): a hotline task's ticket number (unique), the
 * caller (kept on the item, never put on a card) and the category the figures count by.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table items add column ticket_no text`.execute(db);
  await sql`alter table items add column caller text`.execute(db);
  await sql`alter table items add column category text`.execute(db);
  await sql`create unique index items_ticket_no_uq on items (ticket_no) where ticket_no is not null`.execute(
    db,
  );
  await sql`create index items_hotline_created_idx on items (created_at, category) where source = 'hotline'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index items_hotline_created_idx`.execute(db);
  await sql`drop index items_ticket_no_uq`.execute(db);
  await sql`alter table items drop column category`.execute(db);
  await sql`alter table items drop column caller`.execute(db);
  await sql`alter table items drop column ticket_no`.execute(db);
}
