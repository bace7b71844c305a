/**
 * npm run backup — a backup of the embedded database into BACKUP_DIR (keeping BACKUP_KEEP).
 *   With the service stopped it opens DATA_DIR itself. While the service runs (it holds DATA_DIR:
 *   PGlite is one process), it asks the service to take it: POST /api/v1/jobs/backup/run with
 *   ADMIN_TOKEN on http://127.0.0.1:$PORT (or BACKUP_SERVICE_URL).
 * npm run restore -- <file> — with the service stopped, puts that backup's database in DATA_DIR
 *   (the one there is moved aside, never deleted).
 * On PostgreSQL (DATABASE_URL set) both print the pg_dump / pg_restore way instead.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectPglite } from '../db/connect.js';
import { dataDirHolder } from '../db/data-dir-lock.js';
import { restoreBackup, takeBackup } from './backups.js';
import { ConfigError, loadConfig } from './config.js';

const POSTGRES_WAY = `DATABASE_URL is set: the database is PostgreSQL, backed up with its own tools:
  pg_dump --format=custom --file=cuiban-$(date +%Y%m%d-%H%M%S).dump "$DATABASE_URL"
and restored into an empty database (stop the service first):
  pg_restore --no-owner --dbname="$DATABASE_URL" cuiban-….dump
pg_dump reads one consistent snapshot while the service runs. See README, "Backup and restore".`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const kb = (n: number) => `${Math.max(1, Math.round(n / 1024))} KB`;

async function backup(config: ReturnType<typeof loadConfig>): Promise<void> {
  const holder = dataDirHolder(config.dataDir);
  if (holder) {
    if (!config.adminToken)
      fail(
        `the service (process ${holder.pid}) holds DATA_DIR; set ADMIN_TOKEN as it has it, so that npm run backup can ask it to take the backup`,
      );
    const base = process.env.BACKUP_SERVICE_URL ?? `http://127.0.0.1:${config.port}`;
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1/jobs/backup/run`, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.adminToken}`, 'content-type': 'application/json' },
        body: '{}',
      });
    } catch (error) {
      fail(
        `the service (process ${holder.pid}) holds DATA_DIR but does not answer on ${base} (${(error as Error).message}); set BACKUP_SERVICE_URL to its address`,
      );
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) fail(`the service answered ${res.status}: ${JSON.stringify(body)}`);
    if (body.alreadyRun)
      fail('a backup was taken this very minute already; see BACKUP_DIR, or try again in a minute');
    if (typeof body.backup !== 'string')
      fail(`the service took no backup: ${String(body.reason ?? 'no reason given')}`);
    console.log(`backup written by the service: ${body.backup} (${kb(Number(body.bytes))})`);
    return;
  }
  if (!existsSync(join(config.dataDir, 'PG_VERSION')))
    fail(`DATA_DIR: there is no embedded database in "${config.dataDir}" to back up`);
  const database = await connectPglite(config.dataDir);
  try {
    const taken = await takeBackup(database, {
      dir: config.backupDir,
      keep: config.backupKeep,
      now: new Date(),
    });
    console.log(`backup written: ${taken.file} (${kb(taken.bytes)})`);
    for (const old of taken.removed) console.log(`removed (beyond BACKUP_KEEP=${config.backupKeep}): ${old}`);
  } finally {
    await database.close();
  }
}

async function restore(config: ReturnType<typeof loadConfig>, file: string | undefined): Promise<void> {
  if (!file)
    fail(
      'usage: npm run restore -- <backup file>, e.g. npm run restore -- ./backups/cuiban-20261208-023000.tar.gz',
      2,
    );
  if (!existsSync(file)) fail(`${file}: no such file`);
  const restored = await restoreBackup(file, config.dataDir, new Date());
  console.log(
    `restored ${file} into ${restored.dataDir}: ${restored.items} items, ${restored.history} history rows`,
  );
  if (restored.movedAside) console.log(`the database that was there is kept in ${restored.movedAside}`);
  console.log(
    'start the service (npm start): it migrates the restored database if it is from an older release',
  );
}

async function main(): Promise<void> {
  const [command, file] = process.argv.slice(2);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.problems.join('\n'), 2);
    throw error;
  }
  if (config.databaseUrl) fail(POSTGRES_WAY, 2);
  if (config.dataDir.startsWith('memory://'))
    fail('DATA_DIR is memory://: there is nothing on disk to back up or restore', 2);
  if (command === 'backup') await backup(config);
  else if (command === 'restore') await restore(config, file);
  else fail('usage: backup-cli.ts backup | restore <file>', 2);
}

main().catch((error: Error) => fail(error.message));
