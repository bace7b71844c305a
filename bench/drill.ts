/**
 * npm run drill — fault drills on real Postgres with the service in processes of its own and the
 * fake Lark (test/fakes/lark-server.ts) answering with faults: one kind at a time, then mixed.
 * Counts from the fake Lark's log every reminder delivered once, lost or duplicated (by uuid and
 * by recipient + item) and every click applied once or not; exits 1 if anything was lost,
 * duplicated or applied twice, or if what a killed process held was not sent within 60 s of its
 * restart. Prints a table and writes it to docs/benchmarks.md ("Fault drills").
 *
 * Sizes and choices by environment:
 *   DRILL_REMINDERS (10000), DRILL_PEOPLE (2000), DRILL_CLICKS (2000)
 *   DRILL_SCENARIOS  comma-separated keys (default all): baseline,429,5xx,timeout,drop,kill,postgres,three,disk,mixed
 *   DRILL_DATABASE_URL (or DATABASE_URL, TEST_DATABASE_URL): a server to create the drill's
 *     databases on; a Postgres restart is then played by cutting every connection. Without one,
 *     a throw-away PostgreSQL is started (PG_BIN, default /usr/lib/postgresql/15/bin) and restarted.
 *   DRILL_WRITE=off  does not touch docs/benchmarks.md
 */

import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { FakeLark } from '../test/fakes/lark-server.js';
import { writeBenchmarkSection } from './benchmarks-doc.js';
import { adminQuery, type DrillPostgres, givenPostgres, throwAwayPostgres } from './drill/postgres.js';
import {
  prepareTemplate,
  RECOVERY_BOUND_S,
  runScenario,
  SCENARIOS,
  type ScenarioResult,
} from './drill/run.js';

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name}: expected a positive integer, got ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
};

const workload = {
  reminders: int('DRILL_REMINDERS', 10_000),
  people: int('DRILL_PEOPLE', 2_000),
  clicks: int('DRILL_CLICKS', 2_000),
};
if (workload.people > workload.reminders) workload.people = workload.reminders;
const keys = (process.env.DRILL_SCENARIOS ?? '').split(',').filter(Boolean);
const unknown = keys.filter((k) => !SCENARIOS.some((s) => s.key === k));
if (unknown.length > 0) {
  console.error(
    `DRILL_SCENARIOS: unknown ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.key).join(', ')}`,
  );
  process.exit(2);
}
const scenarios = keys.length > 0 ? SCENARIOS.filter((s) => keys.includes(s.key)) : SCENARIOS;

function row(r: ScenarioResult): string {
  const t = r.tally;
  const recovery = r.recovery
    ? `${r.recovery.held} held, sent ${r.recovery.afterRestartS === null ? 'never' : `${r.recovery.afterRestartS.toFixed(1)} s`} after restart`
    : r.disk
      ? `full ${r.disk.fullS.toFixed(0)} s: ${r.disk.refused503} answers 503, ${r.disk.errors500} × 500`
      : '';
  return `| ${r.scenario.name}${r.postgres === 'cut' ? ' (connections cut)' : ''} | ${r.scenario.instances} | ${t.reminders.once} / ${t.reminders.lost} / ${t.reminders.duplicated} | ${t.messages.once} / ${t.messages.lost} / ${t.messages.duplicated} | ${t.clicks.once} / ${t.clicks.notApplied} / ${t.clicks.twice} | ${t.resent} | ${r.takenOver} | ${recovery} | ${r.seconds.toFixed(0)} | ${r.failures.length === 0 ? 'pass' : `FAIL: ${r.failures.join('; ')}`} |`;
}

const HEADER = [
  '| drill | instances | reminders once / lost / dup | messages once / lost / dup | clicks once / not / twice | resent (same uuid) | taken over | kill -9 recovery | s | result |',
  '|---|---|---|---|---|---|---|---|---|---|',
];

async function main(): Promise<void> {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const given = process.env.DRILL_DATABASE_URL ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const pg: DrillPostgres = given ? givenPostgres(given) : await throwAwayPostgres();
  const fake = await FakeLark.start();
  const prefix = `cuiban_drill_${process.pid}`;
  const logDir = mkdtempSync(join(tmpdir(), 'cuiban-drill-logs-'));
  const results: ScenarioResult[] = [];
  const version = (await adminQuery(pg.url, 'show server_version')).rows[0].server_version as string;
  try {
    console.log(
      `drills on Postgres ${version} (${given ? 'given server; restarts are connection cuts' : 'throw-away server'}); ` +
        `${workload.reminders} reminders for ${workload.people} people, ${workload.clicks} clicks; logs in ${logDir}`,
    );
    await prepareTemplate(pg, `${prefix}_template`, workload);
    for (const [i, s] of scenarios.entries()) {
      console.log(`drill: ${s.name}`);
      const r = await runScenario(
        {
          pg,
          fake,
          template: `${prefix}_template`,
          prefix,
          workload,
          settleMs: 900_000,
          service: {
            lark: { appId: fake.appId, appSecret: fake.appSecret, url: fake.url },
            verificationToken: 'drill-verification-token',
            encryptKey: 'drill-encrypt-key',
            adminToken: 'drill-admin-token-0123456789',
            logDir,
          },
          log: (l) => console.log(l),
        },
        s,
        i,
      );
      results.push(r);
      console.log(HEADER[0]);
      console.log(row(r));
    }
  } finally {
    await adminQuery(pg.url, `drop database if exists ${prefix}_template`).catch(() => {});
    await fake.close();
    await pg.stop();
  }

  const table = [...HEADER, ...results.map(row)];
  console.log(`\n${table.join('\n')}`);
  const failed = results.filter((r) => r.failures.length > 0);
  const command = `DRILL_REMINDERS=${workload.reminders} DRILL_PEOPLE=${workload.people} DRILL_CLICKS=${workload.clicks}${keys.length ? ` DRILL_SCENARIOS=${keys.join(',')}` : ''} npm run drill`;
  const machine = `nproc ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, Postgres ${version}${given ? ' (a given server)' : ' (throw-away)'}, load average at start ${load} (a shared machine)`;
  if (process.env.DRILL_WRITE !== 'off') {
    writeBenchmarkSection(
      '## Fault drills',
      [
        '## Fault drills',
        '',
        `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · \`${command}\` · ${machine} · commit ${safe('git rev-parse --short HEAD')}`,
        '',
        `Each drill: ${workload.reminders} overdue tasks over ${workload.people} handlers (the 09:00 round: one card each, ` +
          `${workload.reminders} reminders by recipient + item) and ${workload.clicks} 办结 clicks on other tasks, posted signed ` +
          'to `/lark/cards` of a live instance while the round is sent (a click is delivered again, same event id, until it ' +
          'gets a final answer). The service runs as `node --import tsx src/node.ts` processes; Lark is the fake server with ' +
          'its limits (50/s, 1,000/min per app) and the faults named. "kill -9" kills an instance once a third of the cards ' +
          `are out and starts it again at once; "recovery" is how long after the restart the rows it held were all sent ` +
          `(bound: ${RECOVERY_BOUND_S} s). "taken over": rows claimed from a silent instance. "resent": messages whose uuid Lark ` +
          'received more than once (retries, takeovers), each kept once by Lark. "disk full": the database lives in a ' +
          'tablespace on a 512 MB tmpfs, filled to the last byte once a quarter of the clicks are in, the round asked for meanwhile (answered 503 and asked again each second), and emptied 10 s later ' +
          "(WAL stays on the server's own disk); the service must answer 503, never 500, and lose and repeat nothing.",
        '',
        ...table,
        '',
      ].join('\n'),
    );
  }
  if (failed.length > 0) {
    console.error(`${failed.length} drill(s) failed`);
    process.exit(1);
  }
  process.exit(0);
}

function safe(command: string): string {
  try {
    return execSync(command, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
