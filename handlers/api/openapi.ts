import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';

/**
 * How the admin API describes itself. Each route is declared once with `route(app, {…}, handler)`:
 * the declaration names the zod schemas the handler validates with (params, query, body), so
 * GET /openapi.json (OpenAPI 3.1, from @hono/zod-openapi) is generated from the same schemas.
 * The handlers keep their own validation order and error bodies (readBody, validate,
 * requireDate): the declaration describes, it does not add a second validator in front.
 */

export type ApiApp = OpenAPIHono;

/** A Hono app whose routes are collected into the OpenAPI document. */
export function apiApp(): ApiApp {
  return new OpenAPIHono();
}

/** The error body every failure answers (`{"error":{"code","message","details"}}`). */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. `invalid_field`.' }),
      message: z.string().meta({ description: 'One sentence naming the field and what is wrong.' }),
      details: z
        .unknown()
        .optional()
        .meta({ description: 'For 422: `[{field, message}]`, one entry per invalid field.' }),
    }),
  })
  .meta({ id: 'Error' });

const ERROR_TEXT = {
  400: '`invalid_json`: the body is not JSON, or nests arrays/objects more than 64 levels deep; or an impossible date in the path or query.',
  401: 'Missing or wrong `Authorization: Bearer $ADMIN_TOKEN` (or ADMIN_TOKEN unset on the server).',
  403: 'The person named in `by` may not do this (the office rules on who may act).',
  404: 'No such record.',
  409: 'The record is in a state that does not allow this.',
  413: 'The request body is larger than BODY_LIMIT_BYTES.',
  422: 'A field is invalid; the message names it, `details` lists every one.',
} as const;

type ErrorStatus = keyof typeof ERROR_TEXT;

/** A JSON answer with only a description (the body's shape is given in the README). */
function answer(description: string) {
  return { description, content: { 'application/json': { schema: z.looseObject({}) } } };
}

function errorsFor(statuses: ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: ERROR_TEXT[s], content: { 'application/json': { schema: errorBody } } },
    ]),
  );
}

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

export interface RouteDeclaration {
  method: Method;
  /** OpenAPI path syntax (`/items/{id}`); mounted on Hono as `/items/:id`. */
  path: string;
  tag: string;
  summary: string;
  /** Who may call it and what it does, in a few sentences. */
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status and what it answers. */
  ok: { status?: 200 | 201; description: string };
  /** The failures this route can answer, besides 401 (every route) and 413/400/422 with a body. */
  errors?: ErrorStatus[];
}

/** Declares a route in the OpenAPI document and mounts its handler. */
export function route(
  app: ApiApp,
  d: RouteDeclaration,
  handler: (c: Context) => Promise<Response> | Response,
) {
  const errors = new Set<ErrorStatus>([401, ...(d.errors ?? [])]);
  if (d.body) for (const s of [400, 413, 422] as const) errors.add(s);
  if (d.query) errors.add(422);
  const config = createRoute({
    method: d.method,
    path: d.path,
    tags: [d.tag],
    summary: d.summary,
    ...(d.description ? { description: d.description } : {}),
    request: {
      ...(d.params ? { params: d.params } : {}),
      ...(d.query ? { query: d.query } : {}),
      ...(d.body ? { body: { required: true, content: { 'application/json': { schema: d.body } } } } : {}),
    },
    responses: {
      [d.ok.status ?? 200]: answer(d.ok.description),
      ...errorsFor([...errors].sort()),
    },
  } as RouteConfig);
  app.openAPIRegistry.registerPath(config);
  app.on(d.method.toUpperCase(), d.path.replace(/\{(\w+)\}/g, ':$1'), handler);
}

/** Declares the bearer token every route needs (once, on the app mounted at /api/v1). */
export function declareAdminToken(api: ApiApp): void {
  api.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'The ADMIN_TOKEN of the server (at least 16 characters). Unset on the server → every call is 401.',
  });
}

/** A parameter of the route's path (always there once the route matched). */
export function pathParam(c: Context, name: string): string {
  return c.req.param(name) ?? '';
}

/** The OpenAPI 3.1 document of an app mounted at /api/v1. */
export function openApiDocument(api: ApiApp) {
  return api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'cuiban 催办 admin API',
      version: '1',
      description: [
        'Registers the office (departments, people), its documents, meetings and tasks, and acts on',
        'them with the same rules as the card buttons and chat commands. Every call needs',
        '`Authorization: Bearer $ADMIN_TOKEN`. Instants are ISO 8601 with an offset',
        '(`2026-11-24T18:00:00+08:00`), calendar days `YYYY-MM-DD`. Errors always answer',
        '`{"error":{"code","message","details"}}`.',
      ].join(' '),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ adminToken: [] }],
  });
}
