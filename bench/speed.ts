/**
 * npm run bench (first part) — the hot paths, each beside a baseline measured in the
 * same run, since absolute numbers move with the load of this shared machine:
 *  1. card clicks that close an item, on Postgres, 50 concurrent connections, against a plain
 *     `pg` transaction doing the click's four statements (the floor) at 50 connections;
 *  2. the same clicks on PGlite (the default database), 50 concurrent;
 *  3. POST /api/v1/items at 10 concurrent clients;
 *  4. planning a reminder round over 100,000 and 1,000,000 open items.
 * The service runs as `npm start` does (dist/node.js built from src/node.ts, its own process, logs
 * to a file); the load generator (bench/load.ts) runs in a process of its own. Writes docs/benchmarks.md ("Hot paths").
 * Needs BENCH_DATABASE_URL or TEST_DATABASE_URL. BENCH_CLICKS (default 2000) sizes the click runs,
 * BENCH_CREATES the creations; BENCH_SKIP_PLANNING leaves planning out, BENCH_NO_WRITE leaves the
 * document as it is, BENCH_NODE_ARGS passes flags to the service's node (e.g. `--cpu-prof`).
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { jobRegistry } from '../jobs/registry.js';
import { connectPglite, connectPostgres } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import type { Deps } from '../src/deps.js';
import { encryptLark, larkSignature } from '../src/lark/crypto.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/logger.js';
import { planRound } from '../src/reminders/round.js';
import { FakeLark } from '../test/fakes/lark-server.js';
import { writeBenchmarkSection } from './benchmarks-doc.js';
import { STAGES, type StageBreakdown, stagesOf } from './cpu-stages.js';

const baseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!baseUrl) {
  console.error(
    'Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres server where the bench may create databases.',
  );
  process.exit(2);
}
const CLICKS = Number(process.env.BENCH_CLICKS ?? 2000);
const PGLITE_CLICKS = Math.min(CLICKS, 500);
const CREATES = Number(process.env.BENCH_CREATES ?? 2000);
const PEOPLE = 2000;
const DEPTS = 20;
const ENCRYPT_KEY = 'bench-encrypt-key';
const VERIFICATION_TOKEN = 'bench-verification-token';
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const PLAN_AT = new Date('2026-09-30T09:00:00+08:00');

const admin = async (text: string) => {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
};

async function freshDatabase(name: string): Promise<string> {
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(baseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The person who handles D-n (and clicks its 办结): over all 2,000 people (20 departments), or
 * over the 100 people of department d00 only (`depts` 1: the burst after one department's round).
 */
function handlerOf(n: number, depts: number): number {
  return depts === 1 ? (n % (PEOPLE / DEPTS)) * DEPTS : n % PEOPLE;
}
const handlerSql = (depts: number) =>
  depts === 1 ? sql`((g % ${PEOPLE / DEPTS}) * ${DEPTS})` : sql`(g % ${PEOPLE})`;

/**
 * The office, and `items` open documents (D-1…), each with a group copy (in its department's
 * chat) and a personal copy sent; their handlers spread over `depts` departments (20 or 1).
 */
async function seedClicks(db: Kysely<Database>, items: number, depts = DEPTS): Promise<void> {
  const p = handlerSql(depts);
  await sql`insert into departments (code, name, is_top) values ('BGS', '办公厅', true)`.execute(db);
  await sql`insert into departments (code, name, chat_id)
    select 'd' || lpad(g::text, 2, '0'), '处室' || g, 'oc_d' || g from generate_series(0, ${DEPTS - 1}) g`.execute(
    db,
  );
  await sql`insert into people (open_id, name, dept_code, roles)
    select 'ou_p' || lpad(g::text, 4, '0'), '员工' || g, 'd' || lpad((g % ${DEPTS})::text, 2, '0'), '{staff}'
    from generate_series(0, ${PEOPLE - 1}) g`.execute(db);
  await sql`insert into items (id, kind, doc_type, title, status, source, dept, assignee, due_at, original_due_at, created_at, updated_at)
    select 'D-' || g, 'document', 'normal', '关于做好年度工作的通知' || g, 'open', 'other',
      'd' || lpad((${p} % ${DEPTS})::text, 2, '0'), 'ou_p' || lpad(${p}::text, 4, '0'),
      timestamptz '2027-01-20T18:00:00+08:00', timestamptz '2027-01-20T18:00:00+08:00', now(), now()
    from generate_series(1, ${items}) g`.execute(db);
  if (items > 0) await sql`select setval('item_seq_document', ${items})`.execute(db);
  await sql`insert into outbox (uuid, operation, receive_id_type, receive_id, msg_type, content, purpose, item_ids, status, created_at, next_attempt_at, sent_at, sent_message_id)
    select 'seed-g-' || g, 'send', 'chat_id', 'oc_d' || (${p} % ${DEPTS}), 'interactive', '{}', 'item-card', array['D-' || g], 'sent', now(), now(), now(), 'om_g_' || g
    from generate_series(1, ${items}) g
    union all
    select 'seed-p-' || g, 'send', 'open_id', 'ou_p' || lpad(${p}::text, 4, '0'), 'interactive', '{}', 'item-card', array['D-' || g], 'sent', now(), now(), now(), 'om_p_' || g
    from generate_series(1, ${items}) g`.execute(db);
  await sql`analyze`.execute(db);
}

/** The seeded cards, as the fake Lark's sent messages, so that their patches are accepted. */
function registerSeededCards(fake: FakeLark, items: number, depts: number): void {
  fake.reset();
  for (let n = 1; n <= items; n++) {
    const person = `ou_p${String(handlerOf(n, depts)).padStart(4, '0')}`;
    const chat = `oc_d${handlerOf(n, depts) % DEPTS}`;
    for (const [messageId, chatId, openId] of [
      [`om_g_${n}`, chat, undefined],
      [`om_p_${n}`, undefined, person],
    ] as const) {
      fake.messages.push({
        messageId,
        operation: 'send',
        uuid: undefined,
        receiveIdType: chatId ? 'chat_id' : 'open_id',
        receiveId: chatId ?? openId,
        chatId,
        openId,
        replyTo: undefined,
        msgType: 'interactive',
        content: '{}',
        body: {},
        text: '',
        consumed: true,
        at: Date.now(),
      });
    }
  }
}

/** Whether every seeded group card's last patch shows its item closed (a grey header). */
function groupCardsFinal(fake: FakeLark, items: number): { final: number; patches: number } {
  const last = new Map<string, { header?: { template?: string } }>();
  for (const p of fake.patches) last.set(p.messageId, p.card);
  let final = 0;
  for (let n = 1; n <= items; n++) if (last.get(`om_g_${n}`)?.header?.template === 'grey') final++;
  return { final, patches: fake.patches.length };
}

/** What Lark sends for a 办结 click on D-n's group card: encrypted and signed. */
function clickRequest(n: number, now: Date, depts = DEPTS) {
  const operator = `ou_p${String(handlerOf(n, depts)).padStart(4, '0')}`;
  const payload = {
    schema: '2.0',
    header: {
      event_id: `ev_bench_${n}_${randomBytes(4).toString('hex')}`,
      event_type: 'card.action.trigger',
      create_time: String(now.getTime()),
      token: VERIFICATION_TOKEN,
      app_id: 'cli_fake_app',
      tenant_key: 'tenant_fake',
    },
    event: {
      operator: { open_id: operator, user_id: `u_${operator}`, union_id: `on_${operator}` },
      token: `c-token-${n}`,
      action: { value: { v: 1, op: 'done', item: `D-${n}` }, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: `om_g_${n}`, open_chat_id: `oc_d${handlerOf(n, depts) % DEPTS}` },
    },
  };
  const body = JSON.stringify({ encrypt: encryptLark(ENCRYPT_KEY, JSON.stringify(payload)) });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomBytes(8).toString('hex');
  return {
    path: '/lark/cards',
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': larkSignature(timestamp, nonce, ENCRYPT_KEY, Buffer.from(body)),
    },
  };
}

function createRequest(n: number) {
  return {
    path: '/api/v1/items',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({
      kind: 'document',
      docType: 'normal',
      docNo: `穗府办〔2026〕${n}号`,
      title: `关于报送第${n}批统计数据的通知`,
      assignee: `ou_p${String(n % PEOPLE).padStart(4, '0')}`,
      dept: `d${String((n % PEOPLE) % DEPTS).padStart(2, '0')}`,
      dueAt: '2027-01-20T18:00:00+08:00',
    }),
  };
}

interface LoadResult {
  n: number;
  errors: number;
  ms: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  failures: Record<string, number>;
  /** Answers that said the click is still being worked on (bench/load.ts `mark`). */
  marked?: number;
}

/** The toast of a click answered before its work finished (src/lark/inbound/cards.ts). */
const STILL_WORKING_MARK = '已收到，正在处理';

/** Runs bench/load.ts with `job` in a process of its own; this process stays free meanwhile. */
async function load(job: unknown): Promise<LoadResult> {
  const file = join(tmpdir(), `cuiban-bench-job-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(file, JSON.stringify(job));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    if (code !== 0) throw new Error(`the load generator exited with ${code}`);
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    rmSync(file, { force: true });
  }
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** The database's floor for a click: pgbench with ../shared/perf/click-floor.sql, 50 clients, 10 s. */
function pgbenchFloor(): { tps: number; latencyMs: number } {
  // ../shared as seen from the landing checkout; a worktree elsewhere names it by BENCH_FLOOR_SCRIPT.
  const script =
    process.env.BENCH_FLOOR_SCRIPT ??
    ['../shared/perf/click-floor.sh', '/work/shared/perf/click-floor.sh'].find((f) => existsSync(f));
  if (!script) throw new Error('../shared/perf/click-floor.sh not found; set BENCH_FLOOR_SCRIPT');
  const out = execFileSync('bash', [script, baseUrl!], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${PG_BIN}:${process.env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+)/.exec(out)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps: ${out}`);
  return { tps, latencyMs };
}

/** User + system CPU the process has used so far, in ms (/proc/<pid>/stat, 100 ticks a second). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * How long transactions stay open: pg_stat_activity of the database sampled every ~10 ms; each
 * (backend, xact_start) seen is one transaction, open at least as long as the oldest sight of
 * it (a lower bound, by up to one sampling gap). A click's transaction is one seen touching items
 * or the card lookup; the others are the dispatcher's and the callback records'.
 */
function sampleTransactions(database: string) {
  const client = new pg.Client({ connectionString: baseUrl });
  const seen = new Map<string, { age: number; click: boolean }>();
  let stop = false;
  let inTxnSamples = 0;
  let idleInTxn = 0;
  let rounds = 0;
  const running = (async () => {
    await client.connect();
    while (!stop) {
      const r = await client.query<{ k: string; age: number; state: string; query: string }>(
        `select pid || ':' || xact_start as k, extract(epoch from clock_timestamp() - xact_start) * 1000 as age, state, query
         from pg_stat_activity where datname = $1 and xact_start is not null and pid <> pg_backend_pid()`,
        [database],
      );
      rounds++;
      for (const row of r.rows) {
        const click = /"items"|"item_history"|"sent_message_id"|reference_versions/.test(row.query);
        const prev = seen.get(row.k);
        seen.set(row.k, { age: Math.max(prev?.age ?? 0, Number(row.age)), click: click || !!prev?.click });
        inTxnSamples++;
        if (row.state.startsWith('idle in transaction')) idleInTxn++;
      }
      await new Promise((res) => setTimeout(res, 10));
    }
    await client.end();
  })();
  return async () => {
    stop = true;
    await running;
    const clicks = [...seen.values()].filter((t) => t.click && t.age > 0).map((t) => t.age);
    clicks.sort((x, y) => x - y);
    const mean = clicks.reduce((x, y) => x + y, 0) / Math.max(1, clicks.length);
    return {
      clickTxns: clicks.length,
      meanMs: mean,
      p50Ms: clicks[Math.floor(clicks.length / 2)] ?? 0,
      p99Ms: clicks[Math.floor(clicks.length * 0.99)] ?? 0,
      /** Of the backends seen inside a transaction, the share waiting for the service. */
      idleInTxnShare: idleInTxn / Math.max(1, inTxnSamples),
      meanOpen: inTxnSamples / Math.max(1, rounds),
    };
  };
}

interface Service {
  url: string;
  process: ChildProcess;
  peakRssMb(): number;
  stop(): Promise<void>;
}

let built = false;

/** The service as `npm start` runs it: built once (`npm run build`, dist/node.js), then plain node. */
async function startService(
  env: Record<string, string>,
  logFile: string,
  options: { index?: number; profileDir?: string } = {},
): Promise<Service> {
  if (!built) {
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    built = true;
  }
  const port = 19_000 + (process.pid % 1000) * 4 + (options.index ?? 0);
  const out = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_ARGS?.split(' ') ?? []),
      ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []),
      'dist/node.js',
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
        LARK_ENCRYPT_KEY: ENCRYPT_KEY,
        ADMIN_TOKEN,
        // The nightly backup job catches up its slot at start: keep its tarballs out of the repo.
        BACKUP_DIR: join(tmpdir(), `cuiban-bench-backups-${process.pid}`),
        ...env,
      },
      stdio: ['ignore', out, out],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}); see ${logFile}`);
    const ok = await fetch(`${url}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > end) throw new Error(`the service did not start; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    process: child,
    peakRssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function clickCheck(db: Kysely<Database>, n: number) {
  const closed = await sql<{
    c: number;
  }>`select count(*)::int as c from items where status = 'done' and id like 'D-%'`.execute(db);
  const patches = await sql<{
    c: number;
  }>`select count(*)::int as c from outbox where operation = 'patch'`.execute(db);
  const history = await sql<{
    c: number;
  }>`select count(*)::int as c from item_history where action = 'done' and item_id like 'D-%'`.execute(db);
  return {
    closed: closed.rows[0]!.c,
    patches: patches.rows[0]!.c,
    history: history.rows[0]!.c,
    ok: closed.rows[0]!.c === n && history.rows[0]!.c === n && patches.rows[0]!.c === 2 * n,
  };
}

/** Waits until no patch is left to send (or `timeoutMs` passed); answers how long it took. */
async function drainPatches(db: Kysely<Database>, timeoutMs: number): Promise<{ ms: number; left: number }> {
  const start = performance.now();
  for (;;) {
    const r = await sql<{
      c: number;
    }>`select count(*)::int as c from outbox where operation = 'patch' and status in ('pending', 'sending')`.execute(
      db,
    );
    const left = r.rows[0]!.c;
    if (left === 0 || performance.now() - start > timeoutMs) return { ms: performance.now() - start, left };
    await new Promise((res) => setTimeout(res, 250));
  }
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export interface ClickCase {
  /** 1: every item in department d00 (one group chat); 20: spread over the 20 departments. */
  depts: number;
  /** Service instances on the one database, the clicks dealt to them in turn. */
  processes: number;
}

/**
 * One Postgres click case: the pgbench floor, then CLICKS signed 办结 callbacks at 50 concurrent
 * to `processes` instances; the service's CPU per click during the clicks and until every patch
 * went out, how long the click transactions stayed open, and (BENCH_PROFILE) the CPU by stage.
 */
async function postgresClicks(fake: FakeLark, logFile: string, c: ClickCase) {
  const name = `cuiban_speed_${process.pid}`;
  const url = await freshDatabase(name);
  const database = await connectPostgres(url);
  const profileDir = process.env.BENCH_PROFILE
    ? mkdtempSync(join(tmpdir(), 'cuiban-bench-prof-'))
    : undefined;
  try {
    await migrateToLatest(database.db);
    await seedClicks(database.db, CLICKS, c.depts);
    registerSeededCards(fake, CLICKS, c.depts);
    const floor = pgbenchFloor();

    const env = {
      DATABASE_URL: url,
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_DOMAIN: fake.url,
    };
    const services: Service[] = [];
    try {
      for (let i = 0; i < c.processes; i++)
        services.push(await startService(env, logFile, { index: i, ...(profileDir ? { profileDir } : {}) }));
      const now = new Date();
      const requests = Array.from({ length: CLICKS }, (_, i) => clickRequest(i + 1, now, c.depts));
      const cpu0 = services.reduce((t, s) => t + cpuMsOf(s.process.pid!), 0);
      const t0 = nowUs();
      const stopSampling = sampleTransactions(name);
      const clicks = await load({
        mode: 'http',
        urls: services.map((s) => s.url),
        concurrency: 50,
        requests,
        expect: 200,
        mark: STILL_WORKING_MARK,
      });
      const txns = await stopSampling();
      const cpu1 = services.reduce((t, s) => t + cpuMsOf(s.process.pid!), 0);
      const t1 = nowUs();
      const drain = await drainPatches(database.db, Number(process.env.BENCH_DRAIN_MS ?? 300_000));
      const cpu2 = services.reduce((t, s) => t + cpuMsOf(s.process.pid!), 0);
      const t2 = nowUs();
      const rss = Math.max(...services.map((s) => s.peakRssMb()));
      for (const s of services) await s.stop();
      const check = await clickCheck(database.db, CLICKS);
      const cards = groupCardsFinal(fake, CLICKS);
      // The profile's samples are wall-clock spaced (a process waiting for a core still gets
      // them), so only their shares are used, applied to the CPU time /proc counted.
      let stages: { clicks: StageBreakdown; tail: StageBreakdown } | null = null;
      if (profileDir) {
        const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
        const sum = (from: number, to: number) =>
          files
            .map((f) => stagesOf(join(profileDir, f), 'dist/node.js', from, to))
            .reduce((acc, x) => {
              for (const k of STAGES) acc.ms[k] += x.ms[k];
              acc.totalMs += x.totalMs;
              acc.samples += x.samples;
              return acc;
            });
        stages = { clicks: sum(t0, t1), tail: sum(t1, t2) };
      }
      return {
        floor,
        clicks,
        rss,
        check,
        cards,
        txns,
        drain,
        cpuPerClickMs: (cpu1 - cpu0) / CLICKS,
        cpuPerClickWithPatchesMs: (cpu2 - cpu0) / CLICKS,
        wallS: (t2 - t0) / 1e6,
        stages,
      };
    } finally {
      for (const s of services) await s.stop();
    }
  } finally {
    await database.close();
    await admin(`drop database if exists ${name} with (force)`);
    if (profileDir && !process.env.BENCH_KEEP_PROFILE) rmSync(profileDir, { recursive: true, force: true });
    else if (profileDir) console.log(`profiles kept in ${profileDir}`);
  }
}

async function pgliteClicks(fake: FakeLark, logFile: string) {
  const dir = mkdtempSync(join(tmpdir(), 'cuiban-bench-pglite-'));
  try {
    const seeded = await connectPglite(dir);
    await migrateToLatest(seeded.db);
    await seedClicks(seeded.db, PGLITE_CLICKS);
    await seeded.close();
    registerSeededCards(fake, PGLITE_CLICKS, DEPTS);
    const service = await startService(
      { DATA_DIR: dir, LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url },
      logFile,
    );
    let clicks: LoadResult;
    let rss: number;
    try {
      const now = new Date();
      const requests = Array.from({ length: PGLITE_CLICKS }, (_, i) => clickRequest(i + 1, now));
      clicks = await load({
        mode: 'http',
        urls: [service.url],
        concurrency: 50,
        requests,
        expect: 200,
        mark: STILL_WORKING_MARK,
      });
      // The database is the service's while it runs: the patches are counted at the fake Lark.
      const until = performance.now() + Number(process.env.BENCH_DRAIN_MS ?? 300_000);
      while (fake.patches.length < 2 * PGLITE_CLICKS && performance.now() < until)
        await new Promise((r) => setTimeout(r, 250));
      rss = service.peakRssMb();
    } finally {
      await service.stop();
    }
    const database = await connectPglite(dir);
    const check = await clickCheck(database.db, PGLITE_CLICKS);
    await database.close();
    return { clicks, rss, check, cards: groupCardsFinal(fake, PGLITE_CLICKS) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function creates(logFile: string) {
  const url = await freshDatabase(`cuiban_speed_c_${process.pid}`);
  const database = await connectPostgres(url);
  try {
    await migrateToLatest(database.db);
    await seedClicks(database.db, 0);
    const service = await startService({ DATABASE_URL: url }, logFile);
    try {
      const requests = Array.from({ length: CREATES }, (_, i) => createRequest(i + 1));
      const result = await load({
        mode: 'http',
        urls: [service.url],
        concurrency: 10,
        requests,
        expect: 201,
      });
      return { result, rss: service.peakRssMb() };
    } finally {
      await service.stop();
    }
  } finally {
    await database.close();
    await admin(`drop database if exists cuiban_speed_c_${process.pid} with (force)`);
  }
}

/** 10,000 open tasks needing a reminder as of PLAN_AT (5 each for 2,000 people), a chief per department. */
async function seedRound(db: Kysely<Database>): Promise<void> {
  await seedClicks(db, 0);
  await sql`insert into people (open_id, name, dept_code, roles)
    select 'ou_chief' || g, '处长' || g, 'd' || lpad(g::text, 2, '0'), '{chief}' from generate_series(0, ${DEPTS - 1}) g`.execute(
    db,
  );
  await sql`insert into items (id, kind, title, status, source, dept, assignee, due_at, original_due_at, created_at, updated_at)
    select 'T-' || g, 'task', '督办事项' || g, 'open', 'other', 'd' || lpad(((g % ${PEOPLE}) % ${DEPTS})::text, 2, '0'),
      'ou_p' || lpad((g % ${PEOPLE})::text, 4, '0'), d.due, d.due,
      timestamptz '2026-09-20T09:00:00+08:00', timestamptz '2026-09-20T09:00:00+08:00'
    from generate_series(1, 10000) g,
    lateral (select case
      when g <= 5000 then timestamptz '2026-09-30T06:00:00+08:00' + ((g % 180) || ' minutes')::interval
      else timestamptz '2026-10-08T09:00:00+08:00' + ((g % 540) || ' minutes')::interval
      end as due) d`.execute(db);
  await sql`select setval('item_seq_task', 10000)`.execute(db);
  await sql`analyze`.execute(db);
}

/** VmRSS / VmHWM of a process, in MB. */
function rssOf(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { now: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Peak RSS of the service through a 10,000-reminder round (POST /api/v1/jobs/remind/run) and the
 * 10 s of sending after it, on Postgres or PGlite; with its RSS idle after start.
 */
async function roundRss(fake: FakeLark, logFile: string, engine: 'postgres' | 'pglite') {
  const name = `cuiban_speed_r_${process.pid}`;
  const dir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'cuiban-bench-round-')) : '';
  try {
    let env: Record<string, string>;
    if (engine === 'postgres') {
      const url = await freshDatabase(name);
      const database = await connectPostgres(url);
      await migrateToLatest(database.db);
      await seedRound(database.db);
      await database.close();
      env = { DATABASE_URL: url };
    } else {
      const database = await connectPglite(dir);
      await migrateToLatest(database.db);
      await seedRound(database.db);
      await database.close();
      env = { DATA_DIR: dir, DEMO: 'off' };
    }
    fake.reset();
    const service = await startService(
      { ...env, LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url },
      logFile,
    );
    try {
      const idle = rssOf(service.process.pid!).now;
      const started = performance.now();
      const res = await fetch(`${service.url}/api/v1/jobs/remind/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ at: PLAN_AT.toISOString() }),
      });
      const summary = (await res.json()) as Record<string, unknown>;
      const roundS = (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 10_000));
      return { idle, peak: rssOf(service.process.pid!).peak, roundS, status: res.status, summary };
    } finally {
      await service.stop();
    }
  } finally {
    if (engine === 'postgres') await admin(`drop database if exists ${name} with (force)`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the embedded database costs on its own: the peak RSS of a bare node process that opens a
 * PGlite data directory (the round's, 10,000 open tasks) and reads it, beside one that does nothing.
 */
async function pgliteAloneRss(): Promise<{ bare: number; pglite: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cuiban-bench-alone-'));
  try {
    const database = await connectPglite(dir);
    await migrateToLatest(database.db);
    await seedRound(database.db);
    await database.close();
    const peakOf = (code: string) =>
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim(),
      ) / 1024;
    const report =
      "process.stdout.write(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','utf8'))[1])";
    const bare = peakOf(
      `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); ${report}`,
    );
    const pglite = peakOf(
      `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const { PGlite } = await import('@electric-sql/pglite'); const db = await PGlite.create(${JSON.stringify(dir)}); await db.query("select count(*), max(title) from items where status = 'open'"); ${report}`,
    );
    return { bare, pglite };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Open items like bench/run.ts's: 5 % overdue, 5 % due on the next working day, the rest later. */
async function planning(items: number) {
  const url = await freshDatabase(`cuiban_speed_p_${process.pid}`);
  const database = await connectPostgres(url);
  try {
    await migrateToLatest(database.db);
    const db = database.db;
    await seedClicks(db, 0);
    const overdue = items / 20;
    const t0 = performance.now();
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
    const seedS = (performance.now() - t0) / 1000;
    const deps: Deps = {
      config: loadConfig({ DATABASE_URL: url }),
      database,
      clock: systemClock,
      logger: silentLogger,
      instanceId: 'bench',
      larkEnabled: false,
      lark: null,
      jobs: jobRegistry,
    };
    const times: number[] = [];
    const loads: number[] = [];
    const computes: number[] = [];
    let candidates = 0;
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const round = await planRound(deps, { at: PLAN_AT, round: true });
      times.push(performance.now() - s);
      loads.push(round.timings.loadMs);
      computes.push(round.timings.computeMs);
      candidates = round.candidates;
    }
    // Baseline: one indexed count of the same candidates, a single round trip.
    const base: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await sql`select count(*) from items where status = 'open' and due_at < ${new Date('2026-10-09T00:00:00+08:00')}`.execute(
        db,
      );
      base.push(performance.now() - s);
    }
    return {
      items,
      seedS,
      median: median(times),
      load: median(loads),
      compute: median(computes),
      candidates,
      baseline: median(base),
    };
  } finally {
    await database.close();
    await admin(`drop database if exists cuiban_speed_p_${process.pid} with (force)`);
  }
}

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const f0 = (x: number) => x.toFixed(0);
const why = (r: LoadResult) =>
  Object.keys(r.failures).length === 0
    ? ''
    : ` (${Object.entries(r.failures)
        .map(([k, n]) => `${n} × ${k}`)
        .join(', ')})`;
const f2 = (x: number) => x.toFixed(2);

type Row = (figure: string, measured: string, baseline: string, ratio: string, target: string) => void;

/** Peak RSS through a 10,000-reminder round on both engines, and PGlite's own share of it. */
async function rssRows(row: Row, fake: FakeLark, logFile: string) {
  for (const engine of ['postgres', 'pglite'] as const) {
    const r = await roundRss(fake, logFile, engine);
    row(
      `peak RSS of the service, 10,000-reminder round on ${engine === 'postgres' ? 'Postgres' : 'PGlite'} (the round took ${r.roundS.toFixed(1)} s, HTTP ${r.status}, ${String(r.summary.sent ?? r.summary.cards ?? '?')} cards; then 10 s of sending)`,
      `${f0(r.peak)} MB`,
      `idle after start ${f0(r.idle)} MB`,
      f2(r.peak / r.idle),
      engine === 'postgres' ? '≤ 200 MB' : '—',
    );
  }
  const alone = await pgliteAloneRss();
  row(
    "what PGlite costs on its own: peak RSS of a bare node process opening the round's data directory and reading it",
    `${f0(alone.pglite)} MB`,
    `bare node ${f0(alone.bare)} MB`,
    `+${f0(alone.pglite - alone.bare)} MB`,
    '—',
  );
}
type ClickRun = Awaited<ReturnType<typeof postgresClicks>>;

/** The rows of one Postgres click case, each beside the same-run pgbench floor. */
function clickRows(row: Row, label: string, r: ClickRun) {
  row(
    `card clicks closing an item, Postgres, 50 concurrent (${CLICKS}), ${label}`,
    `${f0(r.clicks.perSecond)}/s, p50 ${f0(r.clicks.p50)} ms, p99 ${f0(r.clicks.p99)} ms, ${r.clicks.errors} errors${why(r.clicks)}, ${r.clicks.marked ?? 0} answered 已收到 (past the 2.5 s budget)`,
    `pgbench click floor ${f0(r.floor.tps)} tx/s (latency ${f0(r.floor.latencyMs)} ms)`,
    f2(r.clicks.perSecond / r.floor.tps),
    '≥ 0.50, p99 ≤ 150 ms, 0 errors',
  );
  row(
    '… service CPU per click: until the last answer / with its 2 patches sent',
    `${r.cpuPerClickMs.toFixed(2)} ms / ${r.cpuPerClickWithPatchesMs.toFixed(2)} ms`,
    `pgbench: ${(1000 / r.floor.tps).toFixed(2)} ms of the machine per click`,
    f2(r.cpuPerClickMs / (1000 / r.floor.tps)),
    '—',
  );
  row(
    '… a click transaction stays open (sampled, lower bound)',
    `mean ${f0(r.txns.meanMs)} ms, p50 ${f0(r.txns.p50Ms)} ms, p99 ${f0(r.txns.p99Ms)} ms (${r.txns.clickTxns} seen); ${f0(100 * r.txns.idleInTxnShare)} % of in-transaction sightings idle in transaction`,
    `pgbench latency ${f0(r.floor.latencyMs)} ms per transaction`,
    f2(r.txns.meanMs / r.floor.latencyMs),
    '—',
  );
  row(
    '… results',
    `${r.check.closed} closed, ${r.check.history} history rows, ${r.check.patches} patches queued; ${r.cards.final} group cards patched grey (${r.cards.patches} patches sent in ${f0(r.drain.ms / 1000)} s after the last answer${r.drain.left ? `, ${r.drain.left} left` : ''})`,
    `${CLICKS} / ${CLICKS} / ${2 * CLICKS} / ${CLICKS} expected`,
    r.check.ok && r.cards.final === CLICKS ? 'correct' : 'WRONG',
    'each item closed once, every group card patched to its final state',
  );
  row('… peak RSS of the service (largest instance)', `${f0(r.rss)} MB`, '—', '—', '≤ 200 MB');
}

/** CPU by stage from the service's profile (BENCH_PROFILE=1), per click. */
function stageTable(label: string, r: ClickRun): string {
  const { clicks, tail } = r.stages!;
  const cpuClicks = r.cpuPerClickMs;
  const cpuTail = r.cpuPerClickWithPatchesMs - r.cpuPerClickMs;
  const share = (b: StageBreakdown, k: (typeof STAGES)[number]) => b.ms[k] / Math.max(1e-9, b.totalMs);
  const lines = [
    `CPU by stage, ${label}: ${cpuClicks.toFixed(2)} ms per click from the first click to the last answer (patches sent meanwhile included), ${cpuTail.toFixed(2)} ms more per click while the remaining patches went out (${clicks.samples} + ${tail.samples} profile samples; /proc CPU split by the profile's shares):`,
    '',
    '| stage | ms CPU per click, clicks | share | ms per click, patches after |',
    '|---|---|---|---|',
    ...STAGES.map(
      (k) =>
        `| ${k} | ${(share(clicks, k) * cpuClicks).toFixed(3)} | ${f0(100 * share(clicks, k))} % | ${(share(tail, k) * cpuTail).toFixed(3)} |`,
    ),
    '',
  ];
  for (const l of lines) console.log(l);
  return lines.join('\n');
}

/**
 * `BENCH_ONLY=planning npx tsx bench/speed.ts`: only the planning rows, written to a section of
 * their own ("Planning a round"), so the other hot paths' figures stay as last measured.
 */
async function planningOnly() {
  const load0 = loadavg().map(f2).join(' ');
  const started = new Date();
  const rows: string[] = [];
  for (const n of [100_000, 1_000_000]) {
    const p = await planning(n);
    const line = `| plan a reminder round over ${n.toLocaleString('en')} open items (median of 5; ${p.candidates.toLocaleString('en')} candidates) | ${f0(p.median)} ms (loading ${f0(p.load)} ms, computing ${f0(p.compute)} ms) | one indexed count of the candidates ${f0(p.baseline)} ms | ${f2(p.median / p.baseline)} | ${n === 100_000 ? '≤ 100 ms' : '≤ 1,000 ms'} |`;
    rows.push(line);
    console.log(line);
  }
  const load1 = loadavg().map(f2).join(' ');
  const machine = `nproc ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`;
  const section = [
    '## Planning a round',
    '',
    `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`BENCH_ONLY=planning npx tsx bench/speed.ts\` on: ${machine}; load average ${load0} at the start, ${load1} at the end (a shared machine). These rows replace the planning rows of "Hot paths" until that table is measured again.`,
    '',
    '| figure | measured | same-run baseline | ratio | target |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'What planning does per round now (src/reminders/round.ts `planRound`): the lights come from',
    'a working-day index built once per round around today (src/domain/round-lights.ts), not from',
    'walking the calendar per deadline; local dates come from a zone offset cached per UTC quarter hour',
    '(src/domain/time.ts `localParts`), not from Intl per call; ids are ordered by one shared collator, and',
    "ids of capitals, digits and hyphens by code unit (the same order); a person's lines are sorted on keys",
    'looked up once. Reading `timestamptz` from Postgres goes by character codes (src/db/timestamptz.ts)',
    "instead of postgres-date's regular expressions. Property tests check each against the",
    'straightforward way (test/unit/round-lights, time-fast, timestamptz). What is left is mostly',
    'node-postgres turning 100,000 rows into objects: the candidates query itself runs in about',
    '45 ms on the server for 1,000,000 items (`explain analyze`), the client takes several times that.',
    '',
  ].join('\n');
  if (!process.env.BENCH_NO_WRITE) writeBenchmarkSection('## Planning a round', section);
}

async function main() {
  const load0 = loadavg().map(f2).join(' ');
  const started = new Date();
  const logFile = join(tmpdir(), `cuiban-bench-service-${process.pid}.log`);
  const fake = await FakeLark.start();
  const rows: string[] = [];
  const stageTables: string[] = [];
  const row = (figure: string, measured: string, baseline: string, ratio: string, target: string) => {
    rows.push(`| ${figure} | ${measured} | ${baseline} | ${ratio} | ${target} |`);
    console.log(`${figure}: ${measured}; baseline ${baseline}; ratio ${ratio}; target ${target}`);
  };
  try {
    if (process.env.BENCH_ONLY === 'rss') return void (await rssRows(row, fake, logFile));
    const skipPostgresClicks = process.env.BENCH_ONLY === 'pglite';
    const cases: Array<ClickCase & { label: string }> = [
      { depts: 1, processes: 1, label: "one department's items (the burst after a round), 1 process" },
      { depts: 20, processes: 1, label: 'spread over 20 departments, 1 process' },
      { depts: 20, processes: 2, label: 'spread over 20 departments, 2 processes' },
    ];
    let pgc: Awaited<ReturnType<typeof postgresClicks>> | undefined;
    // BENCH_CASES=20x1,20x2 (departments x processes) runs only those.
    const only = process.env.BENCH_CASES?.split(',');
    for (const c of cases) {
      if (skipPostgresClicks || (only && !only.includes(`${c.depts}x${c.processes}`))) continue;
      const r = await postgresClicks(fake, logFile, c);
      pgc ??= r;
      clickRows(row, c.label, r);
      if (r.stages) stageTables.push(stageTable(c.label, r));
    }
    if (process.env.BENCH_ONLY === 'clicks') return;
    const plc = await pgliteClicks(fake, logFile);
    const pgP99 = pgc ? `Postgres clicks p99 ${f0(pgc.clicks.p99)} ms` : '—';
    row(
      `card clicks closing an item, PGlite, 50 concurrent (${PGLITE_CLICKS})`,
      `${f0(plc.clicks.perSecond)}/s, p50 ${f0(plc.clicks.p50)} ms, p99 ${f0(plc.clicks.p99)} ms, ${plc.clicks.errors} errors${why(plc.clicks)}, ${plc.clicks.marked ?? 0} answered 已收到 (in progress)`,
      pgP99,
      pgc ? f2(plc.clicks.p99 / pgc.clicks.p99) : '—',
      'p99 ≤ 1,000 ms, 0 errors',
    );
    row(
      '… results after the PGlite click run',
      `${plc.check.closed} closed, ${plc.check.history} history rows, ${plc.check.patches} patches queued; ${plc.cards.final} group cards patched grey (${plc.cards.patches} patches sent)`,
      `${PGLITE_CLICKS} / ${PGLITE_CLICKS} / ${2 * PGLITE_CLICKS} / ${PGLITE_CLICKS} expected`,
      plc.check.ok && plc.cards.final === PGLITE_CLICKS ? 'correct' : 'WRONG',
      'each item closed once, every group card patched to its final state',
    );
    row('peak RSS of the service during the PGlite click run', `${f0(plc.rss)} MB`, '—', '—', '≤ 200 MB');
    if (skipPostgresClicks) return;

    const cr = await creates(logFile);
    row(
      `POST /api/v1/items, Postgres, 10 concurrent (${CREATES})`,
      `${f0(cr.result.perSecond)}/s, p99 ${f0(cr.result.p99)} ms, ${cr.result.errors} errors${why(cr.result)}`,
      `pgbench click floor ${f0(pgc!.floor.tps)} tx/s (first click case)`,
      f2(cr.result.perSecond / pgc!.floor.tps),
      '≥ 500/s',
    );

    await rssRows(row, fake, logFile);
    for (const n of [100_000, 1_000_000]) {
      if (process.env.BENCH_SKIP_PLANNING) break;
      if (n > 100_000 && process.env.BENCH_SKIP_MILLION) continue;
      const p = await planning(n);
      row(
        `plan a reminder round over ${n.toLocaleString('en')} open items (median of 5; ${p.candidates.toLocaleString('en')} candidates)`,
        `${f0(p.median)} ms`,
        `one indexed count of the candidates ${f0(p.baseline)} ms`,
        f2(p.median / p.baseline),
        n === 100_000 ? '≤ 100 ms' : '≤ 1,000 ms',
      );
    }
  } finally {
    await fake.close();
  }
  const load1 = loadavg().map(f2).join(' ');
  const machine = `nproc ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`;
  const section = [
    '## Hot paths',
    '',
    `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`BENCH_CLICKS=${CLICKS} BENCH_CREATES=${CREATES} npx tsx bench/speed.ts\` (the first half of \`npm run bench\`) on: ${machine}; load average ${load0} at the start, ${load1} at the end (a shared machine: other engineers' test runs compete for the 2 cores).`,
    '',
    '| figure | measured | same-run baseline | ratio | target |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'How: each figure beside a baseline taken in the same run, since absolute numbers on this shared',
    'machine move several-fold from run to run. The click floor is pgbench running',
    '`../shared/perf/click-floor.sql` (store the callback, lock + update the item, append history,',
    'enqueue the patch) at 50 clients for 10 s, right before each click case on the same server. The',
    'clicks are signed, encrypted `card.action.trigger` callbacks for 办结 on distinct items, each with a',
    'group copy and a personal copy already sent (registered with the fake Lark, which checks every',
    'patch), so each click queues two patches; the bench waits until every patch went out and checks',
    "each group card's last patch is the closed (grey) card. The service runs as `npm start` runs it",
    '(`npm run build`, then `node dist/node.js`), 1 or 2 processes on the one database (the clicks dealt',
    'to them in turn), the load generator in a process of its own. CPU per click is the service',
    "processes' user + system time from /proc over the run, divided by the clicks; pgbench's figure",
    "beside it is the machine's time per floor transaction (1/tps: the two cores' worth, the database",
    "included). The transaction's open time comes from pg_stat_activity sampled every ~10 ms (each",
    "backend's xact_start seen; a lower bound). With BENCH_PROFILE=1 the service runs with --cpu-prof",
    'and bench/cpu-stages.ts splits the CPU by stage (the tables below the figures). Planning seeds',
    'open tasks like bench/run.ts (5 % overdue, 5 % due on the next working day) and times',
    '`planRound`; its baseline is one indexed count of the same candidates.',
    '',
    ...stageTables,
    'Where a click goes (`npx tsx bench/click-queries.ts` lists them): 11 statements on Postgres once the',
    'process holds the reference data, transaction control included, plus at most once in 2.5 s per',
    'process the instance heartbeat; they reach the server in 8 round trips (`test/integration/click-statements.happy.test.ts`',
    'counts the socket writes): the callback record; begin; the card lookup, the reference versions and the',
    "item's lock together; the update; the history row and the read of the item's cards together; the",
    'patches; the answer on the callback; commit (src/db/transaction.ts, src/db/postgres.ts: pipeline mode,',
    'one socket write per event-loop turn). Item creation: 9 statements (`npx tsx bench/create-queries.ts`).',
    'On PGlite clicks are taken one at a time in arrival order, and one still waiting 0.8 s after it',
    'arrived is answered 已收到，正在处理 and handled in its turn (src/lark/inbound/cards.ts). The reference data comes from the per-process copy (src/settings/reference-data.ts).',
    '',
  ].join('\n');
  if (!process.env.BENCH_NO_WRITE) writeBenchmarkSection('## Hot paths', section);
}

(process.env.BENCH_ONLY === 'planning' ? planningOnly() : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
