import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, sql } from 'kysely';
import { lockDataDir } from './data-dir-lock.js';
import { connectPostgres, type DatabaseHandle } from './postgres.js';
import type { Database, Db } from './schema.js';

export { connectPostgres, type DatabaseHandle };

/**
 * The embedded database. `dataDir` is a folder, or `memory://` for a throw-away one.
 * `loadDataDir` restores a prepared data directory (used by tests to skip initdb).
 */
export async function connectPglite(
  dataDir: string,
  options: { loadDataDir?: Blob } = {},
): Promise<DatabaseHandle> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    ensureDataDir(dataDir);
    unlock = lockDataDir(dataDir);
  }
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create(dataDir, {
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: {
        [types.DATE]: (v: string) => v,
        [types.INT8]: (v: string) => v,
      },
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    engine: 'pglite',
    // The driver hands out PGlite's one connection to one caller at a time, so holding it here
    // means no transaction is open; the checkpoint writes every committed page to the files, and
    // the files are then read in one synchronous pass (PGlite's dumpTar), between two statements.
    snapshot: () =>
      db.connection().execute(async (connection) => {
        await sql`checkpoint`.execute(connection);
        const tarball = await client.dumpDataDir('gzip');
        return new Uint8Array(await tarball.arrayBuffer());
      }),
    close: async () => {
      try {
        await db.destroy();
        if (!client.closed) await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * Creates the embedded database's folder one level at a time (Node's recursive mkdir spins forever
 * on some paths, e.g. under /proc) and checks it can be written; a failure names DATA_DIR.
 */
export function ensureDataDir(dataDir: string, variable = 'DATA_DIR'): void {
  const fail = (why: string) => {
    throw new Error(
      `${variable}: cannot use "${dataDir}" for the embedded database${variable === 'DATA_DIR' ? '' : "'s backups"} (${why})`,
    );
  };
  const missing: string[] = [];
  let dir = resolve(dataDir);
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) fail(`${dir} is not a folder`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') fail(`cannot create ${d}: ${code ?? (error as Error).message}`);
    }
  }
  try {
    accessSync(resolve(dataDir), constants.W_OK);
  } catch (error) {
    fail(`not writable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export async function connectDatabase(
  config: { databaseUrl: string | undefined; dataDir: string },
  onIdleError?: (error: Error) => void,
): Promise<DatabaseHandle> {
  return config.databaseUrl
    ? connectPostgres(config.databaseUrl, onIdleError ? { onIdleError } : {})
    : connectPglite(config.dataDir);
}

/** Throws unless the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
