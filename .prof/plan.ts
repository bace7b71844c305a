import { sql } from 'kysely';
import pg from 'pg';
import { jobRegistry } from '../jobs/registry.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { connectPostgres } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import * as R from '../src/db/repos/reminders.js';
import type { Deps } from '../src/deps.js';
import { silentLogger } from '../src/logger.js';
import { planRound } from '../src/services/reminder-round.js';

const base = process.env.TEST_DATABASE_URL!;
const items = Number(process.argv[2] ?? 100000);
const keep = process.argv[3] === 'keep';
const name = `cuiban_prof_${items}`;
const PEOPLE = 2000,
  DEPTS = 20;
async function admin(t: string) {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(t);
  } finally {
    await c.end();
  }
}
const url = new URL(base);
url.pathname = `/${name}`;
let exists = true;
try {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.end();
} catch {
  exists = false;
}
if (!exists) {
  await admin(`create database ${name}`);
}
const database = await connectPostgres(url.toString());
const db = database.db;
if (!exists) {
  await migrateToLatest(db);
  await sql`insert into departments (code, name, is_top) values ('BGS', '办公厅', true)`.execute(db);
  await sql`insert into departments (code, name) select 'd' || lpad(g::text, 2, '0'), '处室' || g from generate_series(0, ${DEPTS - 1}) g`.execute(
    db,
  );
  await sql`insert into people (open_id, name, dept_code, roles) select 'ou_p' || lpad(g::text, 4, '0'), '员工' || g, 'd' || lpad((g % ${DEPTS})::text, 2, '0'), '{staff}' from generate_series(0, ${PEOPLE - 1}) g`.execute(
    db,
  );
  const overdue = items / 20;
  await sql`insert into items (id, kind, title, status, source, dept, assignee, due_at, original_due_at, created_at, updated_at)
      select 'T-' || g, 'task', '督办事项' || g, 'open', 'other', 'd' || lpad(((g % ${PEOPLE}) % ${DEPTS})::text, 2, '0'),
        'ou_p' || lpad((g % ${PEOPLE})::text, 4, '0'), d.due, d.due,
        timestamptz '2026-09-20T09:00:00+08:00', timestamptz '2026-09-20T09:00:00+08:00'
      from generate_series(1, ${items}) g,
      lateral (select case
        when g <= ${overdue} then timestamptz '2026-09-30T06:00:00+08:00' + ((g % 180) || ' minutes')::interval
        when g <= ${2 * overdue} then timestamptz '2026-10-08T09:00:00+08:00' + ((g % 540) || ' minutes')::interval
        else timestamptz '2026-11-02T09:00:00+08:00' + ((g % 40) || ' days')::interval + ((g % 540) || ' minutes')::interval
        end as due) d`.execute(db);
  await sql`analyze`.execute(db);
}
const deps: Deps = {
  config: loadConfig({ DATABASE_URL: url.toString() }),
  database,
  clock: systemClock,
  logger: silentLogger,
  instanceId: 'p',
  larkEnabled: false,
  lark: null,
  jobs: jobRegistry,
};
const at = new Date('2026-09-30T09:00:00+08:00');
for (let i = 0; i < 5; i++) {
  const s = performance.now();
  const r = await planRound(deps, { at, round: true });
  console.log(
    `plan ${(performance.now() - s).toFixed(0)} ms load ${r.timings.loadMs.toFixed(0)} compute ${r.timings.computeMs.toFixed(0)} cand ${r.candidates} bundles ${r.bundles.length}`,
  );
}
const dueBefore = new Date('2026-10-09T00:00:00+08:00');
for (let i = 0; i < 3; i++) {
  let s = performance.now();
  const rows = await R.loadReminderCandidates(db, {
    now: at,
    dueBefore,
    meetingsBefore: new Date(at.getTime() + 864e6),
  });
  const t1 = performance.now() - s;
  s = performance.now();
  const ids = rows.map((r) => r.id);
  await R.loadOpenParts(db, ids);
  const t2 = performance.now() - s;
  s = performance.now();
  await R.loadSentKeys(db, ids, { today: '2026-09-30', hour: '2026-09-30T09' });
  const t3 = performance.now() - s;
  s = performance.now();
  await sql`select count(*) from items where status = 'open' and due_at < ${dueBefore}`.execute(db);
  const t4 = performance.now() - s;
  console.log(
    `candidates ${t1.toFixed(0)} parts ${t2.toFixed(0)} sent ${t3.toFixed(0)} baseline ${t4.toFixed(0)}`,
  );
}
await database.close();
if (!keep) await admin(`drop database if exists ${name} with (force)`);
