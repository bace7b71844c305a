import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { apiRoutes } from '../handlers/api/index.js';
import { openApiDocument } from '../handlers/api/openapi.js';
import { docsRoutes } from '../handlers/docs.js';
import { healthRoutes } from '../handlers/health.js';
import { oaIntakeRoutes } from '../handlers/intake/oa.js';
import { larkRoutes } from '../handlers/lark/routes.js';
import { playgroundRoutes } from '../handlers/playground/routes.js';
import type { Deps } from './deps.js';
import { DateOutOfRangeError } from './domain/time.js';
import { inboundHandlers } from './lark/adapter/router.js';
import { databaseRefusal } from './platform/database-refusal.js';
import { AppError } from './platform/errors.js';
import { healthSections } from './platform/health-sections.js';

export type AppEnv = { Variables: { requestId: string } };

function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export interface AppOptions {
  /**
   * Where /playground is served from when the playground runs beside this app: the demo's own app
   * (src/playground.ts), on its own database. This app only forwards to it.
   */
  playground?: (req: Request) => Response | Promise<Response>;
}

/** Builds the HTTP app from its dependencies; no I/O happens here. */
export function createApp(deps: Deps, options: AppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { logger } = deps;

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.slice(0, 64) || crypto.randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    logger.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: deps.config.bodyLimitBytes,
      // The rest of the body is not read: the connection is closed after the answer (and says so),
      // so a keep-alive client never sends its next request into a half-read body.
      onError: (c) =>
        c.json(
          errorBody(
            'payload_too_large',
            `The request body is larger than ${deps.config.bodyLimitBytes} bytes. Send less data per request.`,
          ),
          413,
          { Connection: 'close' },
        ),
    }),
  );

  app.route('/', healthRoutes(deps, healthSections));
  const api = apiRoutes(deps);
  app.route('/api/v1', api);
  // Public: the document describes the API; calling it still needs ADMIN_TOKEN.
  app.route(
    '/',
    docsRoutes(() => openApiDocument(api)),
  );
  app.route('/intake', oaIntakeRoutes(deps));
  // The Lark channel hands verified events and card clicks to the router.
  app.route('/lark', larkRoutes(deps, inboundHandlers));
  // The demo's own app serves its playground; an app on the office's data only forwards to it.
  if (deps.playground)
    app.route(
      '/playground',
      playgroundRoutes(deps, deps.playground, (req) => app.fetch(req)),
    );
  else if (options.playground) {
    const demo = options.playground;
    app.all('/playground', (c) => demo(c.req.raw));
    app.all('/playground/*', (c) => demo(c.req.raw));
  }

  app.notFound((c) =>
    c.json(
      errorBody('not_found', `No such endpoint: ${c.req.method} ${c.req.path}. See the README for the API.`),
      404,
    ),
  );

  app.onError((err, c) => {
    if (err instanceof AppError) {
      return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
    }
    if (err instanceof DateOutOfRangeError) {
      return c.json(
        errorBody('date_out_of_range', err.message, [{ field: '(date)', message: err.message }]),
        422,
      );
    }
    if (err instanceof ZodError) {
      const details = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const first = details[0];
      const message = first ? `${first.path || 'body'}: ${first.message}` : 'invalid request';
      return c.json(errorBody('invalid_request', message, details), 400);
    }
    const refused = databaseRefusal(err);
    if (refused) {
      logger.warn('the database refused the request', {
        requestId: c.get('requestId'),
        path: c.req.path,
        code: refused.code,
        error: err,
      });
      return c.json(errorBody(refused.code, refused.message), 503, { 'retry-after': '30' });
    }
    logger.error('unhandled error', { requestId: c.get('requestId'), path: c.req.path, error: err });
    return c.json(errorBody('internal', 'Something went wrong on our side. The error has been logged.'), 500);
  });

  return app;
}
