import { jobRegistry } from '../jobs/registry.js';
import { createApp } from './app.js';
import { migrateToLatest } from './db/migrate.js';
import { connectPostgres } from './db/postgres.js';
import type { Deps } from './deps.js';
import { inboundHandlers } from './lark/adapter/router.js';
import { createLarkGateway } from './lark/gateway.js';
import { processInboundEvents } from './lark/inbound/processor.js';
import { dispatchOnce } from './lark/outbox/dispatcher.js';
import { type Clock, fixedClock, systemClock } from './platform/clock.js';
import { ConfigError, larkConfigured, loadConfig } from './platform/config.js';
import { leave, pruneSilentInstances } from './platform/liveness.js';
import { createLogger } from './platform/logger.js';
import { catchUpMissedSlots } from './platform/scheduler/scheduler.js';
import { ReferenceCache } from './settings/reference-cache.js';

/**
 * The Cloudflare Workers entry (wrangler.toml). Postgres is reached through a Hyperdrive binding;
 * each request or cron tick gets its own connection (Workers cannot share sockets between
 * requests). Cron triggers fire every minute: each tick runs the jobs whose slots are due — the
 * same (job, slot) claims as on Node, so a tick that overlaps a Node instance sends nothing twice.
 * Background work that Node does in loops (inbound events, the outbox) runs after each response
 * and on each tick.
 */

interface Env {
  HYPERDRIVE: { connectionString: string };
  [variable: string]: unknown;
}

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

let migrated: Promise<unknown> | undefined;
/** People, departments, settings and calendar overrides, kept per isolate across requests. */
const referenceCache = new ReferenceCache();

async function workerDeps(env: Env, clock: Clock): Promise<Deps> {
  const vars: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') vars[k] = v;
  const config = loadConfig({ ...vars, DATABASE_URL: env.HYPERDRIVE.connectionString });
  const logger = createLogger({ write: (line) => console.log(line) });
  const database = await connectPostgres(env.HYPERDRIVE.connectionString, {
    max: 1,
    onIdleError: (error) => logger.warn('an idle database connection was closed by the server', { error }),
  });
  migrated ??= migrateToLatest(database.db, logger).catch((err) => {
    migrated = undefined;
    throw err;
  });
  await migrated;
  return {
    config,
    database,
    clock,
    logger,
    instanceId: `worker-${crypto.randomUUID().slice(0, 8)}`,
    larkEnabled: larkConfigured(config),
    lark: larkConfigured(config) ? createLarkGateway(config.lark, logger) : null,
    jobs: jobRegistry,
    referenceCache,
  };
}

/**
 * The background work of one invocation, as its own short-lived instance: its claims carry its
 * id, its heartbeat goes on while it works (the dispatcher beats between rows), and it leaves at
 * the end, so an invocation cut short is taken over within SILENT_AFTER_MS (src/platform/liveness.ts).
 */
async function drain(deps: Deps): Promise<void> {
  try {
    await processInboundEvents(deps, inboundHandlers.event);
    await dispatchOnce(deps);
    await leave(deps);
  } catch (error) {
    deps.logger.error('background work failed', { error });
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let deps: Deps;
    try {
      deps = await workerDeps(env, systemClock);
    } catch (err) {
      const message = err instanceof ConfigError ? err.problems.join('; ') : 'the database is not reachable';
      return Response.json({ error: { code: 'unavailable', message } }, { status: 503 });
    }
    const response = await createApp(deps).fetch(request);
    ctx.waitUntil(drain(deps).finally(() => deps.database.close()));
    return response;
  },

  async scheduled(controller: { scheduledTime: number }, env: Env, ctx: ExecutionContext): Promise<void> {
    const deps = await workerDeps(env, fixedClock(new Date(controller.scheduledTime)));
    ctx.waitUntil(
      catchUpMissedSlots(deps, deps.jobs, { window: 10 })
        .then(() => drain(deps))
        .then(() => pruneSilentInstances(deps))
        .catch((error) => deps.logger.error('scheduled tick failed', { error }))
        .finally(() => deps.database.close()),
    );
  },
};
