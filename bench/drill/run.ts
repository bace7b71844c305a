import { connectPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { FakeLark, Fault, FaultSchedule } from '../../test/fakes/lark-server.js';
import { adminQuery, type DrillPostgres, databaseUrl } from './postgres.js';
import {
  type Instance,
  killHard,
  rowsTakenOver,
  type ServiceEnv,
  startInstance,
  stopInstance,
} from './service.js';
import { type Tally, tally, tallyFailed } from './tally.js';
import { atIso, clickRequest, lastRoundAt, seedWorkload, type Workload } from './workload.js';

/** One drill: how many instances, which faults, and when. */
export interface Scenario {
  key: string;
  name: string;
  instances: number;
  /** Lark's faults, on a schedule over the API requests. */
  lark?: FaultSchedule;
  /** kill -9 one instance once a third of the round is out, and start it again at once. */
  kill?: boolean;
  /** Restart Postgres (or cut its connections) once half of the round is out. */
  postgres?: boolean;
  /**
   * Fill the disk of the database's tablespace once a quarter of the clicks are in, ask for the
   * round meanwhile, give the space back after DISK_FULL_MS (the throw-away server as root only).
   */
  disk?: boolean;
}

/** How long the full-disk drill keeps the disk full. */
export const DISK_FULL_MS = 10_000;

const every =
  (n: number, fault: Fault): FaultSchedule =>
  (op, i) =>
    op !== 'token' && i % n === 0 ? fault : undefined;

const LARK_FAULTS = {
  rateLimit: every(25, { type: 'rate_limit', resetSeconds: 1 }),
  serverError: every(20, { type: 'status', status: 503, code: 1500, msg: 'service unavailable' }),
  timeout: every(150, { type: 'hang' }),
  acceptThenDrop: every(20, { type: 'accept_then_drop' }),
};

const mixed: FaultSchedule = (op, i) =>
  LARK_FAULTS.rateLimit(op, i) ??
  LARK_FAULTS.serverError(op, i + 7) ??
  LARK_FAULTS.acceptThenDrop(op, i + 13) ??
  LARK_FAULTS.timeout(op, i + 77);

/** Every drill, one fault kind at a time, then all at once. */
export const SCENARIOS: Scenario[] = [
  { key: 'baseline', name: 'no fault', instances: 1 },
  { key: '429', name: 'Lark 429 + reset header (1 in 25)', instances: 1, lark: LARK_FAULTS.rateLimit },
  { key: '5xx', name: 'Lark 503 (1 in 20)', instances: 1, lark: LARK_FAULTS.serverError },
  { key: 'timeout', name: 'Lark timeout, no answer (1 in 150)', instances: 1, lark: LARK_FAULTS.timeout },
  { key: 'drop', name: 'Lark accept-then-drop (1 in 20)', instances: 1, lark: LARK_FAULTS.acceptThenDrop },
  { key: 'kill', name: 'kill -9 mid-dispatch, restart', instances: 1, kill: true },
  { key: 'postgres', name: 'Postgres restart mid-run', instances: 1, postgres: true },
  { key: 'three', name: 'three instances at once', instances: 3 },
  { key: 'disk', name: 'disk full mid-run (10 s), then space back', instances: 1, disk: true },
  {
    key: 'mixed',
    name: 'mixed: all Lark faults, three instances, kill -9, Postgres restart',
    instances: 3,
    lark: mixed,
    kill: true,
    postgres: true,
  },
];

export interface DrillContext {
  pg: DrillPostgres;
  fake: FakeLark;
  /** A migrated, seeded database each drill copies. */
  template: string;
  prefix: string;
  workload: Workload;
  service: Omit<ServiceEnv, 'databaseUrl'>;
  /** How long a drill may take to settle before it counts as failed. */
  settleMs: number;
  /** Over how long the clicks are spread (default: the time the round's cards take, 10 s or more). */
  clickSpreadMs?: number;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  scenario: Scenario;
  tally: Tally;
  failures: string[];
  seconds: number;
  /** kill -9: rows the dead process held, and how long after the restart the last one was sent. */
  recovery?: { held: number; afterRestartS: number | null };
  takenOver: number;
  postgres?: 'restart' | 'cut';
  /** The full-disk drill: the clicks' answers while it was full (503 expected, never 500). */
  disk?: { refused503: number; errors500: number; fullS: number };
}

/** The bound the README states: what a dead process held is sent within 60 s of a restart. */
export const RECOVERY_BOUND_S = 60;

export async function runScenario(ctx: DrillContext, s: Scenario, index: number): Promise<ScenarioResult> {
  const log = ctx.log ?? (() => {});
  const name = `${ctx.prefix}_${index}`;
  if (s.disk && !ctx.pg.disk) {
    return {
      scenario: s,
      tally: emptyTally(),
      failures: ['needs the throw-away Postgres run as root (a tmpfs tablespace to fill); not run'],
      seconds: 0,
      takenOver: 0,
    };
  }
  await adminQuery(
    ctx.pg.url,
    `create database ${name} template ${ctx.template}${s.disk ? ` tablespace ${ctx.pg.disk!.tablespace}` : ''}`,
  );
  const url = databaseUrl(ctx.pg.url, name);
  const watch = (text: string, values: unknown[] = []) => retry(() => adminQuery(url, text, values));
  ctx.fake.reset();
  ctx.fake.setFaultSchedule(s.lark);
  // Lark's own round trip, so a dispatcher holds its claimed rows for a while.
  ctx.fake.latencyMs = 30;
  const env: ServiceEnv = { ...ctx.service, databaseUrl: url };
  const started = performance.now();
  const instances: Instance[] = await Promise.all(
    Array.from({ length: s.instances }, (_, i) => startInstance(`${name}-${i}`, env)),
  );
  const all = [...instances];
  const failures: string[] = [];
  let recovery: ScenarioResult['recovery'];
  let disk: ScenarioResult['disk'];
  try {
    const progress = { started: 0 };
    const statuses = new Map<number, number>();
    const clicking = clickAll(
      () => instances.filter((i) => i.child.exitCode === null && !i.child.signalCode),
      ctx,
      progress,
      statuses,
    );
    // The round goes out while the clicks come in.
    await until(() => progress.started >= ctx.workload.clicks / 4, 60_000, 50);
    const cards = ctx.workload.people;
    if (s.disk) {
      // The disk fills with clicks coming in and the round asked for: both are refused (503) and
      // delivered again until space is back; then the round runs once and its cards go out.
      const before = new Map(statuses);
      log(`  filling the disk of the database's tablespace for ${DISK_FULL_MS / 1000} s`);
      const filledAt = performance.now();
      ctx.pg.disk!.fill();
      const round = runRound(instances, ctx, statuses, 120);
      await sleep(DISK_FULL_MS);
      ctx.pg.disk!.free();
      const fullS = (performance.now() - filledAt) / 1000;
      const during = (code: number) => (statuses.get(code) ?? 0) - (before.get(code) ?? 0);
      disk = { refused503: during(503), errors500: statuses.get(500) ?? 0, fullS };
      log(`  space back after ${fullS.toFixed(1)} s; answers meanwhile: 503 × ${disk.refused503}`);
      if (disk.refused503 === 0) failures.push('nothing met the full disk (no 503 while it was full)');
      await round;
    } else await runRound(instances, ctx);
    if (s.kill) {
      // Mid-dispatch (clicks in flight too): once some cards are out, at a moment the victim holds rows.
      await until(() => ctx.fake.messages.length >= Math.min(cards / 3, 10), 600_000, 20);
      const victim = instances[instances.length - 1]!;
      await until(async () => (await heldBy(watch, victim.child.pid!)).length > 0, 30_000, 20);
      await killHard(victim);
      const killedAt = performance.now();
      const held = await heldBy(watch, victim.child.pid!);
      log(`  killed ${victim.name} (pid ${victim.child.pid}) holding ${held.length} row(s)`);
      const restarted = await startInstance(`${victim.name}-restarted`, env);
      instances[instances.length - 1] = restarted;
      all.push(restarted);
      const readyAt = performance.now();
      const sentAt = await until(async () => (await unsentOf(watch, held)) === 0, 300_000);
      recovery = {
        held: held.length,
        afterRestartS: sentAt === null ? null : Math.max(0, (sentAt - readyAt) / 1000),
      };
      log(
        `  restarted after ${((readyAt - killedAt) / 1000).toFixed(1)} s; held rows sent ${recovery.afterRestartS?.toFixed(1)} s later`,
      );
      if (recovery.afterRestartS === null || recovery.afterRestartS > RECOVERY_BOUND_S)
        failures.push(`rows held by the killed process not sent within ${RECOVERY_BOUND_S} s of the restart`);
    }
    if (s.postgres) {
      await until(
        () => ctx.fake.messages.length >= cards / 2 && progress.started >= ctx.workload.clicks / 2,
        600_000,
      );
      log(
        `  ${ctx.pg.restartKind === 'restart' ? 'restarting Postgres' : 'cutting every Postgres connection'}`,
      );
      await ctx.pg.restart([name]);
    }
    const clickOutcome = await clicking;
    if (s.disk && (statuses.get(500) ?? 0) > 0) failures.push(`${statuses.get(500)} request(s) answered 500`);
    if (clickOutcome.unanswered > 0) failures.push(`${clickOutcome.unanswered} click(s) never answered`);
    const settled = await until(async () => (await unsettled(watch)) === 0, ctx.settleMs);
    if (settled === null) failures.push(`the outbox did not settle within ${ctx.settleMs / 1000} s`);
  } finally {
    await Promise.all(instances.map(stopInstance));
  }
  const counting = await connectPostgres(url, { max: 2 });
  const t = await retry(() => tally(counting.db, ctx.fake, ctx.workload));
  await counting.close();
  await adminQuery(ctx.pg.url, `drop database if exists ${name} with (force)`);
  failures.push(...tallyFailed(t));
  if (t.reminders.planned !== ctx.workload.reminders)
    failures.push(`the round planned ${t.reminders.planned} reminders, not ${ctx.workload.reminders}`);
  return {
    scenario: s,
    tally: t,
    failures,
    seconds: (performance.now() - started) / 1000,
    ...(recovery ? { recovery } : {}),
    takenOver: all.reduce((n, i) => n + rowsTakenOver(i), 0),
    ...(s.postgres ? { postgres: ctx.pg.restartKind } : {}),
    ...(disk ? { disk } : {}),
  };
}

function emptyTally(): Tally {
  return {
    reminders: { planned: 0, once: 0, lost: 0, duplicated: 0 },
    messages: { total: 0, once: 0, lost: 0, duplicated: 0 },
    resent: 0,
    unsent: 0,
    clicks: { total: 0, once: 0, notApplied: 0, twice: 0 },
  };
}

/** Runs the 09:00 round of the last working day through the admin API of the first instance. */
async function runRound(
  instances: Instance[],
  ctx: DrillContext,
  statuses?: Map<number, number>,
  attempts = 5,
): Promise<void> {
  const at = atIso(lastRoundAt(new Date()));
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${instances[0]!.url}/api/v1/jobs/remind/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.service.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ at }),
      });
      statuses?.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      if (res.status === 200) return;
      if (attempt > attempts) throw new Error(`the round did not run: ${res.status} ${text}`);
    } catch (error) {
      if (attempt > attempts) throw error;
    }
    await sleep(1000);
  }
}

const WORKERS = 6;
const IN_PROGRESS = ['正在处理，请稍候', '已收到，正在处理，卡片稍后自动更新', '操作未成功，请稍后重试'];

/**
 * Every click, six at a time, each to a live instance picked at random, delivered again (same
 * event id, as Lark retries) until it gets a final answer: a refused connection, a 5xx, or an
 * answer saying it is still being handled or failed means another delivery a moment later.
 */
async function clickAll(
  live: () => Instance[],
  ctx: DrillContext,
  progress: { started: number },
  statuses: Map<number, number>,
): Promise<{ unanswered: number }> {
  const { workload: w } = ctx;
  // Spread over at least the time the round's cards take to go out, so faults meet clicks in flight.
  const spreadMs = ctx.clickSpreadMs ?? Math.max(10_000, (w.people / 40) * 1000);
  const pauseMs = (spreadMs * WORKERS) / Math.max(1, w.clicks);
  let next = 0;
  let unanswered = 0;
  const answers = new Map<string, number>();
  const worker = async () => {
    while (next < w.clicks) {
      const j = next++;
      progress.started = next;
      const request = clickRequest(j, w, {
        verificationToken: ctx.service.verificationToken,
        encryptKey: ctx.service.encryptKey,
        appId: ctx.service.lark.appId,
      });
      const deadline = Date.now() + 180_000;
      let answered = false;
      while (!answered && Date.now() < deadline) {
        const targets = live();
        const target = targets[Math.floor(Math.random() * targets.length)];
        if (!target) {
          await sleep(300);
          continue;
        }
        try {
          const { body, headers } = request.body();
          const res = await fetch(`${target.url}/lark/cards`, { method: 'POST', headers, body });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const answer = (await res.json().catch(() => null)) as { toast?: { content?: string } } | null;
          answered = res.status === 200 && !IN_PROGRESS.includes(answer?.toast?.content ?? '');
          if (answered)
            answers.set(
              answer?.toast?.content ?? '(none)',
              (answers.get(answer?.toast?.content ?? '(none)') ?? 0) + 1,
            );
        } catch {
          // the instance is down or its connection was cut: deliver again
        }
        if (!answered) await sleep(1000);
      }
      if (!answered) unanswered++;
      await sleep(pauseMs);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  ctx.log?.(`  click answers: ${JSON.stringify(Object.fromEntries(answers))}`);
  return { unanswered };
}

type Watch = (text: string, values?: unknown[]) => Promise<{ rows: any[] }>;

/** Outbox rows a process holds (by pid: instance ids are host:boot:pid:random, src/platform/instance-identity.ts). */
async function heldBy(watch: Watch, pid: number): Promise<string[]> {
  const { rows } = await watch(
    `select id::text from outbox where status = 'sending' and claimed_by like $1`,
    [`%:${pid}:%`],
  );
  return rows.map((r) => r.id as string);
}

async function unsentOf(watch: Watch, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const { rows } = await watch(
    `select count(*)::int as n from outbox where id = any($1::bigint[]) and status in ('pending', 'sending')`,
    [ids],
  );
  return rows[0].n as number;
}

async function unsettled(watch: Watch): Promise<number> {
  const { rows } = await watch(
    `select count(*)::int as n from outbox where status in ('pending', 'sending')`,
  );
  return rows[0].n as number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it holds (answers when, as performance.now()) or time runs out. */
async function until(
  check: () => boolean | Promise<boolean>,
  waitMs: number,
  everyMs = 250,
): Promise<number | null> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    if (await check()) return performance.now();
    await sleep(everyMs);
  }
  return null;
}

/** The drill's own queries ride out a Postgres restart. */
async function retry<T>(f: () => Promise<T>, attempts = 40): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await f();
    } catch (error) {
      if (i >= attempts) throw error;
      await sleep(500);
    }
  }
}

/** Creates the template database every drill copies: migrated, seeded with the workload. */
export async function prepareTemplate(pg: DrillPostgres, name: string, w: Workload): Promise<void> {
  await adminQuery(pg.url, `drop database if exists ${name}`);
  await adminQuery(pg.url, `create database ${name}`);
  const handle = await connectPostgres(databaseUrl(pg.url, name), { max: 2 });
  try {
    await migrateToLatest(handle.db);
    await seedWorkload(handle.db, w, lastRoundAt(new Date()));
  } finally {
    await handle.close();
  }
}
