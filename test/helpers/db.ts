import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { connectPglite, connectPostgres, type DatabaseHandle } from '../../src/db/connect.js';

export type Engine = 'pglite' | 'postgres';

/** The engines this run tests on: PGlite always, real Postgres when TEST_DATABASE_URL is set. */
export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

let counter = 0;

/** A fresh, migrated database of its own for one test file (or one test). */
export async function openTestDatabase(engine: Engine): Promise<DatabaseHandle> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'cuiban-pglite-'));
    cpSync(inject('pgliteTemplateDir'), join(dir, 'data'), { recursive: true });
    const handle = await connectPglite(join(dir, 'data'));
    return {
      ...handle,
      close: async () => {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${inject('postgresRunPrefix')}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${inject('postgresTemplate')}`);
  } finally {
    await admin.end();
  }
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const handle = await connectPostgres(dbUrl.toString());
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** The URL of a fresh empty (unmigrated) Postgres database, for migration tests. */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${inject('postgresRunPrefix')}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  return {
    url: dbUrl.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Empties every table and restarts every sequence, so tests in one file start from the same
 * state without paying for a new database. TRUNCATE bypasses the history's append-only trigger
 * (it is a row trigger), which is what a test reset needs and production code never does.
 */
export async function resetDatabase(handle: DatabaseHandle): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(
    handle.db,
  );
  if (rows.length > 0) {
    const list = rows.map((r) => `"${r.tablename}"`).join(', ');
    await sql.raw(`truncate ${list} restart identity cascade`).execute(handle.db);
  }
  const seqs = await sql<{ sequencename: string }>`
    select sequencename from pg_sequences where schemaname = 'public' and sequencename like 'item_seq_%'`.execute(
    handle.db,
  );
  for (const { sequencename } of seqs.rows)
    await sql.raw(`alter sequence "${sequencename}" restart`).execute(handle.db);
}
