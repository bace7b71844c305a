import { sql } from 'kysely';
import { createWorkCalendar } from '../src/domain/calendar.js';
import { figureRow } from '../src/domain/figure-rows.js';
import { lateRisk } from '../src/domain/forecast.js';
import { atLocal } from '../src/domain/time.js';
import { dayRangePeriod, periodCounts } from '../src/reports/figures.js';
import { withBenchDatabase } from './statement-count.js';

/**
 * `npm run bench` (figures part):
 * 1. 预计逾期 replayed over a generated year with known outcomes: six units of different speeds,
 *    four handlers each, an item per handler most working days; every working day at 09:00 each
 *    open item is judged with the history closed so far. Precision and recall of the flag at its
 *    default threshold, and how many working days before the deadline it first fired, beside the
 *    naive baseline (flag an item once half of its time has passed).
 * 2. The report queries over 1,000,000 items (generated in SQL with generate_series).
 */
const tz = 'Asia/Shanghai';
const calendar = createWorkCalendar();

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface SimItem {
  unit: number;
  handler: string;
  kind: string;
  created: number;
  due: number;
  closed: number;
  progress: number | null;
}

function replay() {
  const rand = rng(20261208);
  const days: string[] = [];
  for (
    let d = new Date('2025-01-01T00:00:00Z');
    d < new Date('2026-03-01T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const s = d.toISOString().slice(0, 10);
    if (calendar.isWorkday(s)) days.push(s);
  }
  const speeds = [0.6, 0.8, 1, 1.2, 1.5, 1.9];
  const kinds = [
    { kind: 'task:decision', allowed: 5, base: 4 },
    { kind: 'task:instruction', allowed: 5, base: 3.5 },
    { kind: 'document:normal', allowed: 3, base: 2 },
  ];
  const items: SimItem[] = [];
  const lastDay = days.findIndex((d) => d >= '2026-01-01');
  for (let day = 0; day < lastDay; day++)
    for (let u = 0; u < speeds.length; u++)
      for (let h = 0; h < 4; h++) {
        if (rand() < 0.3) continue;
        const k = kinds[Math.floor(rand() * kinds.length)]!;
        const handlerSpeed = speeds[u]! * (0.85 + 0.3 * (h / 3));
        const took = Math.max(1, Math.round(k.base * handlerSpeed * (0.6 + 0.8 * rand())));
        const progress = rand() < 0.5 ? day + Math.max(1, Math.floor(took * 0.4)) : null;
        items.push({
          unit: u,
          handler: `u${u}h${h}`,
          kind: k.kind,
          created: day,
          due: day + k.allowed,
          closed: day + took,
          progress,
        });
      }
  const stats = { flagged: 0, flaggedLate: 0, late: 0, lateCaught: 0, leads: [] as number[] };
  const base = { flagged: 0, flaggedLate: 0, lateCaught: 0, leads: [] as number[] };
  const history = new Map<string, { n: number; total: number }>();
  const addHistory = (key: string, took: number) => {
    const v = history.get(key) ?? { n: 0, total: 0 };
    history.set(key, { n: v.n + 1, total: v.total + took });
  };
  const get = (key: string) => {
    const v = history.get(key);
    return v ? { samples: v.n, averageWorkdays: v.total / v.n } : undefined;
  };
  const flagged = new Set<SimItem>();
  const baseFlagged = new Set<SimItem>();
  const byClose = [...items].sort((a, b) => a.closed - b.closed);
  let nextClose = 0;
  const scored = items.filter((i) => days[i.created]! >= '2025-03-01');
  for (const i of scored) if (i.closed > i.due) stats.late++;
  for (let day = 0; day < lastDay + 30 && day < days.length; day++) {
    while (nextClose < byClose.length && byClose[nextClose]!.closed < day) {
      const c = byClose[nextClose++]!;
      addHistory(`u${c.unit}|${c.kind}`, c.closed - c.created);
      addHistory(`${c.handler}|${c.kind}`, c.closed - c.created);
    }
    const now = atLocal(days[day]!, '09:00', tz);
    for (const i of scored) {
      if (i.created > day || i.closed < day || day > i.due) continue;
      if (!flagged.has(i)) {
        const risk = lateRisk(
          {
            createdAt: atLocal(days[i.created]!, '09:00', tz),
            dueAt: atLocal(days[i.due]!, '18:00', tz),
            progressAt: i.progress !== null && i.progress <= day ? now : null,
            status: 'open',
          },
          { handler: get(`${i.handler}|${i.kind}`), unit: get(`u${i.unit}|${i.kind}`) },
          now,
          calendar,
          tz,
        );
        if (risk) {
          flagged.add(i);
          stats.flagged++;
          if (i.closed > i.due) {
            stats.flaggedLate++;
            stats.lateCaught++;
            stats.leads.push(i.due - day);
          }
        }
      }
      if (!baseFlagged.has(i) && (day - i.created) / (i.due - i.created) >= 0.5) {
        baseFlagged.add(i);
        base.flagged++;
        if (i.closed > i.due) {
          base.flaggedLate++;
          base.lateCaught++;
          base.leads.push(i.due - day);
        }
      }
    }
  }
  const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
  const median = (xs: number[]) =>
    xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : '—';
  const mean = (xs: number[]) => (xs.length ? (xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(1) : '—');
  console.log(
    `forecast replay: ${scored.length} items (2025-03 … 2025-12), ${stats.late} missed their deadline`,
  );
  console.log(
    `  预计逾期 rule : flagged ${stats.flagged}, precision ${pct(stats.flaggedLate, stats.flagged)}, recall ${pct(stats.lateCaught, stats.late)}, fired ${mean(stats.leads)} working days before the deadline on average (median ${median(stats.leads)})`,
  );
  console.log(
    `  50% baseline  : flagged ${base.flagged}, precision ${pct(base.flaggedLate, base.flagged)}, recall ${pct(base.lateCaught, stats.late)}, fired ${mean(base.leads)} working days before the deadline on average (median ${median(base.leads)})`,
  );
}

async function reportQueries() {
  await withBenchDatabase('figures', async (database) => {
    const db = database.db;
    const t0 = performance.now();
    await sql`insert into departments (code, name)
      select 'd' || lpad(g::text, 2, '0'), '处室' || g from generate_series(1, 20) g
      on conflict do nothing`.execute(db);
    await sql`insert into people (open_id, name, dept_code, roles)
      select 'ou_' || g, '承办人' || g, 'd' || lpad((1 + g % 20)::text, 2, '0'), '{staff}' from generate_series(0, 399) g
      on conflict do nothing`.execute(db);
    await sql`insert into categories (code, name) values ('k1', '专项一'), ('k2', '专项二') on conflict do nothing`.execute(
      db,
    );
    // 1,000,000 items over 2025: created any moment, due 1–15 days later, 85% closed (a third late), 2% cancelled.
    await sql`
      insert into items (id, kind, title, status, source, dept, lead_dept, assignee, due_at, original_due_at,
                         closed_at, created_at, updated_at, categories)
      select 'T-' || g, 'task', '事项', s.status,
             (array['instruction','decision','proposal','practical','hotline','other'])[1 + g % 6],
             'd' || lpad((1 + g % 20)::text, 2, '0'), 'd' || lpad((1 + g % 20)::text, 2, '0'),
             'ou_' || (g % 400), s.created + s.allowed, s.created + s.allowed,
             case when s.status = 'done' then s.created + s.took end, s.created, s.created,
             case when g % 7 = 0 then array['k1'] when g % 11 = 0 then array['k1','k2'] else '{}' end
        from generate_series(1, 1000000) g
        cross join lateral (select
             timestamptz '2025-01-01 00:00+08' + (g::double precision / 1000000) * interval '365 days' as created,
             (1 + g % 15) * interval '1 day' as allowed,
             (case when g % 3 = 0 then 2 + g % 15 else 1 + g % 10 end) * interval '1 day' as took,
             case when g % 50 = 0 then 'cancelled' when g % 100 < 85 then 'done' else 'open' end as status) s`.execute(
      db,
    );
    await sql`analyze items`.execute(db);
    console.log(
      `report queries over 1,000,000 items (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s):`,
    );
    const ctx = { calendar, timeZone: tz };
    const time = async (
      label: string,
      from: string,
      to: string,
      by: 'dept' | 'source' | 'person' | 'category' | 'office',
      scope = {},
    ) => {
      const start = performance.now();
      const rows = await periodCounts(db, ctx, dayRangePeriod(from, to, tz), by, scope);
      const ms = performance.now() - start;
      const total = rows.reduce((s, r) => s + r.opened, 0);
      console.log(
        `  ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  (${rows.length} rows, ${total} opened, 办结率 ${figureRow(rows[0]!).completionRate})`,
      );
    };
    await time('month by dept (2025-06)', '2025-06-01', '2025-06-30', 'dept');
    await time('month by source', '2025-06-01', '2025-06-30', 'source');
    await time('month by person, one dept', '2025-06-01', '2025-06-30', 'person', { dept: 'd01' });
    await time('month by 专项', '2025-06-01', '2025-06-30', 'category');
    await time('quarter by dept (2025-Q2)', '2025-04-01', '2025-06-30', 'dept');
    await time('year by dept (2025)', '2025-01-01', '2025-12-31', 'dept');
    await time('year by person (all)', '2025-01-01', '2025-12-31', 'person');
    const start = performance.now();
    for (let m = 1; m <= 12; m++) {
      const from = `2025-${String(m).padStart(2, '0')}-01`;
      const to = new Date(Date.UTC(2025, m, 0)).toISOString().slice(0, 10);
      await periodCounts(db, ctx, dayRangePeriod(from, to, tz), 'source');
    }
    console.log(
      `  ${'year report (12 months by source)'.padEnd(34)} ${(performance.now() - start).toFixed(0).padStart(6)} ms`,
    );
  });
}

replay();
if (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) await reportQueries();
else
  console.log(
    'report queries: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to time them over 1,000,000 items',
  );
process.exit(0);
