import type { Hono } from 'hono';
import { TEST_ADMIN_TOKEN } from './deps.js';

/** A response body as loosely typed JSON, for assertions. */
export async function readJson(res: Response): Promise<any> {
  return res.json();
}

/** Calls the admin API with the test bearer token; `body` is sent as JSON. */
export async function api(
  app: Hono<any>,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TEST_ADMIN_TOKEN,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // leave as text
  }
  return { status: res.status, body: parsed };
}
