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

/** One problem of a refused request (docs/errors.md). */
const errorDetail = z
  .object({
    field: z.string().meta({
      description:
        "The body field (`dueAt`, `milestones.0.title`; `(body)` for the body as a whole), query or path parameter, header (`Idempotency-Key`), or a file's column.",
    }),
    message: z.string().meta({
      description:
        "What is wrong with it; for an action the office's rules refuse, the Chinese sentence the person would read in chat.",
    }),
    row: z
      .number()
      .int()
      .optional()
      .meta({ description: 'For a file: the row as the user sees it (header = row 1).' }),
    column: z.string().optional().meta({ description: "For a file: the column's heading as written." }),
    id: z
      .string()
      .optional()
      .meta({ description: 'For a 409 on a duplicate: the id of the record that exists.' }),
  })
  .meta({ id: 'ErrorDetail' });

/** The codes each status answers with (docs/errors.md has when each is used). */
export const ERROR_CODES = {
  400: ['invalid_json'],
  401: ['unauthorized'],
  403: ['forbidden'],
  404: ['not_found'],
  409: ['invalid_state', 'conflict', 'duplicate_document', 'duplicate_ticket', 'idempotency_key_reused'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  422: ['invalid_field', 'invalid_file', 'invalid_rows'],
} as const;

/** The error body every failure answers (`{"error":{"code","message","details?"}}`). */
export const errorBody = z
  .object({
    error: z.object({
      code: z
        .enum([...new Set(Object.values(ERROR_CODES).flat())] as [string, ...string[]])
        .meta({ description: 'Stable machine-readable code, one per kind of failure (docs/errors.md).' }),
      message: z.string().meta({
        description:
          'One English sentence starting with the field concerned; a value it quotes is cut to about 100 characters.',
      }),
      details: z.array(errorDetail).optional().meta({
        description:
          'Absent, or always a list: one entry per invalid field, or per problem of a file (with row and column).',
      }),
    }),
  })
  .meta({ id: 'Error' });

const ERROR_TEXT = {
  400: '`invalid_json`: the body is not JSON, nests arrays/objects more than 64 levels deep, or is not a JSON object.',
  401: '`unauthorized`: missing or wrong `Authorization: Bearer $ADMIN_TOKEN` (or ADMIN_TOKEN unset on the server).',
  403: '`forbidden`: the person named in `by` may not do this (the office rules on who may act); `details[0].message` says why.',
  404: '`not_found`: no such record.',
  409: '`invalid_state` (the record is in a state that does not allow this), `conflict` (already taken), `duplicate_document` / `duplicate_ticket` / `idempotency_key_reused` (with the existing record in `details[0].id`).',
  413: '`payload_too_large`: the request body is larger than BODY_LIMIT_BYTES.',
  422: '`invalid_field`: a field of the body, query, path or a header is invalid (type, length, unstorable or invisible text, an impossible day or one outside 2000–2100, an unknown person or actor); the message names the first, `details` lists every one. Imports: `invalid_file` (the file cannot be read), `invalid_rows` (its rows fail, `details` with `row` and `column`).',
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
        '`{"error":{"code","message","details?"}}` (schema `Error`), `details` always a list of',
        '`{field, message, row?, column?, id?}`. Codes, one per kind of failure: 400 `invalid_json`;',
        '401 `unauthorized`; 403 `forbidden`; 404 `not_found`; 409 `invalid_state`, `conflict`,',
        '`duplicate_document`, `duplicate_ticket`, `idempotency_key_reused`; 413 `payload_too_large`;',
        '415 `unsupported_media_type`; 422 `invalid_field` (any field of a body, query, path or header),',
        '`invalid_file` (an upload that cannot be read), `invalid_rows` (a file whose rows fail). A value',
        'quoted back is cut to about 100 characters. Every code with when it is used: docs/errors.md.',
      ].join(' '),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ adminToken: [] }],
  });
}
