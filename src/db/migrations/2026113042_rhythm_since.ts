import { type Kysely, sql } from 'kysely';

/**
 * When a task's reporting rhythm began: its creation, or the moment `reportEvery` was set or
 * changed later (PATCH). Periods before it owe no report.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table items add column report_since timestamptz`.execute(db);
  await sql`update items set report_since = created_at where report_every is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table items drop column report_since`.execute(db);
}
