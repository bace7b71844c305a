import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootId, processRuns } from '../platform/instance-identity.js';

/**
 * The embedded database may be opened by one process at a time (PGlite is Postgres in this
 * process, with no server to arbitrate). The process that opens a data directory writes
 * `cuiban.lock` into it (host, boot id, pid) and removes it on close; another process finds it and
 * is refused while that process runs, so a second `npm start` or an `npm run backup` beside the
 * running service cannot corrupt the files. A lock left by a process that died (kill -9, a reboot)
 * is taken over.
 */

export const LOCK_FILE = 'cuiban.lock';

/** The data directories this process has open: a lock with this pid is live only for these. */
const openHere = new Set<string>();

export interface LockHolder {
  pid: number;
  host: string;
  boot: string | null;
  since: string;
}

/** Read from /proc rather than node:os, which the Workers bundle (that never opens PGlite) lacks. */
function hostname(): string {
  try {
    return readFileSync('/proc/sys/kernel/hostname', 'utf8').trim() || 'localhost';
  } catch {
    return 'localhost';
  }
}

export function dataDirHolder(dataDir: string): LockHolder | null {
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockHolder;
  } catch {
    return null;
  }
  // This pid: this process, if it has the directory open; otherwise a predecessor that ran
  // under the same pid (a container restarted).
  if (holder.pid === process.pid && holder.host === hostname())
    return openHere.has(resolve(dataDir)) ? holder : null;
  // Another machine's process (a shared disk): it cannot be checked, so it is taken as running.
  if (holder.host !== hostname()) return holder;
  if (holder.boot !== bootId()) return null;
  return processRuns(holder.pid) ? holder : null;
}

export class DataDirInUse extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `DATA_DIR: the embedded database in "${dataDir}" is open in process ${holder.pid} on ${holder.host} (since ${holder.since}); ` +
        `only one process may open it: stop that one first (if it is not cuiban, delete ${join(dataDir, LOCK_FILE)}); ` +
        'npm run backup asks a running service to take the backup',
    );
    this.name = 'DataDirInUse';
  }
}

/** Takes the data directory for this process; throws DataDirInUse when a live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  const holder = dataDirHolder(dataDir);
  if (holder) throw new DataDirInUse(dataDir, holder);
  const path = join(dataDir, LOCK_FILE);
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    boot: bootId(),
    since: new Date().toISOString(),
  };
  writeFileSync(path, `${JSON.stringify(mine)}\n`);
  openHere.add(resolve(dataDir));
  return () => {
    openHere.delete(resolve(dataDir));
    try {
      const now = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
      if (now.pid === mine.pid && now.host === mine.host) unlinkSync(path);
    } catch {
      // already gone
    }
  };
}
