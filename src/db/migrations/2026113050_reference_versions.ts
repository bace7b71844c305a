import { type Kysely, sql } from 'kysely';

/** The reference tables a process keeps in memory (src/services/reference-data.ts). */
const REFERENCE_TABLES = ['people', 'departments', 'settings', 'calendar_overrides'] as const;

/**
 * One version per reference table, set by a statement trigger in the same transaction as any
 * write to that table (whoever writes it, however), so every instance can tell cheaply whether
 * its copy of the people, departments, settings or calendar overrides is still current. Versions
 * come from a sequence: a rolled-back write used its number up, so a later write never reuses it
 * and a copy read inside a transaction that rolled back never passes for current.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reference_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create sequence reference_version_seq`.execute(db);
  for (const name of REFERENCE_TABLES) {
    await sql`insert into reference_versions (name, version) values (${name}, nextval('reference_version_seq'))`.execute(
      db,
    );
  }
  await sql`
    create function bump_reference_version() returns trigger language plpgsql as $$
    begin
      insert into reference_versions (name, version) values (tg_table_name, nextval('reference_version_seq'))
        on conflict (name) do update set version = excluded.version;
      return null;
    end
    $$`.execute(db);
  for (const name of REFERENCE_TABLES) {
    await sql`
      create trigger ${sql.raw(`${name}_bump_version`)}
      after insert or update or delete or truncate on ${sql.table(name)}
      for each statement execute function bump_reference_version()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of REFERENCE_TABLES) {
    await sql`drop trigger ${sql.raw(`${name}_bump_version`)} on ${sql.table(name)}`.execute(db);
  }
  await sql`drop function bump_reference_version()`.execute(db);
  await db.schema.dropTable('reference_versions').execute();
  await sql`drop sequence reference_version_seq`.execute(db);
}
