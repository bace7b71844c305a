import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/connect.js';
import { openTestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * The admin API documents itself: /openapi.json is a valid OpenAPI 3.1 document generated from
 * the routes' schemas, lists exactly the /api/v1 routes the app serves, and /docs shows it with
 * a page of our own that loads nothing from another site. Both are public; the API itself still needs the token.
 */

describe('OpenAPI document and /docs', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database.close();
  });
  const app = () => createApp(testDeps(database));

  async function document(): Promise<any> {
    const res = await app().request('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    return res.json();
  }

  it('is a valid OpenAPI 3.1 document, served without the token', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    // The API itself is not opened by it.
    expect((await app().request('/api/v1/departments')).status).toBe(401);
  });

  it('lists every /api/v1 route the app serves, and no other', async () => {
    const doc = await document();
    const served = new Set(
      app()
        .routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect(served.size).toBeGreaterThan(30);
    expect([...documented].sort()).toEqual([...served].sort());
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
  });

  it('describes fields with their limits and says who may do what', async () => {
    const doc = await document();
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ adminToken: [] }]);
    const create = doc.paths['/items'].post;
    const kinds = create.requestBody.content['application/json'].schema.oneOf;
    const task = kinds.find(
      (k: any) => k.properties.kind.enum?.[0] === 'task' || k.properties.kind.const === 'task',
    );
    expect(task.properties.title).toMatchObject({ maxLength: 300, description: expect.any(String) });
    expect(task.required).toEqual(expect.arrayContaining(['kind', 'source', 'title', 'leadDept']));
    expect(task.additionalProperties).toBe(false);
    const act = doc.paths['/items/{id}/actions'].post;
    expect(act.description).toMatch(/chief/);
    expect(Object.keys(act.responses)).toEqual(
      expect.arrayContaining(['200', '401', '403', '404', '409', '422']),
    );
    const list = doc.paths['/items'].get.parameters.find((p: any) => p.name === 'limit');
    expect(list).toMatchObject({ in: 'query', schema: { minimum: 1, maximum: 500 } });
  });

  it('/docs is a reference page of our own, with nothing loaded from another site', async () => {
    const page = await app().request('/docs');
    expect(page.status).toBe(200);
    // The browser may load scripts, styles and data from this server only.
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/docs/docs.js">');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await app().request('/docs/docs.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    const script = await js.text();
    expect(script).toContain("fetch('/openapi.json')");
    expect(script).not.toMatch(/https?:\/\//);
    const css = await app().request('/docs/docs.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).not.toMatch(/url\(|@import|https?:/);
    expect((await app().request('/docs/package.json')).status).toBe(404);
  });
});
