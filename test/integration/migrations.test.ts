import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { connectPglite, connectPostgres } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createEmptyPostgresDatabase } from '../helpers/db.js';

const allMigrations = Object.keys(migrations).sort();

async function tables(db: Parameters<typeof migrateToLatest>[0]): Promise<string[]> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(db);
  return rows.map((r) => r.tablename);
}

describe('migrations', () => {
  it('are named by timestamp so they run in the order they were written', () => {
    for (const name of allMigrations) expect(name).toMatch(/^\d{10}_[a-z0-9_]+$/);
  });

  it('build the schema on an empty PGlite and do nothing when run again', async () => {
    const handle = await connectPglite('memory://');
    try {
      expect(await migrateToLatest(handle.db)).toEqual(allMigrations);
      expect(await tables(handle.db)).toEqual(
        expect.arrayContaining(['items', 'item_history', 'outbox', 'inbound_events']),
      );
      expect(await migrateToLatest(handle.db)).toEqual([]);
    } finally {
      await handle.close();
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'build the same schema on an empty Postgres, and re-running is a no-op',
    async () => {
      const empty = await createEmptyPostgresDatabase();
      const handle = await connectPostgres(empty.url);
      const pglite = await connectPglite('memory://');
      try {
        expect(await migrateToLatest(handle.db)).toEqual(allMigrations);
        expect(await migrateToLatest(handle.db)).toEqual([]);
        await migrateToLatest(pglite.db);
        expect(await tables(handle.db)).toEqual(await tables(pglite.db));
      } finally {
        await handle.close();
        await pglite.close();
        await empty.drop();
      }
    },
  );

  it.runIf(process.env.TEST_DATABASE_URL)(
    'let two instances migrate one Postgres at once: each migration runs exactly once',
    async () => {
      const empty = await createEmptyPostgresDatabase();
      const a = await connectPostgres(empty.url);
      const b = await connectPostgres(empty.url);
      try {
        const [ranA, ranB] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
        expect([...ranA, ...ranB].sort()).toEqual(allMigrations);
        const { rows } = await sql<{ n: string }>`select count(*)::text as n from kysely_migration`.execute(
          a.db,
        );
        expect(rows[0]?.n).toBe(String(allMigrations.length));
      } finally {
        await a.close();
        await b.close();
        await empty.drop();
      }
    },
  );
});

describe('the Postgres pool', () => {
  it.runIf(process.env.TEST_DATABASE_URL)(
    'survives the server cutting an idle connection, and says so through onIdleError',
    async () => {
      const empty = await createEmptyPostgresDatabase();
      const cut: Error[] = [];
      const handle = await connectPostgres(empty.url, { onIdleError: (e) => cut.push(e) });
      try {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
        const admin = await connectPostgres(process.env.TEST_DATABASE_URL!, { max: 1 });
        await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(admin.db);
        await admin.close();
        for (let i = 0; i < 50 && cut.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(cut.map((e) => (e as { code?: string }).code)).toEqual(['57P01']);
        const again = await sql<{ ok: number }>`select 1 as ok`.execute(handle.db);
        expect(again.rows).toEqual([{ ok: 1 }]);
      } finally {
        await handle.close();
        await empty.drop();
      }
    },
  );
});
