import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { connectPglite, connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createEmptyPostgresDatabase, type Engine, engines } from '../helpers/db.js';
import { databaseImage as image, type TableImage } from '../helpers/db-image.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';

/**
 * An upgrade keeps what the office recorded: a database made by the release before this one
 * (commit 330fb83: its migrations, filled through its own API and jobs — departments, people,
 * documents, a task with co-unit, milestone and an approved extension, a hotline ticket, a
 * meeting, a duty shift with its log, two reminder rounds and a digest; test/fixtures/
 * release-330fb83/build.ts) is migrated to the current schema, and every row of every table it
 * had is still there with the same values, the app reads each item with its whole history, acts
 * on one, and the history still refuses to be rewritten.
 */

const DUMP = readFileSync(join(__dirname, '../fixtures/release-330fb83/dump.sql'), 'utf8');

async function loadRelease(engine: Engine): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'cuiban-release-'));
    const { PGlite } = await import('@electric-sql/pglite');
    const loader = await PGlite.create(join(dir, 'data'));
    await loader.exec(DUMP);
    await loader.close();
    const handle = await connectPglite(join(dir, 'data'));
    return { handle, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const empty = await createEmptyPostgresDatabase();
  const loader = new pg.Client({ connectionString: empty.url });
  await loader.connect();
  await loader.query(DUMP);
  await loader.end();
  return { handle: await connectPostgres(empty.url), drop: empty.drop };
}

describe.each(engines)('upgrading a database of the previous release (%s)', (engine) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  let before: Record<string, TableImage>;
  let applied: string[];
  let releaseMigrations: string[];

  beforeAll(async () => {
    ({ handle, drop } = await loadRelease(engine));
    before = await image(handle.db);
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      handle.db,
    );
    releaseMigrations = rows.map((r) => r.name);
    applied = await migrateToLatest(handle.db);
  }, 60_000);
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  it('holds the release’s data, and the migration applies exactly the migrations written since', async () => {
    expect(releaseMigrations).toHaveLength(14);
    expect(before.items!.rows).toBe(11);
    expect(before.item_history!.rows).toBeGreaterThan(20);
    expect(before.outbox!.rows).toBeGreaterThan(20);
    expect(before.reminders!.rows).toBeGreaterThan(5);
    const current = Object.keys(migrations).sort();
    expect(applied).toEqual(current.filter((m) => !releaseMigrations.includes(m)));
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      handle.db,
    );
    expect(rows.map((r) => r.name)).toEqual(current);
  });

  it('keeps every row of every table with the same values', async () => {
    // kysely_migration gains a row per new migration by design (the test above checks that list).
    const { kysely_migration: _grows, ...kept } = before;
    const after = await image(handle.db, kept);
    expect(Object.keys(after).length).toBeGreaterThan(20);
    expect(after).toEqual(kept);
  });

  it('reads every item with its whole history through the API, and acts on one', async () => {
    const deps = testDeps(handle, { now: '2026-11-25T10:00:00+08:00' });
    const app = createApp(deps);
    const { rows: items } = await sql<{ id: string; n: string }>`
      select i.id, (select count(*) from item_history h where h.item_id = i.id)::text as n
      from items i order by i.id`.execute(handle.db);
    expect(items).toHaveLength(11);
    for (const item of items) {
      const res = await api(app, 'GET', `/api/v1/items/${item.id}`);
      expect(res.status, item.id).toBe(200);
      expect(res.body.history.length, item.id).toBe(Number(item.n));
    }
    const doc = await api(app, 'GET', '/api/v1/items?kind=document&status=done');
    expect(doc.body.items.map((i: { title: string }) => i.title)).toContain('关于年终考核的签报');
    const hotline = await sql<{ id: string }>`select id from items where ticket_no = 'RX-2026-0001'`.execute(
      handle.db,
    );
    const done = await api(app, 'POST', `/api/v1/items/${hotline.rows[0]!.id}/actions`, {
      action: 'done',
      by: 'ou_sun',
      note: '已修复',
    });
    expect(done.status).toBe(200);
    expect(done.body.item.status).toBe('done');
  });

  it('still refuses to rewrite the history (留痕)', async () => {
    await expect(sql`update item_history set actor = 'someone else'`.execute(handle.db)).rejects.toThrow();
    await expect(sql`delete from item_history`.execute(handle.db)).rejects.toThrow();
  });
});
