import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from '../../src/app.js';
import { createStandIn } from '../../src/lark/playground/stand-in.js';
import { seedDemoOffice } from '../../src/settings/demo-office.js';
import { type Engine, openTestDatabase } from './db.js';
import { testConfig, testDeps } from './deps.js';

/**
 * The playground as `npm start` runs it without Lark credentials: the app on a loopback port,
 * the real SDK gateway pointed at the app's own stand-in, the demo office seeded. The outbox is
 * sent by the test (flushOutbox), the clock is manual.
 */
export async function startPlayground(engine: Engine, now = '2026-11-23T09:00:00+08:00') {
  const database = await openTestDatabase(engine);
  const standIn = createStandIn();
  let app: Hono<any> | undefined;
  const server = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = { ...testConfig(), lark: standIn.larkConfig(url) };
  const deps = testDeps(database, { config, now });
  deps.playground = standIn;
  await seedDemoOffice(deps);
  app = createApp(deps);
  return {
    deps,
    standIn,
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
    },
  };
}

/** Every button in a card, with its text and callback value. */
export function cardButtons(card: any): Array<{ text: string; value: Record<string, unknown> }> {
  const out: Array<{ text: string; value: Record<string, unknown> }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as any;
      if (o.tag === 'button') {
        const cb = (o.behaviors ?? []).find((b: any) => b.type === 'callback');
        if (cb) out.push({ text: o.text?.content, value: cb.value });
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
