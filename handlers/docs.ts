import { Hono } from 'hono';

/**
 * GET /openapi.json — the admin API's OpenAPI 3.1 document, generated from the routes' zod
 * schemas — and GET /docs, Swagger UI reading it. Both are public: the document holds no secret
 * (calling the API still needs ADMIN_TOKEN). Swagger UI's script and style are the files of the
 * `swagger-ui-dist` npm package, read from node_modules and served here: the page loads nothing
 * from another site.
 */

const ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

type Asset = keyof typeof ASSETS;

const cache = new Map<Asset, string>();

/** The package's file, read once; null where there is no node_modules to read (Workers). */
async function asset(name: Asset): Promise<string | null> {
  const known = cache.get(name);
  if (known !== undefined) return known;
  try {
    const { createRequire } = await import('node:module');
    const { readFile } = await import('node:fs/promises');
    const path = createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`);
    const text = await readFile(path, 'utf8');
    cache.set(name, text);
    return text;
  } catch {
    return null;
  }
}

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cuiban 催办 · admin API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true, persistAuthorization: false });
</script>
</body>
</html>
`;

export function docsRoutes(document: () => unknown) {
  const app = new Hono();
  let generated: unknown;
  app.get('/openapi.json', (c) => {
    generated ??= document();
    return c.json(generated as object);
  });
  app.get('/docs', (c) => c.html(PAGE));
  app.get('/docs/:file', async (c) => {
    const name = c.req.param('file') as Asset;
    if (!(name in ASSETS)) return c.notFound();
    const text = await asset(name);
    if (text === null) return c.notFound();
    return c.body(text, 200, { 'content-type': ASSETS[name], 'cache-control': 'public, max-age=86400' });
  });
  return app;
}
