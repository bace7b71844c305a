/**
 * The load generator of bench/speed.ts, in a process of its own so its CPU is not the service's.
 * Reads a job from argv[2] (a JSON file) and prints one JSON line with the figures:
 *  - `http`: POSTs the prepared requests, `concurrency` at a time, keep-alive, to the given
 *    instances of the service in turn;
 *  - `floor`: the click's four statements as one plain `pg` transaction per item, `concurrency`
 *    connections — what the database alone needs for a click.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';

interface HttpJob {
  mode: 'http';
  /** The service's instances: requests go to them in turn. */
  urls: string[];
  concurrency: number;
  requests: Array<{ path: string; headers: Record<string, string>; body: string }>;
  /** Answers with this status count as successes (others are errors). */
  expect: number;
  /** Counts the answers whose body contains this text (e.g. the "still working" toast). */
  mark?: string;
}
interface FloorJob {
  mode: 'floor';
  databaseUrl: string;
  concurrency: number;
  itemIds: string[];
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as HttpJob | FloorJob;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

/** Why requests failed: `HTTP 500`, or the error's cause code (e.g. `UND_ERR_SOCKET`). */
const failures: Record<string, number> = {};
let marked = 0;
const failed = (why: string) => {
  failures[why] = (failures[why] ?? 0) + 1;
};

async function run<T>(items: T[], concurrency: number, one: (item: T, i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        const t = performance.now();
        let ok = false;
        try {
          ok = await one(items[i]!, i);
        } catch (error) {
          const e = error as { cause?: { code?: string; message?: string }; code?: string; message?: string };
          failed(e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? 'error');
          ok = false;
        }
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const ms = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    n: items.length,
    errors,
    ms,
    perSecond: (items.length / ms) * 1000,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    failures,
    marked,
  };
}

async function http(j: HttpJob) {
  return run(j.requests, j.concurrency, async (r, i) => {
    const res = await fetch(j.urls[i % j.urls.length]! + r.path, {
      method: 'POST',
      headers: r.headers,
      body: r.body,
    });
    const text = await res.text();
    if (j.mark && text.includes(j.mark)) marked++;
    if (res.status !== j.expect) failed(`HTTP ${res.status}`);
    return res.status === j.expect;
  });
}

async function floor(j: FloorJob) {
  const pool = new pg.Pool({ connectionString: j.databaseUrl, max: j.concurrency });
  // Open the connections first, as a running service has them.
  const clients = await Promise.all(Array.from({ length: j.concurrency }, () => pool.connect()));
  for (const c of clients) c.release();
  const result = await run(j.itemIds, j.concurrency, async (id) => {
    const c = await pool.connect();
    try {
      await c.query('begin');
      const now = new Date();
      await c.query(
        `insert into inbound_events (event_id, event_type, payload, status, attempts, received_at, next_attempt_at, locked_until)
         values ($1, 'card.action.trigger', $2, 'processing', 1, $3, $3, $3) on conflict (event_id) do nothing`,
        [`floor-${id}`, JSON.stringify({ item: id }), now],
      );
      await c.query(`select id from items where id = $1 for update`, [id]);
      await c.query(
        `update items set status = 'done', closed_at = $2, closed_by = 'ou_floor', updated_at = $2 where id = $1`,
        [id, now],
      );
      await c.query(
        `insert into item_history (item_id, at, actor, action, details) values ($1, $2, 'ou_floor', 'done', '{}')`,
        [id, now],
      );
      await c.query(
        `insert into outbox (uuid, operation, message_id, msg_type, content, purpose, item_ids, created_at, next_attempt_at)
         values ($1, 'patch', $2, 'interactive', '{}', 'item-card', array[$3]::text[], $4, $4)`,
        [`floor-patch-${id}`, `om_floor_${id}`, id, now],
      );
      await c.query('commit');
      return true;
    } catch (error) {
      await c.query('rollback').catch(() => {});
      throw error;
    } finally {
      c.release();
    }
  });
  await pool.end();
  return result;
}

const out = job.mode === 'http' ? await http(job) : await floor(job);
process.stdout.write(`${JSON.stringify(out)}\n`);
