import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { remindJob } from '../../jobs/remind.js';
import { createApp } from '../../src/app.js';
import { connectPglite, type DatabaseHandle } from '../../src/db/connect.js';
import { DataDirInUse } from '../../src/db/data-dir-lock.js';
import { performItemAction } from '../../src/items/actions/perform.js';
import { createItem } from '../../src/items/items.js';
import { listBackups, restoreBackup, takeBackup } from '../../src/platform/backups.js';
import { runJobSlot } from '../../src/platform/scheduler/run-job.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';
import { FakeLark } from '../fakes/lark-server.js';
import { databaseImage } from '../helpers/db-image.js';
import { testDeps } from '../helpers/deps.js';
import { api } from '../helpers/http.js';
import { flushOutbox, larkTestConfig } from '../helpers/lark.js';

/**
 * Backups of the embedded database (src/platform/backups.ts): a backup restored into a new data
 * directory holds every row of every table, items and history included; one taken while the
 * reminder round is being enqueued and sent holds a consistent moment of it (the history a prefix
 * of the live one, no round half in it) and, restored and sent on, delivers nothing twice; the
 * nightly job keeps BACKUP_KEEP files; a restore is refused while a process holds DATA_DIR.
 */

const PEOPLE = 25;

describe('backup and restore of the embedded database', () => {
  let root: string;
  let dataDir: string;
  let backupDir: string;
  let database: DatabaseHandle;
  let fake: FakeLark;
  let deps: ReturnType<typeof testDeps>;

  const restoreInto = async (file: string, name: string) => {
    const restored = await restoreBackup(file, join(root, name), new Date());
    return { restored, handle: await connectPglite(restored.dataDir) };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cuiban-backup-'));
    dataDir = join(root, 'data');
    backupDir = join(root, 'backups');
    cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true });
    database = await connectPglite(dataDir);
    fake = await FakeLark.start();
    deps = testDeps(database, {
      config: larkTestConfig(fake, { DATA_DIR: dataDir, BACKUP_DIR: backupDir, BACKUP_KEEP: '2' }),
      now: '2026-11-23T08:00:00+08:00',
    });
    await putDepartment(deps, { code: 'office', name: '办公厅', isTop: true });
    await putDepartment(deps, { code: 'zonghe', name: '综合处', chatId: 'oc_zonghe' });
    await putPerson(deps, { openId: 'ou_chief', name: '王处长', dept: 'zonghe', roles: ['chief'] });
    for (let p = 0; p < PEOPLE; p++) {
      const openId = `ou_p${p}`;
      await putPerson(deps, { openId, name: `干部${p}`, dept: 'zonghe', roles: ['staff'] });
      for (const days of [-2, 0, 1]) {
        const item = await createItem(
          deps,
          {
            kind: 'document',
            docType: 'normal',
            title: `关于第${p}号事项的通知（${days}）`,
            assignee: openId,
            dept: 'zonghe',
            receivedAt: new Date('2026-11-18T09:00:00+08:00'),
            dueAt: new Date(Date.parse('2026-11-23T18:00:00+08:00') + days * 86_400_000),
          },
          'ou_chief',
        );
        if (days === 1)
          await performItemAction(deps, { itemId: item.id, action: 'progress', by: openId, note: '已起草' });
      }
    }
    await flushOutbox(deps);
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await fake?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a restored backup holds every row of every table: items, history, outbox and all', async () => {
    const live = await databaseImage(database.db);
    expect(live.items!.rows).toBe(PEOPLE * 3);
    expect(live.item_history!.rows).toBeGreaterThan(PEOPLE * 3);
    const taken = await takeBackup(database, { dir: backupDir, keep: 10, now: new Date() });
    expect(existsSync(taken.file)).toBe(true);
    const { restored, handle } = await restoreInto(taken.file, 'round-trip');
    try {
      expect(restored).toMatchObject({
        items: PEOPLE * 3,
        history: live.item_history!.rows,
        movedAside: null,
      });
      expect(await databaseImage(handle.db)).toEqual(live);
    } finally {
      await handle.close();
    }
  }, 60_000);

  it('a backup taken while the reminder round is enqueued and sent holds one consistent moment of it', async () => {
    fake.latencyMs = 5;
    deps.clock.set(new Date('2026-11-23T09:00:00+08:00'));
    const before = await databaseImage(database.db);
    const sentBefore = fake.messages.length;
    let sending = true;
    const round = runJobSlot(deps, remindJob);
    const dispatcher = (async () => {
      while (sending) await flushOutbox(deps, 1);
    })();
    // Once the first reminder cards have reached Lark, with more to go.
    while (fake.messages.length < sentBefore + 5) await new Promise((r) => setTimeout(r, 5));
    const taken = await takeBackup(database, { dir: backupDir, keep: 10, now: new Date() });
    const summary = await round;
    sending = false;
    await dispatcher;
    await flushOutbox(deps);
    fake.latencyMs = 0;
    expect(summary.sent).toBeGreaterThan(PEOPLE);
    const sentLive = fake.messages.length;

    const { handle } = await restoreInto(taken.file, 'mid-round');
    try {
      // Mid-sending: some of the round's cards were sent at that moment and some were not yet.
      const { rows: outbox } = await sql<{ sent: string; unsent: string }>`
        select count(*) filter (where status = 'sent')::text as sent,
               count(*) filter (where status <> 'sent')::text as unsent from outbox`.execute(handle.db);
      expect(Number(outbox[0]!.sent)).toBeGreaterThan(before.outbox!.rows);
      expect(Number(outbox[0]!.unsent)).toBeGreaterThan(0);
      // The same items, and a history that is the live one up to a point, row for row.
      const image = await databaseImage(handle.db);
      expect(image.items).toEqual((await databaseImage(database.db)).items);
      const history = async (db: DatabaseHandle['db']) =>
        (
          await sql<{ row: string }>`select h::text as row from item_history h order by id`.execute(db)
        ).rows.map((r) => r.row);
      const restoredHistory = await history(handle.db);
      const liveHistory = await history(database.db);
      expect(restoredHistory.length).toBeGreaterThanOrEqual(before.item_history!.rows);
      expect(liveHistory.slice(0, restoredHistory.length)).toEqual(restoredHistory);
      // No round half in it: every reminder recorded has its outbox row, and each outbox row of
      // the restored database is the live one's (same uuid), so sending it again sends nothing new.
      const { rows: orphans } = await sql<{ n: string }>`
        select count(*)::text as n from reminders r left join outbox o on o.id = r.outbox_id
        where r.outbox_id is not null and o.id is null`.execute(handle.db);
      expect(orphans[0]!.n).toBe('0');
      const uuids = async (db: DatabaseHandle['db']) =>
        (await sql<{ id: string; uuid: string }>`select id::text, uuid from outbox order by id`.execute(db))
          .rows;
      const restoredUuids = await uuids(handle.db);
      expect((await uuids(database.db)).slice(0, restoredUuids.length)).toEqual(restoredUuids);

      const after = testDeps(handle, { config: larkTestConfig(fake), now: '2026-11-23T09:10:00+08:00' });
      await flushOutbox(after);
      const { rows: left } = await sql<{ n: string }>`
        select count(*)::text as n from outbox where status <> 'sent'`.execute(handle.db);
      expect(left[0]!.n).toBe('0');
      expect(fake.messages.length).toBe(sentLive);
      const delivered = fake.messages.map((m) => m.uuid);
      expect(new Set(delivered).size).toBe(delivered.length);
    } finally {
      await handle.close();
    }
  }, 120_000);

  it('the nightly backup job (and POST /jobs/backup/run) writes a backup and keeps BACKUP_KEEP of them', async () => {
    rmSync(backupDir, { recursive: true, force: true });
    const app = createApp(deps);
    const files: string[] = [];
    for (const minute of ['02:30', '02:31', '02:32']) {
      deps.clock.set(new Date(`2026-11-24T${minute}:00+08:00`));
      const res = await api(app, 'POST', '/api/v1/jobs/backup/run', {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ job: 'backup', sent: 0, backup: expect.stringContaining(backupDir) });
      files.push(res.body.backup);
    }
    expect(listBackups(backupDir).map((b) => b.file)).toEqual([files[2], files[1]]);
    expect(readdirSync(backupDir).sort()).toEqual(
      [files[1], files[2]].map((f) => f!.slice(backupDir.length + 1)).sort(),
    );
    expect(listBackups(backupDir)[0]!.at).toBe('2026-11-23T18:32:00Z');
  }, 60_000);

  it('refuses to restore over, or open, a data directory another live process holds', async () => {
    const file = listBackups(backupDir)[0]!.file;
    // This process holds dataDir through `database`: a second open of it is refused too.
    await expect(connectPglite(dataDir)).rejects.toBeInstanceOf(DataDirInUse);
    const child = await import('node:child_process');
    const holder = child.spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const target = join(root, 'held');
      cpSync(join(root, 'round-trip'), target, { recursive: true });
      const { writeFileSync, readFileSync } = await import('node:fs');
      const lock = JSON.parse(readFileSync(join(dataDir, 'cuiban.lock'), 'utf8'));
      writeFileSync(join(target, 'cuiban.lock'), JSON.stringify({ ...lock, pid: holder.pid }));
      await expect(restoreBackup(file, target, new Date())).rejects.toBeInstanceOf(DataDirInUse);
      expect(readdirSync(root).filter((n) => n.startsWith('held.'))).toEqual([]);
    } finally {
      holder.kill();
    }
  });
});
