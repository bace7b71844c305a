import { mkdirSync } from 'node:fs';
import { Kysely, sql } from 'kysely';
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
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir, {
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: {
      [types.DATE]: (v: string) => v,
      [types.INT8]: (v: string) => v,
    },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
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
