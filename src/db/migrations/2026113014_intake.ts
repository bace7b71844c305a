import { type Kysely, sql } from 'kysely';

/**
 * Intake from the office's systems (不遗漏): the idempotency keys a creation was asked under
 * (written in the creation's own transaction, so a replay answers the same item), and the rule
 * that an open document is registered once per (文号, direction) — a partial unique index, so
 * two systems sending the same document at the same moment still make one item.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table idempotency_keys (
      scope text not null,
      key text not null,
      body_hash text not null,
      item_id text,
      created_at timestamptz not null,
      primary key (scope, key)
    )`.execute(db);
  await sql`create index idempotency_keys_created_idx on idempotency_keys (created_at)`.execute(db);
  await sql`
    create unique index items_open_doc_no_uq on items (doc_no, coalesce(direction, ''))
    where status = 'open' and kind = 'document' and doc_no is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index items_open_doc_no_uq`.execute(db);
  await sql`drop table idempotency_keys`.execute(db);
}
