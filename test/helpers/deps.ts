import { ManualClock } from '../../src/clock.js';
import { type Config, larkConfigured, loadConfig } from '../../src/config.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import type { Deps } from '../../src/deps.js';
import { memoryLogger } from '../../src/logger.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Config as the service would parse it, with test defaults that callers may override. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({ DATA_DIR: 'memory://', ADMIN_TOKEN: TEST_ADMIN_TOKEN, ...env });
}

/** Deps around an open test database, with a manual clock and a logger that keeps its lines. */
export function testDeps(
  database: DatabaseHandle,
  options: { config?: Config; now?: string | Date } = {},
): Deps & { clock: ManualClock; logger: ReturnType<typeof memoryLogger> } {
  const config = options.config ?? testConfig();
  return {
    config,
    database,
    clock: new ManualClock(options.now ?? '2026-11-23T09:00:00+08:00'),
    logger: memoryLogger(),
    instanceId: `test-${Math.random().toString(36).slice(2, 8)}`,
    larkEnabled: larkConfigured(config),
  };
}
