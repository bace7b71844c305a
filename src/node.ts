import { serve } from '@hono/node-server';
import { jobRegistry } from '../jobs/registry.js';
import { createApp } from './app.js';
import { buildDeps } from './deps.js';
import type { BackgroundTask } from './platform/background.js';
import { ConfigError, loadConfig, playgroundEnabled } from './platform/config.js';
import { machinePredecessors } from './platform/instance-identity.js';
import { leave, retirePredecessors } from './platform/liveness.js';
import { createPinoLogger } from './platform/pino-logger.js';
import { startBackgroundTasks } from './platform/tasks.js';
import { type PlaygroundDemo, startPlaygroundDemo } from './playground.js';

/** `npm start`: HTTP, the background tasks, and a clean stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const logger = createPinoLogger({});
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`cuiban cannot start: invalid configuration\n${err.problems.join('\n')}\n`);
      process.exit(2);
    }
    throw err;
  }

  let deps: Awaited<ReturnType<typeof buildDeps>>;
  try {
    deps = await buildDeps(config, logger, jobRegistry);
  } catch (err) {
    process.stderr.write(`cuiban cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }

  // The playground is a demo office on a database of its own (in memory), never the office's data.
  // It starts once the service listens, so it never delays the office's own start-up.
  let demo: Promise<PlaygroundDemo> | undefined;
  const playground = playgroundEnabled(config)
    ? {
        fetch: async (req: Request) => {
          if (!demo)
            return new Response('The playground is starting; try again in a few seconds.', { status: 503 });
          const ready = await demo.catch(() => undefined);
          if (!ready)
            return new Response('The playground could not start; the log says why.', { status: 503 });
          return ready.app.fetch(req);
        },
      }
    : undefined;
  const app = createApp(deps, playground ? { playground: playground.fetch } : {});
  const server = serve({ fetch: app.fetch, port: config.port });
  // Keep idle keep-alive connections longer than the clients and proxies in front do (Node's 5 s
  // default races a client reusing the socket: under load a request then meets ECONNRESET and
  // never arrives).
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch((err: Error) => {
    process.stderr.write(`PORT: cannot listen on port ${config.port} (${err.message})\n`);
    process.exit(1);
  });
  // A restart after kill -9: what the dead process held is taken over now, not after its silence.
  const machine = machinePredecessors();
  if (machine)
    await retirePredecessors(deps, machine).catch((error) =>
      logger.warn('could not look for dead instances of this machine', { error }),
    );
  const tasks: BackgroundTask[] = startBackgroundTasks(deps);
  if (playground) {
    const playgroundLogger = logger.child({ playground: true });
    demo = startPlaygroundDemo(config, playgroundLogger, jobRegistry, `http://127.0.0.1:${config.port}`);
    demo.then(
      () =>
        logger.info(
          `playground: open http://localhost:${config.port}/playground (a demo office in memory with a stand-in for Lark; it never sees this office's data)`,
        ),
      (error) => logger.error('the playground could not start', { error }),
    );
  }
  logger.info('cuiban started', {
    port: config.port,
    database: deps.database.engine,
    timezone: config.timezone,
    lark: deps.larkEnabled ? 'configured' : 'not configured (nothing will be sent)',
    tasks: tasks.map((t) => t.name),
    ...(playground ? { playground: `http://localhost:${config.port}/playground` } : {}),
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    // Stop taking requests first, then let the background work finish, then close the database.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(tasks.map((t) => t.stop()));
    await closed;
    // Nothing is left claimed after the tasks stopped; leaving says so to the other instances.
    await leave(deps).catch(() => {});
    await deps.database.close();
    await demo?.then((d) => d.stop()).catch(() => {});
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
