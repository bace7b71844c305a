import { type Kysely, sql } from 'kysely';

/**
 * 专项: the groups an office supervises items in (政府工作报告分解, 部门责任目标, 重点建设项目 …),
 * defined by an admin under /api/v1/categories; an item carries the codes of its groups in
 * `categories`. The seeds' three 专项 are there from the start as suggestions (an admin renames
 * or retires them). A GIN index serves `GET /items?category=` and the figures by category.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('categories')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text')
    .execute();
  await sql`insert into categories (code, name) values
    ('gov-report', '政府工作报告分解'),
    ('dept-targets', '部门责任目标'),
    ('key-projects', '重点建设项目')`.execute(db);
  await sql`alter table items add column categories text[] not null default '{}'`.execute(db);
  await sql`create index items_categories_idx on items using gin (categories)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index items_categories_idx`.execute(db);
  await sql`alter table items drop column categories`.execute(db);
  await db.schema.dropTable('categories').execute();
}
