import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import type { Logger } from '../platform/logger.js';
import { migrations } from './migrations/index.js';

/**
 * Brings the schema up to date. Kysely's Postgres adapter takes a transaction-scoped advisory
 * lock (pg_advisory_xact_lock) around the run, so instances starting together wait for each
 * other and each migration runs once.
 */
export async function migrateToLatest(db: Kysely<any>, logger?: Logger): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const failed = (result.results ?? []).find((r) => r.status === 'Error');
  if (result.error || failed) {
    const cause =
      result.error instanceof Error ? result.error.message : String(result.error ?? 'unknown error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
  if (applied.length > 0) logger?.info('database migrated', { applied });
  return applied;
}
