import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { connectPglite, type DatabaseHandle, ensureDataDir } from '../db/connect.js';
import { DataDirInUse, dataDirHolder, LOCK_FILE } from '../db/data-dir-lock.js';
import type { Deps } from '../deps.js';
import type { JobSummary } from './scheduler/job-types.js';

/**
 * Backups of the embedded database: one gzipped tarball of its data directory per backup, named
 * by the UTC second it was taken (`cuiban-20261208-023000.tar.gz`, so names sort by age), written
 * to a temporary name, flushed to disk and renamed, so a file by that name is always whole. After
 * each new one the oldest beyond `keep` are deleted. A tarball is what `npm run restore` loads;
 * PGlite opens it as it is (`loadDataDir`).
 */

export interface BackupFile {
  file: string;
  bytes: number;
  /** The moment it was taken (UTC, from its name). */
  at: string;
}

const NAME = /^cuiban-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-\d+)?\.tar\.gz$/;

function stamp(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** The backups in `dir`, newest first. */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: NAME.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .map(({ name, m }) => ({
      file: join(dir, name),
      bytes: statSync(join(dir, name)).size,
      at: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`,
    }))
    .sort((a, b) => (a.file < b.file ? 1 : a.file > b.file ? -1 : 0));
}

/** Writes `bytes` to `path` whole or not at all: a temporary file, fsync, rename. */
export function writeWhole(path: string, bytes: Uint8Array): void {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(partial);
    throw error;
  }
  closeSync(fd);
  renameSync(partial, path);
}

/**
 * Takes a backup of the open embedded database into `dir` and keeps the newest `keep` there.
 * Safe while the service works: the snapshot waits for the transaction in progress and holds the
 * database for the time of one read of its files.
 */
export async function takeBackup(
  database: DatabaseHandle,
  options: { dir: string; keep: number; now: Date },
): Promise<BackupFile & { removed: string[] }> {
  if (!database.snapshot) throw new Error('only the embedded database is backed up here; use pg_dump');
  const bytes = await database.snapshot();
  ensureDataDir(options.dir, 'BACKUP_DIR');
  let path = join(options.dir, `cuiban-${stamp(options.now)}.tar.gz`);
  for (let n = 2; listBackups(options.dir).some((b) => b.file === path); n++)
    path = join(options.dir, `cuiban-${stamp(options.now)}-${n}.tar.gz`);
  writeWhole(path, bytes);
  const removed = listBackups(options.dir)
    .slice(options.keep)
    .map((old) => {
      unlinkSync(old.file);
      return old.file;
    });
  return { file: path, bytes: bytes.length, at: options.now.toISOString(), removed };
}

/**
 * The nightly `backup` job: a backup into BACKUP_DIR, keeping BACKUP_KEEP. On Postgres (and on a
 * database in memory) it takes none and says why: Postgres is backed up with pg_dump.
 */
export async function runBackupJob(deps: Deps, at: Date): Promise<JobSummary> {
  if (!deps.database.snapshot || deps.config.dataDir.startsWith('memory://')) {
    const why = deps.database.snapshot
      ? 'the database is in memory'
      : 'the database is PostgreSQL: use pg_dump';
    return { sent: 0, skipped: 0, backup: null, reason: why };
  }
  const taken = await takeBackup(deps.database, {
    dir: deps.config.backupDir,
    keep: deps.config.backupKeep,
    now: at,
  });
  deps.logger.info('backup taken', { file: taken.file, bytes: taken.bytes, removed: taken.removed.length });
  return { sent: 0, skipped: 0, backup: taken.file, bytes: taken.bytes, removed: taken.removed.length };
}

export interface Restored {
  dataDir: string;
  /** Where the database that was in DATA_DIR was moved (nothing is deleted), or null if none was there. */
  movedAside: string | null;
  items: number;
  history: number;
}

/**
 * Puts the database of a backup tarball in `dataDir`, with the service stopped (refused while a
 * process holds the directory). The tarball is loaded and opened in a folder beside it first; only
 * when that worked is the old directory moved aside (`<DATA_DIR>.before-restore-<time>`) and the
 * restored one renamed into its place. The service migrates it on its next start as usual.
 */
export async function restoreBackup(file: string, dataDir: string, now: Date): Promise<Restored> {
  const target = resolve(dataDir);
  const holder = dataDirHolder(target);
  if (holder) throw new DataDirInUse(target, holder);
  const bytes = readFileSync(file);
  const staging = `${target}.restoring-${stamp(now)}`;
  mkdirSync(staging, { recursive: true });
  let counts: { items: number; history: number };
  try {
    const handle = await connectPglite(staging, {
      loadDataDir: new Blob([bytes], { type: 'application/x-gzip' }),
    });
    try {
      const { rows } = await sql<{ items: string; history: string }>`
        select (select count(*) from items)::text as items, (select count(*) from item_history)::text as history`.execute(
        handle.db,
      );
      counts = { items: Number(rows[0]!.items), history: Number(rows[0]!.history) };
    } finally {
      await handle.close();
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`${file} is not a backup this service can open: ${(error as Error).message}`);
  }
  // The tarball carries the lock of the process that took it; this folder is nobody's yet.
  rmSync(join(staging, LOCK_FILE), { force: true });
  let movedAside: string | null = null;
  if (existsSync(target) && readdirSync(target).length > 0) {
    movedAside = `${target}.before-restore-${stamp(now)}`;
    renameSync(target, movedAside);
  } else if (existsSync(target)) {
    rmSync(target, { recursive: true });
  }
  renameSync(staging, target);
  return { dataDir: target, movedAside, ...counts };
}
