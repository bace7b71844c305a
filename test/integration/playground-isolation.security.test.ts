import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRegistry } from '../../jobs/registry.js';
import { createApp } from '../../src/app.js';
import type { Db } from '../../src/db/schema.js';
import { createItem, getItem } from '../../src/items/items.js';
import { type PlaygroundDemo, startPlaygroundDemo } from '../../src/playground.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { TEST_ADMIN_TOKEN, testConfig, testDeps } from '../helpers/deps.js';
import { flushOutbox } from '../helpers/lark.js';

/** Every table of the office's database with its row count: what an attacker's requests may not move. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(name)}`.execute(db);
    counts[name] = Number(r.rows[0]!.n);
  }
  return counts;
}

describe.each(engines)('the playground never shows or touches the office’s real data (%s)', (engine) => {
  let close: () => Promise<void>;
  let url: string;
  let demo: PlaygroundDemo;
  let office: ReturnType<typeof testDeps>;
  let before: Record<string, number>;

  beforeAll(async () => {
    const database = await openTestDatabase(engine);
    // A real office, as during set-up: no Lark app yet, so the playground is on by default.
    const config = testConfig();
    office = testDeps(database, { config, now: '2026-12-08T09:00:00+08:00' });
    await putDepartment(office, { code: 'zhb', name: '综合处', chatId: 'oc_real_zhb', isTop: true });
    await putPerson(office, { openId: 'ou_real_liu', name: '刘真名', dept: 'zhb', roles: ['chief'] });
    await putPerson(office, { openId: 'ou_zhang', name: '张真名', dept: 'zhb', roles: ['staff'] });
    await createItem(
      office,
      {
        kind: 'task',
        source: 'instruction',
        title: '落实市长批示的真实事项',
        leadDept: 'zhb',
        assignee: 'ou_zhang',
      },
      'ou_real_liu',
    );

    let app: ReturnType<typeof createApp> | undefined;
    const server = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Composed as src/node.ts composes it: the demo on its own database, the office's app forwarding.
    demo = await startPlaygroundDemo(config, office.logger, jobRegistry, url, { background: false });
    app = createApp(office, { playground: (req) => demo.app.fetch(req) });
    await flushOutbox(demo.deps);
    before = await rowCounts(database.db);
    close = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await demo.stop();
      await database.close();
    };
  });
  afterAll(() => close?.());

  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('its state lists the demo office only: no real person, open_id, group or message', async () => {
    const res = await fetch(`${url}/playground/api/state`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const secret of [
      'ou_real_liu',
      'ou_zhang"',
      '刘真名',
      '张真名',
      'oc_real_zhb',
      '综合处',
      '真实事项',
    ])
      expect(text).not.toContain(secret);
    const state = JSON.parse(text);
    expect(state.people.map((p: { openId: string }) => p.openId)).toEqual(
      expect.arrayContaining(['ou_demo_wang', 'ou_demo_zhang']),
    );
    // The page itself is there for anyone to try.
    expect((await fetch(`${url}/playground`)).status).toBe(200);
  });

  it('a 办结 typed as the real handler, a click and a job run act on the demo and on nothing real', async () => {
    const said = await post('/playground/api/say', {
      as: 'ou_zhang',
      chatId: 'oc_real_zhb',
      text: '@催办 办结 T-1',
    });
    expect(said.status).toBeLessThan(500);
    const ran = await post('/playground/api/jobs/digest/run', { at: '2026-12-08T17:30:00+08:00' });
    expect(ran.status).toBe(200);
    await flushOutbox(demo.deps);

    expect((await getItem(office.database.db, 'T-1'))!.status).toBe('open');
    expect(await rowCounts(office.database.db)).toEqual(before);
    // The demo's own database took the run: its job_runs row is there.
    const demoRuns = await demo.deps.database.db.selectFrom('job_runs').select('job').execute();
    expect(demoRuns.map((r) => r.job)).toContain('digest');
  });

  it('the office’s Lark routes and admin API stay closed to the playground’s visitors', async () => {
    const lark = await post('/lark/events', { type: 'url_verification', challenge: 'x', token: 'guess' });
    expect(lark.status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${url}/api/v1/people`)).status).toBe(401);
    const authed = await fetch(`${url}/api/v1/people`, {
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    const { people } = (await authed.json()) as { people: Array<{ openId: string }> };
    // The real office's people are not joined by the demo's.
    expect(people.map((p) => p.openId).sort()).toEqual(['ou_real_liu', 'ou_zhang']);
    expect(await rowCounts(office.database.db)).toEqual(before);
  });
});
