import { type Kysely, sql } from 'kysely';

/**
 * The chiefs' figures: a task's `leader` (who gave the instruction; gets the 办结反馈), a
 * person's choice not to receive the daily digest (简报 关闭), and the indexes the figures read
 * by: items by deadline (应办结 in a period) and by creation day (opened per day).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table items add column leader text`.execute(db);
  await sql`alter table people add column digest_off boolean not null default false`.execute(db);
  await sql`create index items_due_idx on items (due_at, dept) where status <> 'cancelled'`.execute(db);
  await sql`create index items_created_idx on items (created_at, dept)`.execute(db);
  await sql`create index items_closed_dept_idx on items (closed_at, dept) where status = 'done'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index items_closed_dept_idx`.execute(db);
  await sql`drop index items_created_idx`.execute(db);
  await sql`drop index items_due_idx`.execute(db);
  await sql`alter table people drop column digest_off`.execute(db);
  await sql`alter table items drop column leader`.execute(db);
}
