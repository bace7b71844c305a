import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobRegistry } from '../../jobs/registry.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { createLarkGateway, type LarkGateway } from '../../src/lark/gateway.js';
import { ManualClock } from '../../src/platform/clock.js';
import { type Config, larkConfigured, loadConfig } from '../../src/platform/config.js';
import { memoryLogger } from '../../src/platform/logger.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
const TEST_BACKUP_DIR = join(tmpdir(), `cuiban-test-backups-${process.pid}`);

/** Config as the service would parse it, with test defaults that callers may override. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  // A job run as a whole (the scheduler's catch-up) takes a backup: never into the checkout.
  return loadConfig({
    DATA_DIR: 'memory://',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    BACKUP_DIR: TEST_BACKUP_DIR,
    ...env,
  });
}

/** Deps around an open test database, with a manual clock and a logger that keeps its lines. */
export function testDeps(
  database: DatabaseHandle,
  options: { config?: Config; now?: string | Date; lark?: LarkGateway | null } = {},
): Deps & { clock: ManualClock; logger: ReturnType<typeof memoryLogger> } {
  const config = options.config ?? testConfig();
  const logger = memoryLogger();
  // With Lark credentials in the config (e.g. pointing at test/fakes/lark-server.ts), a real
  // gateway of its own; a short timeout keeps timeout tests fast.
  const lark =
    options.lark !== undefined
      ? options.lark
      : larkConfigured(config)
        ? createLarkGateway(config.lark, logger, { timeoutMs: 2_000 })
        : null;
  return {
    config,
    database,
    clock: new ManualClock(options.now ?? '2026-11-23T09:00:00+08:00'),
    logger,
    instanceId: `test-${Math.random().toString(36).slice(2, 8)}`,
    larkEnabled: larkConfigured(config),
    lark,
    jobs: jobRegistry,
  };
}
