import { Hono } from 'hono';
import { DOCS_CSS, DOCS_HTML, DOCS_JS } from './docs-page.js';

/**
 * GET /openapi.json — the admin API's OpenAPI 3.1 document, generated from the routes' zod
 * schemas — and GET /docs, a reference page drawn from it (handlers/docs-page.ts). Both are
 * public: the document holds no secret (calling the API still needs ADMIN_TOKEN). The page's
 * script and style are served from here and its Content-Security-Policy allows nothing from
 * another site, so it works offline and tells nobody it was opened.
 */

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function docsRoutes(document: () => unknown) {
  const app = new Hono();
  let generated: unknown;
  app.get('/openapi.json', (c) => {
    generated ??= document();
    return c.json(generated as object);
  });
  app.get('/docs', (c) => c.html(DOCS_HTML, 200, { 'content-security-policy': CSP }));
  app.get('/docs/docs.js', (c) =>
    c.body(DOCS_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  app.get('/docs/docs.css', (c) =>
    c.body(DOCS_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  return app;
}
