import { type Kysely, sql } from 'kysely';

/**
 * Progress on a rhythm (以日保周、以周保旬、以旬保月): how often a long task reports
 * (`week`, `tenDays`, `month`) and its milestones (节点, a JSON list of {title, dueAt, doneAt}).
 * Reports themselves are the task's 进展 history rows; nothing else is stored for them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table items add column report_every text`.execute(db);
  await sql`alter table items add constraint items_report_every_ck check (report_every in ('week', 'tenDays', 'month'))`.execute(
    db,
  );
  await sql`alter table items add column milestones jsonb`.execute(db);
  await sql`create index items_open_rhythm_idx on items (id) where status = 'open' and report_every is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index items_open_rhythm_idx`.execute(db);
  await sql`alter table items drop column milestones`.execute(db);
  await sql`alter table items drop constraint items_report_every_ck`.execute(db);
  await sql`alter table items drop column report_every`.execute(db);
}
