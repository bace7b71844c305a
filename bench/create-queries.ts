/**
 * `npx tsx bench/create-queries.ts` — the statements one `POST /api/v1/items` sends to Postgres,
 * in order (every `pg` query counted, transaction control included), once the process holds the
 * reference data. Needs BENCH_DATABASE_URL or TEST_DATABASE_URL; creates a database for the run
 * and drops it after.
 */
import { jobRegistry } from '../jobs/registry.js';
import { createApp } from '../src/app.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/logger.js';
import { countStatements, withBenchDatabase } from './statement-count.js';

await withBenchDatabase('create_queries', async (database, url) => {
  const adminToken = 'bench-admin-token-0123456789';
  const config = loadConfig({ DATABASE_URL: url, ADMIN_TOKEN: adminToken });
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
  const texts = countStatements();
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
});
