/**
 * The daily digest round over 1,000,000 items on Postgres: 200 departments, a chief
 * each and 5 office leaders; two years of items, 95% closed, 50,000 open of which 5,000 overdue;
 * 1,000 extension requests waiting. Measures every figure query of the round (median of 5), the
 * whole round (queries, one view per chief, one outbox row each), and the plans. Target: ≤ 1 s of
 * queries in all. Writes the section "Daily digest" of docs/benchmarks.md.
 */

import { execSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { jobRegistry } from '../jobs/registry.js';
import { connectPostgres } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import {
  countClosed,
  countDaily,
  countDue,
  countOpen,
  oldestOverdue,
  pendingExtensions,
} from '../src/db/repos/figures.js';
import type { Deps } from '../src/deps.js';
import { dayPeriod, lastDays, lightBounds, sincePreviousWorkday } from '../src/domain/figures.js';
import { localDate } from '../src/domain/time.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { loadDigestData } from '../src/reports/digest.js';
import { runDigestRound } from '../src/reports/digest-round.js';
import { loadWorkCalendar } from '../src/settings/calendar.js';
import { loadDeadlineRules } from '../src/settings/rules.js';
import { writeBenchmarkSection } from './benchmarks-doc.js';

const ITEMS = 1_000_000;
const DEPTS = 200;
const OPEN = 50_000;
const OVERDUE = 5_000;
const NOW = new Date('2026-11-25T08:30:00+08:00'); // a Wednesday
const TZ = 'Asia/Shanghai';

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function safe(cmd: string): string {
  try {
    return execSync(cmd, { encoding: 'utf8' });
  } catch {
    return '';
  }
}

async function seed(db: Deps['database']['db']) {
  await sql`insert into departments (code, name, is_top) values ('office', '办公厅', true)`.execute(db);
  await sql`insert into departments (code, name)
    select 'd' || g, '处室' || g from generate_series(0, ${DEPTS - 1}) g`.execute(db);
  await sql`insert into people (open_id, name, dept_code, roles)
    select 'ou_s' || g, '员工' || g, 'd' || (g % ${DEPTS}), '{staff}' from generate_series(0, 1999) g`.execute(
    db,
  );
  await sql`insert into people (open_id, name, dept_code, roles)
    select 'ou_c' || g, '处长' || g, 'd' || g, '{chief}' from generate_series(0, ${DEPTS - 1}) g`.execute(db);
  await sql`insert into people (open_id, name, dept_code, roles)
    select 'ou_l' || g, '领导' || g, 'office', '{chief}' from generate_series(0, 4) g`.execute(db);
  // Item g: created g·63 s before now (two years back), due 5 days after; the first OPEN are open
  // (the first OVERDUE of them overdue), the rest closed 1–9 days after creation.
  await sql`insert into items (id, kind, title, status, source, lead_dept, dept, assignee, due_at,
      original_due_at, closed_at, closed_by, created_at, updated_at)
    select 'T-' || g, 'task', '督办事项' || g,
      case when g <= ${OPEN} then 'open' else 'done' end, 'instruction',
      'd' || (g % ${DEPTS}), 'd' || (g % ${DEPTS}), 'ou_s' || (g % 2000),
      case when g <= ${OVERDUE} then ${NOW}::timestamptz - (g || ' minutes')::interval
           when g <= ${OPEN} then ${NOW}::timestamptz + ((g % 30) || ' days')::interval
           else c.created + interval '5 days' end,
      c.created + interval '5 days',
      case when g > ${OPEN} then c.created + ((1 + g % 9) || ' days')::interval end,
      case when g > ${OPEN} then 'ou_s' || (g % 2000) end,
      c.created, c.created
    from generate_series(1, ${ITEMS}) g,
    lateral (select ${NOW}::timestamptz - ((g * 63) || ' seconds')::interval as created) c`.execute(db);
  await sql`insert into extension_requests (item_id, requested_by, requested_at, current_due_at, new_due_at, reason)
    select 'T-' || g, 'ou_s' || (g % 2000), ${NOW}::timestamptz - interval '1 day', null,
      ${NOW}::timestamptz + interval '10 days', '需要协调' from generate_series(${OVERDUE + 1}::int, ${OVERDUE + 1000}::int) g`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}

export async function digestBench(baseUrl: string): Promise<void> {
  const loadAvgAtStart = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const name = `cuiban_bench_digest_${process.pid}`;
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: baseUrl });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await admin(`drop database if exists ${name}`);
  await admin(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const database = await connectPostgres(url.toString());
  const config = loadConfig({ DATABASE_URL: url.toString() });
  const deps: Deps = {
    config,
    database,
    clock: { now: () => NOW },
    logger: createLogger({ level: 'warn' }),
    instanceId: 'bench',
    larkEnabled: false,
    lark: null,
    jobs: jobRegistry,
  } as Deps;
  try {
    const { db } = database;
    await migrateToLatest(db);
    const t0 = performance.now();
    await seed(db);
    console.log(`seeded ${ITEMS} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const calendar = await loadWorkCalendar(db);
    const rules = await loadDeadlineRules(db);
    const today = localDate(NOW, TZ);
    const bounds = lightBounds(NOW, calendar, rules.yellowWithinWorkdays, TZ);
    const queries: Array<[string, () => Promise<unknown>]> = [
      [
        'open by light and due today (per department)',
        () => countOpen(db, { ...bounds, todayEnd: dayPeriod(today, TZ).to }),
      ],
      [
        'closed since the previous working day',
        () => countClosed(db, sincePreviousWorkday(NOW, calendar, TZ)),
      ],
      ['due in the last 7 days (办结率, 按时办结率)', () => countDue(db, lastDays(NOW, 7, TZ))],
      ['due in the last 30 days', () => countDue(db, lastDays(NOW, 30, TZ))],
      ['opened / closed per day, 14 days', () => countDaily(db, lastDays(NOW, 14, TZ), TZ)],
      ['10 longest overdue per department', () => oldestOverdue(db, NOW, 10)],
      ['extension requests waiting', () => pendingExtensions(db)],
    ];
    const rows: Array<[string, number]> = [];
    for (const [label, q] of queries) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        await q();
        times.push(performance.now() - s);
      }
      rows.push([label, median(times)]);
      console.log(`${label}: median ${median(times).toFixed(1)} ms`);
    }
    const loadTimes: number[] = [];
    const ctx = { now: NOW, calendar, rules, timeZone: TZ };
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await loadDigestData(db, ctx);
      loadTimes.push(performance.now() - s);
    }
    const r0 = performance.now();
    const round = await runDigestRound(deps, NOW);
    const roundMs = performance.now() - r0;
    const bytes = await sql<{ max: number; avg: number }>`
      select max(octet_length(content)) as max, avg(octet_length(content))::int as avg from outbox where purpose = 'digest'`.execute(
      db,
    );
    console.log(
      `all figure queries of the round (loadDigestData, median of 5): ${median(loadTimes).toFixed(0)} ms; ` +
        `round ${roundMs.toFixed(0)} ms for ${round.sent} chiefs; largest card ${bytes.rows[0]!.max} bytes`,
    );
    const explain = async (q: ReturnType<typeof sql>) =>
      (await sql<{ 'QUERY PLAN': string }>`explain ${q}`.execute(db)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const duePlan = await explain(
      sql`select dept, count(*) from items where status <> 'cancelled' and due_at >= ${lastDays(NOW, 30, TZ).from} and due_at < ${lastDays(NOW, 30, TZ).to} group by dept`,
    );
    const closedPlan = await explain(
      sql`select dept, count(*) from items where status = 'done' and closed_at >= ${lastDays(NOW, 1, TZ).from} and closed_at < ${lastDays(NOW, 1, TZ).to} group by dept`,
    );
    const machine = [
      `nproc ${cpus().length}`,
      `memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB (available ${safe("free -h | awk '/^Mem:/ {print $7}'").trim()})`,
      `node ${process.version}`,
      `load average at start ${loadAvgAtStart} (a shared machine: other test runs compete for the CPUs)`,
      `Postgres ${(await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]!.v}`,
    ].join(' · ');
    const section = [
      '## Daily digest',
      '',
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on: ${machine}.`,
      '',
      `${ITEMS.toLocaleString('en')} items over two years in ${DEPTS} departments (${OPEN.toLocaleString('en')} open, ${OVERDUE.toLocaleString('en')} of them overdue; the rest closed), 1,000 extension requests waiting; ${DEPTS} chiefs and 5 office leaders. \`npm run bench -- digest\` runs this case alone.`,
      '',
      '| figure | measured | target |',
      '|---|---|---|',
      `| all figure queries of one digest round, for every chief (loadDigestData, median of 5) | ${median(loadTimes).toFixed(0)} ms | ≤ 1 s |`,
      ...rows.map(([label, ms]) => `| … ${label} | ${ms.toFixed(1)} ms | |`),
      `| whole round: queries, ${round.sent} views, ${round.sent} outbox rows in one transaction | ${roundMs.toFixed(0)} ms | |`,
      `| largest digest card | ${bytes.rows[0]!.max} bytes (average ${bytes.rows[0]!.avg}) | < 30 KB |`,
      '',
      'Plans (应办结 over 30 days; closed over one day):',
      '',
      '```',
      duePlan,
      '',
      closedPlan,
      '```',
      '',
      'The round reads every department at once (grouped counts), never per chief: the number of',
      'queries does not grow with the number of chiefs. Each count reads a partial index of its own',
      '(2026113010_digest): open items by department and deadline, closed items by closing time,',
      'items by deadline, items by creation time.',
      '',
    ].join('\n');
    writeBenchmarkSection('## Daily digest', section);
  } finally {
    await database.close();
    await admin(`drop database if exists ${name} with (force)`);
  }
}
