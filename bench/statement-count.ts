/**
 * What bench/click-queries.ts and bench/create-queries.ts share: a database of their own for the
 * run (created from BENCH_DATABASE_URL or TEST_DATABASE_URL, migrated, given one office, dropped
 * after), and the count of every statement `pg` sends from the moment counting starts.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { connectPostgres } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { DatabaseHandle } from '../src/db/postgres.js';

/**
 * Runs `run` on a new migrated database holding the top department BGS, the department d00 (chat
 * oc_d0) and its staff member ou_p1; drops the database after. Exits when no database is set.
 */
export async function withBenchDatabase(
  label: string,
  run: (database: DatabaseHandle, url: string) => Promise<void>,
): Promise<void> {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!base) {
    console.error('Set BENCH_DATABASE_URL (or TEST_DATABASE_URL).');
    process.exit(2);
  }
  const name = `cuiban_${label}_${process.pid}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(text).finally(() => c.end());
  };
  await admin(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await connectPostgres(url.toString());
  try {
    await migrateToLatest(database.db);
    const db = database.db;
    await sql`insert into departments (code, name, is_top) values ('BGS', '办公厅', true)`.execute(db);
    await sql`insert into departments (code, name, chat_id) values ('d00', '综合处', 'oc_d0')`.execute(db);
    await sql`insert into people (open_id, name, dept_code, roles) values ('ou_p1', '张三', 'd00', '{staff}')`.execute(
      db,
    );
    await run(database, url.toString());
  } finally {
    await database.close();
    await admin(`drop database if exists ${name} with (force)`);
  }
}

/** From now on, the text of every statement any `pg` client sends is pushed onto the answer. */
export function countStatements(): string[] {
  const texts: string[] = [];
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
    this: unknown,
    ...args: unknown[]
  ) {
    const q = args[0] as string | { text: string };
    texts.push(typeof q === 'string' ? q : q.text);
    return query.apply(this, args);
  };
  return texts;
}
