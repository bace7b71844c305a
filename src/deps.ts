import { connectDatabase, type DatabaseHandle, pingDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createLarkGateway, type LarkGateway } from './lark/gateway.js';
import type { StandIn } from './lark/playground/stand-in.js';
import type { SetupReport } from './lark/setup-check.js';
import type { LongConnectionState } from './lark/ws/status.js';
import { type Clock, systemClock } from './platform/clock.js';
import { type Config, larkConfigured } from './platform/config.js';
import { nodeInstanceId } from './platform/instance-identity.js';
import type { Logger } from './platform/logger.js';
import type { ScheduledJob } from './platform/scheduler/job-types.js';
import type { ReferenceCache } from './settings/reference-cache.js';

/**
 * Everything the app and the jobs need, built once at start-up and passed in. Nothing in the
 * code base reaches for a global: tests build their own Deps with a fake clock and a fake Lark.
 */
export interface Deps {
  config: Config;
  database: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  /** An instance name, unique per process: it signs slot claims and locks. */
  instanceId: string;
  /** Whether the Lark app credentials are configured (otherwise nothing is sent). */
  larkEnabled: boolean;
  /** The Lark Open API (src/lark/gateway.ts); null when the app credentials are not configured. */
  lark: LarkGateway | null;
  /** The long connection to Lark, while one runs (LARK_MODE=ws in a Node process: src/platform/tasks.ts). */
  larkConnection?: LongConnectionState;
  /** The last check of the Lark set-up (src/lark/setup-health.ts), for /healthz larkSetup. */
  larkSetup?: { last: SetupReport | null };
  /** The playground's Lark stand-in: set only on the demo's own Deps (src/playground.ts), never on the office's. */
  playground?: StandIn;
  /** The scheduled jobs (jobs/registry.ts), passed in by the entry that builds these Deps. */
  jobs: readonly ScheduledJob<Deps>[];
  /**
   * The in-memory copy of people, departments, settings and calendar overrides
   * (src/settings/reference-data.ts). Unset: one per database handle. Workers pass one kept per
   * isolate, since each request there opens its own handle.
   */
  referenceCache?: ReferenceCache;
}

/** What a reader needs: the database, nothing else of the Deps. */
export type DatabaseContext = Pick<Deps, 'database'>;

export async function buildDeps(
  config: Config,
  logger: Logger,
  jobs: readonly ScheduledJob<Deps>[],
  clock: Clock = systemClock,
): Promise<Deps> {
  const database = await connectDatabase(config, (error) =>
    logger.warn('an idle database connection was closed by the server', { error }),
  );
  try {
    await pingDatabase(database.db);
  } catch (err) {
    await database.close().catch(() => {});
    throw new Error(`DATABASE_URL: cannot connect to the database (${(err as Error).message})`);
  }
  await migrateToLatest(database.db, logger);
  return {
    config,
    database,
    clock,
    logger,
    instanceId: nodeInstanceId(),
    larkEnabled: larkConfigured(config),
    lark: larkConfigured(config) ? createLarkGateway(config.lark, logger) : null,
    jobs,
  };
}
