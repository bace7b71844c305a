import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The Postgres server a drill runs on: a throw-away one it starts itself (as `.ci/run` does), which
 * it can restart mid-run; or a server it is given, where a restart is played by cutting every
 * connection to the drill's databases (what the service sees of a restart, short of the pause).
 */
export interface DrillPostgres {
  /** A URL of the server (its `postgres` database), for creating the drill's databases. */
  url: string;
  /** `restart`: pg_ctl restart -m immediate; `cut`: pg_terminate_backend on the drill's databases. */
  restartKind: 'restart' | 'cut';
  restart(databases: string[]): Promise<void>;
  stop(): Promise<void>;
  /**
   * A tablespace on a small file system of its own (a tmpfs the throw-away server mounts when run
   * as root), for the full-disk drill: `fill` takes all its free space, `free` gives it back.
   * Absent on a given server, or without root.
   */
  disk?: { tablespace: string; fill(): void; free(): void };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Runs a command as the `postgres` user when root (initdb refuses root), else as is. */
function asPostgres(command: string, args: string[]): string {
  if (process.getuid?.() === 0) {
    const line = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    return execFileSync('su', ['postgres', '-s', '/bin/bash', '-c', line], { encoding: 'utf8' });
  }
  return execFileSync(command, args, { encoding: 'utf8' });
}

/** Starts a PostgreSQL of its own on a free port (PG_BIN, default /usr/lib/postgresql/15/bin). */
export async function throwAwayPostgres(): Promise<DrillPostgres> {
  const bin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
  const dir = mkdtempSync(join(tmpdir(), 'cuiban-drill-pg-'));
  chmodSync(dir, 0o755);
  const root = process.getuid?.() === 0;
  const pgUid = root ? Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()) : -1;
  if (root) chownSync(dir, pgUid, -1);
  const data = join(dir, 'data');
  asPostgres(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c full_page_writes=off`;
  // synchronous_commit stays on: a restart with -m immediate must not lose committed work (with it
  // off, the last commits before the crash are lost, as they would be on a real server).
  const ctl = (...args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', data, ...args]);
  writeFileSync(join(dir, 'log'), '');
  if (root) chownSync(join(dir, 'log'), pgUid, -1);
  ctl('-l', join(dir, 'log'), '-w', '-o', options, 'start');
  // The full-disk drill's tablespace: a 512 MB tmpfs. WAL stays on the server's own disk, as on a
  // server whose data volume fills up while its WAL volume has room.
  const full = join(dir, 'full');
  let mounted = false;
  if (root) {
    mkdirSync(full);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512m,mode=0700', 'tmpfs', full]);
      chownSync(full, pgUid, -1);
      mounted = true;
    } catch {
      // no mount here (a container without the capability): the disk drill reports it cannot run
    }
  }
  const filler = join(full, 'filler');
  const unmount = () => {
    if (!mounted) return;
    mounted = false;
    try {
      execFileSync('umount', ['-l', full]);
    } catch {
      // already gone
    }
  };
  let stopped = false;
  // A drill that dies leaves no server behind.
  process.on('exit', () => {
    if (stopped) return;
    try {
      ctl('-m', 'immediate', '-w', 'stop');
      unmount();
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // already down
    }
  });
  const tablespace = 'cuiban_drill_full';
  if (mounted)
    await adminQuery(
      `postgres://postgres@127.0.0.1:${port}/postgres`,
      `create tablespace ${tablespace} location '${full}'`,
    );
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restartKind: 'restart',
    async restart() {
      ctl('-m', 'immediate', '-w', 'stop');
      ctl('-l', join(dir, 'log'), '-w', '-o', options, 'start');
    },
    async stop() {
      stopped = true;
      try {
        ctl('-m', 'immediate', '-w', 'stop');
      } catch {
        // already down
      }
      unmount();
      rmSync(dir, { recursive: true, force: true });
    },
    ...(mounted
      ? {
          disk: {
            tablespace,
            // Written in pieces down to a page, to the last byte, as the server writes beside it.
            fill() {
              const fd = openSync(filler, 'w');
              try {
                for (const size of [1 << 20, 1 << 16, 1 << 12, 512]) {
                  const piece = Buffer.alloc(size);
                  for (;;) {
                    try {
                      writeSync(fd, piece);
                    } catch (error) {
                      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
                      throw error;
                    }
                  }
                }
              } finally {
                closeSync(fd);
              }
            },
            free() {
              rmSync(filler, { force: true });
            },
          },
        }
      : {}),
  };
}

/** A server given by URL: the drill creates and drops its own databases there, never restarts it. */
export function givenPostgres(url: string): DrillPostgres {
  return {
    url,
    restartKind: 'cut',
    async restart(databases) {
      await adminQuery(
        url,
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = any($1) and pid <> pg_backend_pid()',
        [databases],
      );
    },
    async stop() {},
  };
}

export async function adminQuery(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  // A restart cuts the connection: the query fails (and is retried by the caller), never the process.
  c.on('error', () => {});
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end().catch(() => {});
  }
}

/** The URL of database `name` on the server of `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
