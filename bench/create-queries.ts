/**
 * `npx tsx bench/create-queries.ts` — the statements one `POST /api/v1/items` sends to Postgres,
 * in order (every `pg` query counted, transaction control included), once the process holds the
 * reference data. Needs BENCH_DATABASE_URL or TEST_DATABASE_URL; creates a database for the run
 * and drops it after.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { jobRegistry } from '../jobs/registry.js';
import { createApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { connectPostgres } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { silentLogger } from '../src/logger.js';

const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!base) {
  console.error('Set BENCH_DATABASE_URL (or TEST_DATABASE_URL).');
  process.exit(2);
}
const name = `cuiban_create_queries_${process.pid}`;
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
  const adminToken = 'bench-admin-token-0123456789';
  const config = loadConfig({ DATABASE_URL: url.toString(), ADMIN_TOKEN: adminToken });
  const app = createApp({
    config,
    database,
    clock: systemClock,
    logger: silentLogger,
    instanceId: 'bench',
    jobs: jobRegistry,
    larkEnabled: false,
    lark: null,
  });
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
  const create = async (n: number) => {
    texts.length = 0;
    const res = await app.request('/api/v1/items', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        kind: 'document',
        docType: 'normal',
        docNo: `穗府办〔2026〕${n}号`,
        title: `关于报送第${n}批统计数据的通知`,
        assignee: 'ou_p1',
        dept: 'd00',
        dueAt: '2027-01-20T18:00:00+08:00',
      }),
    });
    return { status: res.status, statements: [...texts] };
  };
  const cold = await create(1);
  const warm = await create(2);
  console.log(`first creation of the process (reference data loaded): ${cold.statements.length} statements`);
  console.log(`HTTP ${warm.status}: ${warm.statements.length} statements`);
  for (const t of warm.statements) console.log(`  ${t.replace(/\s+/g, ' ').slice(0, 140)}`);
} finally {
  await database.close();
  await admin(`drop database if exists ${name} with (force)`);
}
