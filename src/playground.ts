import type { Hono } from 'hono';
import { type AppEnv, createApp } from './app.js';
import { buildDeps, type Deps } from './deps.js';
import { createStandIn } from './lark/playground/stand-in.js';
import type { BackgroundTask } from './platform/background.js';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
import type { ScheduledJob } from './platform/scheduler/job-types.js';
import { startBackgroundTasks } from './platform/tasks.js';
import { seedDemoOffice } from './settings/demo-office.js';

export interface PlaygroundDemo {
  /** The demo's own app: /playground and the Lark routes its stand-in posts to, nothing else reachable. */
  app: Hono<AppEnv>;
  deps: Deps;
  stop(): Promise<void>;
}

/**
 * The playground runs on a demo office of its own: an in-memory database, its own Lark stand-in
 * and keys, its own outbox and scheduler. It never sees the office's real database, so an
 * anonymous visitor of /playground can read and change nothing but the demo. Its admin API has
 * no token (it answers 401 to everyone) and its OA intake is off.
 *
 * `origin` is where the stand-in is reached over HTTP (the main server forwards /playground to
 * this app), so the demo's gateway talks to Lark's stand-in exactly as it would to Lark.
 */
export async function startPlaygroundDemo(
  config: Config,
  logger: Logger,
  jobs: readonly ScheduledJob<Deps>[],
  origin: string,
  options: { background?: boolean } = {},
): Promise<PlaygroundDemo> {
  const standIn = createStandIn();
  const demoConfig: Config = {
    ...config,
    databaseUrl: undefined,
    dataDir: 'memory://',
    adminToken: undefined,
    oaWebhookSecret: undefined,
    lark: standIn.larkConfig(origin),
  };
  const deps = await buildDeps(demoConfig, logger, jobs);
  deps.playground = standIn;
  try {
    if (config.demo) await seedDemoOffice(deps);
  } catch (error) {
    await deps.database.close().catch(() => {});
    throw error;
  }
  const app = createApp(deps);
  const tasks: BackgroundTask[] = options.background === false ? [] : startBackgroundTasks(deps);
  return {
    app,
    deps,
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await deps.database.close();
    },
  };
}
