import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { connectPglite, type DatabaseHandle } from '../../src/db/connect.js';
import { createItem } from '../../src/items/items.js';
import { inboundHandlers } from '../../src/lark/adapter/router.js';
import { processInboundEvents } from '../../src/lark/inbound/processor.js';
import { FakeLark } from '../fakes/lark-server.js';
import { engines, openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { cardActionEvent, flushOutbox, larkTestConfig, messageEvent, postToLark } from '../helpers/lark.js';
import { seedOffice } from './items-seed.js';

/**
 * A full disk: the database refuses writes (SQLSTATE 53100 disk_full, here raised by a trigger on
 * every table a request writes, as Postgres raises it when a file cannot grow). Every route then
 * answers 503 database_full with a Retry-After, never a 500, and writes and sends nothing; Lark's
 * next delivery of the same event, once space is back, is handled exactly once. On PGlite the
 * same is checked on a real full file system when the test runs as root (a tmpfs filled up).
 */

const TABLES = ['items', 'item_history', 'inbound_events', 'outbox', 'idempotency_keys'];

async function fillDisk(db: DatabaseHandle['db']): Promise<void> {
  await sql`
    create function test_disk_full() returns trigger language plpgsql as $$
    begin
      raise exception 'could not extend file "base/16384/16385": No space left on device' using errcode = 'disk_full';
    end $$`.execute(db);
  for (const t of TABLES)
    await sql`create trigger test_disk_full before insert or update or delete on ${sql.table(t)}
      for each statement execute function test_disk_full()`.execute(db);
}

async function freeDisk(db: DatabaseHandle['db']): Promise<void> {
  for (const t of TABLES) await sql`drop trigger test_disk_full on ${sql.table(t)}`.execute(db);
  await sql`drop function test_disk_full()`.execute(db);
}

async function counts(db: DatabaseHandle['db']): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const { rows } = await sql<{ n: string }>`select count(*)::text as n from ${sql.table(t)}`.execute(db);
    out[t] = Number(rows[0]!.n);
  }
  return out;
}

describe.each(engines)('a full disk on %s', (engine) => {
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: ReturnType<typeof testDeps>;
  let app: ReturnType<typeof createApp>;
  let itemId: string;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    fake = await FakeLark.start();
    deps = testDeps(database, { config: larkTestConfig(fake) });
    app = createApp(deps);
    await seedOffice(deps);
    ({ id: itemId } = await createItem(
      deps,
      {
        kind: 'document',
        docType: 'normal',
        title: '关于冬季安全检查的通知',
        assignee: 'ou_zhangsan',
        dept: 'mishu',
      },
      'ou_wang',
    ));
    await flushOutbox(deps);
    fake.reset();
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await fake?.close();
  });

  it('answers 503 database_full on the admin API and both Lark routes, writing and sending nothing', async () => {
    const before = await counts(database.db);
    await fillDisk(database.db);
    try {
      const create = await api(app, 'POST', '/api/v1/items', {
        kind: 'document',
        docType: 'normal',
        title: '关于年终考核的通知',
        assignee: 'ou_lisi',
        dept: 'mishu',
      });
      expect(create.status).toBe(503);
      expect(create.body.error).toMatchObject({
        code: 'database_full',
        message: expect.stringMatching(/disk is full/),
      });
      const act = await api(app, 'POST', `/api/v1/items/${itemId}/actions`, {
        action: 'done',
        by: 'ou_zhangsan',
      });
      expect(act.status).toBe(503);
      expect(act.body.error.code).toBe('database_full');
      const res = await app.request('/api/v1/items', {
        method: 'POST',
        headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'document', docType: 'normal', title: '重试', assignee: 'ou_lisi' }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');

      const event = await postToLark(
        app,
        deps,
        messageEvent({ from: 'ou_zhangsan', text: `办结 ${itemId}`, eventId: 'ev_full_1' }),
      );
      expect(event.status).toBe(503);
      expect(event.body.error.code).toBe('database_full');
      const clicked = await postToLark(
        app,
        deps,
        cardActionEvent({ operator: 'ou_zhangsan', value: { action: 'done', itemId }, eventId: 'ev_full_2' }),
        { path: '/lark/cards' },
      );
      expect(clicked.status).toBe(503);

      expect(await counts(database.db)).toEqual(before);
      const item = await api(app, 'GET', `/api/v1/items/${itemId}`);
      expect(item.status).toBe(200);
      expect(item.body.status).toBe('open');
    } finally {
      await freeDisk(database.db);
    }
    await flushOutbox(deps);
    expect(fake.messages).toEqual([]);
  });

  it('once space is back, Lark’s next delivery of the same event is handled exactly once', async () => {
    const payload = messageEvent({ from: 'ou_zhangsan', text: `办结 ${itemId}`, eventId: 'ev_full_1' });
    expect((await postToLark(app, deps, payload)).status).toBe(200);
    expect((await postToLark(app, deps, payload)).status).toBe(200);
    await processInboundEvents(deps, inboundHandlers.event);
    await flushOutbox(deps);
    const { rows } = await sql<{ n: string }>`
      select count(*)::text as n from item_history where item_id = ${itemId} and action = 'done'`.execute(
      database.db,
    );
    expect(rows[0]!.n).toBe('1');
    expect((await api(app, 'GET', `/api/v1/items/${itemId}`)).body.status).toBe('done');
    const uuids = fake.messages.map((m) => m.uuid);
    expect(new Set(uuids).size).toBe(uuids.length);
    // One answer, in the thread of the message: the item's closed card. Nothing else was sent.
    expect(fake.messages.map((m) => [m.operation, m.text.split('\n')[0]])).toEqual([
      ['reply', '【已办结】关于冬季安全检查的通知'],
    ]);
  });
});

describe.runIf(process.getuid?.() === 0)(
  'PGlite on a file system that is really full (tmpfs, as root)',
  () => {
    let root: string;
    let mount: string;
    let database: DatabaseHandle;

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'cuiban-full-'));
      mount = join(root, 'disk');
      mkdirSync(mount);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160m', 'tmpfs', mount]);
      cpSync(inject('pgliteTemplateDir'), join(mount, 'data'), { recursive: true });
      database = await connectPglite(join(mount, 'data'));
    }, 60_000);
    afterAll(async () => {
      await database?.close();
      if (mount) execFileSync('umount', [mount]);
      rmSync(root, { recursive: true, force: true });
    });

    it('answers 503 database_full while the disk is full and creates the item once space is back', async () => {
      const deps = testDeps(database);
      const app = createApp(deps);
      await seedOffice(deps);
      const free = statfsSync(mount);
      execFileSync('fallocate', ['-l', String(free.bavail * free.bsize), join(mount, 'filler')]);
      const body = {
        kind: 'document',
        docType: 'normal',
        title: '磁盘已满时的来文',
        assignee: 'ou_lisi',
        dept: 'mishu',
      };
      try {
        const refused = await api(app, 'POST', '/api/v1/items', body);
        expect(refused.status).toBe(503);
        expect(refused.body.error.code).toBe('database_full');
      } finally {
        rmSync(join(mount, 'filler'));
      }
      const { rows } = await sql<{ n: string }>`select count(*)::text as n from items`.execute(database.db);
      expect(rows[0]!.n).toBe('0');
      const created = await api(app, 'POST', '/api/v1/items', body);
      expect(created.status).toBe(201);
      expect(
        await sql<{ n: string }>`select count(*)::text as n from items`.execute(database.db),
      ).toMatchObject({
        rows: [{ n: '1' }],
      });
    }, 60_000);
  },
);
